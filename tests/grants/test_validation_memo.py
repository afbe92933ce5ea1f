"""The validator's remembered answers for repeated texts (dates, web addresses) change nothing.

Every grant of real files with date and web-address errors is validated by a validator
that remembers answers and by one that never does (MEMO_SIZE 0); the errors, with their
paths, values and messages, must be the same, including for texts seen before.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from vcsehub.grants import validation
from vcsehub.grants.validation import SchemaValidator

FILES = [
    "grantnav-2016-sample/nominet.json",  # awardDate, plannedDates and dateModified errors
    "grantnav-test-data/a002400000OiDBQAA3.json",  # web addresses and "From An Open Call?"
]


def _all_errors(validator: SchemaValidator, grants: list) -> list:
    return [
        (e.path, e.validator, e.instance, e.value, e.kind, e.message)
        for index, grant in enumerate(grants)
        for e in validator.errors(grant, ("grants", index))
    ]


@pytest.mark.parametrize("relative", FILES)
def test_remembered_answers_give_the_same_errors(grants_dir, schema_folder, relative, monkeypatch):
    schema = json.loads((schema_folder / "360-giving-schema.json").read_text())
    grants = json.loads((grants_dir / relative).read_text(), parse_float=Decimal)["grants"]
    grants = grants + grants  # every text is seen again
    remembering = _all_errors(SchemaValidator(schema), grants)
    monkeypatch.setattr(validation, "MEMO_SIZE", 0)
    forgetting = _all_errors(SchemaValidator(schema), grants)
    assert remembering == forgetting
    assert len(remembering) > 500


def test_the_same_text_at_another_place_is_reported_at_that_place(schema_folder):
    schema = json.loads((schema_folder / "360-giving-schema.json").read_text())
    validator = SchemaValidator(schema)
    grant = {
        "id": "360G-x",
        "title": "t",
        "description": "d",
        "currency": "GBP",
        "amountAwarded": 1,
        "awardDate": "31/03/2016",
        "recipientOrganization": [{"id": "GB-CHC-1", "name": "n"}],
        "fundingOrganization": [{"id": "GB-CHC-2", "name": "f"}],
        "plannedDates": [{"startDate": "31/03/2016", "endDate": "2016-04-01"}],
    }
    first = {(e.path, e.validator) for e in validator.errors(grant, ("grants", 0))}
    second = {(e.path, e.validator) for e in validator.errors(grant, ("grants", 7))}
    assert first == {
        (("grants", 0, "awardDate"), "oneOf"),
        (("grants", 0, "plannedDates", 0, "startDate"), "oneOf"),
    }
    assert second == {(("grants", 7, *path[2:]), kind) for path, kind in first}
