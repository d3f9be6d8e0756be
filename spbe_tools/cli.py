"""The ``spbe`` command (also ``python -m spbe_tools``).

Thin: each sub-command lives in ``spbe_tools/commands/<name>.py`` with a
``register(subparsers)`` function that adds its parser and sets ``func``.
Errors of the :class:`~spbe_tools.errors.SpbeError` family print as one
readable paragraph with a non-zero exit status, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from spbe_tools import __version__
from spbe_tools.errors import SpbeError

# Order is the order shown in ``spbe --help``.
COMMANDS = ("extract", "build", "check", "regions", "compare", "brief", "map", "plan", "template",
            "lock")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spbe", description="SPBE Workbook: ingest, compare and brief on SPBE results.")
    parser.add_argument("--version", action="version", version=f"spbe-tools {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"spbe_tools.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"spbe_tools.commands.{name}":
                raise
            continue  # command not built yet
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SpbeError as exc:
        print(f"spbe {args.command}: error: {exc.describe()}", file=sys.stderr)
        return exc.exit_code
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        print(f"spbe {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: stop quietly like other CLI tools
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
