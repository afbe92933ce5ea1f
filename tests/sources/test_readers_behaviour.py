"""One behaviour suite run against every reader: each format must give the same table.

The same small table (names with é, £, ë and a curly apostrophe) is saved as UTF-8 CSV,
CSV with a BOM, Windows-1252 CSV, semicolon-, tab- and pipe-separated text, XLSX, XLSX
with title rows above the header, JSON (array, object holding an array, with a BOM),
and inside zip and gzip files. Every reader must give the same headers and values.
"""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.sources.conftest import FIXTURES
from vcsehub.sources.errors import DataError
from vcsehub.sources.readers import read_tables

HEADERS = ["Name", "Town", "Amount"]
VALUES = [["Café £5 Club", "Sparkbrook", "120"], ["Zoë’s Pantry", "Telford", "75"]]


def _fixture(name: str):
    def make(tmp_path: Path) -> Path:
        return FIXTURES / name

    return make


def _xlsx(tmp_path: Path, *, title_rows: bool = False) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Grants"
    if title_rows:
        sheet.append(["Grants awarded, 2024"])
        sheet.append(["West Midlands Trust", "published 1 May 2025"])
        sheet.append([])
    sheet.append(HEADERS)
    for row in VALUES:
        sheet.append(row)
    sheet.append([])  # trailing empty rows are trimmed
    sheet.append([None, None, None])
    path = tmp_path / "names.xlsx"
    workbook.save(path)
    return path


def _json(tmp_path: Path, *, wrap: bool = False, bom: bool = False) -> Path:
    records = [dict(zip(HEADERS, row, strict=True)) for row in VALUES]
    data = {"grants": records, "metadata": {"publisher": "test"}} if wrap else records
    path = tmp_path / "names.json"
    path.write_bytes(
        (b"\xef\xbb\xbf" if bom else b"") + json.dumps(data, ensure_ascii=False).encode("utf-8")
    )
    return path


def _zip(tmp_path: Path, *, member: Path, extra: bool = True) -> Path:
    path = tmp_path / "names.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/", "")
        if extra:
            archive.writestr("__MACOSX/data/._names.csv", b"\x00\x05\x16\x07")
            archive.writestr("data/README.pdf", b"%PDF-1.4 not a table")
        archive.write(member, f"data/{member.name}")
    return path


def _gzip(tmp_path: Path) -> Path:
    path = tmp_path / "names.csv.gz"
    with gzip.open(path, "wb") as out:
        out.write((FIXTURES / "utf8_names.csv").read_bytes())
    return path


def _xlsx_in_zip(tmp_path: Path) -> Path:
    inner = tmp_path / "inner"
    inner.mkdir()
    return _zip(tmp_path, member=_xlsx(inner))


# (id, builder, first data row number, detected encoding or None)
CASES = [
    ("utf8-csv", _fixture("utf8_names.csv"), 2, "utf-8"),
    ("bom-csv", _fixture("bom.csv"), 2, "utf-8-sig"),
    ("cp1252-csv", _fixture("cp1252_names.csv"), 2, "cp1252"),
    ("semicolon-csv", _fixture("semicolon.csv"), 2, "utf-8"),
    ("tab-separated", _fixture("tab_separated.tsv"), 2, "utf-8"),
    ("pipe-separated", _fixture("pipe.csv"), 2, "utf-8"),
    ("utf8-with-stray-cp1252", _fixture("mixed_encoding.csv"), 2, "utf-8"),
    ("xlsx", _xlsx, 2, None),
    ("xlsx-title-rows", lambda tmp: _xlsx(tmp, title_rows=True), 5, None),
    ("json-array", _json, 1, "utf-8"),
    ("json-object-with-array", lambda tmp: _json(tmp, wrap=True), 1, "utf-8"),
    ("json-bom", lambda tmp: _json(tmp, bom=True), 1, "utf-8"),
    ("zip-of-csv", lambda tmp: _zip(tmp, member=FIXTURES / "cp1252_names.csv"), 2, "cp1252"),
    ("zip-of-xlsx", _xlsx_in_zip, 2, None),
    ("gzip-csv", _gzip, 2, "utf-8"),
]


@pytest.fixture(params=CASES, ids=[case[0] for case in CASES])
def case(request, tmp_path):
    case_id, build, first_row, encoding = request.param
    return {"id": case_id, "path": build(tmp_path), "first_row": first_row, "encoding": encoding}


def _only_table(path: Path, **options):
    tables = list(read_tables(path, **options))
    assert len(tables) == 1, tables
    return tables[0]


def _as_text(value) -> str | None:
    return None if value is None else str(value)


class TestEveryReader:
    def test_headers_are_the_same(self, case):
        table = _only_table(case["path"])
        assert table.headers == HEADERS

    def test_records_have_the_same_values(self, case):
        table = _only_table(case["path"])
        records = [record for _, record in table.records()]
        assert [[_as_text(record[h]) for h in HEADERS] for record in records] == VALUES

    def test_rows_are_numbered_as_a_spreadsheet_shows_them(self, case):
        table = _only_table(case["path"])
        numbers = [number for number, _ in table.records()]
        assert numbers == [case["first_row"], case["first_row"] + 1]
        if table.format != "json":
            assert table.header_row == case["first_row"] - 1

    def test_encoding_is_detected(self, case):
        table = _only_table(case["path"])
        assert table.encoding == case["encoding"]

    def test_rows_give_the_values_in_header_order(self, case):
        table = _only_table(case["path"])
        if table.format == "json":
            with pytest.raises(DataError, match="this file is JSON"):
                list(table.rows())
            return
        assert [[_as_text(v) for v in row] for _, row in table.rows()] == VALUES

    def test_a_table_can_be_read_twice(self, case):
        table = _only_table(case["path"])
        assert list(table.records()) == list(table.records())

    def test_format_comes_from_the_content_not_the_name(self, case, tmp_path):
        renamed = tmp_path / "misnamed.dat"
        shutil.copyfile(case["path"], renamed)
        table = _only_table(renamed, name="upload.txt")
        assert table.headers == HEADERS
        assert len(list(table.records())) == 2

    def test_the_table_names_its_file(self, case):
        table = _only_table(case["path"], name="my upload")
        if case["id"].startswith("zip"):
            assert table.container == "my upload"
            assert table.name.startswith("data/") and table.name.endswith(
                ("names.csv", "names.xlsx")
            )
        elif case["id"] == "gzip-csv":
            assert table.name == "my upload"
        else:
            assert table.name == "my upload"
