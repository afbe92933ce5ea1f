"""Our compiled validator finds exactly the errors of the official route (jsonschema + format checker).

For every JSON file in 360giving-grants/ and the Data Quality Tool fixtures, and for
spreadsheets converted by flatten-tool, the multiset of (path, keyword, message) must be
the same. Grants are validated one by one by our validator, the whole package at once
by the official one.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest

from tests.grants.official_route import flattentool_convert, official_errors
from vcsehub.grants.reading import read_grant_file
from vcsehub.grants.report import schema_message
from vcsehub.grants.validation import SchemaError, SchemaValidator

REAL_JSON = [
    "grantnav-test-data/a002400000OiDBQAA3.json",
    "grantnav-test-data/a002400000nO46WAAS.json",
    "dataquality-tools-data/a001p00000zgyHZAAY.json",
    "dataquality-tools-data/a003W000001B7PzQAK.json",
    "grantnav-2016-sample/baring.json",
    "grantnav-2016-sample/dulverton.json",
    "grantnav-2016-sample/indigo.json",
    "grantnav-2016-sample/nominet.json",
    "grantnav-2016-sample/ocf1.json",
    "grantnav-2016-sample/ocf2.json",
    "grantnav-2016-sample/ocf3.json",
    "grantnav-2016-sample/wolfson.json",
]
FIXTURE_JSON = [
    "RecipientIndDEI.json",
    "additional_fields.json",
    "badfile_all_validation_errors.json",
    "decimal_amounts.json",
    "duration_usefulness.json",
    "fundingproviders-grants-email.json",
    "fundingproviders-grants_broken_grants.json",
    "fundingproviders-grants_fixed_2_grants.json",
    "multiple_funder_names_org_ids.json",
    "nulls.json",
]
SPREADSHEETS = [
    "badfile_all_validation_errors_4_times.xlsx",
    "GeoCodePostcodeRecipientInd.xlsx",
    "oneof.csv",
    "codelist.csv",
    "fundingproviders-grants_2_grants_cp1252.csv",
]


def our_errors(grants: list, validator: SchemaValidator) -> Counter:
    found = Counter()
    for index, grant in enumerate(grants):
        for error in validator.errors(grant, ("grants", index)):
            found[(error.path_text, error.validator, error.message)] += 1
    return found


def grant_level(errors) -> Counter:
    return Counter(e for e in errors if e[0].startswith("grants/"))


@pytest.mark.parametrize("relative", REAL_JSON)
def test_real_json_files_give_the_official_errors(
    grants_dir, schema_folder, loaded_schema, relative
):
    package = json.loads((grants_dir / relative).read_text(), parse_float=Decimal)
    _, validator = loaded_schema
    assert our_errors(package["grants"], validator) == grant_level(
        official_errors(package, schema_folder)
    )


@pytest.mark.parametrize("name", FIXTURE_JSON)
def test_fixture_json_files_give_the_official_errors(
    dq_fixtures_dir, schema_folder, loaded_schema, name
):
    package = json.loads((dq_fixtures_dir / name).read_text(), parse_float=Decimal)
    _, validator = loaded_schema
    assert our_errors(package["grants"], validator) == grant_level(
        official_errors(package, schema_folder)
    )


@pytest.mark.parametrize("name", SPREADSHEETS)
def test_spreadsheets_read_our_way_give_the_errors_of_the_official_route(
    dq_fixtures_dir, schema_folder, loaded_schema, name
):
    schema, validator = loaded_schema
    path = dq_fixtures_dir / name
    grant_file = read_grant_file(path, name=name, schema=schema)
    mine = our_errors([r.data for r in grant_file.grants()], validator)
    official = flattentool_convert(
        path, schema_folder, encoding="cp1252" if "cp1252" in name else "utf-8-sig"
    )
    assert mine == grant_level(official_errors(official, schema_folder))
    assert sum(mine.values()) > 0


def test_dates_need_the_format_checker(loaded_schema):
    _, validator = loaded_schema
    grant = {
        "id": "360G-X-1",
        "title": "t",
        "description": "d",
        "currency": "GBP",
        "amountAwarded": 1,
        "recipientOrganization": [{"id": "GB-CHC-1", "name": "n"}],
        "fundingOrganization": [{"id": "GB-CHC-2", "name": "f"}],
    }
    assert validator.errors({**grant, "awardDate": "2011-01-18"}) == []
    assert validator.errors({**grant, "awardDate": "2011-01-18T00:00:00+00:00"}) == []
    [error] = validator.errors({**grant, "awardDate": "18/01/2011"})
    assert error.validator == "oneOf" and error.path == ("awardDate",)
    [uri] = validator.errors({**grant, "awardDate": "2011-01-18", "url": "not a web address"})
    assert uri.message == "'not a web address' is not a 'uri'"


def test_grant_to_both_an_organisation_and_an_individual_is_named(loaded_schema):
    _, validator = loaded_schema
    grant = {
        "id": "x",
        "title": "t",
        "description": "d",
        "currency": "GBP",
        "amountAwarded": 1,
        "awardDate": "2020-01-01",
        "recipientOrganization": [{"id": "GB-CHC-1", "name": "n"}],
        "recipientIndividual": {"id": "i", "name": "anon"},
        "fundingOrganization": [{"id": "GB-CHC-2", "name": "f"}],
    }
    messages = [e.message for e in validator.errors(grant)]
    assert (
        "Only 1 of recipientOrganization or recipientIndividual is permitted, but both are present"
        in messages
    )


def test_messages_for_people_are_plain_english(loaded_schema):
    schema, _ = loaded_schema
    cases = [
        (
            SchemaError(("grants", 0, "amountAwarded"), "type", "£1,000", "number"),
            "Amount Awarded must be a number, but it is text.",
        ),
        (SchemaError(("grants", 0), "required", {}, "description"), "Description is missing."),
        (
            SchemaError(("grants", 0, "recipientOrganization", 0, "url"), "format", "x", "uri"),
            "Recipient Org:Web Address must be a full web address",
        ),
        (
            SchemaError(("grants", 0, "fromOpenCall"), "enum", "Y", ["Yes", "No"]),
            'From An Open Call? must be "Yes" or "No".',
        ),
    ]
    for error, start in cases:
        assert schema_message(error, schema)[2].startswith(start)
