"""Read a 360Giving file of any format as a stream of grants (JSON objects).

JSON packages are streamed with ijson, so a file of a million grants is never held in
memory. CSV and XLSX files are converted with grants.unflatten (the official converter's
rules); their grants are merged by Identifier, so the whole sheet is read first.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ijson

from vcsehub.grants.schema import GrantSchema
from vcsehub.grants.unflatten import META_SHEET, ConversionError, Sheet, Unflattener
from vcsehub.sources.errors import DataError
from vcsehub.sources.readers import detect_format
from vcsehub.sources.readers.detect import HEAD_BYTES, detect_encoding, fallback_errors
from vcsehub.sources.readers.excel import open_workbook

NOT_360_FIX = (
    'Check it is a 360Giving file: a JSON package with a "grants" list, or a spreadsheet '
    "whose columns use the 360Giving titles (Identifier, Title, Amount Awarded …)."
)
JSON_PACKAGE_KEYS_LIMIT = 200 * 1024 * 1024  # read metadata after the grants only below this


@dataclass
class GrantRecord:
    index: int  # 0-based position in the package
    data: Any  # normally a dict; anything else is reported by validation
    rows: list[tuple[str, int]] = field(default_factory=list)  # (sheet, row) for spreadsheets


@dataclass
class GrantFile:
    name: str
    format: str  # "json", "csv" or "xlsx"
    encoding: str = ""
    meta: dict = field(default_factory=dict)
    sheets: list[Sheet] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _records: Iterator[GrantRecord] | None = None

    def grants(self) -> Iterator[GrantRecord]:
        if self._records is None:
            raise RuntimeError("The grants of a file can be read only once")
        records, self._records = self._records, None
        yield from records

    def column_for(
        self, record: GrantRecord, path: str
    ) -> tuple[str | None, int | None, str | None]:
        """(sheet, row, column title with letter) of the cell holding a grant's JSON path."""
        if not record.rows:
            return None, None, None
        parts = [p for p in path.split("/") if p]
        bare = "/".join(p for p in parts if not p.isdigit())
        for sheet_name, row in record.rows:
            sheet = next((s for s in self.sheets if s.name == sheet_name), None)
            if sheet is None:
                continue
            matches = [c for c in sheet.columns if c.path_no_numbers == bare]
            if not matches:
                # An error about an object or list (e.g. a required field): the row is enough.
                continue
            numbered = [c for c in matches if any(p.isdigit() for p in c.path)]
            if numbered:
                indices = [p for p in parts if p.isdigit()]
                exact = [
                    c
                    for c in numbered
                    if [p for p in c.path if p.isdigit()]
                    == indices[: len([p for p in c.path if p.isdigit()])]
                ]
                matches = exact or matches
            column = matches[0]
            return sheet_name, row, f"{column.title} ({column.letter})"
        sheet_name, row = record.rows[0]
        return sheet_name, row, None


def read_grant_file(path: str | Path, *, name: str, schema: GrantSchema) -> GrantFile:
    """Open a 360Giving file. Raises DataError when it cannot be read at all."""
    path = Path(path)
    kind = detect_format(path)
    if kind == "json":
        return _json_file(path, name)
    if kind == "xlsx":
        return _xlsx_file(path, name, schema)
    if kind == "csv":
        return _csv_file(path, name, schema)
    if kind == "empty":
        raise DataError(
            "The file is empty",
            fix="Check it is the right file, and that it was saved with its data.",
            file=name,
        )
    if kind == "xls":
        raise DataError(
            "This is an old-style Excel file (.xls), which VCSE Hub cannot read",
            fix="Open it in Excel and save it as .xlsx (Excel Workbook), then try again.",
            file=name,
        )
    raise DataError(
        "This file is not a spreadsheet or JSON file that VCSE Hub can read (it may be damaged or another kind of file)",
        fix="Save it as .xlsx, CSV (UTF-8) or 360Giving JSON and try again.",
        file=name,
    )


# -- JSON -----------------------------------------------------------------------------


def _json_error(name: str, error: Exception) -> DataError:
    return DataError(
        f"The JSON is not well-formed, so the file could not be read ({error})",
        fix="Check the file in a JSON validator (a missing or extra comma or bracket is the usual cause) and export it again.",
        file=name,
    )


def _json_meta(path: Path, name: str) -> tuple[dict, bool]:
    """Package metadata (every top-level key except "grants") and whether "grants" exists."""
    meta: dict = {}
    has_grants = False
    with path.open("rb") as stream:
        events = ijson.parse(stream, use_float=False)
        try:
            prefix, event, value = next(events)
        except ijson.JSONError as error:
            raise _json_error(name, error) from None
        except StopIteration:
            raise DataError("The file is empty", file=name) from None
        if event != "start_map":
            raise DataError(
                'This JSON file is a list, not a 360Giving package (an object with a "grants" list)',
                fix=NOT_360_FIX,
                file=name,
            )
        builder_key = None
        builder: ijson.ObjectBuilder | None = None
        depth = 0
        small = path.stat().st_size <= JSON_PACKAGE_KEYS_LIMIT
        try:
            for prefix, event, value in events:
                if depth == 0 and event == "map_key":
                    builder_key = value
                    if value == "grants":
                        has_grants = True
                        if not small:
                            break
                    continue
                if builder_key == "grants":
                    if event in ("start_map", "start_array"):
                        depth += 1
                    elif event in ("end_map", "end_array"):
                        depth -= 1
                    continue
                if event == "end_map" and depth == 0 and prefix == "":
                    break
                if builder is None:
                    builder = ijson.ObjectBuilder()
                builder.event(event, value)
                if event in ("start_map", "start_array"):
                    depth += 1
                elif event in ("end_map", "end_array"):
                    depth -= 1
                if depth == 0:
                    meta[builder_key] = builder.value
                    builder = None
        except ijson.JSONError as error:
            raise _json_error(name, error) from None
    return meta, has_grants


def _json_file(path: Path, name: str) -> GrantFile:
    meta, has_grants = _json_meta(path, name)
    if not has_grants:
        raise DataError(
            'This JSON file has no "grants" list, so it is not 360Giving data',
            fix=NOT_360_FIX,
            file=name,
        )

    def records() -> Iterator[GrantRecord]:
        with path.open("rb") as stream:
            try:
                for index, grant in enumerate(ijson.items(stream, "grants.item", use_float=False)):
                    yield GrantRecord(index=index, data=grant)
            except ijson.JSONError as error:
                raise _json_error(name, error) from None

    return GrantFile(name=name, format="json", meta=meta, _records=records())


# -- spreadsheets ---------------------------------------------------------------------


def _check_looks_like_360(unflattener: Unflattener, name: str) -> None:
    known = unflattener.schema.types
    for sheet in unflattener.sheets:
        if any(column.path_no_numbers in known for column in sheet.columns):
            return
    raise DataError(
        "None of the column titles is a 360Giving field, so this is not 360Giving data",
        fix=NOT_360_FIX,
        file=name,
    )


def _finish(unflattener: Unflattener, name: str, kind: str, encoding: str = "") -> GrantFile:
    _check_looks_like_360(unflattener, name)

    def records() -> Iterator[GrantRecord]:
        for index, grant in enumerate(unflattener.results()):
            yield GrantRecord(index=index, data=grant.data, rows=grant.rows)

    return GrantFile(
        name=name,
        format=kind,
        encoding=encoding,
        meta=unflattener.meta,
        sheets=unflattener.sheets,
        warnings=unflattener.warnings,
        _records=records(),
    )


def _xlsx_file(path: Path, name: str, schema: GrantSchema) -> GrantFile:
    unflattener = Unflattener(schema)
    with open_workbook(path, label=name) as workbook:
        try:
            for worksheet in workbook.worksheets:
                # Read every cell whatever size the file says: a missing size would make
                # openpyxl read the whole sheet once more to find it, a wrong one cut it short.
                worksheet.reset_dimensions()
                rows = worksheet.iter_rows(values_only=True)
                if worksheet.title == META_SHEET:
                    unflattener.add_meta(
                        [(row[0], row[1] if len(row) > 1 else None) for row in rows if row]
                    )
                    continue
                header = next(rows, None)
                if not header or all(v is None for v in header):
                    continue
                numbered = ((number, list(values)) for number, values in enumerate(rows, start=2))
                unflattener.add_sheet(worksheet.title, list(header), numbered, format="xlsx")
        except ConversionError as error:
            raise DataError(
                f"The spreadsheet could not be converted: {error}", fix=NOT_360_FIX, file=name
            ) from None
    return _finish(unflattener, name, "xlsx")


class _NoNul:
    def __init__(self, lines):
        self.lines = lines

    def __iter__(self):
        return (line.replace("\0", "") for line in self.lines)


def _csv_file(path: Path, name: str, schema: GrantSchema) -> GrantFile:
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES * 64)
        complete = not stream.read(1)
    encoding = detect_encoding(head, complete=complete)
    errors = fallback_errors() if encoding == "utf-8" and not complete else "strict"
    unflattener = Unflattener(schema)
    try:
        with path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")
            reader = csv.reader(_NoNul(text))
            header = next(reader, None)
            if not header:
                raise DataError("The file has no header row", fix=NOT_360_FIX, file=name)
            if header[0].startswith("\ufeff"):
                header[0] = header[0][1:]

            def rows() -> Iterator[tuple[int, list[Any]]]:
                for number, values in enumerate(reader, start=2):
                    if values:
                        yield number, values

            unflattener.add_sheet("grants", header, rows(), format="csv")
    except (UnicodeDecodeError, csv.Error) as error:
        raise DataError(
            f"The CSV file could not be read ({error})",
            fix="Save it again as CSV UTF-8 and try again.",
            file=name,
        ) from None
    except ConversionError as error:
        raise DataError(
            f"The file could not be converted: {error}", fix=NOT_360_FIX, file=name
        ) from None
    return _finish(unflattener, name, "csv", encoding=codecs.lookup(encoding).name)
