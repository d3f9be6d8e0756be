"""``python -m spbe_tools ...`` is the same as the ``spbe`` command."""
from spbe_tools.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
