"""Placing real grants: beneficiary areas, recipient postcodes, and the method recorded."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.grants.grant_data import FILES, clear_world, load_grants_world
from vcsehub.grants.models import Grant
from vcsehub.grants.placing import PlaceMethod, grants_place


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, shared_data_dir):
    with django_db_blocker.unblock():
        load_grants_world(shared_data_dir, files=("lloyds", "power-to-change", "alw"))
    yield shared_data_dir
    with django_db_blocker.unblock():
        clear_world()


def _methods(dataset: str) -> Counter:
    return Counter(Grant.objects.filter(dataset__identifier=dataset).values_list("place_method", flat=True))


def test_placement_method_counts(world, db):
    for name in ("lloyds", "power-to-change", "alw"):
        print(name, _methods(name))
    assert False


def test_show(world, db):
    for g in Grant.objects.filter(dataset__identifier="alw").exclude(place_method="none")[:8]:
        print(g.place_method, g.beneficiary_locations, g.place_note, g.place_lad, g.place_ward, g.place_imd2019_decile)
    for g in Grant.objects.filter(dataset__identifier="lloyds")[:3]:
        print(g.place_method, g.recipient_postcode, g.place_note, g.place_postcode_status)
    for g in Grant.objects.filter(dataset__identifier="power-to-change")[:3]:
        print(g.place_method, g.beneficiary_locations, g.place_note, g.place_lad, g.place_ward, g.place_lsoa21)
    for g in Grant.objects.filter(dataset__identifier="lloyds").exclude(place_method="none")[:3]:
        print(g.place_method, g.recipient_postcode, g.place_note, g.place_postcode_status, g.place_ward, g.place_imd2025_decile)
    assert False
