"""GET /api/v1/areas/{gss_code} on the hand-made place (figures worked out in test_area_pages)."""

from __future__ import annotations

import pytest

from tests.geography.test_area_pages import LAD, make_place


@pytest.fixture
def place(db):
    make_place()


def test_area_json(client, place):
    response = client.get(f"/api/v1/areas/{LAD}")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Testham" and data["type"] == "lad" and data["year"] is None
    assert [p["code"] for p in data["parents"]] == ["E47000007", "E12000005", "E92000001"]
    assert data["url"] == f"/places/{LAD}/"

    population = {p["edition"]: p for p in data["population"]}
    assert population["census2021"]["people"] == 900
    assert population["census2021"]["small_areas_counted"] == 3
    assert population["mid2015"]["people"] == 1000

    editions = {d["edition"]: d for d in data["deprivation"]}
    d19 = editions["imd2019"]
    assert d19["label"] == "IoD2019, 2011 areas"
    assert d19["n"] == 3 and d19["missing"] == 0
    assert [row["small_areas"] for row in d19["by_decile"]] == [1, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    assert d19["small_areas_decile_1"] == 1 and d19["small_areas_deciles_1_2"] == 2
    assert d19["share_of_small_areas_decile_1"] == 33.3
    assert d19["share_of_residents_deciles_1_2"] == 40.0
    assert d19["share_of_residents_decile_1"] == 10.0
    assert any("Open Government Licence" in line for line in d19["attribution"])

    d25 = editions["imd2025"]
    assert d25["n"] == 2 and d25["missing"] == 1 and d25["missing_codes"] == ["E01900005"]
    assert d25["share_of_residents_decile_1"] == 27.5  # 110 / 400


def test_unknown_area_is_404(client, db):
    response = client.get("/api/v1/areas/E08000099")
    assert response.status_code == 404
    assert "E08000099" in response.json()["detail"]


def test_area_with_no_data_has_empty_lists_not_zeros(client, db):
    from vcsehub.geography.models import Area

    Area.objects.create(
        type="lad", code="E08900002", name="Emptyton", lad_code="E08900002", source_id="t"
    )
    data = client.get("/api/v1/areas/E08900002").json()
    assert data["deprivation"] == [] and data["population"] == []
