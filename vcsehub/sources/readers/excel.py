"""Excel workbooks (.xlsx), read with openpyxl in read-only mode, one Table per sheet."""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from vcsehub.sources.errors import DataError
from vcsehub.sources.readers.base import (
    HEADER_SEARCH_ROWS,
    Table,
    clean_headers,
    find_header_index,
    trim_trailing_blanks,
)

NOT_OPENED_FIX = "Open it in Excel, save it again as .xlsx (Excel Workbook), and try again."

# Gives the workbook's path inside a `with` block (a temporary copy for a zip member).
WorkbookPath = Callable[[], AbstractContextManager[Path]]


class XlsxTable(Table):
    format = "xlsx"

    def __init__(
        self,
        workbook: WorkbookPath,
        *,
        title: str,
        first_rows: list[tuple],
        name: str,
        container: str | None = None,
        has_macros: bool = False,
        header_row: int | None = None,
        book=None,
    ) -> None:
        self._workbook = workbook
        self._book = book  # an open workbook to read from, while its caller keeps it open
        if header_row is None:
            index = find_header_index(first_rows)
            header_row = 1 if index is None else index + 1
        raw = (
            trim_trailing_blanks(first_rows[header_row - 1])
            if header_row <= len(first_rows)
            else []
        )
        super().__init__(
            name=name,
            container=container,
            sheet=title,
            headers=clean_headers(raw),
            header_row=header_row,
            has_macros=has_macros,
            raw_headers=raw,
        )

    def rows(self, *, strict: bool = True) -> Iterator[tuple[int, list[Any]]]:
        """Yield (row_number, cell values): str, int, float, bool, datetime or None.

        Formulas give their last calculated value. Empty rows are skipped; short rows are
        padded with None to the width of the header.
        """
        if self._book is not None:
            yield from self._sheet_rows(self._book, strict)
            return
        with self._workbook() as path, open_workbook(path, label=self.file_label) as book:
            yield from self._sheet_rows(book, strict)

    def _sheet_rows(self, book, strict: bool) -> Iterator[tuple[int, list[Any]]]:
        worksheet = book[self.sheet]
        worksheet.reset_dimensions()  # do not trust the stored size: read every cell
        yield from self._rows(worksheet, strict)

    def _rows(self, worksheet, strict: bool) -> Iterator[tuple[int, list[Any]]]:
        width = len(self.headers)
        try:
            cells = worksheet.iter_rows(min_row=self.header_row + 1, values_only=True)
            for number, values in enumerate(cells, self.header_row + 1):
                if len(values) == width:
                    row = list(values)
                elif len(values) < width:
                    row = [*values, *([None] * (width - len(values)))]
                else:
                    row = trim_trailing_blanks(values)
                    if len(row) < width:
                        row.extend([None] * (width - len(row)))
                    elif len(row) > width and strict:
                        raise DataError(
                            f"Row {number} has a value in column {len(row)}, which has no heading",
                            fix="Add a heading for that column, or delete the value, then try again.",
                            file=self.file_label,
                            sheet=self.sheet,
                            row=number,
                        )
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    continue
                yield number, row
        except DataError:
            raise
        except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError) as error:
            raise DataError(
                f"This Excel file could not be read ({error})",
                fix=NOT_OPENED_FIX,
                file=self.file_label,
                sheet=self.sheet,
            ) from None


def _first_rows(worksheet) -> list[tuple]:
    return list(islice(worksheet.iter_rows(values_only=True), HEADER_SEARCH_ROWS))


def has_macros(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


@contextmanager
def open_workbook(path: Path, *, label: str):
    from openpyxl import load_workbook

    # A file object, not a path: openpyxl refuses paths whose names do not end in .xlsx,
    # and the format was already found from the content.
    with Path(path).open("rb") as stream:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workbook = load_workbook(stream, read_only=True, data_only=True, keep_links=False)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise DataError(
                f"This Excel file could not be opened ({type(error).__name__})",
                fix=NOT_OPENED_FIX,
                file=label,
            ) from None
        try:
            yield workbook
        finally:
            workbook.close()


def xlsx_tables(
    workbook: WorkbookPath,
    *,
    name: str,
    container: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    book=None,
) -> Iterator[XlsxTable]:
    """A table for each sheet that holds anything (or for the one sheet asked for).

    Each table opens the workbook again when its rows are read, so tables stay usable
    after this generator has moved on. Given an open `book` (from `open_workbook` on
    the same file), nothing is opened again: the tables read from it, and are usable
    only while it is open.
    """
    label = f"{name} in {container}" if container else name
    if book is not None:
        with workbook() as path:
            found, macros = _sheets(book, path, label=label, sheet=sheet)
    else:
        with workbook() as path, open_workbook(path, label=label) as opened:
            found, macros = _sheets(opened, path, label=label, sheet=sheet)
    for title, first in found:
        yield XlsxTable(
            workbook,
            title=title,
            first_rows=first,
            name=name,
            container=container,
            has_macros=macros,
            header_row=header_row,
            book=book,
        )


def _sheets(book, path: Path, *, label: str, sheet: str | None) -> tuple[list, bool]:
    """The (title, first rows) of each sheet with anything in it (or of the one asked for)."""
    found = []
    macros = has_macros(path)
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise DataError(
            f"The workbook has no sheet called {sheet!r}; its sheets are: {', '.join(names)}",
            fix="Rename the sheet, or choose one of those.",
            file=label,
        )
    for title in [sheet] if sheet is not None else names:
        worksheet = book[title]
        if not hasattr(worksheet, "iter_rows"):
            continue  # a chart sheet
        worksheet.reset_dimensions()
        first = _first_rows(worksheet)
        if sheet is None and not any(v is not None and v != "" for row in first for v in row):
            continue  # an empty sheet
        found.append((title, first))
    return found, macros
