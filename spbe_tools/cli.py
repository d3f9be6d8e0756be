"""The ``spbe`` command (also ``python -m spbe_tools``).

Thin: each sub-command lives in ``spbe_tools/commands/<name>.py`` with a
``register(subparsers)`` function that adds its parser and sets ``func``.
Errors of the :class:`~spbe_tools.errors.SpbeError` family print as one
readable paragraph with a non-zero exit status, never a traceback.

Exit statuses: 0 done; 1 findings (``spbe check`` found problems, ``spbe build`` left a
failed file in rejects); 2 a readable error (:class:`SpbeError`, a bad argument, a missing
file); 3 a crash, i.e. an unexpected exception (a bug): one line on stderr naming the log
file that holds the traceback, ``spbe-crash-*.log`` in the system temp folder
(:func:`tempfile.gettempdir`, ``$TMPDIR`` on Linux/macOS, ``%TEMP%`` on Windows), so a
script can tell a crash from findings.
"""
from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import traceback
from collections.abc import Iterable

from spbe_tools import __version__
from spbe_tools.commands import SUMMARIES
from spbe_tools.errors import SpbeError

#: Exit status of an unexpected exception (a crash), distinct from 1 (findings) and 2 (errors).
CRASH_EXIT = 3

#: The sub-commands, in the order ``spbe --help`` shows them.
COMMANDS = tuple(SUMMARIES)


def make_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The ``spbe`` parser. ``commands``: the sub-commands whose module is imported to add
    their full parser (default: all); the others are listed by name and summary only, so
    ``spbe --help`` or one command does not import the modules every command needs."""
    wanted = set(COMMANDS if commands is None else commands)
    parser = argparse.ArgumentParser(
        prog="spbe", description="SPBE Workbook: ingest, compare and brief on SPBE results.")
    parser.add_argument("--version", action="version", version=f"spbe-tools {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        if name in wanted:
            importlib.import_module(f"spbe_tools.commands.{name}").register(sub)
        else:
            sub.add_parser(name, help=SUMMARIES[name])
    return parser


def _command_in(argv: list[str]) -> list[str]:
    """The sub-command named in ``argv`` (the first word that is one), as a list; empty when
    there is none (``spbe --help``, ``spbe --version``, a misspelt command)."""
    return [arg for arg in argv if arg in SUMMARIES][:1]


def main(argv: list[str] | None = None) -> int:
    parser = make_parser(_command_in(sys.argv[1:] if argv is None else argv))
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
    except Exception as exc:  # noqa: BLE001 -- a bug: exit 3 and a log, no traceback shown
        log = _crash_log(argv if argv is not None else sys.argv[1:])
        summary = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        print(f"spbe {args.command}: unexpected error ({summary}); a bug, not a problem in your "
              f"data; see the traceback in {log}", file=sys.stderr)
        return CRASH_EXIT


def _crash_log(argv: list[str]) -> str:
    """Write the current exception's traceback to a new ``spbe-crash-*.log`` in the system
    temp folder; its path (or a note when even that cannot be written)."""
    try:
        fd, path = tempfile.mkstemp(prefix="spbe-crash-", suffix=".log", text=True)
        with open(fd, "w", encoding="utf-8") as fh:
            fh.write(f"spbe-tools {__version__}\nargv: {list(argv)!r}\n\n")
            fh.write(traceback.format_exc())
        return path
    except OSError as exc:
        return f"(no log: {exc})"


if __name__ == "__main__":
    raise SystemExit(main())
