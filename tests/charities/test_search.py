"""organisation_search: one suite, run on SQLite (FTS5) and on PostgreSQL (tsvector + pg_trgm)."""

from __future__ import annotations

import pytest

from vcsehub.charities.models import Charity
from vcsehub.charities.search import organisation_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def registers(registers_module, db):
    return registers_module


def names(result) -> list[str]:
    return [charity.name for charity in result.items]


def test_cancer_in_northern_ireland_finds_the_real_ccni_charities(registers):
    result = organisation_search(q="cancer", register="NI")
    assert set(names(result)) == {
        "Cancer Lifeline",
        "Charis Cancer Care",
        "Lilac Cancer Support Ltd",
    }
    assert result.total == 3
    assert all(charity.org_id.startswith("GB-NIC-") for charity in result.items)


def test_prefix_and_partial_words(registers):
    assert "Cancer Lifeline" in names(organisation_search(q="canc lifel", register="ccni"))
    assert "Cancer Lifeline" in names(organisation_search(q="CANCER", register="ccni"))


def test_apostrophes_straight_and_curly(registers):
    for query in ("men's shed", "mens shed", "men’s shed"):
        assert "Newtownabbey Men's Shed" in names(organisation_search(q=query)), query
    assert any("Gwyn’s" in name for name in names(organisation_search(q="gwyn's charitable")))


def test_exact_number_and_org_id_come_first(registers):
    for query in ("100002", "GB-NIC-100002", "gb-nic-100002"):
        result = organisation_search(q=query)
        assert result.items[0].org_id == "GB-NIC-100002", query
    ccew = Charity.objects.get(org_id="GB-CHC-1173550")
    assert organisation_search(q="1173550").items[0] == ccew


def test_company_number_finds_the_charity(registers):
    charity = Charity.objects.exclude(company_number="").filter(register="ccni").first()
    result = organisation_search(q=f"GB-COH-{charity.company_number}")
    assert charity in result.items


def test_other_names_are_searched(registers):
    charity = Charity.objects.filter(register="ccew").exclude(other_names=[]).first()
    other = charity.other_names[0]["name"]
    assert charity in organisation_search(q=other, page_size=100).items


def test_empty_query_with_filters_lists_and_counts(registers):
    result = organisation_search(register="ccew", status="registered", page_size=5)
    assert result.total == Charity.objects.filter(register="ccew", status="registered").count()
    assert len(result.items) == 5
    assert {f.value: f.count for f in result.facets["register"]} == {"ccew": result.total}


def test_facets_count_each_filter_value(registers):
    result = organisation_search()
    registers_ = {f.value: f.count for f in result.facets["register"]}
    assert registers_ == {"ccew": 200, "ccni": 365}
    assert sum(f.count for f in result.facets["income_band"]) == 565
    assert "none" in {f.value for f in result.facets["income_band"]}  # missing is not zero
    statuses = {f.value: f.count for f in organisation_search(register="ni").facets["status"]}
    assert statuses == {"registered": 329, "removed": 36}


def test_classification_filter_by_code_and_label(registers):
    by_code = organisation_search(classification="105")
    by_label = organisation_search(classification="the advancement of religion", register="ccni")
    assert by_code.total > 0
    assert by_label.total == 91


def test_income_band_filter(registers):
    result = organisation_search(income_band="none", register="ccni")
    assert result.total == Charity.objects.filter(register="ccni", latest_income=None).count()
    assert all(charity.latest_income is None for charity in result.items)


def test_paging_does_not_repeat(registers):
    first = organisation_search(q="church", page=1, page_size=5)
    second = organisation_search(q="church", page=2, page_size=5)
    assert first.total == second.total > 10
    assert not set(first.items) & set(second.items)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"cancer',
        "cancer*",
        "*",
        "NEAR(cancer life)",
        "cancer NEAR life",
        "-cancer",
        "cancer -life",
        "a AND OR NOT b",
        "^cancer",
        "col:cancer",
        "'; DROP TABLE charities_charity; --",
        "<script>alert(1)</script>",
        "=cmd|' /C calc'!A0",
        "%_%",
        "x" * 500,
        "\x00",
        "🙂",
        "()",
        "GB-",
        "SC",
    ],
)
def test_hostile_queries_do_not_crash(registers, query):
    result = organisation_search(q=query)
    assert result.total >= 0
    assert Charity.objects.count() == 565


def test_cancer_with_quotes_and_star_still_finds_cancer(registers):
    assert organisation_search(q='"cancer"*', register="ni").total == 3
    assert organisation_search(q="cancer -", register="ni").total == 3


def test_unknown_filter_values_are_plain_errors(registers):
    with pytest.raises(ValueError, match="no register"):
        organisation_search(register="mars")
    with pytest.raises(ValueError, match="income band"):
        organisation_search(income_band="huge")
    with pytest.raises(ValueError, match="lad_mode"):
        organisation_search(lad_code="E08000025", lad_mode="near")


def test_lad_filters_based_and_works(registers):
    charity = Charity.objects.filter(register="ccew").first()
    Charity.objects.filter(pk=charity.pk).update(lad_code="E08000025")
    based = organisation_search(lad_code="E08000025")
    assert [c.pk for c in based.items] == [charity.pk]
    works = organisation_search(lad_code="E08000025", lad_mode="works")
    assert works.total == 0  # no area lookup loaded, so no area has a code
