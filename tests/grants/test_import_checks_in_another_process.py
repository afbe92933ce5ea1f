"""Checking a large file's grants in a second process gives the same report and grants.

The importer checks the grants of a large JSON file (schema and data quality checks) in a
forked process while it normalises and writes them itself (importers/checking.py). These
tests import real files both ways and compare every stored issue, in order, and every
grant.
"""

from __future__ import annotations

import pytest

from vcsehub.grants.importers import checking
from vcsehub.grants.models import Grant, ValidationIssue
from vcsehub.grants.services import grant_file_import
from vcsehub.sources.models import ImportRun

ISSUE_FIELDS = (
    "category",
    "severity",
    "code",
    "message",
    "path",
    "column",
    "sheet",
    "row",
    "count",
    "grants_affected",
    "examples",
)
FILES = [
    "360giving-grants/grantnav-test-data/a002400000OiDBQAA3.json",  # Lloyds: many errors
    "360giving-grants/grantnav-2016-sample/dulverton.json",
    "360giving-grants/dataquality-tools-data/a003W000001B7PzQAK.json",
    "360giving-test-fixtures/badfile_all_validation_errors.json",
    "360giving-test-fixtures/fundingproviders-grants-email.json",
    "360giving-test-fixtures/RecipientIndDEI.json",
    "360giving-test-fixtures/nulls.json",  # every grant refused
]


def _import(path, *, in_another_process: bool, monkeypatch, dataset: str):
    threshold = 0 if in_another_process else 1 << 62
    monkeypatch.setattr(checking, "PARALLEL_MIN_BYTES", threshold)
    run = grant_file_import(location=path, dataset=dataset, licence="CC-BY", allow_shrink=True)
    issues = list(ValidationIssue.objects.filter(run=run).order_by("id").values_list(*ISSUE_FIELDS))
    grants = list(
        Grant.objects.filter(run=run)
        .order_by("identifier")
        .values_list("identifier", "amount_awarded", "award_date", "place_method", "place_note")
    )
    return run, issues, grants


@pytest.mark.parametrize("relative", FILES, ids=[f.split("/")[-1] for f in FILES])
def test_same_report_and_grants_checked_in_another_process(
    standard, shared_data_dir, monkeypatch, relative
):
    path = shared_data_dir / relative
    alone, alone_issues, alone_grants = _import(
        path, in_another_process=False, monkeypatch=monkeypatch, dataset="alone"
    )
    beside, beside_issues, beside_grants = _import(
        path, in_another_process=True, monkeypatch=monkeypatch, dataset="beside"
    )
    assert (beside.status, beside.error) == (alone.status, alone.error)
    assert (beside.rows_read, beside.rows_loaded, beside.rows_rejected) == (
        alone.rows_read,
        alone.rows_loaded,
        alone.rows_rejected,
    )
    assert alone_issues, "the file should have problems to compare"
    assert beside_issues == alone_issues
    assert beside_grants == alone_grants


def test_same_report_when_the_file_breaks_off_part_way(
    standard, shared_data_dir, monkeypatch, tmp_path
):
    """A file cut short is refused; the problems of the grants before the break are kept,
    the same whether or not the checks ran in another process. (Package metadata is read
    only up to the grants, as for a file of over 200 MB, so the grants are read until the
    break.)"""
    from vcsehub.grants import reading

    monkeypatch.setattr(reading, "JSON_PACKAGE_KEYS_LIMIT", 0)
    whole = (shared_data_dir / FILES[0]).read_bytes()
    broken = tmp_path / "cut-short.json"
    broken.write_bytes(whole[: len(whole) * 3 // 5])
    alone, alone_issues, _ = _import(
        broken, in_another_process=False, monkeypatch=monkeypatch, dataset="alone"
    )
    beside, beside_issues, _ = _import(
        broken, in_another_process=True, monkeypatch=monkeypatch, dataset="beside"
    )
    assert alone.status == beside.status == ImportRun.Status.FAILED
    assert beside.error == alone.error
    assert alone.rows_read > 1000
    assert len(alone_issues) > 5
    assert beside_issues == alone_issues


def test_large_json_files_are_checked_in_another_process(standard, shared_data_dir, monkeypatch):
    from vcsehub.grants.reading import read_grant_file
    from vcsehub.grants.selectors import standard_current

    path = shared_data_dir / FILES[0]
    grant_file = read_grant_file(path, name=path.name, schema=standard_current().schema)
    monkeypatch.setattr(checking, "PARALLEL_MIN_BYTES", path.stat().st_size)
    monkeypatch.setattr(checking.os, "cpu_count", lambda: 2)
    assert checking.check_in_another_process(grant_file, path)
    monkeypatch.setattr(checking, "PARALLEL_MIN_BYTES", path.stat().st_size + 1)
    assert not checking.check_in_another_process(grant_file, path)
