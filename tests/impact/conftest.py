"""Fixtures for the impact tests: people and organisations, held files in a temporary
folder, and the real geography the food bank file's postcodes need.

`impact_geography` loads, through the real importers (h4's loaders in
tests/geography/conftest.py), only what an upload's enrichment reads: area names,
IoD2019 and IoD2025, the official NSPL TF/HR postcodes (for a withdrawn Telford
postcode) and the derived Birmingham postcodes. It is loaded once for the whole
tests/impact package and removed at the end, so other packages start from empty tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.geography.conftest import clear_geography, load_sources
from tests.organisations.people import make_cast

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "impact"
IMPACT_SOURCES = ("ons-area-codes", "iod2019", "iod2025", "nspl", "postcodes-derived-lsoa-wmca")


@pytest.fixture(scope="package")
def impact_geography(django_db_setup, django_db_blocker, shared_data_dir):
    with django_db_blocker.unblock():
        clear_geography()
        load_sources(IMPACT_SOURCES, shared_data_dir)
    yield
    with django_db_blocker.unblock():
        clear_geography()


@pytest.fixture(autouse=True)
def held_files(settings, tmp_path) -> Path:
    folder = tmp_path / "held"
    settings.IMPACT_UPLOADS_DIR = folder
    return folder


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
