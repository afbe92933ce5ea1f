"""Upload intake: is this a spreadsheet we will read, and what is in it?

The file's name, extension and claimed content type are not trusted: the format is read
from the content. Accepted: CSV and other delimited text in any common encoding, and
Excel .xlsx workbooks (the header row is found even below title rows). Refused, each
with a plain-English reason: files over the size limit or with too many rows, empty
files, files with a header and no rows, workbooks with macros (.xlsm, vbaProject.bin),
workbooks or zips that would unpack to far more than they hold ("zip bombs"), old .xls
files, JSON, zips, images, PDFs and anything else that is not a table.
"""

from __future__ import annotations

import zipfile
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings

from vcsehub.sources.errors import DataError
from vcsehub.sources.readers import Table, detect_format, read_tables
from vcsehub.sources.readers.archive import check_bomb
from vcsehub.sources.readers.excel import open_workbook, xlsx_tables

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 1_000_000
# A workbook may unpack to at most this many times the upload limit.
UNPACKED_FACTOR = 20
SAVE_AS = (
    "Save it from your spreadsheet program as CSV UTF-8 or Excel Workbook (.xlsx), and try again."
)


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def max_upload_rows() -> int:
    return int(getattr(settings, "MAX_UPLOAD_ROWS", DEFAULT_MAX_ROWS))


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:,.1f} MB"


@dataclass(slots=True)
class Sheet:
    """What was read from the upload: headers and every data row, as cell values."""

    format: str
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    encoding: str = ""

    def column(self, index: int) -> list[Any]:
        return [row[index] if index < len(row) else None for _, row in self.rows]


def check_size(size: int, *, name: str) -> None:
    limit = max_upload_bytes()
    if size > limit:
        raise DataError(
            f"The file is {_megabytes(size)}, more than the limit of {_megabytes(limit)}",
            fix="Split it into smaller files (for example one per year) and upload each one.",
            file=name,
        )


def file_format(path: Path, *, name: str) -> str:
    """'csv' or 'xlsx' from the content; DataError for anything else."""
    kind = detect_format(path)
    if kind in ("csv", "xlsx"):
        return kind
    if kind == "empty":
        raise DataError(
            "The file is empty",
            fix="Check it is the right file, and that it was saved with its data.",
            file=name,
        )
    if kind == "xls":
        raise DataError(
            "This is an old-style Excel file (.xls), which cannot be read here",
            fix="Open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8, then try again.",
            file=name,
        )
    if kind == "json":
        raise DataError("This is a JSON file, not a spreadsheet", fix=SAVE_AS, file=name)
    if kind in ("zip", "gzip"):
        raise DataError(
            "This is a compressed (zip) file, not a spreadsheet",
            fix="Unpack it and upload the spreadsheet inside.",
            file=name,
        )
    raise DataError(
        "This file is not a spreadsheet: it may be a picture, a PDF or a document, whatever its name says",
        fix=SAVE_AS,
        file=name,
    )


def check_workbook(path: Path, *, name: str) -> None:
    """Refuse workbooks with macros and workbooks that would unpack to far too much."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            content_types = ""
            if "[Content_Types].xml" in archive.namelist():
                content_types = archive.read("[Content_Types].xml")[:200_000].decode(
                    "utf-8", "replace"
                )
    except (zipfile.BadZipFile, OSError) as error:
        raise DataError(
            f"This Excel file is damaged and could not be opened ({error})",
            fix="Open it in Excel, save it again as Excel Workbook (.xlsx), and try again.",
            file=name,
        ) from None
    names = [info.filename.lower() for info in infos]
    if any(n.endswith("vbaproject.bin") for n in names) or "macroenabled" in content_types.lower():
        raise DataError(
            "This workbook holds macros (it is a macro-enabled .xlsm file), so it was not opened",
            fix=(
                "Macros can run harmful code. In Excel, choose File, Save As, Excel Workbook "
                "(.xlsx) to save a copy without macros, and upload that."
            ),
            file=name,
        )
    check_bomb(infos, label=name, limit=max_upload_bytes() * UNPACKED_FACTOR)


def upload_read(
    path: Path, *, name: str, sheet: str | None = None, limit: int | None = None
) -> Sheet:
    """Read an uploaded file: every row of one table (the chosen or first sheet), or only
    the first `limit` rows (for column suggestions, which need a sample).

    A workbook is opened once, and everything is read from it while it is open.
    Raises DataError with a plain-English message when the file cannot be used.
    """
    path = Path(path)
    check_size(path.stat().st_size, name=name)
    kind = file_format(path, name=name)
    if kind != "xlsx":
        tables = list(read_tables(path, name=name, format=kind, sheet=sheet or None))
        return _sheet(tables, kind=kind, name=name, limit=limit, sheets=[])
    check_workbook(path, name=name)
    workbook = partial(nullcontext, path)
    with open_workbook(path, label=name) as book:
        tables = list(xlsx_tables(workbook, name=name, sheet=sheet or None, book=book))
        sheets = [t.sheet for t in tables if t.sheet]
        if sheet:  # every sheet with anything in it, not only the one chosen
            sheets = [t.sheet for t in xlsx_tables(workbook, name=name, book=book) if t.sheet]
        return _sheet(tables, kind=kind, name=name, limit=limit, sheets=sheets)


def _sheet(tables: list[Table], *, kind: str, name: str, limit: int | None, sheets) -> Sheet:
    if not tables:
        raise DataError(
            "The workbook has no sheet with anything in it",
            fix="Check it is the right file, and that it was saved with its data.",
            file=name,
        )
    table = tables[0]
    return Sheet(
        format=kind,
        headers=list(table.headers),
        header_row=table.header_row,
        rows=_rows(table, name=name, limit=limit),
        sheet=table.sheet or "",
        sheets=sheets,
        encoding=table.encoding or "",
    )


def _rows(table: Table, *, name: str, limit: int | None = None) -> list[tuple[int, list[Any]]]:
    most = max_upload_rows()
    width = len(table.headers)
    if width < 2:
        raise DataError(
            "The file has only one column, so it does not look like a table of records",
            fix="Check it is the right file. Each record should be one row, with a column for each thing recorded.",
            file=name,
            sheet=table.sheet,
        )
    rows = []
    # One copy of each distinct text: a visit log repeats its dates, references and
    # categories, and a million rows of separate copies would take most of the memory.
    texts: dict[str, str] = {}
    keep = texts.setdefault
    for number, values in table.rows(strict=False):
        if limit is not None and len(rows) >= limit:
            break
        if len(rows) >= most:
            raise DataError(
                f"The file has more than {most:,} rows, the most one upload can hold",
                fix="Split it into smaller files (for example one per year) and upload each one.",
                file=name,
                sheet=table.sheet,
            )
        if len(values) < width:
            values = [*values, *([None] * (width - len(values)))]
        elif len(values) > width:
            values = list(values[:width])
        rows.append(
            (
                number,
                [None if v == "" else keep(v, v) if v.__class__ is str else v for v in values],
            )
        )
    if not rows:
        raise DataError(
            "The file has a header row but no records under it",
            fix="Check it is the right file, and that it was saved with its data.",
            file=name,
            sheet=table.sheet,
        )
    return rows
