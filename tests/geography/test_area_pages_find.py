"""The find-an-area page on hand-made areas: name search ranking, postcode reasons, the
list of local authorities by region, escaping. Real postcodes: test_area_pages_real.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vcsehub.geography.area_selectors import area_search
from vcsehub.geography.models import Area


@pytest.fixture
def areas(db):
    Area.objects.create(type="rgn", code="E12000005", name="West Midlands", source_id="t")
    Area.objects.create(type="rgn", code="E12000004", name="East Midlands", source_id="t")
    for code, name, region in [
        ("E08000025", "Birmingham", "E12000005"),
        ("E08000026", "Coventry", "E12000005"),
        ("E06000015", "Derby", "E12000004"),
        ("E07000234", "Bromsgrove", "E12000005"),
    ]:
        Area.objects.create(
            type="lad", code=code, name=name, lad_code=code, region_code=region, source_id="t"
        )
    # A district abolished in 2020, now part of Birmingham (made up for the test).
    Area.objects.create(
        type="lad",
        code="E07000999",
        name="Old Brum",
        lad_code="E08000025",
        region_code="E12000005",
        source_id="t",
    )
    Area.objects.create(
        type="ward",
        code="E05011121",
        year=2018,
        name="Birmingham Park",
        lad_code="E08000025",
        source_id="t",
    )
    Area.objects.create(
        type="ward",
        code="E05000001",
        year=2016,
        name="Old Birmingham Ward",
        lad_code="E08000025",
        source_id="t",
    )
    Area.objects.create(
        type="ward",
        code="E05000002",
        year=2016,
        name="Sparkbrook",
        lad_code="E08000025",
        source_id="t",
    )
    Area.objects.create(
        type="ward",
        code="E05000002",
        year=2018,
        name="Sparkbrook",
        lad_code="E08000025",
        source_id="t",
    )
    # Small areas are not places to find by name.
    Area.objects.create(
        type="lsoa11", code="E01009000", name="Birmingham 001A", lad_code="E08000025", source_id="t"
    )


def test_name_search_ranks_exact_then_prefix_then_contains(areas):
    names = [a.name for a in area_search(query="birmingham")]
    assert names == ["Birmingham", "Birmingham Park", "Old Birmingham Ward"]
    assert [a.name for a in area_search(query="  SPARK ")] == [
        "Sparkbrook"
    ]  # one row per ward code
    assert area_search(query="Sparkbrook")[0].year == 2018  # the latest year of that code
    assert area_search(query="") == []


def test_index_page_lists_local_authorities_by_region(client, areas):
    html = client.get(reverse("geography:index")).content.decode()
    assert (
        html.index("<h3>East Midlands</h3>")
        < html.index("Derby")
        < html.index("<h3>West Midlands</h3>")
    )
    assert (
        html.index("<h3>West Midlands</h3>")
        < html.index(">Birmingham<")
        < html.index(">Bromsgrove<")
    )
    assert f'href="{reverse("geography:area", args=["E08000025"])}"' in html
    assert '<form method="get"' in html and '<label for="q">' in html


def test_index_page_name_search(client, areas):
    html = client.get(reverse("geography:index"), {"q": "birm"}).content.decode()
    assert "3 places found." in html
    assert f'href="{reverse("geography:area", args=["E05011121"])}"' in html


def test_nothing_found_gives_the_reason(client, areas):
    html = client.get(reverse("geography:index"), {"q": "Atlantis"}).content.decode()
    assert "No local authority or ward name contains “Atlantis”." in html


def test_invalid_postcode_gives_the_reason(client, areas):
    html = client.get(reverse("geography:index"), {"q": "B1"}).content.decode()
    assert "Not a valid postcode. It is too short to be a full postcode" in html


def test_valid_postcode_not_loaded_says_so(client, areas):
    html = client.get(reverse("geography:index"), {"q": "b11 1aa"}).content.decode()
    assert (
        "B11 1AA: This is a valid postcode, but it is not in the postcode directories loaded here."
        in html
    )


def test_hostile_query_is_escaped(client, areas):
    html = client.get(
        reverse("geography:index"), {"q": "<script>alert(1)</script>"}
    ).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_former_district_is_not_listed_but_found_with_its_successor(client, areas):
    html = client.get(reverse("geography:index")).content.decode()
    assert "Old Brum" not in html
    html = client.get(reverse("geography:index"), {"q": "old brum"}).content.decode()
    assert "Former local authority, now part of" in html
    assert f'href="{reverse("geography:area", args=["E08000025"])}">Birmingham</a>' in html
    page = client.get(reverse("geography:area", args=["E07000999"])).content.decode()
    assert "Old Brum is no longer a local authority: it is now part of" in page
