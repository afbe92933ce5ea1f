"""Area pages, CSV, map and API on the real West Midlands data, loaded by our importers,
checked against figures computed straight from the official files (tests/analytics/iod_csv.py)."""

from __future__ import annotations

import csv
import io
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

import pytest
from django.urls import reverse

from tests.analytics.iod_csv import iod2019_by_lad, iod2025_by_lad_name

pytestmark = pytest.mark.usefixtures("geography_loaded")

BIRMINGHAM = "E08000025"
SVG = "{http://www.w3.org/2000/svg}"
PUBLISHED_2019 = {  # shared/docs/data-geography.md: % of mid-2015 population in deciles 1–2
    "E08000025": ("Birmingham", 58.2),
    "E08000028": ("Sandwell", 60.3),
    "E08000030": ("Walsall", 52.3),
    "E08000031": ("Wolverhampton", 51.7),
    "E08000027": ("Dudley", 27.7),
    "E08000026": ("Coventry", 25.5),
    "E08000029": ("Solihull", 15.7),
}


@pytest.fixture
def birmingham_html(client, db):
    started = time.perf_counter()
    response = client.get(reverse("geography:area", args=[BIRMINGHAM]))
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(f"Birmingham page rendered in {elapsed_ms:.0f} ms, {len(response.content):,} bytes")
    assert response.status_code == 200
    return response.content.decode()


def test_birmingham_page_shows_the_published_figures(birmingham_html):
    html = birmingham_html
    assert (
        "264 of Birmingham&#x27;s 639 small areas (41.3%) are among the 10% most deprived in England (IoD2019, 2011 areas)."
        in html
    )
    assert (
        "58.2% of Birmingham&#x27;s residents (mid-2015 population, IoD2019 denominators, 1,112,305 people)"
        in html
    )
    assert "Census 2021 usual residents" in html and "1,144,903" in html
    assert "West Midlands" in html and reverse("geography:area", args=["E47000007"]) in html
    assert "Contains OS data © Crown copyright and database right 2025" in html


def test_birmingham_decile_tables_match_the_official_files(birmingham_html, shared_data_dir):
    counts_2019 = Counter(decile for _, _, decile, _ in iod2019_by_lad(shared_data_dir)[BIRMINGHAM])
    counts_2025 = Counter(
        decile for _, _, decile, _ in iod2025_by_lad_name(shared_data_dir)["Birmingham"]
    )
    assert sum(counts_2025.values()) == 659
    for key, counts in (("imd2019", counts_2019), ("imd2025", counts_2025)):
        section = birmingham_html[birmingham_html.index(f'id="dep-{key}"') :]
        section = section[: section.index("</table>")]
        for decile in range(1, 11):
            label = {1: "1 (most deprived 10%)", 10: "10 (least deprived 10%)"}.get(
                decile, str(decile)
            )
            row = section[section.index(f'<th scope="row">{label}</th>') :]
            first_cell = row[row.index('<td class="num">') + 16 : row.index("</td>")]
            assert first_cell == f"{counts[decile]:,}", (key, decile)


def test_birmingham_map_has_one_path_per_2021_small_area(birmingham_html):
    start = birmingham_html.index(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox', birmingham_html.index('id="map"')
    )
    svg = birmingham_html[start : birmingham_html.index("</svg>", start) + 6]
    root = ET.fromstring(svg)  # noqa: S314 - our own SVG
    paths = root.findall(f"{SVG}g[@class='areas']/{SVG}path")
    assert len(paths) == 659
    titles = [p.find(f"{SVG}title").text for p in paths]
    assert all(t.startswith("Birmingham ") and "(E01" in t and "decile" in t for t in titles)
    assert "Not drawn (no boundary loaded): 0." in birmingham_html


def test_birmingham_csv_matches_the_files_and_the_page(
    client, db, shared_data_dir, birmingham_html
):
    response = client.get(reverse("geography:area_csv", args=[BIRMINGHAM]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_code = {r["LSOA code"]: r for r in rows}
    official_2019 = {c: (d, p) for c, _, d, p in iod2019_by_lad(shared_data_dir)[BIRMINGHAM]}
    official_2025 = {c: (d, p) for c, _, d, p in iod2025_by_lad_name(shared_data_dir)["Birmingham"]}
    assert set(by_code) == set(official_2019) | set(official_2025)
    for code, row in by_code.items():
        d19, p15 = official_2019.get(code, ("", ""))
        d25, p21 = official_2025.get(code, ("", ""))
        assert (
            row["IMD 2019 decile (2011 areas)"],
            row["Population mid-2015 (IoD2019 denominators)"],
        ) == (
            str(d19),
            str(p15),
        )
        assert (row["IMD 2025 decile (2021 areas)"], row["Census 2021 usual residents"]) == (
            str(d25),
            str(p21),
        )
    assert f"Show all {len(rows):,} small areas" in birmingham_html


@pytest.mark.parametrize("lad", sorted(PUBLISHED_2019))
def test_api_population_weighted_share_for_each_met_district(client, db, lad):
    name, expected = PUBLISHED_2019[lad]
    data = client.get(f"/api/v1/areas/{lad}").json()
    assert data["name"] == name
    iod2019 = next(d for d in data["deprivation"] if d["edition"] == "imd2019")
    assert iod2019["share_of_residents_deciles_1_2"] == expected
    assert iod2019["missing"] == 0


def test_api_birmingham(client, db):
    data = client.get(f"/api/v1/areas/{BIRMINGHAM}").json()
    assert data["type"] == "lad"
    assert [p["code"] for p in data["parents"]] == ["E47000007", "E12000005", "E92000001"]
    editions = {d["edition"]: d for d in data["deprivation"]}
    assert editions["imd2019"]["n"] == 639
    assert editions["imd2019"]["small_areas_decile_1"] == 264
    assert editions["imd2019"]["small_areas_deciles_1_2"] == 360
    assert editions["imd2025"]["n"] == 659
    assert (
        editions["imd2025"]["share_of_small_areas_decile_1"] == 42.8
    )  # official LAD summary: 42.79%
    population = {p["edition"]: p for p in data["population"]}
    assert population["census2021"]["people"] == 1_144_903
    assert population["mid2015"]["people"] == 1_112_305


def test_ward_page_uses_best_fit_small_areas_from_postcodes(client, db, shared_data_dir):
    # Independent best fit from the derived postcode file: each LSOA21 to its commonest ward.
    ward = "E05011170"  # Sparkbrook & Balsall Heath East
    path = (
        shared_data_dir
        / "postcodes-derived-lsoa-wmca"
        / "derived_pcd_lsoa_ward_E08000025_birmingham.csv"
    )
    counts: dict[str, Counter] = defaultdict(Counter)
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            counts[row["lsoa21cd_derived"]][row["wd25cd_derived"]] += 1
    expected = sorted(
        lsoa
        for lsoa, wards in counts.items()
        if min(wards.items(), key=lambda kv: (-kv[1], kv[0]))[0] == ward
    )
    assert expected
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("geography:area_csv", args=[ward])).content.decode("utf-8-sig")
            )
        )
    )
    in_2021 = sorted(r["LSOA code"] for r in rows if r["IMD 2025 decile (2021 areas)"])
    assert in_2021 == expected
    html = client.get(reverse("geography:area", args=[ward])).content.decode()
    assert "Derived figures." in html
    assert "Sparkbrook &amp; Balsall Heath East" in html
    assert reverse("geography:area", args=[BIRMINGHAM]) in html


def test_birmingham_lists_its_69_wards(birmingham_html):
    assert "69 wards." in birmingham_html


def test_find_official_postcode_in_telford(client, db, shared_data_dir):
    # NSPL (official): TF1 1AA is in LSOA 2011 E01014145, Telford and Wrekin.
    decile = next(
        d for c, _, d, _ in iod2019_by_lad(shared_data_dir)["E06000020"] if c == "E01014145"
    )
    html = client.get(reverse("geography:index"), {"q": "tf11aa"}).content.decode()
    assert "TF1 1AA is in" in html and "Telford and Wrekin" in html
    assert "(E01014145)" in html
    assert f"IMD 2019 decile {decile} of 10 (IoD2019, 2011 areas)" in html
    assert f'href="{reverse("geography:area", args=["E06000020"])}"' in html
    assert "Contains Royal Mail data © Royal Mail copyright and database right 2021" in html


def test_find_derived_postcode_in_birmingham(client, db):
    html = client.get(reverse("geography:index"), {"q": "B1 1AA"}).content.decode()
    assert "(E01033625)" in html  # LSOA 2011 and 2021 from the derived file
    assert f'href="{reverse("geography:area", args=["E05011151"])}"' in html  # its ward has a page
    assert f'href="{reverse("geography:area", args=[BIRMINGHAM])}"' in html
    assert "derived, not official" in html
