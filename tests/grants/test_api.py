"""The grants API with real files: paged filtered grants, a funder's summary, area grants."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal

import pytest

from tests.grants.grant_data import FILES, LLOYDS, POWER_TO_CHANGE, clear_grants, load_grants_world
from vcsehub.grants.models import Grant

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(grants_geography, django_db_setup, django_db_blocker, shared_data_dir):
    with django_db_blocker.unblock():
        load_grants_world(shared_data_dir, files=("lloyds", "power-to-change"))
    yield shared_data_dir
    with django_db_blocker.unblock():
        clear_grants()


def test_funder_summary_years_match_the_json(world, client):
    path = world / "360giving-grants" / FILES["lloyds"][0]
    expected: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    for g in json.loads(path.read_text())["grants"]:
        expected[g["awardDate"][:4]][0] += 1
        expected[g["awardDate"][:4]][1] += Decimal(str(g["amountAwarded"]))
    body = client.get(f"/api/v1/funders/{LLOYDS}/summary").json()
    assert body["grants"] == 4116
    assert body["totals_by_currency"] == [
        {"currency": "GBP", "grants": 4116, "total": "115795635.69"}
    ]
    years = {
        r["key"]: [r["grants"], Decimal(r["total_gbp"])] for r in body["tables"]["year"]["rows"]
    }
    assert years == dict(expected)
    assert body["licences"][0]["licence"].endswith("(CC BY 4.0)")
    assert body["tables"]["band"]["missing_grants"] == 4116  # registers not loaded: not known
    assert client.get("/api/v1/funders/GB-CHC-0/summary").status_code == 404


def test_grants_are_filtered_and_paged(world, client):
    first = client.get("/api/v1/grants", {"funder": LLOYDS, "page_size": 50}).json()
    assert first["count"] == 4116 and first["pages"] == 83 and len(first["results"]) == 50
    assert first["next"] and first["previous"] is None
    second = client.get(first["next"]).json()
    ids = {g["id"] for g in first["results"]} | {g["id"] for g in second["results"]}
    assert len(ids) == 100
    dated = client.get(
        "/api/v1/grants", {"funder": LLOYDS, "from": "2015-01-01", "to": "2015-12-31"}
    ).json()
    assert (
        dated["count"] == Grant.objects.filter(funder_org_id=LLOYDS, award_date__year=2015).count()
    )
    in_area = client.get("/api/v1/grants", {"area": "E08000025"}).json()
    assert in_area["count"] == Grant.objects.filter(place_lad="E08000025").count() > 90
    assert all(g["place"]["lad"] == "E08000025" for g in in_area["results"])
    digital = client.get("/api/v1/grants", {"funder": LLOYDS, "purpose": "digital"}).json()
    assert digital["count"] == 95
    assert all("digital" in g["purposes"] for g in digital["results"])
    assert client.get("/api/v1/grants", {"purpose": "nonsense"}).status_code == 400
    assert client.get("/api/v1/grants", {"area": "E99999999"}).status_code == 400


def test_area_grants(world, client):
    body = client.get("/api/v1/areas/E08000025/grants").json()
    grants = Grant.objects.filter(place_lad="E08000025", currency="GBP")
    assert body["grants_gbp"] == grants.count()
    assert Decimal(body["total_gbp"]) == sum(grants.values_list("amount_awarded", flat=True))
    assert body["residents_census2021"] > 1_000_000
    per = Decimal(body["total_gbp"]) / body["residents_census2021"]
    assert Decimal(body["gbp_per_resident"]) == per.quantize(Decimal("0.01"))
    assert {r["key"] for r in body["by_funder"]} <= {LLOYDS, POWER_TO_CHANGE}
    assert client.get("/api/v1/areas/E99999999/grants").status_code == 404
