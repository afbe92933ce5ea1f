"""Every 360Giving Data Quality Tool fixture gets its expected outcome: a clear error or a clean import.

Never a crash, never a silent drop: for each file we state whether it imports (and how
many grants are read, loaded and refused) or is refused whole with a plain message, and
which problems must be reported.
"""

from __future__ import annotations

import pytest

from vcsehub.grants.models import Grant, ValidationIssue
from vcsehub.grants.services import grant_file_import
from vcsehub.sources.models import ImportRun

OK, REFUSED = "succeeded", "failed"

# file: (status, read, loaded, refused, words in the run's error, issue codes that must be reported)
EXPECTED = {
    "bad.xlsx": (REFUSED, 0, 0, 0, "The file is empty", set()),
    "fundingproviders-grants_malformed.json": (REFUSED, 0, 0, 0, "JSON is not well-formed", set()),
    "publishers.json": (REFUSED, 0, 0, 0, 'no "grants" list', set()),
    "validation_errors-3.json": (REFUSED, 0, 0, 0, 'no "grants" list', set()),
    "fundingtrust-grants_dc.txt": (REFUSED, 0, 0, 0, 'column R "Award date:Start date"', set()),
    "tenders_releases_2_releases.xlsx": (
        REFUSED,
        11,
        0,
        11,
        "None of the 11 grants",
        {"schema-required", "no-amount"},
    ),
    "badfile_all_validation_errors.json": (
        REFUSED,
        1,
        0,
        1,
        "no Amount Awarded",
        {
            "schema-date",
            "schema-format-uri",
            "schema-type-number",
            "schema-enum",
            "schema-empty-list",
            "schema-required",
        },
    ),
    "badfile_all_validation_errors.xlsx": (
        REFUSED,
        1,
        0,
        1,
        "no Amount Awarded",
        {"schema-date", "schema-format-uri", "schema-enum"},
    ),
    "badfile_all_validation_errors_4_times.xlsx": (
        OK,
        5,
        1,
        4,
        "",
        {"schema-date", "schema-format-uri", "no-amount"},
    ),
    "badfile_too_many_rows.xlsx": (
        REFUSED,
        50000,
        0,
        50000,
        "50,000 with no Identifier",
        {"no-identifier"},
    ),
    "badfile_too_many_rows_multiple_sheets.xlsx": (
        REFUSED,
        100001,
        0,
        100001,
        "with no Identifier",
        {"no-identifier"},
    ),
    "bom.csv": (REFUSED, 1, 0, 1, "no Amount Awarded", {"schema-required"}),
    "codelist.csv": (REFUSED, 2, 0, 2, "no Identifier", {"schema-required"}),
    "oneof.csv": (REFUSED, 1, 0, 1, "no Identifier", {"schema-org-and-individual"}),
    "decimal_amounts.csv": (REFUSED, 7, 0, 7, "no Identifier", {"schema-required"}),
    "decimal_amounts.json": (REFUSED, 7, 0, 7, "no Identifier", {"schema-required"}),
    "nulls.json": (
        REFUSED,
        2,
        0,
        2,
        "no Identifier",
        {"schema-type-string", "schema-type-number", "schema-enum"},
    ),
    "GeoCodePostcode.xlsx": (REFUSED, 3, 0, 3, "no Amount Awarded", {"schema-required"}),
    "GeoCodePostcodeRecipientInd.xlsx": (
        REFUSED,
        3,
        0,
        3,
        "no Amount Awarded",
        {"schema-required"},
    ),
    "RecipientIndDEI.json": (REFUSED, 1, 0, 1, "no Amount Awarded", {"schema-required"}),
    "RecipientIndWithoutToIndividualsDetails.xlsx": (OK, 3, 3, 0, "", set()),
    "additional_fields.json": (OK, 1, 1, 0, "", set()),
    "dei_extension.xlsx": (OK, 9, 9, 0, "", set()),
    "duration_usefulness.json": (OK, 1, 1, 0, "", set()),
    "multiple_funder_names_org_ids.json": (OK, 2, 2, 0, "", set()),
    "ids-unexpected-chars.xlsx": (OK, 1, 1, 0, "", {"identifier-line-break"}),
    "fundingproviders-grants-email.json": (
        OK,
        3,
        2,
        1,
        "",
        {"contact-details", "duplicate-identifier", "schema-duplicate-id"},
    ),
    "fundingproviders-grants_broken_grants.json": (
        OK,
        4,
        2,
        2,
        "",
        {"duplicate-identifier", "date-ddmmyyyy", "schema-date"},
    ),
    "fundingproviders-grants_fixed_2_grants.json": (OK, 4, 2, 2, "", {"duplicate-identifier"}),
    "fundingproviders-grants_2_grants.xlsx": (OK, 2, 2, 0, "", {"date-ddmmyyyy"}),
    "fundingproviders-grants_2_grants_cp1252.csv": (OK, 2, 2, 0, "", {"date-ddmmyyyy"}),
    "fundingproviders-grants_2_grants_titleswithoutrollup.xlsx": (
        OK,
        2,
        2,
        0,
        "",
        {"date-ddmmyyyy"},
    ),
    "fundingproviders_grants_2_grants.csv": (OK, 2, 2, 0, "", {"date-ddmmyyyy"}),
}


def test_every_fixture_has_an_expected_outcome(dq_fixtures_dir):
    files = {p.name for p in dq_fixtures_dir.iterdir() if p.name != "SOURCE.md"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_outcome(standard, dq_fixtures_dir, name):
    status, read, loaded, refused, error_words, codes = EXPECTED[name]
    run = grant_file_import(location=dq_fixtures_dir / name)
    assert (run.status, run.rows_read, run.rows_loaded, run.rows_rejected) == (
        status,
        read,
        loaded,
        refused,
    ), run.error
    assert error_words in run.error
    reported = set(ValidationIssue.objects.filter(run=run).values_list("code", flat=True))
    assert codes <= reported
    assert Grant.objects.filter(run=run).count() == loaded
    if status == REFUSED:
        assert "fault in VCSE Hub" not in run.error


def test_cp1252_csv_reads_the_same_grants_as_the_utf8_csv(standard, dq_fixtures_dir):
    utf8 = grant_file_import(
        location=dq_fixtures_dir / "fundingproviders_grants_2_grants.csv", dataset="utf8"
    )
    cp1252 = grant_file_import(
        location=dq_fixtures_dir / "fundingproviders-grants_2_grants_cp1252.csv", dataset="cp1252"
    )
    assert utf8.status == cp1252.status == ImportRun.Status.SUCCEEDED
    a = sorted(Grant.objects.filter(run=utf8).values_list("amount_awarded", "recipient_name"))
    b = sorted(Grant.objects.filter(run=cp1252).values_list("amount_awarded", "recipient_name"))
    assert a == b
    assert any("€" in g.identifier for g in Grant.objects.filter(run=cp1252))


def test_a_failed_file_leaves_the_previous_grants_in_place(standard, dq_fixtures_dir, tmp_path):
    good = grant_file_import(
        location=dq_fixtures_dir / "fundingproviders_grants_2_grants.csv", dataset="one-funder"
    )
    assert good.status == ImportRun.Status.SUCCEEDED
    broken = grant_file_import(
        location=dq_fixtures_dir / "fundingproviders-grants_malformed.json", dataset="one-funder"
    )
    assert broken.status == ImportRun.Status.FAILED
    assert Grant.objects.filter(dataset__identifier="one-funder", run=good).count() == 2
