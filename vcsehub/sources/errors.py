"""Typed errors for problems in data files, reported to people, not to the error log."""

from __future__ import annotations


class DataError(Exception):
    """A problem in someone's data file: what is wrong, how to fix it, and where.

    Messages say what is wrong first, then how to fix it, in plain words.
    """

    def __init__(
        self,
        message: str,
        *,
        fix: str = "",
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column

    @property
    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(f"file {self.file}")
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.message
        if self.where:
            text = f"{text} ({self.where})"
        if self.fix:
            text = f"{text}. {self.fix}" if not text.endswith(".") else f"{text} {self.fix}"
        return text


class FetchError(DataError):
    """The file could not be fetched: HTTP error, time-out, truncated, too big, missing."""


class ImportRefused(DataError):
    """The file was read, but loading it would lose data (no rows, or a big shrink)."""
