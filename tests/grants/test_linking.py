"""Funders and recipients linked to the charity registers, on real files: the CCEW register
sample and the dual-registered list, with the Dulverton Trust's, Lloyds Bank Foundation's,
the Baring Foundation's and Nominet Trust's grants."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from tests.grants.grant_data import CC_BY, FILES, LLOYDS, clear_grants
from vcsehub.charities.importers.ccew import CcewImporter
from vcsehub.charities.importers.lookups import DualRegisteredImporter
from vcsehub.charities.models import Charity, OrgIdLink
from vcsehub.charities.services import register_rows_delete
from vcsehub.charities.sources import CCEW_TABLES
from vcsehub.grants.models import Funder, Grant
from vcsehub.grants.placing import (
    funders_link,
    grants_place,
    register_candidates,
    register_link_note,
)
from vcsehub.grants.selectors import grants_for_recipient
from vcsehub.grants.services import grant_file_import, standard_import
from vcsehub.sources.models import ImportRun

pytestmark = pytest.mark.django_db
IN_SAMPLE = "GB-CHC-1137405"  # in the CCEW sample; funded by both Dulverton and Lloyds
DULVERTON = "360G-dulverton"
MORE_FILES = {
    "dulverton": "grantnav-2016-sample/dulverton.json",
    "baring": "grantnav-2016-sample/baring.json",
    "nominet": "grantnav-2016-sample/nominet.json",
}


@pytest.fixture(scope="module")
def linked(django_db_setup, django_db_blocker, shared_data_dir):
    """Registers first, then grants, as `vcsehub up` loads them (no geography needed)."""
    with django_db_blocker.unblock():
        clear_grants()
        folder = shared_data_dir / "ccew-sample"
        runs = [
            CcewImporter(locations=[folder / f"publicextract.{t}.zip" for t in CCEW_TABLES]).run(),
            DualRegisteredImporter(data_dir=shared_data_dir).run(),
            standard_import(data_dir=shared_data_dir),
        ]
        assert all(r.status == ImportRun.Status.SUCCEEDED for r in runs), [r.error for r in runs]
        files = {"lloyds": FILES["lloyds"][0], **MORE_FILES}
        for name, relative in files.items():
            run = grant_file_import(
                location=shared_data_dir / "360giving-grants" / relative,
                dataset=name,
                licence=CC_BY,
            )
            assert run.status == ImportRun.Status.SUCCEEDED, run.error
    yield shared_data_dir
    with django_db_blocker.unblock():
        clear_grants()
        register_rows_delete(register="ccew")
        OrgIdLink.objects.filter(import_run__in=runs[:2]).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {ImportRun._meta.db_table} WHERE id IN (%s, %s)",  # noqa: S608
                [runs[0].pk, runs[1].pk],
            )


def test_recipient_in_the_register_is_linked_and_its_page_shows_grants_of_both_funders(
    linked, client
):
    expected = {}
    for name, relative in (("dulverton", MORE_FILES["dulverton"]), ("lloyds", FILES["lloyds"][0])):
        grants = json.loads((linked / "360giving-grants" / relative).read_text())["grants"]
        expected[name] = sum(
            1 for g in grants if g["recipientOrganization"][0].get("id") == IN_SAMPLE
        )
    assert expected == {"dulverton": 5, "lloyds": 1}
    grants = Grant.objects.filter(recipient_org_id=IN_SAMPLE)
    assert grants.count() == 6
    assert set(grants.values_list("recipient_register_org_id", flat=True)) == {IN_SAMPLE}
    charity = Charity.objects.get(org_id=IN_SAMPLE)
    assert set(grants.values_list("recipient_income_band", flat=True)) == {charity.income_band}
    page = client.get(f"/charities/{IN_SAMPLE}/").content.decode()
    assert "Grants received" in page
    assert "6 grants to this organisation are loaded" in page
    assert "Lloyds Bank Foundation" in page and "Dulverton" in page


def test_a_scottish_number_of_a_dual_registered_charity_finds_the_ccew_record(linked):
    # GB-SC-SC038262 and GB-CHC-222879 are the same charity (dual-registered list); the
    # CCEW record is in the sample. A grant filed under the Scottish number links to it.
    assert OrgIdLink.objects.filter(org_id_a="GB-SC-SC038262", org_id_b="GB-CHC-222879").exists()
    grant = Grant.objects.filter(dataset__identifier="dulverton", recipient_org_id="GB-CHC-222879")[
        0
    ]
    Grant.objects.filter(pk=grant.pk).update(
        recipient_org_id="GB-SC-SC038262", recipient_register_org_id="", recipient_income_band=""
    )
    grants_place(grants=Grant.objects.filter(pk=grant.pk))
    grant.refresh_from_db()
    assert grant.recipient_register_org_id == "GB-CHC-222879"
    assert grant.recipient_income_band == Charity.objects.get(org_id="GB-CHC-222879").income_band
    assert grant in grants_for_recipient(org_id="GB-CHC-222879")


def test_a_company_number_finds_the_charity_that_gives_it(linked):
    grant = Grant.objects.filter(
        dataset__identifier="nominet", recipient_org_id__startswith="GB-COH-"
    )[0]
    number = grant.recipient_org_id.removeprefix("GB-COH-")
    charity = Charity.objects.filter(company_number="").exclude(income_band="")[0]
    Charity.objects.filter(pk=charity.pk).update(company_number=number)
    grants_place(grants=Grant.objects.filter(pk=grant.pk))
    grant.refresh_from_db()
    assert grant.recipient_register_org_id == charity.org_id
    assert grant.recipient_income_band == charity.income_band


def test_funders_not_in_the_registers_say_why(linked):
    notes = dict(Funder.objects.values_list("org_id", "register_note"))
    assert notes[DULVERTON] == (
        "Not linked: 360G-dulverton is an identifier the publisher made up (360G-), "
        "not a charity or company number."
    )
    assert notes["NominetTrust"] == (
        "Not linked: NominetTrust is not an identifier from a register "
        "(it has no list prefix such as GB-CHC-)."
    )
    assert notes[LLOYDS] == (
        "Not linked: no record in the charity registers loaded has the identifier GB-CHC-327114."
    )
    assert not Funder.objects.exclude(register_org_id="").exists()


def test_a_funder_in_the_register_is_linked_and_pages_link_both_ways(linked, client):
    run = ImportRun.objects.create(source_id="ccew", status=ImportRun.Status.SUCCEEDED)
    Charity.objects.create(
        org_id=LLOYDS,
        register="ccew",
        registered_number="327114",
        name="Lloyds Bank Foundation for England and Wales",
        status="registered",
        source_id="ccew",
        import_run=run,
    )
    assert funders_link(org_ids=[LLOYDS]) == 1
    funder = Funder.objects.get(org_id=LLOYDS)
    assert funder.register_org_id == LLOYDS
    assert funder.register_note == "Linked to the charity register record GB-CHC-327114."
    page = client.get(f"/grants/funders/{LLOYDS}/").content.decode()
    assert f'href="/charities/{LLOYDS}/"' in page
    charity_page = client.get(f"/charities/{LLOYDS}/").content.decode()
    assert "This organisation also makes grants" in charity_page
    assert f'href="/grants/funders/{LLOYDS}/"' in charity_page
    summary = client.get(f"/api/v1/funders/{LLOYDS}/summary").json()
    assert summary["register_org_id"] == LLOYDS


def test_a_letter_o_in_a_scottish_number_is_read_as_a_zero(linked):
    # The Baring Foundation's file writes Scottish charity numbers with a letter O.
    ids = set(
        Grant.objects.filter(
            dataset__identifier="baring", recipient_org_id__startswith="GB-SC-SCO"
        ).values_list("recipient_org_id", flat=True)
    )
    assert ids == {"GB-SC-SCO08158", "GB-SC-SCO23311", "GB-SC-SCO44652"}
    assert register_candidates("GB-SC-SCO08158") == ["GB-SC-SCO08158", "GB-SC-SC008158"]
    assert register_candidates("GB-CHC-1137405") == ["GB-CHC-1137405"]


def test_notes_without_registers_and_for_other_lists():
    assert register_link_note("GB-CHC-327114", None, loaded=False) == (
        "Not linked: the charity registers are not loaded."
    )
    assert register_link_note("GB-EDU-133798", None, loaded=True) == (
        "Not linked: GB-EDU identifiers are not from the UK charity registers."
    )
