"""SVG choropleth maps and bar charts: structure, projection, escaping, real boundaries."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from vcsehub.analytics.charts import decile_bar_chart_svg
from vcsehub.analytics.maps import MapArea, choropleth_svg, fit_projection, label_point, polygons_of
from vcsehub.analytics.palette import DECILE_COLOURS

SVG = "{http://www.w3.org/2000/svg}"


def square(lon, lat, size=0.01):
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own SVG output, not untrusted input


def test_one_path_per_area_with_title_naming_it():
    areas = [
        MapArea("E01000001", "Alpha 001A", square(-1.9, 52.4), 1),
        MapArea("E01000002", "Beta 001B", square(-1.89, 52.4), 7),
        MapArea("E01000003", "Gamma 001C", square(-1.88, 52.4), None),
    ]
    root = parse(choropleth_svg(areas=areas, title="Test map", description="Three squares"))
    paths = root.findall(f"{SVG}g[@class='areas']/{SVG}path")
    assert len(paths) == 3
    titles = [p.find(f"{SVG}title").text for p in paths]
    assert titles == [
        "Alpha 001A (E01000001): decile 1",
        "Beta 001B (E01000002): decile 7",
        "Gamma 001C (E01000003): no data",
    ]
    # Decile 1 and no data use patterns (not colour alone); decile 7 its palette colour.
    assert paths[0].get("fill") == "url(#map-d1)"
    assert paths[1].get("fill") == DECILE_COLOURS[7]
    assert paths[2].get("fill") == "url(#map-dnone)"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Test map"
    assert root.find(f"{SVG}desc").text == "Three squares"


def test_legend_names_every_decile_in_text_with_counts():
    areas = [
        MapArea(f"E0{i}", f"A{i}", square(-1.9 + i * 0.01, 52.4), d)
        for i, d in enumerate([1, 1, 4])
    ]
    svg = choropleth_svg(areas=areas, title="t", description="d")
    legend = parse(svg).find(f"{SVG}g[@class='legend']")
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert "1 most deprived 10% (2)" in texts
    assert "4 (1)" in texts
    assert "10 least deprived 10% (0)" in texts
    assert "No data" not in " ".join(texts)  # only listed when some area has no data


def test_decile_numbers_printed_inside_areas_big_enough():
    areas = [MapArea("E1", "Big", square(-1.9, 52.4, size=0.2), 3)]
    root = parse(choropleth_svg(areas=areas, title="t", description="d"))
    labels = [t.text for t in root.find(f"{SVG}g[@class='labels']")]
    assert labels == ["3"]


def test_hostile_names_are_escaped():
    hostile = '<script>alert("x")</script>'
    areas = [MapArea("E1", hostile, square(-1.9, 52.4), 2)]
    svg = choropleth_svg(areas=areas, title=hostile, description=hostile, id_prefix='"><x')
    assert "<script>" not in svg
    root = parse(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == hostile


def test_projection_scales_longitude_by_cos_latitude():
    # One degree square at latitude 60 (cos = 0.5): drawn twice as tall as wide.
    polys = [polygons_of(square(0.0, 59.5, size=1.0))]
    projection, height = fit_projection(polys, width=100, max_height=1000)
    x0, y0 = projection(0.0, 60.5)
    x1, y1 = projection(1.0, 59.5)
    assert round(x1 - x0, 1) == pytest.approx(100 * 1, abs=0.5)  # fits the width
    assert round(y1 - y0) == pytest.approx(200, abs=1.0)  # 1 / cos(60°) times as tall
    assert height == pytest.approx(200, abs=1.0)


def test_multipolygon_and_bad_geometry():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [square(-1.9, 52.4)["coordinates"], square(-1.8, 52.4)["coordinates"]],
    }
    root = parse(
        choropleth_svg(areas=[MapArea("E1", "Two parts", multi, 5)], title="t", description="d")
    )
    d = root.find(f"{SVG}g[@class='areas']/{SVG}path").get("d")
    assert d.count("M") == 2
    with pytest.raises(ValueError, match="Point"):
        choropleth_svg(
            areas=[MapArea("E1", "x", {"type": "Point", "coordinates": [0, 0]}, 1)],
            title="t",
            description="d",
        )
    with pytest.raises(ValueError, match="nothing to draw"):
        choropleth_svg(areas=[], title="t", description="d")


def test_label_point_is_inside_a_c_shape():
    # A "C" opening to the right: its centroid lies in the gap, the label must not.
    ring = [(0, 0), (10, 0), (10, 2), (2, 2), (2, 8), (10, 8), (10, 10), (0, 10), (0, 0)]
    (x, y), width, height = label_point([ring])
    assert (x, y) == (pytest.approx(1.0), pytest.approx(5.0))  # middle of the C's spine
    assert width == pytest.approx(2.0) and height == 10


def test_bar_chart_labels_every_bar_in_text():
    counts = {1: 264, 2: 96, 3: 0}
    root = parse(decile_bar_chart_svg(counts=counts, title="Bars <b>", description="d"))
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 10
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "264" in texts and "96" in texts
    assert all(str(d) in texts for d in range(1, 11))  # every decile named on the axis
    assert rects[0].find(f"{SVG}title").text == "Decile 1: 264 small areas"
    assert rects[2].get("height") == "0.0"
    assert root.find(f"{SVG}title").text == "Bars <b>"


def test_real_birmingham_lsoa21_boundaries(shared_data_dir):
    path = shared_data_dir / "boundaries-wmca-drkane" / "lsoa_E47000007_west_midlands_ca.geojson"
    features = [
        f
        for f in json.loads(path.read_text())["features"]
        if f["properties"]["LADCD_ACTIVE"] == "E08000025"
    ]
    areas = [
        MapArea(
            f["properties"]["LSOA21CD"], f["properties"]["LSOA21NM"], f["geometry"], (i % 10) + 1
        )
        for i, f in enumerate(features)
    ]
    svg = choropleth_svg(areas=areas, title="Birmingham", description="LSOA 2021")
    root = parse(svg)
    paths = root.findall(f"{SVG}g[@class='areas']/{SVG}path")
    assert len(paths) == 659
    assert all(
        re.fullmatch(r"Birmingham \d{3}[A-Z] \(E0\d{7}\): decile \d+", p.find(f"{SVG}title").text)
        for p in paths
    )
    # Coordinates stay inside the viewBox.
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    numbers = [float(n) for p in paths for n in re.findall(r"-?\d+\.\d", p.get("d"))]
    assert min(numbers) >= 0 and max(numbers) <= max(width, height)
    assert len(svg) < 600_000  # simplified to the pixel grid
