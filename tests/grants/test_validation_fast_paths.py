"""The validator's shortcuts find exactly the official route's errors, in its order.

The compiled checks accept a value at once when its Python class can only be valid (a
`str` for "string", an `int`, `float` or `Decimal` for "number"), reuse the answer for a
text seen before, and build the path of an error only when one is found. These tests
compare, error by error and in order, with jsonschema on grants made to hit those
shortcuts' edges: a grant valid but for one deep field, values that compare equal but
are not the same (1, 1.0, True, "1", Decimal("1.0")), keys in any order.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.grants.official_route import official_errors
from vcsehub.grants.validation import SchemaValidator

GRANT = {
    "id": "360G-X-1",
    "title": "t",
    "description": "d",
    "currency": "GBP",
    "amountAwarded": 1,
    "awardDate": "2020-01-01",
    "recipientOrganization": [{"id": "GB-CHC-1", "name": "n"}],
    "fundingOrganization": [{"id": "GB-CHC-2", "name": "f"}],
}


def ours_in_order(validator: SchemaValidator, grants: list) -> list:
    return [
        (e.path_text, e.validator, e.message)
        for index, grant in enumerate(grants)
        for e in validator.errors(grant, ("grants", index))
    ]


def official_in_order(grants: list, schema_folder) -> list:
    return [
        e for e in official_errors({"grants": grants}, schema_folder) if e[0].startswith("grants/")
    ]


def test_real_files_give_the_official_errors_in_the_official_order(
    grants_dir, schema_folder, loaded_schema
):
    _, validator = loaded_schema
    for relative in [
        "grantnav-test-data/a002400000OiDBQAA3.json",
        "grantnav-2016-sample/dulverton.json",
    ]:
        grants = json.loads((grants_dir / relative).read_text(), parse_float=Decimal)["grants"]
        ours = ours_in_order(validator, grants)
        assert ours == official_in_order(grants, schema_folder)
        assert len(ours) > 1000


def _with(path: list, value) -> dict:
    """GRANT with one field, however deep, set to value (lists and objects made as needed)."""
    grant = json.loads(json.dumps(GRANT))
    target = grant
    for key, following in zip(path, path[1:], strict=False):
        if isinstance(target, list):
            while len(target) <= key:
                target.append({} if isinstance(following, str) else [])
            target = target[key]
        else:
            target = target.setdefault(key, {} if isinstance(following, str) else [])
    target[path[-1]] = value
    return grant


DEEP = [
    (["recipientOrganization", 0, "location", 0, "countryCode"], "England"),
    (["recipientOrganization", 0, "location", 0, "latitude"], "52.4"),
    (["recipientOrganization", 0, "url"], "www.example.org"),
    (["plannedDates", 0, "duration"], -1),
    (["plannedDates", 0, "startDate"], "31/03/2016"),
    (["relatedActivity"], ["a", 5, "b"]),
    (["beneficiaryLocation", 0, "geoCode"], 7),
    (["disbursementTransaction", 0, "valueDate"], None),
    (["disbursementTransaction", 0, "value"], "100"),
    (["toIndividualsDetails", "primaryGrantReason"], ["x"]),
    (["fundingOrganization", 1, "name"], None),
]


@pytest.mark.parametrize(("path", "value"), DEEP, ids=[str(p) for p, _ in DEEP])
def test_a_grant_valid_but_for_one_deep_field(schema_folder, loaded_schema, path, value):
    _, validator = loaded_schema
    grants = [GRANT, _with(path, value), GRANT]
    ours = ours_in_order(validator, grants)
    assert ours == official_in_order(grants, schema_folder)
    assert ours and all(p.startswith("grants/1/") for p, _, _ in ours)


LOOK_ALIKES = [1, 1.0, True, False, 0, "1", Decimal("1.0"), Decimal("1.00"), Decimal("1"), None]


@pytest.mark.parametrize(
    "field",
    ["amountAwarded", "awardDate", "title", "fromOpenCall", "currency", "dataSource"],
)
def test_values_equal_in_python_but_not_in_json_are_told_apart(schema_folder, loaded_schema, field):
    _, validator = loaded_schema
    # Each value twice, in both orders, so a remembered answer would show.
    values = LOOK_ALIKES + LOOK_ALIKES[::-1]
    grants = [{**GRANT, field: value} for value in values]
    ours = ours_in_order(validator, grants)
    assert ours == official_in_order(grants, schema_folder)
    messages = {message for _, _, message in ours}
    if field == "amountAwarded":
        assert {"True is not of type 'number'", "'1' is not of type 'number'"} <= messages
    if field == "title":
        assert "Decimal('1.00') is not of type 'string'" in messages


def test_the_order_of_keys_in_the_file_does_not_change_the_errors(schema_folder, loaded_schema):
    _, validator = loaded_schema
    organisation = {"url": "not a web address", "charityNumber": 5, "location": [{"latitude": "x"}]}
    grant = {**GRANT, "recipientOrganization": [organisation], "fromOpenCall": "Y"}
    backwards = dict(reversed(list(grant.items())))
    backwards["recipientOrganization"] = [dict(reversed(list(organisation.items())))]
    grants = [grant, backwards, grant]
    ours = ours_in_order(validator, grants)
    assert ours == official_in_order(grants, schema_folder)
    first = [(p.split("/", 2)[2], k, m) for p, k, m in ours if p.startswith("grants/0/")]
    second = [(p.split("/", 2)[2], k, m) for p, k, m in ours if p.startswith("grants/1/")]
    assert first == second and len(first) == 6


def test_errors_of_a_remembered_text_carry_the_value_of_the_grant_being_checked(loaded_schema):
    _, validator = loaded_schema
    first = validator.errors({**GRANT, "recipientOrganization": [{"id": "x"}]}, ("grants", 0))
    organisation = {"id": "x"}
    second = validator.errors({**GRANT, "recipientOrganization": [organisation]}, ("grants", 1))
    assert [e.path for e in first] == [("grants", 0, "recipientOrganization", 0)]
    assert [e.path for e in second] == [("grants", 1, "recipientOrganization", 0)]
    assert second[0].instance is organisation
