"""Fixtures for the charity tests: the real register samples in shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from vcsehub.charities.importers.ccew import CcewImporter
from vcsehub.charities.importers.ccni import CcniImporter
from vcsehub.charities.models import OrgIdLink
from vcsehub.charities.services import register_rows_delete
from vcsehub.charities.sources import CCEW_TABLES
from vcsehub.sources.models import ImportRun

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "charities"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def ccew_paths(shared_data_dir) -> list[Path]:
    folder = shared_data_dir / "ccew-sample"
    return [folder / f"publicextract.{table}.zip" for table in CCEW_TABLES]


@pytest.fixture(scope="session")
def ccni_path(shared_data_dir) -> Path:
    return shared_data_dir / "ccni-sample" / "charitydetails_test.csv"


@pytest.fixture
def ccew_loaded(db, ccew_paths):
    run = CcewImporter(locations=ccew_paths).run()
    assert run.status == "succeeded", run.error
    return run


@pytest.fixture
def ccni_loaded(db, ccni_path):
    run = CcniImporter(locations=[ccni_path]).run()
    assert run.status == "succeeded", run.error
    return run


@pytest.fixture(scope="module")
def registers_module(django_db_setup, django_db_blocker, ccew_paths, ccni_path):
    """Both real samples loaded once for a module's read-only tests, removed afterwards.

    Each test still runs in its own transaction, so changes a test makes are rolled back.
    """
    with django_db_blocker.unblock():
        runs = (CcewImporter(locations=ccew_paths).run(), CcniImporter(locations=[ccni_path]).run())
        assert all(run.status == "succeeded" for run in runs), [run.error for run in runs]
    yield runs
    with django_db_blocker.unblock():
        for register in ("ccew", "ccni"):
            register_rows_delete(register=register)
        OrgIdLink.objects.filter(import_run__in=runs).delete()
        # Only these runs, and without Django's delete collector (which would visit every
        # app's tables that point at ImportRun).
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {ImportRun._meta.db_table} WHERE id IN (%s, %s)",  # noqa: S608
                [run.pk for run in runs],
            )
