"""Fixtures for the grants tests: the 360Giving schema loaded from shared/data, file paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.geography.conftest import clear_geography
from tests.grants.grant_data import load_geography
from vcsehub.grants.services import standard_import
from vcsehub.sources.models import ImportRun

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "grants"


@pytest.fixture
def standard(db, shared_data_dir: Path) -> ImportRun:
    """The 360Giving 1.4.3 schemas, imported as the app imports them."""
    run = standard_import(data_dir=shared_data_dir)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return run


def pytest_collection_modifyitems(items) -> None:
    """Run the modules that use grants_geography last in this package, so the geography
    is loaded once, and the other modules' imports do not place grants against it."""
    mine = [i for i, item in enumerate(items) if HERE in Path(str(item.path)).parents]
    ours = [items[i] for i in mine]
    ordered = [t for t in ours if "grants_geography" not in t.fixturenames] + [
        t for t in ours if "grants_geography" in t.fixturenames
    ]
    for i, item in zip(mine, ordered, strict=True):
        items[i] = item


@pytest.fixture(scope="package")
def grants_geography(django_db_setup, django_db_blocker, shared_data_dir: Path):
    """The real geography grants are placed with, loaded once for the tests/grants package
    (not once per module) and removed when the package's last test has run."""
    with django_db_blocker.unblock():
        load_geography(shared_data_dir)
    yield
    with django_db_blocker.unblock():
        clear_geography()


@pytest.fixture(scope="session")
def grants_dir(shared_data_dir: Path) -> Path:
    return shared_data_dir / "360giving-grants"


@pytest.fixture(scope="session")
def dq_fixtures_dir(shared_data_dir: Path) -> Path:
    return shared_data_dir / "360giving-test-fixtures"


@pytest.fixture(scope="session")
def schema_folder(shared_data_dir: Path) -> Path:
    return shared_data_dir / "360giving-standard" / "schema-1.4.3"


@pytest.fixture(scope="session")
def loaded_schema(shared_data_dir: Path):
    """GrantSchema and validators built straight from the files (no database needed)."""
    import json

    from vcsehub.grants.schema import GrantSchema
    from vcsehub.grants.validation import SchemaValidator

    folder = shared_data_dir / "360giving-standard" / "schema-1.4.3"
    grant = json.loads((folder / "360-giving-schema.json").read_text())
    package = json.loads((folder / "360-giving-package-schema.json").read_text())
    return GrantSchema(grant, package), SchemaValidator(grant)
