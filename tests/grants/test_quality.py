"""The Data Quality Tool's additional checks (vcsehub.grants.quality): one small grant per
check, then the checks on real publishers' files, each figure counted independently."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from vcsehub.grants.quality import (
    MESSAGES,
    Codelists,
    codelists_current,
    codelists_read,
    grant_findings,
)

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def lists(shared_data_dir: Path) -> Codelists:
    schema = json.loads(
        (shared_data_dir / "360giving-standard/schema-1.4.3/360-giving-schema.json").read_text()
    )
    return codelists_read(shared_data_dir, schema=schema)


def _grant(**changes) -> dict:
    """A grant that passes every check; `changes` set or (with None) remove fields."""
    grant = {
        "id": "360G-TEST-1",
        "title": "Digital skills for volunteers",
        "description": "Laptops and training so volunteers can run the advice service online.",
        "currency": "GBP",
        "amountAwarded": 5000,
        "awardDate": "2024-03-31",
        "plannedDates": [{"startDate": "2024-04-01", "endDate": "2025-03-31"}],
        "dateModified": "2024-04-02T09:00:00+00:00",
        "dataSource": "https://example.org/grants.json",
        "grantProgramme": [{"code": "P1", "title": "Small grants"}],
        "beneficiaryLocation": [
            {"name": "Birmingham", "geoCode": "E08000025", "geoCodeType": "MD"}
        ],
        "fundingOrganization": [{"id": "GB-CHC-327114", "name": "Lloyds Bank Foundation"}],
        "recipientOrganization": [
            {
                "id": "GB-CHC-1090095",
                "name": "Sparkbrook Food Bank",
                "charityNumber": "1090095",
                "postalCode": "B11 1AA",
            }
        ],
    }
    for key, value in changes.items():
        if value is None:
            grant.pop(key, None)
        else:
            grant[key] = value
    return grant


def _codes(grant: dict, lists: Codelists) -> Counter:
    return Counter(f.code for f in grant_findings(grant, index=0, codelists=lists, today=TODAY))


def _recipient(**fields) -> list[dict]:
    org = dict(_grant()["recipientOrganization"][0])
    for key, value in fields.items():
        if value is None:
            org.pop(key, None)
        else:
            org[key] = value
    return [org]


def test_a_good_grant_has_no_findings(lists):
    assert _codes(_grant(), lists) == Counter()


def test_every_finding_has_plain_words_and_a_severity():
    assert all(text.endswith(".") and len(text) > 40 for text in MESSAGES.values())


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"amountAwarded": 0}, "quality-amount-zero"),
        ({"amountAwarded": Decimal("0.00")}, "quality-amount-zero"),
        ({"amountAwarded": -250}, "quality-amount-negative"),
        ({"awardDate": "2027-01-05"}, "quality-award-date-future"),
        ({"awardDate": "2023-02-29"}, "quality-date-impossible"),
        ({"awardDate": "1999-12-31"}, "quality-date-far-past"),
        (
            {"plannedDates": [{"startDate": "2025-01-01", "endDate": "2024-01-01"}]},
            "quality-planned-start-after-end",
        ),
        (
            {"actualDates": [{"startDate": "2025-01-01", "endDate": "2024-06-01"}]},
            "quality-actual-start-after-end",
        ),
        (
            {"plannedDates": [{"startDate": "2024-04-01", "endDate": "2040-01-01"}]},
            "quality-planned-far-future",
        ),
        ({"actualDates": [{"startDate": "2032-01-01"}]}, "quality-actual-far-future"),
        (
            {"recipientOrganization": _recipient(id="1090095")},
            "quality-recipient-unprefixed-number",
        ),
        (
            {"recipientOrganization": _recipient(id="SC012345")},
            "quality-recipient-unprefixed-number",
        ),
        ({"recipientOrganization": _recipient(id="DUMMY01")}, "quality-recipient-prefix"),
        ({"fundingOrganization": [{"id": "NominetTrust"}]}, "quality-funder-prefix"),
        ({"recipientOrganization": _recipient(id="GB-CHC-715")}, "quality-org-id-charity"),
        ({"recipientOrganization": _recipient(id="GB-COH-123456")}, "quality-org-id-company"),
        ({"recipientOrganization": _recipient(charityNumber="10900")}, "quality-charity-number"),
        ({"recipientOrganization": _recipient(companyNumber="1234567")}, "quality-company-number"),
        ({"recipientOrganization": _recipient(postalCode="B11")}, "quality-postcode"),
        ({"recipientOrganization": _recipient(id="GB-CHC-327114")}, "quality-funder-is-recipient"),
        (
            {"recipientOrganization": _recipient(url="www.info@example.org.uk")},
            "quality-email",
        ),
        (
            {
                "beneficiaryLocation": [
                    {"name": "Birmingham", "geoCode": "E08000025", "geoCodeType": "DISTRICT"}
                ]
            },
            "quality-codelist-geocodetype",
        ),
        ({"regrantType": "FRG999"}, "quality-codelist-regrant"),
        ({"locationScope": "somewhere"}, "quality-codelist-scope"),
        ({"recipientOrganization": _recipient(id="360G-TEST-ORG-1")}, "useful-recipient-360g"),
        ({"fundingOrganization": [{"id": "360G-TEST"}]}, "useful-funder-360g"),
        (
            {"recipientOrganization": _recipient(charityNumber=None)},
            "useful-no-charity-or-company-number",
        ),
        ({"recipientOrganization": _recipient(postalCode=None)}, "useful-no-recipient-location"),
        ({"grantProgramme": None}, "useful-no-programme"),
        ({"beneficiaryLocation": None}, "useful-no-beneficiary-location"),
        ({"description": "Digital skills for volunteers"}, "useful-title-is-description"),
        ({"description": "Core costs"}, "useful-description-short"),
        ({"title": "A" * 141}, "useful-title-long"),
        ({"dateModified": None}, "useful-no-last-modified"),
        ({"dataSource": None}, "useful-no-data-source"),
    ],
)
def test_each_check_finds_its_problem(lists, changes, code):
    found = _codes(_grant(**changes), lists)
    assert found[code] == 1, found


def test_grants_to_individuals(lists):
    grant = _grant(
        recipientOrganization=None,
        recipientIndividual={"id": "360G-TEST-IND-1", "name": "Individual recipient"},
        project=[{"dei": "any"}],
    )
    found = _codes(grant, lists)
    assert found["quality-individual-no-details"] == 1
    assert found["quality-individual-dei"] == 1
    grant["toIndividualsDetails"] = {"primaryGrantReason": "GTIR999", "grantPurpose": ["GTIP010"]}
    found = _codes(grant, lists)
    assert found["quality-codelist-reason"] == 1 and "quality-codelist-purpose" not in found
    assert "quality-individual-no-details" not in found


def test_nothing_that_could_identify_a_person_is_copied_into_findings(lists):
    grant = _grant(
        recipientOrganization=None,
        recipientIndividual={"id": "360G-TEST-IND-1", "name": "Jo Bloggs jo@example.org"},
        classifications=[{"title": "contact jo@example.org"}],
        title="B" * 150,
    )
    findings = grant_findings(grant, index=3, codelists=lists, today=TODAY)
    assert {f.code for f in findings} >= {"quality-email", "useful-title-long"}
    assert all(f.value is None for f in findings)
    assert not any(
        f.path.startswith("recipientIndividual") and f.code == "quality-email" for f in findings
    )


def test_findings_say_where(lists):
    grant = _grant(recipientOrganization=_recipient(companyNumber="1234"))
    (finding,) = grant_findings(
        grant, index=41, rows=[("grants", 43)], codelists=lists, today=TODAY
    )
    assert finding.path == "recipientOrganization/companyNumber"
    assert finding.full_path == "recipientOrganization/0/companyNumber"
    assert (finding.index, finding.sheet, finding.row, finding.value) == (41, "grants", 43, "1234")
    assert finding.severity == "warning"


def test_checks_of_lists_not_loaded_are_skipped(tmp_path):
    assert codelists_read(tmp_path) == Codelists()
    grant = _grant(fundingOrganization=[{"id": "NominetTrust"}], regrantType="FRG999")
    assert _codes(grant, Codelists()) == Counter()


def test_codelists_the_schema_enforces_are_left_to_the_schema(lists):
    # 1.4.3 restricts currency and country codes with an enum: the schema error suffices.
    assert lists.currencies is None and lists.countries is None
    assert "LSOA" in lists.geo_code_types and "GB-CHC" in lists.org_id_prefixes


def test_anything_but_a_grant_has_no_findings(lists):
    assert grant_findings(["not", "a", "grant"], index=0, codelists=lists) == []


# -- real files ----------------------------------------------------------------------------------


def _real(grants_dir: Path, relative: str) -> list[dict]:
    return json.loads((grants_dir / relative).read_text(), parse_float=Decimal)["grants"]


def _findings(grants: list[dict], lists: Codelists) -> Counter:
    found: Counter = Counter()
    for index, grant in enumerate(grants):
        for f in grant_findings(grant, index=index, codelists=lists, today=TODAY):
            found[f.code] += 1
    return found


def test_wolfson_zero_amounts(grants_dir, lists):
    grants = _real(grants_dir, "grantnav-2016-sample/wolfson.json")
    zero = sum(1 for g in grants if g["amountAwarded"] == 0)
    assert zero == 114
    assert _findings(grants, lists)["quality-amount-zero"] == zero


def test_power_to_change_planned_dates_the_wrong_way_round(grants_dir, lists):
    grants = _real(grants_dir, "grantnav-test-data/a002400000nO46WAAS.json")
    swapped = sum(
        1
        for g in grants
        if g.get("plannedDates")
        and g["plannedDates"][0].get("endDate")
        and g["plannedDates"][0].get("startDate")
        and g["plannedDates"][0]["startDate"][:10] > g["plannedDates"][0]["endDate"][:10]
    )
    assert swapped == 5
    assert _findings(grants, lists)["quality-planned-start-after-end"] == swapped


def test_real_identifier_problems(grants_dir, lists):
    nominet = _findings(_real(grants_dir, "grantnav-2016-sample/nominet.json"), lists)
    assert nominet["quality-funder-prefix"] == 270  # every grant: funder "NominetTrust"
    indigo = _findings(_real(grants_dir, "grantnav-2016-sample/indigo.json"), lists)
    assert indigo["quality-recipient-prefix"] == 76  # "DUMMY01"
    ab_trust = _real(grants_dir, "dataquality-tools-data/a001p00000zgyHZAAY.json")
    same = [
        g["id"]
        for g in ab_trust
        if g["recipientOrganization"][0].get("id") == g["fundingOrganization"][0]["id"]
    ]
    assert same == ["360G-ABCT-006b000000FrcPTAAZ"]
    assert _findings(ab_trust, lists)["quality-funder-is-recipient"] == 1


def test_lloyds_email_addresses_written_as_web_addresses(grants_dir, lists):
    grants = _real(grants_dir, "grantnav-test-data/a002400000OiDBQAA3.json")
    in_url = sum(1 for g in grants if "@" in (g["recipientOrganization"][0].get("url") or ""))
    assert in_url == 7
    assert _findings(grants, lists)["quality-email"] == in_url


def test_codelists_come_from_the_sites_data_folder(settings, shared_data_dir):
    settings.DATA_DIR = None
    assert codelists_current() == Codelists()
    settings.DATA_DIR = str(shared_data_dir)
    found = codelists_current()
    assert "WD" in found.geo_code_types and "GTIR010" in found.reasons


def test_usefulness_findings_can_be_left_out(lists):
    grant = _grant(dataSource=None, amountAwarded=0)
    found = grant_findings(grant, index=0, codelists=lists, today=TODAY, usefulness=False)
    assert [f.code for f in found] == ["quality-amount-zero"]
