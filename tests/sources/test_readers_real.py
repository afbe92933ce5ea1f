"""Real published files from shared/data, with the counts and values their SOURCE.md gives."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal

import pytest

from vcsehub.sources.errors import DataError
from vcsehub.sources.readers import read_tables


def only(path, **options):
    (table,) = list(read_tables(path, **options))
    return table


def test_ccni_register_export_windows_1252(shared_data_dir):
    table = only(shared_data_dir / "ccni-sample" / "charitydetails_test.csv")
    assert table.encoding == "cp1252"
    assert len(table.headers) == 39
    assert table.headers[:2] == ["Reg charity number", "Charity name"]
    assert table.headers[-1] == "column_39"  # the header ends with a comma
    records = [record for _, record in table.records()]
    assert len(records) == 365
    numbers = {int(r["Reg charity number"]) for r in records}
    assert len(numbers) == 365 and min(numbers) == 100002 and max(numbers) == 109804
    names = {r["Charity name"] for r in records}
    assert {"Fírinne", "Bóthar Ltd", "Cúnamh"} <= names
    assert "Endowment of Gwyn’s Charitable Institution and Joseph Young’s Charity" in names
    assert sum(1 for r in records if r["Company number"] not in ("0", None)) == 48


def test_iod2019_file_1_bom_crlf_quoted_thousands(shared_data_dir):
    path = (
        shared_data_dir / "iod2019-england" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"
    )
    table = only(path)
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "LSOA code (2011)"  # no BOM left in the first header
    assert table.headers[-1] == "Index of Multiple Deprivation (IMD) Decile"
    rows = list(table.rows())
    assert len(rows) == 32_844
    number, first = rows[0]
    assert number == 2
    assert first == [
        "E01000001",
        "City of London 001A",
        "E09000001",
        "City of London",
        "29,199",
        "9",
    ]
    assert sum(1 for _, row in rows if "," in row[4]) == 31_845


def test_nspl_rows_equal_the_csv_module(shared_data_dir):
    path = shared_data_dir / "postcodes-nspl-nov2021-tf-hr" / "NSPL_NOV_2021_UK_TF.csv"
    with path.open(newline="", encoding="utf-8") as stream:
        expected = list(csv.reader(stream))
    table = only(path)
    assert table.headers == expected[0]
    assert [row for _, row in table.rows()] == expected[1:]
    assert len(expected) - 1 == 9_342


def test_ccew_zip_tab_separated_without_quoting(shared_data_dir):
    table = only(shared_data_dir / "ccew-sample" / "publicextract.charity.zip", quotechar=None)
    assert table.name == "publicextract.charity.txt"
    assert table.container == "publicextract.charity.zip"
    assert table.delimiter == "\t"
    records = [r for _, r in table.records()]
    assert len(records) == 572
    assert sum(1 for r in records if r["linked_charity_number"] == "0") == 200
    (curly,) = [r for r in records if r["organisation_number"] == "281345"]
    assert "’" in curly["charity_name"]


def test_ccew_split_record_is_refused_strictly_and_readable_raw(shared_data_dir):
    table = only(
        shared_data_dir / "ccew-sample" / "publicextract.charity_published_report.zip",
        quotechar=None,
    )
    with pytest.raises(DataError) as caught:
        list(table.rows())
    assert caught.value.row == 3
    assert (
        caught.value.file
        == "publicextract.charity_published_report.txt in publicextract.charity_published_report.zip"
    )
    raw = list(table.rows(strict=False))
    assert [(n, len(row)) for n, row in raw] == [(2, 7), (3, 6), (4, 2)]
    # The CCEW importer can join the split record back together.
    joined = raw[1][1][:-1] + [raw[1][1][-1] + raw[2][1][0]] + raw[2][1][1:]
    assert len(joined) == 7


def test_360giving_xlsx_and_json_agree(shared_data_dir):
    grants = shared_data_dir / "360giving-grants"
    sheets = list(read_tables(grants / "grantnav-2016-sample" / "360_giving_LBFEW_2010_2015.xlsx"))
    sheet = next(t for t in sheets if t.sheet == "grants")
    rows = [r for _, r in sheet.records()]
    assert len(rows) == 4_116
    assert isinstance(rows[0]["Award Date"], datetime)
    assert sum(Decimal(str(r["Amount Awarded"])) for r in rows) == Decimal("115795635.69")
    data = only(grants / "grantnav-test-data" / "a002400000OiDBQAA3.json")
    assert data.items_prefix == "grants.item"
    items = [item for _, item in data.records()]
    assert len(items) == 4_116
    assert sum(item["amountAwarded"] for item in items) == Decimal("115795635.69")


def test_360giving_cp1252_csv(shared_data_dir):
    table = only(
        shared_data_dir / "360giving-test-fixtures" / "fundingproviders-grants_2_grants_cp1252.csv"
    )
    assert table.encoding == "cp1252"
    identifiers = [record["Identifier"] for _, record in table.records()]
    assert identifiers[0] == "360G-<~>€funding€providers-000001/X/00/X"
    assert identifiers[1].startswith("360G-<~>€funding±Áproviders")
