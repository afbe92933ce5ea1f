"""The ten funders' real files import with the right grant counts and totals (360giving-grants/SOURCE.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vcsehub.grants.models import Grant, ValidationIssue
from vcsehub.grants.selectors import grant_totals_by_currency
from vcsehub.grants.services import grant_file_import
from vcsehub.sources.models import ImportRun

CC_BY = "Creative Commons Attribution 4.0 International (CC BY 4.0)"

# (file, grants, total £) from 360giving-grants/SOURCE.md
REAL_FILES = [
    # The Lloyds Bank Foundation XLSX (4,116 grants, the same total) is checked below with its JSON.
    ("grantnav-test-data/a002400000OiDBQAA3.json", 4116, "115795635.69"),
    ("grantnav-test-data/a002400000nO46WAAS.json", 870, "51625696.54"),
    ("dataquality-tools-data/a001p00000zgyHZAAY.xlsx", 783, "12785625.00"),
    ("dataquality-tools-data/a001p00000zgyHZAAY.json", 783, "12785625.00"),
    ("dataquality-tools-data/a003W000001B7PzQAK.xlsx", 475, "21757793.27"),
    ("dataquality-tools-data/a003W000001B7PzQAK.json", 475, "21757793.27"),
    ("grantnav-2016-sample/IndigoTrust_360giving.csv", 269, "8053545.40"),
    ("grantnav-2016-sample/indigo.json", 269, "8053545.40"),
    ("grantnav-2016-sample/dulverton.json", 1860, "30442591.00"),
    ("grantnav-2016-sample/wolfson.json", 379, "31178456.00"),
    ("grantnav-2016-sample/nominet.json", 270, "18303977.01"),
    ("grantnav-2016-sample/baring.json", 53, "2086937.00"),
    ("grantnav-2016-sample/ocf1.json", 156, "169821.67"),
    ("grantnav-2016-sample/ocf2.json", 98, "627115.93"),
    ("grantnav-2016-sample/ocf3.json", 70, "276845.73"),
]


@pytest.mark.parametrize(
    ("relative", "count", "total"), REAL_FILES, ids=[f[0].split("/")[-1] for f in REAL_FILES]
)
def test_real_file_imports_every_grant_with_the_right_total(
    standard, grants_dir, relative, count, total
):
    run = grant_file_import(location=grants_dir / relative, licence=CC_BY)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.rows_read == count
    assert run.rows_loaded == count
    assert run.rows_rejected == 0
    assert run.licence == CC_BY
    totals = grant_totals_by_currency(grants=Grant.objects.filter(run=run))
    assert [(t.currency, t.grants, t.total) for t in totals] == [("GBP", count, Decimal(total))]


def test_lloyds_xlsx_and_json_hold_the_same_grants_and_problems_are_located(standard, grants_dir):
    xlsx = grant_file_import(
        location=grants_dir / "grantnav-2016-sample/360_giving_LBFEW_2010_2015.xlsx",
        dataset="lbfew-xlsx",
        licence=CC_BY,
    )
    json_run = grant_file_import(
        location=grants_dir / "grantnav-test-data/a002400000OiDBQAA3.json", dataset="lbfew-json"
    )
    assert xlsx.status == json_run.status == ImportRun.Status.SUCCEEDED
    from_xlsx = dict(Grant.objects.filter(run=xlsx).values_list("identifier", "amount_awarded"))
    from_json = dict(Grant.objects.filter(run=json_run).values_list("identifier", "amount_awarded"))
    assert len(from_xlsx) == 4116
    assert from_xlsx == from_json
    totals = grant_totals_by_currency(grants=Grant.objects.filter(run=xlsx))
    assert [(t.currency, t.grants, t.total) for t in totals] == [
        ("GBP", 4116, Decimal("115795635.69"))
    ]
    west_midlands = Grant.objects.filter(
        run=xlsx, recipient_postcode__regex=r"^(B|CV|DY|WS|WV)[0-9]"
    )
    assert west_midlands.count() == 270
    assert sum(g.amount_awarded for g in west_midlands) == Decimal("8528335.90")

    # Problems are reported by sheet, row and column, with how many grants they affect.
    issues = {(i.code, i.path): i for i in ValidationIssue.objects.filter(run=xlsx)}
    open_call = issues[("schema-enum", "fromOpenCall")]
    assert open_call.severity == "error"
    assert open_call.grants_affected == 4116
    assert open_call.message == 'From An Open Call? must be "Yes" or "No".'
    assert (open_call.sheet, open_call.row) == ("grants", 2)
    assert open_call.examples[0]["column"].lower().startswith("from an open call?")
    assert open_call.examples[0]["value"] == "Y"
    missing_description = issues[("schema-required", "description")]
    assert missing_description.grants_affected == 5
    assert "Description is missing" in missing_description.message
    # The Y/N answers were still read, with a warning.
    changed = issues[("open-call", "fromOpenCall")]
    assert changed.severity == "warning" and changed.count == 4116
    assert Grant.objects.filter(run=xlsx, from_open_call__isnull=False).count() == 4116


def test_old_files_with_uk_dates_import_with_the_dates_read_and_a_warning(standard, grants_dir):
    run = grant_file_import(location=grants_dir / "grantnav-2016-sample/indigo.json")
    assert run.status == ImportRun.Status.SUCCEEDED
    assert not Grant.objects.filter(run=run, award_date__isnull=True).exists()
    warning = ValidationIssue.objects.get(run=run, code="date-ddmmyyyy", path="awardDate")
    assert warning.count == 269
    schema_date = ValidationIssue.objects.get(run=run, code="schema-date", path="awardDate")
    assert schema_date.severity == "error" and schema_date.grants_affected == 269


def test_funders_and_recipients_are_stored_as_normalised_org_ids(standard, grants_dir):
    run = grant_file_import(location=grants_dir / "grantnav-test-data/a002400000nO46WAAS.json")
    grant = Grant.objects.filter(run=run).exclude(recipient_org_id="").first()
    assert grant.funder_org_id == "GB-CHC-1159982"
    assert grant.funder.name
    assert Grant.objects.filter(run=run, recipient_org_id__startswith="GB-").count() > 0
    assert Grant.objects.filter(run=run).exclude(locations=None).count() > 0
