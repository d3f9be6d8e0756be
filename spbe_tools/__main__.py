"""``python -m spbe_tools ...`` is the same as the ``spbe`` command."""
from spbe_tools.cli import main

raise SystemExit(main())
