"""The error of the extract step: a PDF that cannot be read, with its page when known."""
from __future__ import annotations

from spbe_tools.errors import UnreadableInputError

__all__ = ["PdfError"]


class PdfError(UnreadableInputError):
    """The PDF cannot be read as a decree annex (not a PDF, encrypted, truncated, no table,
    too many pages). Exit status 2 like every :class:`~spbe_tools.errors.SpbeError`."""

    def __init__(self, message: str, *, page: int | None = None, **where):
        self.page = page
        super().__init__(message, **where)

    def location(self) -> str:
        base = super().location()
        if self.page is None:
            return base
        return ", ".join(x for x in (base, f"halaman {self.page}") if x)
