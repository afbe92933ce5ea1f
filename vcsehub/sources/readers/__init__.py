"""Read any data file as tables, the same way whatever its format.

    for table in read_tables(path, name="grants.xlsx"):
        for row_number, record in table.records():
            ...

Format comes from the content, not the name: CSV and other delimited text (any common
encoding and separator), Excel .xlsx (every sheet), JSON (streamed), and zip or gzip
files holding any of these. Problems in the file are DataErrors that say where and how
to fix them. See base.Table for what a table offers.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import nullcontext
from functools import partial
from pathlib import Path, PurePosixPath

from vcsehub.sources.errors import DataError
from vcsehub.sources.readers import archive
from vcsehub.sources.readers.base import Table, clean_headers
from vcsehub.sources.readers.delimited import CsvTable
from vcsehub.sources.readers.detect import HEAD_BYTES, detect_format, sniff_kind, zip_kind
from vcsehub.sources.readers.excel import XlsxTable, xlsx_tables
from vcsehub.sources.readers.jsonfile import JsonTable

__all__ = [
    "CsvTable",
    "JsonTable",
    "Table",
    "XlsxTable",
    "clean_headers",
    "detect_format",
    "read_tables",
]

FORMATS = {"csv", "xlsx", "json", "zip", "gzip"}
NOT_A_TABLE_FIX = "Save it as CSV (UTF-8) or .xlsx and try again."


def read_tables(
    path: str | Path,
    *,
    name: str | None = None,
    format: str | None = None,  # noqa: A002 - the word people use
    encoding: str | None = None,
    delimiter: str | None = None,
    quotechar: str | None = '"',
    sheet: str | None = None,
    json_items: str | None = None,
    header_row: int | None = None,
    member: str | None = None,
) -> Iterator[Table]:
    """Yield each table in the file at `path`.

    name: the file's name for messages (default: the path's name).
    format: 'csv', 'xlsx', 'json', 'zip' or 'gzip' to skip detection.
    encoding, delimiter: for CSV; found from the content when not given.
    quotechar: for CSV; None for files with no quoting at all (a '"' is then just a character).
    sheet: read only this sheet of a workbook.
    json_items: ijson prefix of the records, e.g. 'grants.item'; found when not given.
    header_row: 1-based row of the headers (CSV, XLSX); found when not given.
    member: only the zip members whose path or name matches this pattern, e.g. '*.csv'.

    Tables open their file again each time their rows are read, so they can be kept
    (list(read_tables(...))) and read more than once.
    """
    path = Path(path)
    name = name or path.name
    options = {
        "encoding": encoding,
        "delimiter": delimiter,
        "quotechar": quotechar,
        "sheet": sheet,
        "json_items": json_items,
        "header_row": header_row,
    }
    kind = format or detect_format(path)
    if kind == "zip":
        yield from _zip_tables(path, name=name, member=member, options=options)
        return
    if kind == "gzip":
        yield from _gzip_tables(path, name=name, options=options)
        return
    yield from _tables(
        kind, lambda: path.open("rb"), path=path, name=name, container=None, options=options
    )


def _tables(kind, opener, *, path: Path | None, name: str, container: str | None, options: dict):
    label = f"{name} in {container}" if container else name
    if kind == "csv":
        yield CsvTable(
            opener,
            name=name,
            container=container,
            encoding=options["encoding"],
            delimiter=options["delimiter"],
            quotechar=options["quotechar"],
            header_row=options["header_row"],
        )
    elif kind == "json":
        yield JsonTable(opener, name=name, container=container, items=options["json_items"])
    elif kind == "xlsx":
        if path is not None:
            workbook = partial(nullcontext, path)
        else:
            workbook = partial(archive.extract_member, opener, suffix=".xlsx")
        yield from xlsx_tables(
            workbook,
            name=name,
            container=container,
            sheet=options["sheet"],
            header_row=options["header_row"],
        )
    else:
        raise not_a_table(kind, label)


def not_a_table(kind: str, label: str) -> DataError:
    if kind == "empty":
        return DataError(
            "The file is empty",
            fix="Check it is the right file, and that it was saved with its data.",
            file=label,
        )
    if kind == "xls":
        return DataError(
            "This is an old-style Excel file (.xls), which VCSE Hub cannot read",
            fix="Open it in Excel and save it as .xlsx (Excel Workbook) or CSV UTF-8, then try again.",
            file=label,
        )
    if kind == "zip":
        return DataError(
            "This is a zip file inside a zip file",
            fix="Unpack it and import the files inside.",
            file=label,
        )
    return DataError(
        "This does not look like a CSV, Excel or JSON file", fix=NOT_A_TABLE_FIX, file=label
    )


def _zip_tables(path: Path, *, name: str, member: str | None, options: dict) -> Iterator[Table]:
    with archive.open_zip(path, label=name) as zipped:
        members = archive.data_members(zipped, label=name, member=member)
    found = 0
    for info in members:
        opener = archive.member_opener(path, info, label=name)
        with opener() as stream:
            head = stream.read(HEAD_BYTES)
        kind = sniff_kind(head)
        if kind == "zip":
            with archive.extract_member(opener, suffix=".zip") as copy:
                kind = "xlsx" if zip_kind(copy) == "xlsx" else "zip"
        if kind not in {"csv", "json", "xlsx"}:
            continue  # documents, images and zips inside the zip are not read
        found += 1
        yield from _tables(
            kind, opener, path=None, name=info.filename, container=name, options=options
        )
    if not found:
        what = f" matching {member!r}" if member else ""
        raise DataError(
            f"This zip file holds no CSV, Excel or JSON file{what}",
            fix="Check it is the right file.",
            file=name,
        )


def _gzip_tables(path: Path, *, name: str, options: dict) -> Iterator[Table]:
    inner = PurePosixPath(name).stem if name.lower().endswith(".gz") else name

    def opener():
        return gzip.open(path, "rb")

    try:
        with opener() as stream:
            head = stream.read(HEAD_BYTES)
    except (OSError, EOFError) as error:
        raise DataError(
            f"This gzip file is damaged ({error})", fix="Download it again.", file=name
        ) from None
    kind = sniff_kind(head)
    if kind not in {"csv", "json"}:
        raise not_a_table(kind, name)
    yield from _tables(kind, opener, path=None, name=inner, container=None, options=options)
