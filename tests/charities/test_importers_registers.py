"""CCNI (real sample), OSCR (hand-made fixture from the documented columns) and the lookups."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vcsehub.charities.importers.ccni import CcniImporter
from vcsehub.charities.importers.lookups import AreaLookupImporter, DualRegisteredImporter
from vcsehub.charities.importers.oscr import OscrImporter
from vcsehub.charities.models import (
    AreaOfOperation,
    Charity,
    Classification,
    FinancialYear,
    OrgIdLink,
)
from vcsehub.charities.selectors import organisation_linked_ids
from vcsehub.sources.models import ImportRun

pytestmark = pytest.mark.django_db


def test_ccni_counts_per_source(ccni_loaded):
    ni = Charity.objects.filter(register="ccni")
    assert ni.count() == 365 == ccni_loaded.rows_loaded
    statuses = {}
    for text in ni.values_list("register_status", flat=True):
        key = text.split(":")[0]
        statuses[key] = statuses.get(key, 0) + 1
    assert statuses == {"Registered": 169, "Received": 130, "Overdue": 30, "Removed": 36}
    assert ni.filter(status="removed").count() == 36
    assert ni.filter(accounts_overdue=True).count() == 30
    assert ni.exclude(company_number="").count() == 48
    assert ni.exclude(postcode="").count() >= 360


def test_ccni_categories_with_commas_are_not_split(ccni_loaded):
    relief = Classification.objects.filter(
        charity__register="ccni",
        label__startswith="The relief of those in need by reason of youth, age",
    )
    assert relief.count() == 101
    assert not Classification.objects.filter(
        charity__register="ccni", label__in=["age", "ill-health"]
    ).exists()
    assert Classification.objects.filter(charity__register="ccni", kind="what").count() == 745
    assert not Classification.objects.filter(charity__register="ccni", code="").exists()


def test_ccni_real_record(ccni_loaded):
    charity = Charity.objects.get(org_id="GB-NIC-100002")
    assert charity.name == "Cancer Lifeline"
    assert charity.postcode == "BT14 7PJ"
    assert charity.latest_income == Decimal("462154")
    assert charity.income_band == "medium"
    assert charity.date_registered.isoformat() == "2013-12-13"
    year = FinancialYear.objects.get(charity=charity)
    assert (year.period_start.isoformat(), year.period_end.isoformat()) == (
        "2022-04-01",
        "2023-03-31",
    )
    irish = Charity.objects.filter(register="ccni", name__contains="\u2019")
    assert irish.exists()  # cp1252 curly quotes decoded, not turned into control characters


def test_ccni_hostile_names_and_unknown_categories(fixtures_dir):
    run = CcniImporter(locations=[fixtures_dir / "ccni_hostile_names_cp1252.csv"]).run()
    assert run.status == "succeeded", run.error
    names = set(Charity.objects.values_list("name", flat=True))
    assert names == {"<script>alert(1)</script>", "=cmd|' /C calc'!A0"}
    other = Charity.objects.get(org_id="GB-NIC-199902")
    assert other.other_names == [{"name": "Café Ó Néill", "type": "Other name"}]
    assert other.company_number == "NI654321"
    assert other.postcode == "BT48 6AA"
    labels = list(other.classifications.values_list("code", "label"))
    assert labels[0][0] == "NI-WHAT-10"
    assert labels[1] == ("NI-WHAT-OTHER", "Something not on the list, with a comma")
    assert "not a known CCNI category" in run.log
    assert (
        Charity.objects.get(org_id="GB-NIC-199901").latest_income is None
    )  # not reported: no figure


def test_ccni_wrong_encoding_and_wrong_file_keep_previous_data(ccni_loaded, ccni_path, tmp_path):
    utf16 = tmp_path / "charitydetails_utf16.csv"
    utf16.write_text(ccni_path.read_bytes().decode("cp1252"), encoding="utf-16")
    wrong = tmp_path / "not_the_register.csv"
    wrong.write_text("Name,Town\nA charity,Belfast\n", encoding="utf-8")
    for path in (utf16, wrong):
        run = CcniImporter(locations=[path]).run()
        assert run.status == ImportRun.Status.FAILED
        assert run.error
        assert Charity.objects.filter(register="ccni").count() == 365
    assert "not the CCNI register export" in run.error


def test_oscr_handmade_register(fixtures_dir):
    files = [
        fixtures_dir / "oscr_register_handmade.csv",
        fixtures_dir / "oscr_former_handmade.csv",
        fixtures_dir / "oscr_5years_handmade.csv",
    ]
    run = OscrImporter(locations=files).run()
    assert run.status == "succeeded", run.error
    scvo = Charity.objects.get(org_id="GB-SC-SC003558")
    assert scvo.other_names == [{"name": "SCVO", "type": "Known as"}]
    assert scvo.latest_income == Decimal("15471520")
    assert scvo.postcode == "EH3 6BB"
    assert list(scvo.financial_years.values_list("income", flat=True)) == [
        Decimal("15471520"),
        Decimal("14000000"),
    ]
    assert scvo.classifications.filter(kind="what").count() == 2
    assert scvo.classifications.filter(
        kind="how", label="It provides advocacy, advice or information"
    ).exists()
    placeholder = Charity.objects.get(org_id="GB-SC-SC900001")
    assert (placeholder.postcode, placeholder.date_registered, placeholder.latest_period_end) == (
        "",
        None,
        None,
    )
    assert placeholder.name == "<script>alert(1)</script> Trust"
    assert not placeholder.classifications.exists()
    formula = Charity.objects.get(org_id="GB-SC-SC900002")
    assert formula.status == "registered"  # the current register wins over the former file
    assert formula.name == "=cmd|' /C calc'!A0"
    removed = Charity.objects.get(org_id="GB-SC-SC900009")
    assert (removed.status, removed.removal_reason, str(removed.date_removed)) == (
        "removed",
        "Wound up",
        "2019-12-31",
    )
    assert not Charity.objects.filter(org_id="GB-SC-SC900003").exists()
    assert run.rows_rejected == 1 and "columns are shifted" in run.log


def test_lookups_link_registers_and_code_areas(ccew_loaded, shared_data_dir):
    lookups = shared_data_dir / "charity-lookups"
    run = DualRegisteredImporter(locations=[lookups / "dual-registered-uk-charities.csv"]).run()
    assert run.status == "succeeded", run.error
    assert OrgIdLink.objects.filter(source_id="charity-dual-registered").count() == run.rows_loaded
    assert run.rows_loaded + run.rows_rejected >= 1500
    assert organisation_linked_ids(org_id="GB-SC-SC002327") == {
        "GB-CHC-263710": "dual-registered in England and Wales and Scotland (OSCR list)"
    }
    assert "GB-SC-SC002327" in organisation_linked_ids(org_id="GB-CHC-263710")
    assert AreaOfOperation.objects.filter(gss_code="").count() == 413
    run = AreaLookupImporter(locations=[lookups / "cc-aoo-gss-iso-new.csv"]).run()
    assert run.status == "succeeded", run.error
    coded = AreaOfOperation.objects.exclude(gss_code="", iso_code="")
    assert coded.count() > 300
    assert AreaOfOperation.objects.filter(
        area_type="Local Authority", gss_code__startswith="E"
    ).exists()
