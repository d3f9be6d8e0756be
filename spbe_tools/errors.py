"""One exception family for the package.

Every error a user can cause carries where it happened (file, sheet, cell or
row), what was expected and what was found, so the CLI can print one readable
paragraph instead of a traceback.
"""
from __future__ import annotations

__all__ = ["SpbeError", "InputError", "LayoutError", "ValidationError", "UnreadableInputError",
           "ConfigError", "LockedValueError", "NotRegisteredError"]


class SpbeError(Exception):
    """Base class: anything the CLI reports as a readable message (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                 cell: str | None = None, row: int | None = None,
                 expected: str | None = None, found: str | None = None,
                 column: str | None = None):
        self.message = message
        self.file, self.sheet, self.cell, self.row = file, sheet, cell, row
        self.column = column  # a table's column name (CSV inputs), shown after the row
        self.expected, self.found = expected, found
        super().__init__(self.describe())

    def __reduce__(self):
        """Pickle with every field: a parallel build's workers send errors back whole."""
        fields = {k: getattr(self, k) for k in ("file", "sheet", "cell", "row", "expected",
                                                "found", "column")}
        return (_restore, (type(self), self.message, fields, dict(self.__dict__)))

    def location(self) -> str:
        """'file.xlsx, sheet "Kota", cell C7' or 'results.csv, row 5, column "year"' — only
        the parts that are known."""
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f'sheet "{self.sheet}"')
        if self.cell:
            parts.append(f"cell {self.cell}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def describe(self) -> str:
        text = self.message
        loc = self.location()
        if loc:
            text = f"{loc}: {text}"
        if (self.expected is not None or self.found is not None) and \
                not text.rstrip().endswith((".", "!", "?", ":")):
            text = text.rstrip() + "."  # the sentence ends before "Expected:"/"Found:"
        if self.expected is not None:
            text += f" Expected: {self.expected}."
        if self.found is not None:
            text += f" Found: {self.found}."
        return text


class InputError(SpbeError):
    """A raw input cannot be used as given (bad sidecar, contradictory year, ...)."""


class UnreadableInputError(InputError):
    """The file is not a readable .xlsx workbook (wrong format, encrypted, corrupt, too large)."""


class LayoutError(InputError):
    """A sheet's cells do not form a table we recognise."""


class ValidationError(SpbeError):
    """The tidy table breaks an invariant (conservation, duplicates across files, ...)."""


class ConfigError(SpbeError):
    """A parameter given by the user is wrong (unknown region, year, peer group, ...)."""


class NotRegisteredError(ConfigError):
    """The registry has no evaluation year or framework by the name asked for; ``found`` is
    what was asked, the message lists what the registry knows."""


class LockedValueError(ValidationError):
    """A rebuild changed a value of a locked past year."""


def _restore(cls: type, message: str, fields: dict, state: dict) -> SpbeError:
    error = cls(message, **fields)
    error.__dict__.update(state)
    return error
