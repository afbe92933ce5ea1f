"""Read a 360Giving file of any format as a stream of grants (JSON objects).

JSON packages are streamed with ijson, so a file of a million grants is never held in
memory. CSV and XLSX files are converted with grants.unflatten (the official converter's
rules); their grants are merged by Identifier, so the whole sheet is read first.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ijson
import python_calamine
from openpyxl.utils import get_column_letter

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


def read_grant_file(
    path: str | Path, *, name: str, schema: GrantSchema, xlsx_reader: str = "auto"
) -> GrantFile:
    """Open a 360Giving file. Raises DataError when it cannot be read at all.

    xlsx_reader: "auto", "openpyxl" or "calamine" (see xlsx_sheets; for tests)."""
    path = Path(path)
    kind = detect_format(path)
    if kind == "json":
        return _json_file(path, name)
    if kind == "xlsx":
        return _xlsx_file(path, name, schema, reader=xlsx_reader)
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


def _xlsx_file(path: Path, name: str, schema: GrantSchema, *, reader: str = "auto") -> GrantFile:
    unflattener = Unflattener(schema)
    try:
        for title, rows in xlsx_sheets(path, name, reader=reader):
            if title == META_SHEET:
                unflattener.add_meta(
                    [(row[0], row[1] if len(row) > 1 else None) for row in rows if row]
                )
                continue
            header = next(rows, None)
            if not header or all(v is None for v in header):
                continue
            numbered = ((number, list(values)) for number, values in enumerate(rows, start=2))
            unflattener.add_sheet(title, list(header), numbered, format="xlsx")
    except ConversionError as error:
        raise DataError(
            f"The spreadsheet could not be converted: {error}", fix=NOT_360_FIX, file=name
        ) from None
    except python_calamine.CalamineError as error:
        raise DataError(
            f"This Excel file could not be read ({type(error).__name__})",
            fix="Open it in Excel, save it again as .xlsx (Excel Workbook), and try again.",
            file=name,
        ) from None
    return _finish(unflattener, name, "xlsx")


# -- XLSX cells -------------------------------------------------------------------------
#
# openpyxl (what flatten-tool reads with) gives each cell's value; python-calamine reads
# the same cells about 15 times faster but not always as the same Python values. It is
# used only where it is known to agree, and openpyxl otherwise:
# - numbers: calamine gives a float for every number, openpyxl an int unless the stored
#   text has a "." or an exponent; whole floats are made ints, so a file storing a whole
#   number as "1.0", an integer of 16 digits or more or any negative number (a date
#   before the epoch) is read with openpyxl;
# - strings: calamine trims the spaces at the ends of a shared string not marked
#   xml:space="preserve" and decodes "_x000D_"-style escapes, openpyxl does neither; raw
#   carriage returns, phonetic runs, formulas without a stored result, text formula
#   results, error and ISO-date cells are not compared either;
# - dates: which cell styles are dates, and the datetimes made of them, are checked by
#   reading a small probe workbook with the file's own styles with both libraries.
# tests/grants/test_xlsx_cells.py reads every real file and awkward ones both ways.

_RISKS_EVERYWHERE = (
    re.compile(rb"_x[0-9A-Fa-f]{4}_"),
    re.compile(rb"<rPh[\s>]"),
    re.compile(rb"<\w+:(?:c|v|t|is|si|r|row)[\s>/]"),  # prefixed element names
)
# Spaces at the ends of a shared string kept only by xml:space="preserve".
_RISKS_IN_SHARED_STRINGS = (
    re.compile(rb'<t(?:\s(?![^>]*"preserve")[^>]*)?>(?:\s|[^<]*\s</t>)'),
    re.compile(rb"<t/>"),
)
_RISKS_IN_SHEETS = (
    re.compile(rb' t="(?:str|e|d)"'),
    re.compile(rb"<v></v>|<v/>|</f></c>|<f[^>]*/></c>"),
    re.compile(rb"<v>\d{16,}</v>"),
    re.compile(rb"<v>-"),  # a negative date is a time to calamine
)
_NUMBER_WITH_POINT = re.compile(rb"<v>([^<]*[.eE][^<]*)</v>")
_CHUNK = 1 << 22
_OVERLAP = 256
_PROBE_SAMPLES = (
    "0.25",
    "0.500005787",
    "1",
    "59.5",
    "60",
    "61",
    "1462",
    "43831.5",
    "45000.123456789",
)


def _whole_number_with_point(match: re.Match) -> bool:
    try:
        return float(match.group(1)).is_integer()
    except ValueError:
        return False


def _carriage_return(text: bytes) -> bool:
    """A carriage return in the text of a cell (not the one after the XML declaration)."""
    at = text.find(b"\r")
    while at != -1:
        if text[at - 2 : at] != b"?>":
            return True
        at = text.find(b"\r", at + 1)
    return False


def _member_is_risky(archive: zipfile.ZipFile, member: str) -> bool:
    shared = "sharedstrings" in member.lower()
    patterns = _RISKS_EVERYWHERE + (_RISKS_IN_SHARED_STRINGS if shared else _RISKS_IN_SHEETS)
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            if any(pattern.search(text) for pattern in patterns) or _carriage_return(text):
                return True
            if not shared and any(
                _whole_number_with_point(m) for m in _NUMBER_WITH_POINT.finditer(text)
            ):
                return True
            tail = text[-_OVERLAP:]
    return False


def _probe_workbook(styles: bytes, date1904: bool, styles_count: int) -> bytes:
    """A one-sheet workbook with the given styles, each applied to the probe numbers."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    rows = "".join(
        f'<row r="{style + 1}">'
        + "".join(
            f'<c r="{get_column_letter(n + 1)}{style + 1}" s="{style}"><v>{value}</v></c>'
            for n, value in enumerate(_PROBE_SAMPLES)
        )
        + "</row>"
        for style in range(styles_count)
    )
    members = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}">'
        f'<workbookPr date1904="{int(date1904)}"/>'
        '<sheets><sheet name="probe" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as probe:
        for member, text in members.items():
            probe.writestr(member, text)
        probe.writestr("xl/styles.xml", styles)
    return buffer.getvalue()


def _styles_read_alike(archive: zipfile.ZipFile) -> bool:
    """Whether both libraries make the same values of numbers in every cell style."""
    from openpyxl import load_workbook
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.xml.functions import fromstring

    names = set(archive.namelist())
    if "xl/styles.xml" not in names or "xl/workbook.xml" not in names:
        return False
    styles = archive.read("xl/styles.xml")
    count = len(Stylesheet.from_tree(fromstring(styles)).cell_styles) or 1
    date1904 = bool(re.search(rb'date1904="(?:1|true)"', archive.read("xl/workbook.xml")))
    probe = _probe_workbook(styles, date1904, count)
    book = load_workbook(io.BytesIO(probe), read_only=True, data_only=True)
    expected = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(probe)).get_sheet_by_index(0)
    found = [[_openpyxl_value(v) for v in row] for row in sheet.iter_rows()]
    return found == expected and all(
        type(a) is type(b)
        for row, other in zip(found, expected, strict=True)
        for a, b in zip(row, other, strict=True)
    )


def calamine_reads_alike(path: Path) -> bool:
    """Whether python-calamine gives every cell of the file as openpyxl would."""
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                lower = member.lower()
                cells = lower.endswith(".xml") and (
                    "worksheets/" in lower or "sharedstrings" in lower
                )
                if cells and _member_is_risky(archive, member):
                    return False
            return _styles_read_alike(archive)
    except Exception:  # a damaged file: openpyxl says what is wrong with it
        return False


def _openpyxl_value(value: Any) -> Any:
    """A calamine cell value as openpyxl gives it (for the files calamine_reads_alike)."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is str:
        return value or None
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def _calamine_sheets(path: Path) -> Iterator[tuple[str, Iterator[list[Any]]]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        for metadata in book.sheets_metadata:
            if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(metadata.name)
            # iter_rows gives the rows from the first, but the columns from the first
            # one used (tests/grants/test_xlsx_cells.py holds it to that).
            pad = [None] * (sheet.start[1] if sheet.start else 0)
            yield (
                metadata.name,
                (
                    pad
                    + [
                        None if v == "" else v if type(v) is str else _openpyxl_value(v)
                        for v in row
                    ]
                    for row in sheet.iter_rows()
                ),
            )
            del sheet
    finally:
        book.close()


def _openpyxl_sheets(path: Path, name: str) -> Iterator[tuple[str, Iterator[tuple]]]:
    with open_workbook(path, label=name) as workbook:
        for worksheet in workbook.worksheets:
            # Read every cell whatever size the file says: a missing size would make
            # openpyxl read the whole sheet once more to find it, a wrong one cut it short.
            worksheet.reset_dimensions()
            yield worksheet.title, worksheet.iter_rows(values_only=True)


def xlsx_sheets(
    path: Path, name: str, *, reader: str = "auto"
) -> Iterator[tuple[str, Iterator[Sequence[Any]]]]:
    """Each worksheet's (title, rows of cell values as openpyxl gives them).

    reader: "auto" (calamine where it reads alike), "openpyxl" or "calamine"."""
    if reader == "calamine" or (reader == "auto" and calamine_reads_alike(path)):
        return _calamine_sheets(path)
    return _openpyxl_sheets(path, name)


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
