"""The facet index (used when a search matches many charities) counts what the database counts.

On the real samples every text search is small, so the database does the counting. Here
the thresholds are set to 0 so that the same searches go through the facet index, and the
totals, counts, first-page exact matches and filters must come out the same.
"""

from __future__ import annotations

import pytest

from vcsehub.charities import search
from vcsehub.charities.importers.ccni import CcniImporter
from vcsehub.charities.models import Charity
from vcsehub.charities.search import organisation_search
from vcsehub.charities.search_facets import facet_index, facet_index_reset

pytestmark = pytest.mark.django_db

SEARCHES = [
    {"q": "church"},
    {"q": "cancer", "register": "NI"},
    {"q": "trust", "status": "registered"},
    {"q": "the", "income_band": "none"},
    {"q": "community", "classification": "105"},
    {"q": "religion", "classification": "the advancement of religion"},
    {"q": "100002"},
    {"q": "GB-NIC-100002"},
]


@pytest.fixture
def registers(registers_module, db):
    facet_index_reset()
    yield registers_module
    facet_index_reset()


def summary(result):
    return (
        result.total,
        {
            name: [(f.value, f.label, f.count) for f in values]
            for name, values in result.facets.items()
        },
    )


@pytest.mark.parametrize("params", SEARCHES)
@pytest.mark.parametrize("rank_exact_max", [10_000, 0])
def test_index_counts_equal_database_counts(registers, monkeypatch, params, rank_exact_max):
    by_database = organisation_search(page_size=100, **params)
    monkeypatch.setattr(search, "SQL_FACETS_MAX", -1)
    monkeypatch.setattr(search, "RANK_EXACT_MAX", rank_exact_max)
    by_index = organisation_search(page_size=100, **params)
    assert summary(by_index) == summary(by_database)
    assert {c.pk for c in by_index.items} == {c.pk for c in by_database.items}
    if rank_exact_max:  # the same relevance ranking
        assert [c.pk for c in by_index.items] == [c.pk for c in by_database.items]
    if params["q"] in ("100002", "GB-NIC-100002"):
        assert by_index.items[0].org_id == "GB-NIC-100002"


def test_index_pages_do_not_repeat(registers, monkeypatch):
    monkeypatch.setattr(search, "SQL_FACETS_MAX", -1)
    monkeypatch.setattr(search, "RANK_EXACT_MAX", 0)
    first = organisation_search(q="church", page=1, page_size=5)
    second = organisation_search(q="church", page=2, page_size=5)
    assert first.total == second.total > 10
    assert not set(first.items) & set(second.items)


def test_browsing_lists_by_name(registers):
    result = organisation_search(register="ccew", page_size=10)
    expected = list(Charity.objects.filter(register="ccew").order_by("name", "org_id")[:10])
    assert result.items == expected
    assert result.facets["classification"]  # counted for any number of matches


def test_the_index_follows_a_new_import(registers, ccni_path):
    before = facet_index()
    assert CcniImporter(locations=[ccni_path]).run().status == "succeeded"
    assert facet_index() is not before


def test_the_index_follows_edits_after_a_reset(registers):
    facet_index()
    Charity.objects.filter(register="ccni").update(status="removed")
    facet_index_reset()  # as the index's contract asks of code that edits rows in place
    statuses = {f.value: f.count for f in organisation_search(register="ni").facets["status"]}
    assert statuses == {"removed": 365}
