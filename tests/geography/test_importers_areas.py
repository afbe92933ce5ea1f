"""Area codes, the LSOA lookup and boundaries."""

from __future__ import annotations

import json

import pytest

from vcsehub.geography.importers.area_codes import AreaCodesImporter
from vcsehub.geography.importers.boundaries import LadBoundariesImporter, WmcaBoundariesImporter
from vcsehub.geography.importers.lsoa_lookup import LsoaLookupImporter
from vcsehub.geography.models import Area, Boundary, LsoaLookup
from vcsehub.geography.simplify import count_points, simplify_geometry
from vcsehub.sources.models import ImportRun

pytestmark = pytest.mark.django_db
OK = ImportRun.Status.SUCCEEDED


def test_area_codes_and_lookup(shared_data_dir):
    assert AreaCodesImporter(data_dir=shared_data_dir).run().status == OK
    birmingham = Area.objects.get(type="lad", code="E08000025")
    assert (
        birmingham.name,
        birmingham.lad_code,
        birmingham.cauth_code,
        birmingham.region_code,
    ) == (
        "Birmingham",
        "E08000025",
        "E47000007",
        "E12000005",
    )
    assert Area.objects.get(type="cauth", code="E47000007").name == "West Midlands"
    assert (
        Area.objects.filter(type="lad", country_code="E92000001", lad_code=models_F("code")).count()
        == 296
    )
    assert Area.objects.filter(type="ward", lad_code="E08000025", year=2018).count() == 69

    run = LsoaLookupImporter(data_dir=shared_data_dir).run()
    assert run.status == OK, run.error
    assert run.rows_loaded == LsoaLookup.objects.count() == 34_753
    assert Area.objects.filter(type="lsoa11", lad_code="E08000025").count() == 639
    assert Area.objects.filter(type="wlsoa11").count() == 1_909
    lsoa = Area.objects.get(type="lsoa11", code="E01033625")
    assert (lsoa.name, lsoa.region_code) == ("Birmingham 138D", "E12000005")


def models_F(name):
    from django.db.models import F

    return F(name)


def test_boundaries_are_simplified_and_joined(shared_data_dir):
    assert AreaCodesImporter(data_dir=shared_data_dir).run().status == OK
    run = WmcaBoundariesImporter(data_dir=shared_data_dir).run()
    assert run.status == OK, run.error
    counts = {
        (t, y): Boundary.objects.filter(area_type=t, year=y).count()
        for t, y in (("lsoa11", 0), ("lsoa21", 0), ("ward", 2025))
    }
    assert counts == {
        ("lsoa11", 0): 1_680 + 108,
        ("lsoa21", 0): 1_719 + 115,
        ("ward", 2025): 192 + 32,
    }
    assert Boundary.objects.filter(area_type="ward", lad_code="E08000025").count() == 69
    ladywood = Boundary.objects.get(area_type="ward", area_code="E05011151")
    assert ladywood.name == "Ladywood"
    ring = ladywood.geometry["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) >= 4
    assert all(len(str(x).split(".")[-1]) <= 5 for point in ring for x in point)

    run = LadBoundariesImporter(data_dir=shared_data_dir).run()
    assert run.status == OK, run.error
    assert run.rows_loaded == 296 and run.rows_rejected == 0
    assert (
        Boundary.objects.get(area_type="lad", area_code="E06000019").name
        == "Herefordshire, County of"
    )


def test_simplify_keeps_rings_closed_and_holes():
    square = [[0, 0], [0.5, 0.000001], [1, 0], [1, 1], [0, 1], [0, 0]]
    hole = [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.4]]
    tiny = [[5, 5], [5.0002, 5], [5.0002, 5.0002], [5, 5]]
    geometry = {"type": "MultiPolygon", "coordinates": [[square, hole], [tiny]]}
    simple = simplify_geometry(geometry, tolerance=0.001)
    outer, inner = simple["coordinates"][0]
    assert outer == [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    assert inner == hole
    assert len(simple["coordinates"][1][0]) >= 4  # would collapse: kept whole
    assert count_points(simple) < count_points(geometry)


def test_cut_off_geojson_is_refused(shared_data_dir, tmp_path):
    source = (
        shared_data_dir / "boundaries-wmca-drkane" / "ward_E06000020_telford_and_wrekin.geojson"
    )
    cut = tmp_path / "ward_cut.geojson"
    cut.write_bytes(source.read_bytes()[:50_000])
    run = WmcaBoundariesImporter(locations=[cut]).run()
    assert run.status == ImportRun.Status.FAILED
    assert "not complete GeoJSON" in run.error
    assert json.loads(source.read_text())["type"] == "FeatureCollection"
