"""Placing real grants: beneficiary areas, recipient postcodes, the register address, and
the method recorded; `vcsehub grants_place` re-places after geography or registers change."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from tests.grants.grant_data import clear_grants, load_grants_world
from vcsehub.geography.models import Area, AreaType, Deprivation
from vcsehub.grants import placing
from vcsehub.grants.importers import threesixtygiving
from vcsehub.grants.models import Grant, GrantPurpose
from vcsehub.grants.placing import PLACE_FIELDS, PlaceMethod, grants_place
from vcsehub.grants.purposes import grant_purposes_classify
from vcsehub.grants.services import grant_file_import
from vcsehub.sources.models import ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(grants_geography, django_db_setup, django_db_blocker, shared_data_dir):
    with django_db_blocker.unblock():
        load_grants_world(shared_data_dir, files=("lloyds", "power-to-change", "alw"))
        run = grant_file_import(
            location=shared_data_dir / "360giving-grants/grantnav-2016-sample/ocf1.json",
            dataset="ocf1",
            licence="CC BY-SA 4.0",
        )
        assert run.status == ImportRun.Status.SUCCEEDED, run.error
    yield shared_data_dir
    with django_db_blocker.unblock():
        clear_grants()


def _methods(dataset: str) -> Counter:
    return Counter(
        Grant.objects.filter(dataset__identifier=dataset).values_list("place_method", flat=True)
    )


def test_placement_method_counts_of_real_files(world):
    # Lloyds gives recipient postcodes only: 94 in Birmingham (derived postcodes loaded)
    # and the rest of the 113 in the TF and HR areas of the official NSPL sample.
    assert _methods("lloyds") == {"recipient-postcode": 113, "none": 4003}
    # Power to Change gives a beneficiary LSOA for 849 grants: placed anywhere in England.
    assert _methods("power-to-change") == {"beneficiary-area": 849, "none": 21}
    # Andrew Lloyd Webber: regions are too wide, so recipient postcodes are used instead.
    assert _methods("alw") == {"none": 458, "recipient-postcode": 12, "beneficiary-area": 5}


def test_beneficiary_small_area_gives_local_authority_and_deciles(world):
    grant = Grant.objects.get(dataset__identifier="power-to-change", place_lsoa11="E01011681")
    assert grant.place_method == PlaceMethod.BENEFICIARY_AREA
    area = Area.objects.get(type=AreaType.LSOA11, code="E01011681")
    assert grant.place_lad == area.lad_code
    expected = Deprivation.objects.get(index="imd2019", area_code="E01011681").decile
    assert grant.place_imd2019_decile == expected
    assert grant.place_note == "Placed by the beneficiary small area E01011681."


def test_lsoa_names_in_the_code_column_are_understood(world):
    # Oxfordshire Community Foundation writes LSOA names ("Oxford 008B") as geoCode.
    placed = Grant.objects.filter(dataset__identifier="ocf1", place_method="beneficiary-area")
    assert placed.count() == 97  # of 156: the others name no LSOA or an unknown one
    grant = placed.exclude(place_lsoa11="").first()
    name = next(loc["geo_code"] for loc in grant.beneficiary_locations)
    assert Area.objects.get(type=AreaType.LSOA11, code=grant.place_lsoa11).name == name
    assert grant.place_imd2019_decile is not None


def test_wide_beneficiary_area_falls_back_to_the_recipient_postcode(world):
    grant = Grant.objects.filter(
        dataset__identifier="alw", place_method="recipient-postcode"
    ).first()
    assert grant.beneficiary_locations[0]["geo_code"].startswith("E12")
    assert "wider than a local authority" in grant.place_note
    assert grant.place_postcode == grant.recipient_postcode
    assert grant.place_lad == "E08000025" and grant.place_ward and grant.place_lsoa21


def test_unplaced_grants_say_why(world):
    grant = Grant.objects.get(dataset__identifier="lloyds", identifier="360G-LBFEW-114001")
    assert grant.place_method == "none"
    assert grant.place_note == (
        "Not placed: the recipient's postcode is not in the postcode directories loaded."
    )
    assert grant.place_postcode == grant.recipient_postcode
    assert grant.place_postcode_status == "not_found" and grant.place_lad == ""


def test_register_address_places_a_grant_with_no_postcode(world):
    from django.apps import apps

    charity = apps.get_model("charities", "Charity")
    grant = Grant.objects.filter(dataset__identifier="lloyds", place_method="none").first()
    Grant.objects.filter(pk=grant.pk).update(recipient_postcode="")
    run = ImportRun.objects.create(source_id="ccew", status=ImportRun.Status.SUCCEEDED)
    charity.objects.create(
        org_id=grant.recipient_org_id,
        register="ccew",
        registered_number=grant.recipient_org_id.rsplit("-", 1)[-1],
        name=grant.recipient_name,
        status="registered",
        postcode="B16 8PF",
        income_band="small",
        source_id="ccew",
        import_run=run,
    )
    summary = grants_place(grants=Grant.objects.filter(pk=grant.pk))
    assert summary.by_method == {"register-postcode": 1} and summary.linked_to_register == 1
    grant.refresh_from_db()
    assert grant.place_method == PlaceMethod.REGISTER_POSTCODE
    assert grant.place_lad == "E08000025"
    assert grant.recipient_register_org_id == grant.recipient_org_id
    assert grant.recipient_income_band == "small"
    assert "registered postcode" in grant.place_note


def test_grants_place_command_reports_counts(world):
    out = io.StringIO()
    call_command("grants_place", "--dataset", "power-to-change", "--no-purposes", stdout=out)
    text = out.getvalue()
    assert "870 grants placed:" in text
    assert "The grant's beneficiary area: 849" in text
    assert "charity registers: not loaded" in text


def test_grants_to_individuals_are_never_placed_by_a_postcode(world):
    # Even if a postcode slipped through, it could identify the person: it is not used.
    grant = Grant.objects.filter(
        dataset__identifier="lloyds", place_method="recipient-postcode"
    ).first()
    Grant.objects.filter(pk=grant.pk).update(
        recipient_type="individual",
        beneficiary_locations=[{"name": "B16 8PF", "geo_code": "", "geo_code_type": ""}],
    )
    grants_place(grants=Grant.objects.filter(pk=grant.pk))
    grant.refresh_from_db()
    assert grant.place_method == "none"
    assert grant.place_postcode == "" and grant.place_lsoa11 == "" and grant.place_lad == ""
    assert "individual" in grant.place_note


PLACED = (*PLACE_FIELDS, "identifier")


def _placed_and_purposes(dataset: str) -> tuple[list, list]:
    grants = Grant.objects.filter(dataset__identifier=dataset).order_by("identifier")
    purposes = GrantPurpose.objects.filter(grant__dataset__identifier=dataset).order_by(
        "grant__identifier", "purpose"
    )
    return (
        list(grants.values_list(*PLACED)),
        list(purposes.values_list("grant__identifier", "purpose", "words")),
    )


@pytest.mark.parametrize("batch", [placing.BATCH, 97])
def test_import_places_and_classifies_as_grants_place_does(world, monkeypatch, batch):
    """The importer places and classifies grants while writing them (rows.py); placing them
    again afterwards, in the same batches, changes nothing."""
    monkeypatch.setattr(placing, "BATCH", batch)
    monkeypatch.setattr(threesixtygiving, "BATCH", batch)
    run = grant_file_import(
        location=world / "360giving-grants/grantnav-2016-sample/ocf1.json",
        dataset="ocf1",
        licence="CC BY-SA 4.0",
        allow_shrink=True,
    )
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    for dataset in ("ocf1", "power-to-change", "alw"):
        imported = _placed_and_purposes(dataset)
        assert imported[0] and imported[1], dataset
        grants = Grant.objects.filter(dataset__identifier=dataset)
        summary = grants_place(grants=grants)
        grant_purposes_classify(grants=grants)
        assert _placed_and_purposes(dataset) == imported, dataset
        assert summary.grants == len(imported[0])
