"""Each fault fixture (tests/fixtures/sources/) gives the right table or a DataError that says where."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pytest

from tests.sources.conftest import FIXTURES
from vcsehub.sources.errors import DataError
from vcsehub.sources.readers import clean_headers, detect_format, read_tables
from vcsehub.sources.readers.base import find_header_index


def table_of(name: str, **options):
    (table,) = list(read_tables(FIXTURES / name, **options))
    return table


def test_ragged_rows_are_refused_with_file_row_and_counts():
    table = table_of("ragged_rows.csv")
    with pytest.raises(DataError) as caught:
        list(table.rows())
    error = caught.value
    assert error.file == "ragged_rows.csv"
    assert error.row == 3
    assert "Row 3 has 2 values, but the header row has 3 columns" in str(error)


def test_ragged_rows_can_be_read_raw_for_repair():
    table = table_of("ragged_rows.csv")
    assert [len(row) for _, row in table.rows(strict=False)] == [3, 2, 4]
    records = dict(table.records(strict=False))
    assert records[3] == {"Name": "Pantry", "Town": "Telford", "Amount": None}
    assert records[4]["_extra"] == ["extra"]


def test_embedded_newlines_stay_inside_their_field():
    table = table_of("embedded_newlines.csv")
    records = list(table.records())
    assert [number for number, _ in records] == [2, 3]
    assert records[0][1]["Address"] == "1 High Street\r\nSparkbrook\r\nB11 1AA"
    assert records[1][1]["Address"] == "2 Low Road, Telford"
    assert records[0][1]["Name"] == "Café Club"


def test_blank_headers_are_named_by_position():
    table = table_of("blank_header.csv")
    assert table.headers == ["Name", "column_2", "Amount", "column_4"]
    assert next(table.records())[1]["column_2"] == "x"


def test_duplicate_headers_are_made_unique():
    assert table_of("duplicate_headers.csv").headers == ["Name", "Name_2", "Amount", "name"]


def test_headers_lose_bom_and_odd_spaces():
    assert table_of("messy_headers.csv").headers == ["Charity name", "Total income", "Amount"]


def test_clean_headers_rules():
    assert clean_headers(["\ufeffId", " a  b ", None, "", "x", "x", "x_2", 2020.0]) == [
        "Id",
        "a b",
        "column_3",
        "column_4",
        "x",
        "x_2",
        "x_2_2",
        "2020",
    ]


def test_blank_lines_are_skipped_and_rows_keep_their_numbers():
    table = table_of("blank_lines.csv")
    assert table.header_row == 2
    assert [(n, r["Name"]) for n, r in table.records()] == [(4, "Cafe Club"), (7, "Pantry")]


def test_title_rows_above_a_csv_header_are_skipped():
    table = table_of("title_rows.csv")
    assert table.header_row == 4
    assert table.headers == ["Name", "Town", "Amount"]
    assert [n for n, _ in table.rows()] == [5, 6]


def test_header_row_can_be_given():
    table = table_of("title_rows.csv", header_row=2)
    assert table.headers[0] == "Produced by the West Midlands Trust"


def test_header_detection_rules():
    assert find_header_index([["Report"], ["a", "b", "c"], ["1", "2", "3"]]) == 1
    assert find_header_index([["1", "2"], ["3", "4"]]) == 0  # no text row: the first full one
    assert find_header_index([[None, ""], []]) is None


@pytest.mark.parametrize("name", ["empty.csv", "only_blank_lines.csv"])
def test_empty_files(name):
    with pytest.raises(DataError, match="empty") as caught:
        list(read_tables(FIXTURES / name))
    assert caught.value.file == name


def test_not_a_table():
    with pytest.raises(DataError) as caught:
        list(read_tables(FIXTURES / "not_a_table.bin", name="upload.csv"))
    assert str(caught.value).startswith("This does not look like a CSV, Excel or JSON file")
    assert "Save it as CSV (UTF-8) or .xlsx" in caught.value.fix
    assert caught.value.file == "upload.csv"


def test_old_excel_files_are_explained():
    with pytest.raises(DataError, match=r"old-style Excel file \(\.xls\)") as caught:
        list(read_tables(FIXTURES / "old_excel_magic.xls"))
    assert ".xlsx" in caught.value.fix


def test_damaged_zip():
    with pytest.raises(DataError, match="zip file is damaged"):
        list(read_tables(FIXTURES / "truncated_zip.zip"))


def test_zero_byte_xlsx_from_360giving(shared_data_dir):
    with pytest.raises(DataError, match="empty"):
        list(read_tables(shared_data_dir / "360giving-test-fixtures" / "bad.xlsx"))


def test_unclosed_quote_swallows_rows_and_is_caught_by_the_width_check():
    table = table_of("unclosed_quote.csv")
    with pytest.raises(DataError, match="Row 2 has 1 values"):
        list(table.rows())


def test_explicit_encoding_wins_and_a_wrong_one_is_explained():
    assert next(table_of("cp1252_names.csv", encoding="latin-1").rows())[1][0] == "Café £5 Club"
    with pytest.raises(DataError, match="could not be read as utf-8") as caught:
        list(table_of("cp1252_names.csv", encoding="utf-8").rows())
    assert "CSV UTF-8" in caught.value.fix


def test_unknown_encoding_name():
    with pytest.raises(DataError, match="not a text encoding"):
        list(read_tables(FIXTURES / "utf8_names.csv", encoding="klingon"))


def test_files_without_quoting_keep_their_quote_marks():
    table = table_of("no_quoting.tsv", quotechar=None)
    assert table.delimiter == "\t"
    assert [row for _, row in table.rows()] == [
        ["Cafe Club", '"Best" cafe in town', "120"],
        ["Pantry", 'says "hi', "75"],
    ]


def test_delimiter_can_be_given():
    table = table_of("semicolon.csv", delimiter=",")
    assert table.headers == ["Name;Town;Amount"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.json", "not valid"),
        ("json_single_value.json", "single value"),
        ("json_two_lists.json", None),
        ("json_no_list.json", "holds no list of records"),
    ],
)
def test_json_faults(name, message):
    if message is None:  # several lists, one called "grants": that one is read
        assert table_of(name).headers == ["a"]
        return
    # A lone JSON value does not start with { or [, so it is only read as JSON when asked.
    forced = "json" if name == "json_single_value.json" else None
    with pytest.raises(DataError, match=message):
        for table in read_tables(FIXTURES / name, format=forced):
            list(table.records())


def test_json_items_can_be_named():
    table = table_of("json_two_lists.json", json_items="funders.item")
    assert list(table.records()) == [(1, {"b": 2})]


def test_format_can_be_forced():
    assert detect_format(FIXTURES / "utf8_names.csv") == "csv"
    with pytest.raises(DataError):
        list(read_tables(FIXTURES / "utf8_names.csv", format="json"))


def test_xlsx_gives_typed_values_trims_and_notes_macros(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Visits"
    sheet.append(["Date", "Visits", "Cost", None, None])
    sheet.append([datetime(2024, 3, 1), 12, 3.5])
    sheet.append([datetime(2024, 3, 2), None, "=1+1"])
    empty = workbook.create_sheet("Empty")
    empty["A1"] = None
    second = workbook.create_sheet("Other")
    second.append(["Code", "Name"])
    second.append(["E01", "Birmingham"])
    path = tmp_path / "visits.xlsx"
    workbook.save(path)
    tables = list(read_tables(path))
    assert [t.sheet for t in tables] == ["Visits", "Other"]
    visits = tables[0]
    assert visits.headers == ["Date", "Visits", "Cost"]
    assert visits.has_macros is False
    rows = list(visits.rows())
    assert rows[0] == (2, [datetime(2024, 3, 1), 12, 3.5])
    assert rows[1][1][1] is None
    only = list(read_tables(path, sheet="Other"))
    assert len(only) == 1 and next(only[0].records())[1] == {"Code": "E01", "Name": "Birmingham"}
    with pytest.raises(DataError, match="no sheet called 'Missing'"):
        list(read_tables(path, sheet="Missing"))
    # A workbook holding a macro project is flagged.
    macro = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(macro, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00" * 10)
    assert all(t.has_macros for t in read_tables(macro))


def test_xlsx_value_without_a_heading(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Town"])
    sheet.append(["Cafe", "Telford", "stray note"])
    path = tmp_path / "stray.xlsx"
    workbook.save(path)
    (table,) = list(read_tables(path))
    with pytest.raises(
        DataError, match="Row 2 has a value in column 3, which has no heading"
    ) as caught:
        list(table.rows())
    assert caught.value.sheet == "Sheet"
    assert list(table.rows(strict=False)) == [(2, ["Cafe", "Telford", "stray note"])]


def test_zip_members_can_be_chosen_and_documents_are_skipped(tmp_path):
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(FIXTURES / "utf8_names.csv", "Data/one.csv")
        archive.write(FIXTURES / "semicolon.csv", "Data/two.csv")
        archive.writestr("Documents/guide.pdf", b"%PDF-1.5 guide")
    assert [t.name for t in read_tables(path)] == ["Data/one.csv", "Data/two.csv"]
    assert [t.name for t in read_tables(path, member="*two.csv")] == ["Data/two.csv"]
    with pytest.raises(DataError, match="holds no CSV, Excel or JSON file matching"):
        list(read_tables(path, member="*.xlsx"))


def test_zip_bombs_are_refused(tmp_path, settings):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.csv", b"a,b\n" + b"0" * (30 * 1024 * 1024))
    with pytest.raises(DataError, match="zip bomb"):
        list(read_tables(path))
    settings.MAX_UNZIPPED_BYTES = 1024 * 1024
    with pytest.raises(DataError, match="more than the limit"):
        list(read_tables(path))
