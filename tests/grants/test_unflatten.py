"""Our spreadsheet reader builds the same JSON as flatten-tool, the official converter.

Every CSV and XLSX file in 360giving-grants/ and the spreadsheet fixtures of the Data
Quality Tool (except the two 50,000-row ones, to keep the suite fast) are converted both
ways and compared grant by grant (numbers compared as numbers).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.grants.official_route import flattentool_convert
from vcsehub.grants.reading import read_grant_file
from vcsehub.grants.unflatten import convert_type

REAL_SPREADSHEETS = [
    "grantnav-2016-sample/360_giving_LBFEW_2010_2015.xlsx",
    "grantnav-2016-sample/IndigoTrust_360giving.csv",
    "dataquality-tools-data/a001p00000zgyHZAAY.xlsx",
    "dataquality-tools-data/a003W000001B7PzQAK.xlsx",
]
FIXTURE_SPREADSHEETS = [
    "GeoCodePostcode.xlsx",
    "GeoCodePostcodeRecipientInd.xlsx",
    "RecipientIndWithoutToIndividualsDetails.xlsx",
    "badfile_all_validation_errors.xlsx",
    "badfile_all_validation_errors_4_times.xlsx",
    "dei_extension.xlsx",
    "fundingproviders-grants_2_grants.xlsx",
    "fundingproviders-grants_2_grants_titleswithoutrollup.xlsx",
    "ids-unexpected-chars.xlsx",
    "tenders_releases_2_releases.xlsx",
    "bom.csv",
    "codelist.csv",
    "decimal_amounts.csv",
    "fundingproviders-grants_2_grants_cp1252.csv",
    "fundingproviders_grants_2_grants.csv",
    "oneof.csv",
]


def as_plain_json(value):
    return json.loads(
        json.dumps(value, default=lambda v: float(v) if isinstance(v, Decimal) else str(v))
    )


def ours(path, loaded_schema) -> dict:
    schema, _validator = loaded_schema
    grant_file = read_grant_file(path, name=path.name, schema=schema)
    return {**grant_file.meta, "grants": [record.data for record in grant_file.grants()]}


def encoding_for(name: str) -> str:
    return "cp1252" if "cp1252" in name else "utf-8-sig"


@pytest.mark.parametrize("relative", REAL_SPREADSHEETS)
def test_real_spreadsheets_convert_like_flattentool(
    grants_dir, schema_folder, loaded_schema, relative
):
    path = grants_dir / relative
    theirs = flattentool_convert(path, schema_folder, encoding=encoding_for(relative))
    mine = ours(path, loaded_schema)
    assert len(mine["grants"]) == len(theirs["grants"]) > 0
    assert as_plain_json(mine) == as_plain_json(theirs)


@pytest.mark.parametrize("name", FIXTURE_SPREADSHEETS)
def test_fixture_spreadsheets_convert_like_flattentool(
    dq_fixtures_dir, schema_folder, loaded_schema, name
):
    path = dq_fixtures_dir / name
    theirs = flattentool_convert(path, schema_folder, encoding=encoding_for(name))
    assert as_plain_json(ours(path, loaded_schema)) == as_plain_json(theirs)


def test_spreadsheet_and_json_of_the_same_grants_agree(grants_dir, loaded_schema):
    xlsx = ours(grants_dir / "dataquality-tools-data/a003W000001B7PzQAK.xlsx", loaded_schema)
    published = json.loads(
        (grants_dir / "dataquality-tools-data/a003W000001B7PzQAK.json").read_text()
    )
    assert as_plain_json(xlsx["grants"]) == published["grants"]


def test_titles_match_whatever_their_case_and_spacing(loaded_schema):
    schema, _ = loaded_schema
    assert schema.path_for_title("recipient org : IDENTIFIER") == "recipientOrganization/id"
    assert (
        schema.path_for_title("Beneficiary Location:1:Geographic Code")
        == "beneficiaryLocation/1/geoCode"
    )
    assert schema.path_for_title("From an open call?") == "fromOpenCall"
    assert schema.path_for_title("Internal Ref") == "Internal Ref"


def test_cells_are_typed_by_the_schema():
    warnings: list[str] = []
    assert convert_type("number", 3239.34, warnings) == Decimal("3239.34")
    assert convert_type("number", "1,000", warnings) == "1,000"
    assert "Non-numeric" in warnings[0]
    assert convert_type("string", 1234.0, warnings) == "1234.0"
    assert convert_type("", 12.0, warnings) == 12
    assert convert_type("string_array", "a;b", warnings) == ["a", "b"]


def test_rows_with_the_same_identifier_become_one_grant(tmp_path, loaded_schema):
    path = tmp_path / "two_rows.csv"
    path.write_text(
        "Identifier,Title,Beneficiary Location:0:Name,Beneficiary Location:1:Name\n"
        "360G-X-1,A grant,Leeds,\n"
        "360G-X-1,A grant,,York\n"
    )
    result = ours(path, loaded_schema)
    assert result["grants"] == [
        {
            "id": "360G-X-1",
            "title": "A grant",
            "beneficiaryLocation": [{"name": "Leeds"}, {"name": "York"}],
        }
    ]
