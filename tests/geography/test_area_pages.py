"""Area pages, CSV and map on a small hand-made place whose figures are worked out by hand.

Testham (a made-up district) has three 2011 small areas and three 2021 ones:
  2011: A decile 1 pop 100, B decile 2 pop 300, C decile 9 pop 600   (N 3, pop 1,000)
  2021: A decile 1 pop 110, B2 decile 3 pop 290, D no decile pop 500 (N 2, 1 missing)
IoD2019: 1 of 3 areas in decile 1 (33.3%), 2 in deciles 1–2; residents in deciles 1–2:
400 / 1,000 = 40.0%; in decile 1: 10.0%.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from vcsehub.geography.models import Area, Boundary, Deprivation, Population, Postcode

LAD = "E08900001"


def square(lon, lat, size=0.01):
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def make_place(name="Testham", lad=LAD):
    Area.objects.create(type="ctry", code="E92000001", name="England", source_id="t")
    Area.objects.create(
        type="rgn", code="E12000005", name="West Midlands", country_code="E92000001", source_id="t"
    )
    Area.objects.create(
        type="cauth",
        code="E47000007",
        name="West Midlands Combined Authority",
        region_code="E12000005",
        source_id="t",
    )
    Area.objects.create(
        type="lad",
        code=lad,
        name=name,
        lad_code=lad,
        cauth_code="E47000007",
        region_code="E12000005",
        country_code="E92000001",
        source_id="t",
    )
    Area.objects.create(
        type="ward",
        code="E05900001",
        year=2025,
        name="Testham Central",
        lad_code=lad,
        source_id="t",
    )
    for code, nm, decile, people in [
        ("E01900001", "Testham 001A", 1, 100),
        ("E01900002", "Testham 001B", 2, 300),
        ("E01900003", "Testham 002A", 9, 600),
    ]:
        Area.objects.create(type="lsoa11", code=code, name=nm, lad_code=lad, source_id="t")
        Deprivation.objects.create(
            index="imd2019", area_code=code, rank=decile * 3000, decile=decile, source_id="iod2019"
        )
        Population.objects.create(
            edition="mid2015", area_code=code, total=people, source_id="iod2019"
        )
    for i, (code, nm, decile, people) in enumerate(
        [
            ("E01900001", "Testham 001A", 1, 110),
            ("E01900004", "Testham 001C", 3, 290),
            ("E01900005", "Testham 002B", None, 500),
        ]
    ):
        Area.objects.create(type="lsoa21", code=code, name=nm, lad_code=lad, source_id="t")
        if decile:
            Deprivation.objects.create(
                index="imd2025",
                area_code=code,
                rank=decile * 3000,
                decile=decile,
                source_id="iod2025",
            )
        Population.objects.create(
            edition="census2021", area_code=code, total=people, source_id="census2021-population"
        )
        Boundary.objects.create(
            area_type="lsoa21",
            area_code=code,
            name=nm,
            lad_code=lad,
            geometry=square(-1.9 + i * 0.01, 52.4),
            source_id="boundaries-wmca",
        )


@pytest.fixture
def place(db):
    make_place()


def test_area_page_shows_hand_worked_figures(client, place):
    response = client.get(reverse("geography:area", args=[LAD]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Testham</h1>" in html
    assert (
        "1 of Testham&#x27;s 3 small areas (33.3%) are among the 10% most deprived in England (IoD2019, 2011 areas)."
        in html
    )
    assert (
        "40.0% of Testham&#x27;s residents (mid-2015 population, IoD2019 denominators, 1,000 people)"
        in html
    )
    # IoD2025: D has no decile → N 2, missing 1; A (110) of 400 people in decile 1 = 27.5%.
    assert "1 of Testham&#x27;s 2 small areas (50.0%)" in html
    assert "27.5% of Testham&#x27;s residents (Census 2021 usual residents, 400 people)" in html
    assert "1 have no decile in IoD2025, 2021 areas and are left out" in html
    # Census total counts every 2021 area with a count, decile or not.
    assert re.search(r"Census 2021 usual residents</th>\s*<td class=\"num\">900</td>", html)
    # Parents linked; country named without a page.
    assert reverse("geography:area", args=["E47000007"]) in html
    assert reverse("geography:area", args=["E12000005"]) in html
    # Attribution of each source used.
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0."
        in html
    )
    # Ward listed.
    assert reverse("geography:area", args=["E05900001"]) in html


def test_map_has_one_path_per_small_area_with_titles(client, place):
    html = client.get(reverse("geography:area", args=[LAD])).content.decode()
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" viewBox') :]
    svg = svg[svg.index('class="map"') :]
    areas = svg[svg.index('<g class="areas"') : svg.index("</g>")]
    assert areas.count("<path ") == 3
    assert "<title>Testham 001A (E01900001): decile 1</title>" in areas
    assert "<title>Testham 002B (E01900005): no data</title>" in areas


def test_csv_holds_exactly_the_table_on_the_page(client, place):
    response = client.get(reverse("geography:area_csv", args=[LAD]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "LSOA code"
    body = {r[0]: r[1:] for r in rows[1:]}
    assert body == {
        "E01900001": ["Testham 001A", "1", "1", "100", "110"],
        "E01900002": ["Testham 001B", "2", "", "300", ""],
        "E01900003": ["Testham 002A", "9", "", "600", ""],
        "E01900004": ["Testham 001C", "", "3", "", "290"],
        "E01900005": ["Testham 002B", "", "no data", "", "500"],
    }
    html = client.get(reverse("geography:area", args=[LAD])).content.decode()
    table = html[html.index("<caption>Small areas in Testham</caption>") :]
    page_rows = re.findall(
        r"<tr>\s*<th scope=\"row\">(E\d+)</th>\s*<td>([^<]*)</td>(.*?)</tr>", table, re.S
    )
    assert len(page_rows) == 5
    for code, name, cells in page_rows:
        values = [c.strip() for c in re.findall(r"<td class=\"num\">(.*?)</td>", cells)]
        values = ["" if v == "–" else v.replace(",", "") for v in values]
        assert [name, *values] == body[code]


def test_unknown_code_is_404(client, db):
    assert client.get(reverse("geography:area", args=["E08000099"])).status_code == 404
    assert client.get(reverse("geography:area_csv", args=["E08000099"])).status_code == 404


def test_hostile_area_name_is_escaped(client, db):
    make_place(name='<script>alert("x")</script>')
    response = client.get(reverse("geography:area", args=[LAD]))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_area_without_boundaries_says_so(client, place):
    Boundary.objects.all().delete()
    html = client.get(reverse("geography:area", args=[LAD])).content.decode()
    assert "There is no map for Testham: no small-area boundaries are loaded for it." in html
    assert client.get(reverse("geography:area_map_svg", args=[LAD])).status_code == 404


def test_map_svg_download(client, place):
    response = client.get(reverse("geography:area_map_svg", args=[LAD]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own SVG
    assert (
        len(
            root.findall(
                "{http://www.w3.org/2000/svg}g[@class='areas']/{http://www.w3.org/2000/svg}path"
            )
        )
        == 3
    )


def test_ward_small_areas_are_derived_from_postcodes(client, place):
    # Postcodes of the derived source: A has 3 in the ward and 1 outside → the ward's;
    # B2 (E01900004) has 1 in the ward and 2 in a neighbour → not the ward's.
    rows = [("E01900001", "E05900001")] * 3 + [("E01900001", "E05900002")]
    rows += [("E01900004", "E05900001")] + [("E01900004", "E05900002")] * 2
    for i, (lsoa, ward) in enumerate(rows):
        Postcode.objects.create(
            postcode=f"TT1 {i}AA",
            source_id="postcodes-derived-lsoa-wmca",
            lsoa21=lsoa,
            lsoa11=lsoa if lsoa == "E01900001" else "E01900002",
            ward_code=ward,
            ward_year=2025,
        )
    html = client.get(reverse("geography:area", args=["E05900001"])).content.decode()
    assert "Derived figures." in html
    assert (
        "1 of Testham Central&#x27;s 1 small areas (100.0%)" in html
    )  # only A, decile 1 in both editions
    assert "2 small areas (IoD2019, 2011 areas) hold some of the ward's 4 postcodes." in html
    assert "We count 1 of them in this ward" in html
    assert "derived, not official" in html


def test_ward_with_no_postcodes_says_so(client, place):
    html = client.get(reverse("geography:area", args=["E05900001"])).content.decode()
    assert "No postcodes with a small area are loaded for this ward" in html


def test_combined_authority_page_gathers_its_districts(client, place):
    html = client.get(reverse("geography:area", args=["E47000007"])).content.decode()
    assert "1 of West Midlands Combined Authority&#x27;s 3 small areas (33.3%)" in html
    assert reverse("geography:area", args=[LAD]) in html
