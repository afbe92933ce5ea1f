"""Real geography loaded through the real importers, for lookups, APIs and area pages.

`geography_loaded` (module-scoped): area codes, the LSOA lookup, IoD2019 (Files 1, 2, 6
and the score file), IoD2025, WIMD 2019, SIMD 2020, Census 2021 population, the official
NSPL November 2021 TF and HR postcodes, the derived postcodes for Birmingham only, and
the WMCA and England district boundaries. `postcodes_loaded` is the same without the
boundaries (faster). Data is committed so every test of the module sees it (tests still
run in their own transaction), and deleted when the module ends, so other modules start
from empty tables.
"""

from __future__ import annotations

import pytest

from vcsehub.geography.models import Area, Boundary, Deprivation, LsoaLookup, Population, Postcode
from vcsehub.sources.models import ImportRun
from vcsehub.sources.registry import get_source

POSTCODE_SOURCES = (
    "ons-area-codes",
    "ons-lsoa11-lsoa21-lookup",
    "iod2019",
    "iod2025",
    "wimd2019",
    "simd2020",
    "census2021-population",
    "nspl",
    "postcodes-derived-lsoa-wmca",
)
BOUNDARY_SOURCES = ("boundaries-wmca", "boundaries-england-lad")
BIRMINGHAM_DERIVED = "postcodes-derived-lsoa-wmca/derived_pcd_lsoa_ward_E08000025_birmingham.csv"


def clear_geography() -> None:
    # Import runs are kept: they are history, and other apps' tables point at runs.
    for model in (Postcode, Boundary, Population, Deprivation, LsoaLookup, Area):
        model.objects.all().delete()


def load_sources(source_ids, data_dir) -> None:
    for source_id in source_ids:
        importer = get_source(source_id).importer_class()
        if source_id == "postcodes-derived-lsoa-wmca":
            run = importer(locations=[data_dir / BIRMINGHAM_DERIVED]).run()
        else:
            run = importer(data_dir=data_dir).run()
        assert run.status == ImportRun.Status.SUCCEEDED, f"{source_id}: {run.error}"


@pytest.fixture(scope="module")
def postcodes_loaded(django_db_setup, django_db_blocker, shared_data_dir):
    with django_db_blocker.unblock():
        clear_geography()
        load_sources(POSTCODE_SOURCES, shared_data_dir)
    yield
    with django_db_blocker.unblock():
        clear_geography()


@pytest.fixture(scope="module")
def geography_loaded(django_db_setup, django_db_blocker, shared_data_dir):
    with django_db_blocker.unblock():
        clear_geography()
        load_sources(POSTCODE_SOURCES + BOUNDARY_SOURCES, shared_data_dir)
    yield
    with django_db_blocker.unblock():
        clear_geography()
