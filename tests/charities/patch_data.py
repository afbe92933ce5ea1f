"""The "know your patch" data for page, profile, API and saved-question tests (helper h11).

`patch` (module-scoped fixture; import `patch_fixture` into a test module): area codes, IoD2025, Census
2021 population, Birmingham's derived postcodes, the two charity lookups, and the real
CCEW and CCNI samples. The CCEW sample's postcodes are fake, so a few CCEW charities are
moved to real Birmingham postcodes (chosen from the derived postcode file) and placed
again with `organisation_place_all`. Committed for the module, removed at its end.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from tests.geography.conftest import BIRMINGHAM_DERIVED, clear_geography, load_sources
from vcsehub.charities.importers.ccew import CcewImporter
from vcsehub.charities.importers.ccni import CcniImporter
from vcsehub.charities.models import AreaLookup, Charity, OrgIdLink, SavedQuestion, Status
from vcsehub.charities.services import organisation_place_all, register_rows_delete
from vcsehub.sources.models import ImportRun

BIRMINGHAM = "E08000025"
GEOGRAPHY = ("ons-area-codes", "iod2025", "census2021-population", "postcodes-derived-lsoa-wmca")
LOOKUPS = ("charity-area-lookup", "charity-dual-registered")
MOVED_ACTIVE = 12
MOVED_REMOVED = 3


@dataclass
class Patch:
    data_dir: Path
    postcodes: list[str]  # the real Birmingham postcodes given to CCEW charities
    moved: list[str]  # org-ids of the CCEW charities moved to Birmingham
    runs: list[int]


def birmingham_postcodes(data_dir: Path, count: int, step: int = 2500) -> list[str]:
    """Every `step`-th postcode of the derived Birmingham file (placed "inside" all areas)."""
    found: list[str] = []
    with open(data_dir / BIRMINGHAM_DERIVED, newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            if number % step == 0 and row["assignment"] == "inside":
                found.append(row["pcds"])
            if len(found) == count:
                break
    return found


def patch_load(data_dir: Path, ccew_paths, ccni_path) -> Patch:
    clear_geography()
    load_sources(GEOGRAPHY + LOOKUPS, data_dir)
    runs = [CcewImporter(locations=ccew_paths).run(), CcniImporter(locations=[ccni_path]).run()]
    assert all(run.status == "succeeded" for run in runs), [run.error for run in runs]
    active = list(
        Charity.objects.filter(register="ccew", status=Status.REGISTERED)
        .order_by("org_id")
        .values_list("org_id", flat=True)[:MOVED_ACTIVE]
    )
    removed = list(
        Charity.objects.filter(register="ccew", status=Status.REMOVED)
        .order_by("org_id")
        .values_list("org_id", flat=True)[:MOVED_REMOVED]
    )
    moved = active + removed
    postcodes = birmingham_postcodes(data_dir, len(moved))
    for org_id, postcode in zip(moved, postcodes, strict=True):
        Charity.objects.filter(org_id=org_id).update(postcode=postcode)
    organisation_place_all(register="ccew")
    return Patch(data_dir=data_dir, postcodes=postcodes, moved=moved, runs=[r.pk for r in runs])


def patch_clear() -> None:
    SavedQuestion.objects.all().delete()
    for register in ("ccew", "ccni", "oscr"):
        register_rows_delete(register=register)
    OrgIdLink.objects.all().delete()
    AreaLookup.objects.all().delete()
    clear_geography()
    # Only the charity runs (geography keeps its runs as history, as its fixtures do).
    sources = ("ccew", "ccni", "oscr", *LOOKUPS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ImportRun._meta.db_table} WHERE source_id IN "  # noqa: S608
            f"({', '.join(['%s'] * len(sources))})",
            list(sources),
        )


@pytest.fixture(scope="module", name="patch")
def patch_fixture(django_db_setup, django_db_blocker, shared_data_dir, ccew_paths, ccni_path):
    with django_db_blocker.unblock():
        state = patch_load(shared_data_dir, ccew_paths, ccni_path)
    yield state
    with django_db_blocker.unblock():
        patch_clear()
