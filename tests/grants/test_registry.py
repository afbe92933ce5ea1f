"""The registry import: every listed file fetched over HTTP, each its own run with its own licence."""

from __future__ import annotations

from pathlib import Path

from vcsehub.grants.importers.registry import local_copies
from vcsehub.grants.models import Dataset, Grant, Publisher
from vcsehub.grants.services import registry_import
from vcsehub.sources.models import ImportRun

REGISTRY = "360giving-grants/registry/data_original.json"
# Registry identifiers whose files are stored in shared/data (360giving-grants/SOURCE.md).
STORED = {
    "a002400000OiDBQAA3": (4116, "Creative Commons Attribution 4.0"),
    "a002400000nO46WAAS": (870, "Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    "a001p00000zgyHZAAY": (783, "Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    "a003W000001B7PzQAK": (475, "Creative Commons Attribution 4.0 International (CC BY 4.0)"),
}


def served_copies(shared_data_dir: Path, data_server, broken: str | None = None):
    """Point each registry entry at the loopback server's copy of its file (or a 404)."""
    find = local_copies(shared_data_dir)

    def location_for(entry: dict) -> str | None:
        if entry.get("identifier") == broken:
            return data_server.url("_test/404")
        local = find(entry)
        return data_server.url(Path(local).relative_to(shared_data_dir)) if local else None

    return location_for


def test_registry_imports_each_stored_file_with_its_own_licence(
    standard, shared_data_dir, data_server
):
    run, outcomes = registry_import(
        locations=[data_server.url(REGISTRY)],
        location_for=served_copies(shared_data_dir, data_server),
    )
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.rows_loaded == Dataset.objects.count() == 323
    assert Publisher.objects.count() == 170
    imported = {o.identifier: o.run for o in outcomes if o.run}
    assert set(imported) == set(STORED)
    for identifier, (count, licence) in STORED.items():
        file_run = imported[identifier]
        assert file_run.status == ImportRun.Status.SUCCEEDED, file_run.error
        assert file_run.rows_loaded == count
        assert file_run.licence == licence
        assert Grant.objects.filter(dataset__identifier=identifier).count() == count
    assert sum(1 for o in outcomes if o.run is None) == 323 - len(STORED)
    # The ABCT registry entry points at an .xlsx file, so its spreadsheet copy was read.
    assert imported["a001p00000zgyHZAAY"].locations[0].endswith(".xlsx")


def test_a_file_that_fails_does_not_stop_the_others(standard, shared_data_dir, data_server):
    run, outcomes = registry_import(
        locations=[data_server.url(REGISTRY)],
        location_for=served_copies(shared_data_dir, data_server, broken="a003W000001B7PzQAK"),
        only=set(STORED),
    )
    by_id = {o.identifier: o.run for o in outcomes if o.run}
    assert by_id["a003W000001B7PzQAK"].status == ImportRun.Status.FAILED
    assert "404" in by_id["a003W000001B7PzQAK"].error
    assert all(
        by_id[i].status == ImportRun.Status.SUCCEEDED for i in STORED if i != "a003W000001B7PzQAK"
    )
    assert "1 failed" in run.log


def test_with_a_data_folder_the_stored_copies_are_read(standard, shared_data_dir):
    run, outcomes = registry_import(data_dir=shared_data_dir, only={"a003W000001B7PzQAK"})
    assert run.status == ImportRun.Status.SUCCEEDED
    [done] = [o for o in outcomes if o.run]
    assert done.run.status == ImportRun.Status.SUCCEEDED and done.run.rows_loaded == 475
    assert Dataset.objects.get(identifier="a003W000001B7PzQAK").last_run == done.run
