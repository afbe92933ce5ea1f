"""Upload intake: formats found from the content, and plain-English refusals."""

from __future__ import annotations

import zipfile

import pytest

from tests.impact.conftest import FIXTURES
from vcsehub.impact import services
from vcsehub.impact.models import Upload
from vcsehub.impact.reading import upload_read
from vcsehub.sources.errors import DataError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("utf8_bom.csv", "utf-8-sig"), ("cp1252_accents.csv", "cp1252"), ("semicolon.csv", "utf-8")],
)
def test_csv_in_any_common_encoding_and_separator(name, encoding):
    sheet = upload_read(FIXTURES / name, name=name)
    assert sheet.encoding == encoding
    assert sheet.headers == ["Visit date", "Client ID", "Post code", "Service"]
    assert [row for _, row in sheet.rows][0][:3] == ["01/04/2025", "C1", "B11 1AA"]
    if name != "semicolon.csv":
        assert sheet.rows[0][1][3].startswith("Café")


def test_workbook_header_found_below_title_rows_and_sheets_listed():
    sheet = upload_read(FIXTURES / "food_bank_visits.xlsx", name="visits.xlsx")
    assert (sheet.format, sheet.header_row, sheet.sheet) == ("xlsx", 4, "Visits")
    assert sheet.sheets == ["Visits", "Notes for volunteers"]
    assert len(sheet.rows) == 76


def test_a_named_sheet_is_read():
    sheet = upload_read(FIXTURES / "food_bank_visits.xlsx", name="v.xlsx", sheet="Visits")
    assert sheet.sheets == ["Visits", "Notes for volunteers"]
    with pytest.raises(DataError, match="no sheet called 'Summary'"):
        upload_read(FIXTURES / "food_bank_visits.xlsx", name="v.xlsx", sheet="Summary")


def _refusal(path, name=None) -> str:
    with pytest.raises(DataError) as caught:
        upload_read(path, name=name or path.name)
    return str(caught.value)


def test_a_workbook_is_opened_once_per_reading(monkeypatch):
    from vcsehub.impact import reading
    from vcsehub.sources.readers import excel

    opened, really_open = [], excel.open_workbook

    def counting(path, *, label):
        opened.append(label)
        return really_open(path, label=label)

    monkeypatch.setattr(reading, "open_workbook", counting)
    monkeypatch.setattr(excel, "open_workbook", counting)
    whole = upload_read(FIXTURES / "food_bank_visits.xlsx", name="v.xlsx", sheet="Visits")
    assert opened == ["v.xlsx"]
    assert len(whole.rows) == 76 and whole.sheets == ["Visits", "Notes for volunteers"]


def test_a_picture_renamed_csv_is_refused():
    assert "not a spreadsheet: it may be a picture" in _refusal(FIXTURES / "png_renamed.csv")


def test_empty_and_header_only_files_are_refused():
    assert "The file is empty" in _refusal(FIXTURES / "empty.csv")
    assert "a header row but no records" in _refusal(FIXTURES / "header_only.csv")


def test_macro_enabled_workbook_is_refused_whatever_its_name():
    message = _refusal(FIXTURES / "macro_enabled.xlsm", name="visits.xlsx")
    assert "holds macros" in message
    assert "Excel Workbook (.xlsx)" in message


def test_zip_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (12 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    assert "zip bomb" in _refusal(bomb)


def test_too_many_unpacked_bytes_is_refused(tmp_path, settings):
    settings.MAX_UPLOAD_BYTES = 100_000  # unpacked limit: 20 times that
    bomb = tmp_path / "big.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 400_000)
    assert "would unpack to" in _refusal(bomb)


def test_a_plain_zip_and_json_are_refused(tmp_path):
    plain = tmp_path / "files.csv"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("visits.csv", "a,b\n1,2\n")
    assert "compressed (zip) file" in _refusal(plain)
    data = tmp_path / "data.csv"
    data.write_text('[{"a": 1}]')
    assert "JSON file" in _refusal(data)


def test_oversize_upload_is_refused_before_reading(cast, settings, held_files):
    settings.MAX_UPLOAD_BYTES = 1000
    with pytest.raises(DataError, match="more than the limit of"):
        services.upload_create(
            organisation=cast.organisation,
            user=cast.owner,
            source=FIXTURES / "food_bank_visits.csv",
            name="food_bank_visits.csv",
            dataset_name="Visits",
        )
    assert not Upload.objects.exists()
    assert not any(held_files.iterdir())


def test_too_many_rows_is_refused(settings):
    settings.MAX_UPLOAD_ROWS = 10
    assert "more than 10 rows" in _refusal(FIXTURES / "food_bank_visits.csv")


def test_a_refused_file_leaves_nothing_behind(cast, held_files):
    with pytest.raises(DataError):
        services.upload_create(
            organisation=cast.organisation,
            user=cast.owner,
            source=FIXTURES / "macro_enabled.xlsm",
            name="visits.xlsm",
            dataset_name="Visits",
        )
    assert not Upload.objects.exists()
    assert not any(held_files.iterdir())
