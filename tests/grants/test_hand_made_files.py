"""Hand-made files (tests/fixtures/grants): messy values, mixed currencies, individuals, duplicates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.grants.conftest import FIXTURES
from vcsehub.grants.models import Grant, GrantLocation, ValidationIssue
from vcsehub.grants.selectors import grant_totals_by_currency, validation_issues_for_run
from vcsehub.grants.services import grant_file_import
from vcsehub.sources.models import ImportRun


def test_messy_values_are_read_and_each_change_is_reported(standard):
    run = grant_file_import(location=FIXTURES / "messy_values.csv", licence="CC0")
    assert (run.status, run.rows_read, run.rows_loaded, run.rows_rejected) == ("succeeded", 4, 2, 2)
    one = Grant.objects.get(identifier="360G-TEST-1")
    assert one.amount_awarded == Decimal("1250.50")
    assert one.award_date == dt.date(2016, 3, 31)
    assert one.from_open_call is True
    assert one.recipient_org_id == "GB-CHC-123"
    assert one.recipient_org_id_as_published == "GB-CHC-0123"
    assert one.recipient_postcode == "B11 1AA"
    assert one.funder_org_id == "GB-CHC-327114"
    two = Grant.objects.get(identifier="360G-TEST-2")
    assert (two.currency, two.amount_awarded, two.from_open_call) == (
        "GBP",
        Decimal("2000.00"),
        False,
    )
    assert two.recipient_org_id == "GB-COH-01234567"
    assert two.recipient_postcode == ""
    issues = {i.code: i for i in validation_issues_for_run(run_id=run.pk)}
    assert issues["no-identifier"].row == 4 and issues["no-identifier"].sheet == "grants"
    assert issues["no-amount"].row == 5
    assert issues["no-amount"].examples[0]["column"] == "Amount Awarded (E)"
    assert issues["amount-text"].count == 2
    assert issues["date-ddmmyyyy"].count == 1
    assert issues["open-call"].count == 2
    assert issues["org-id-normalised"].count >= 2
    assert issues["postcode-unreadable"].severity == "warning"
    assert issues["schema-type-number"].grants_affected == 3


def test_currencies_are_never_added_together(standard):
    run = grant_file_import(location=FIXTURES / "mixed_currencies.json")
    assert run.licence == "https://creativecommons.org/licenses/by/4.0/"
    totals = {
        t.currency: (t.grants, t.total)
        for t in grant_totals_by_currency(grants=Grant.objects.filter(run=run))
    }
    assert totals == {"GBP": (2, Decimal("1000.30")), "USD": (1, Decimal("5000.00"))}


def test_grants_to_individuals_keep_nothing_that_identifies_the_person(standard):
    run = grant_file_import(location=FIXTURES / "individual_with_name_and_postcode.json")
    assert run.status == ImportRun.Status.SUCCEEDED
    grant = Grant.objects.get(run=run)
    assert grant.recipient_type == "individual"
    stored = " ".join(str(v) for v in Grant.objects.filter(run=run).values().first().values())
    assert "Jane" not in stored and "Acacia" not in stored and "B11" not in stored
    assert grant.individual_details == {
        "primary_reason": "GTIR040",
        "secondary_reason": "",
        "purposes": ["GTIP040"],
    }
    assert list(GrantLocation.objects.filter(grant=grant).values_list("geo_code", flat=True)) == [
        "E08000025"
    ]
    privacy = ValidationIssue.objects.get(run=run, code="individual-postcode")
    assert privacy.category == "privacy"
    assert "B11" not in str(privacy.examples)


def test_duplicate_identifiers_keep_the_first_grant(standard):
    run = grant_file_import(location=FIXTURES / "duplicate_ids.json")
    assert (run.rows_read, run.rows_loaded, run.rows_rejected) == (2, 1, 1)
    assert Grant.objects.get(run=run).title == "First"
    assert ValidationIssue.objects.get(run=run, code="schema-duplicate-id").severity == "error"


def test_reimporting_a_file_replaces_its_grants(standard):
    first = grant_file_import(location=FIXTURES / "mixed_currencies.json", dataset="mix")
    second = grant_file_import(location=FIXTURES / "mixed_currencies.json", dataset="mix")
    assert first.status == second.status == ImportRun.Status.SUCCEEDED
    assert Grant.objects.filter(dataset__identifier="mix").count() == 3
    assert set(Grant.objects.filter(dataset__identifier="mix").values_list("run", flat=True)) == {
        second.pk
    }


def test_without_the_schema_the_import_says_what_to_do(db):
    run = grant_file_import(location=FIXTURES / "mixed_currencies.json")
    assert run.status == ImportRun.Status.FAILED
    assert "360giving-standard" in run.error


def test_the_command_prints_the_problems_and_the_outcome(standard):
    from io import StringIO

    from django.core.management import call_command

    out, err = StringIO(), StringIO()
    call_command(
        "grants_import_file",
        str(FIXTURES / "messy_values.csv"),
        "--licence",
        "CC0",
        stdout=out,
        stderr=err,
    )
    text = out.getvalue()
    assert "Imported 2 of 4 grants (2 refused). Licence: CC0." in text
    assert "A grant has no Identifier" in text and "row 4" in text
