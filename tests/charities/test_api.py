"""The charities API: /api/v1/organisations, /api/v1/organisations/{org_id},
/api/v1/areas/{gss_code}/profile, and the OpenAPI document."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from tests.charities.patch_data import BIRMINGHAM, patch_fixture  # noqa: F401
from vcsehub.charities.models import Charity

pytestmark = pytest.mark.django_db


def test_search_cancer_in_northern_ireland(patch, client):
    answer = client.get("/api/v1/organisations", {"q": "cancer", "register": "NI"}).json()
    assert answer["total"] == 3
    assert {item["name"] for item in answer["items"]} == {
        "Cancer Lifeline",
        "Charis Cancer Care",
        "Lilac Cancer Support Ltd",
    }
    item = answer["items"][0]
    assert item["register"] == "ccni" and item["url"].startswith("/charities/GB-NIC-")
    assert {f["value"]: f["count"] for f in answer["facets"]["register"]} == {"ccni": 3}
    assert "ccni" in answer["data_dates"]


def test_search_filters_paging_and_facets(patch, client):
    answer = client.get(
        "/api/v1/organisations", {"register": "ccew", "status": "registered", "page_size": 7}
    ).json()
    expected = Charity.objects.filter(register="ccew", status="registered").count()
    assert answer["total"] == expected and len(answer["items"]) == 7
    page_2 = client.get(
        "/api/v1/organisations",
        {"register": "ccew", "status": "registered", "page_size": 7, "page": 2},
    ).json()
    assert not {i["org_id"] for i in answer["items"]} & {i["org_id"] for i in page_2["items"]}
    works = client.get("/api/v1/organisations", {"lad": BIRMINGHAM, "lad_mode": "works"}).json()
    assert (
        works["total"]
        == Charity.objects.filter(areas_of_operation__gss_code=BIRMINGHAM).distinct().count()
    )
    based = client.get("/api/v1/organisations", {"lad": BIRMINGHAM}).json()
    assert based["total"] == Charity.objects.filter(lad_code=BIRMINGHAM).count()
    assert all(i["based_in_lad"] == BIRMINGHAM for i in based["items"])


def test_bad_filter_is_a_400_with_a_reason(patch, client):
    response = client.get("/api/v1/organisations", {"register": "mars"})
    assert response.status_code == 400
    assert "ccew, oscr or ccni" in response.json()["detail"]
    assert client.get("/api/v1/organisations", {"page_size": 1000}).status_code == 422


def test_one_organisation(patch, client):
    org_id = patch.moved[0]
    answer = client.get(f"/api/v1/organisations/{org_id}").json()
    charity = Charity.objects.get(org_id=org_id)
    assert answer["org_id"] == org_id and answer["register"] == "ccew"
    assert answer["based_in"]["lad_code"] == BIRMINGHAM
    assert answer["based_in"]["placed"] is True
    assert (
        len(answer["finances"]) == charity.financial_years.count() or len(answer["finances"]) == 5
    )
    assert answer["source"]["title"] == "Register of charities, England and Wales"
    assert client.get("/api/v1/organisations/GB-CHC-0").status_code == 404


def test_area_profile(patch, client):
    answer = client.get(f"/api/v1/areas/{BIRMINGHAM}/profile").json()
    assert answer["name"] == "Birmingham" and answer["type"] == "lad"
    assert [f["key"] for f in answer["figures"]] == [
        "counts", "income_bands", "causes", "years", "deprivation",
    ]  # fmt: skip
    assert answer["url"] == f"/charities/area/{BIRMINGHAM}/"


def test_openapi_is_valid_and_documents_the_endpoints(patch, client):
    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    paths = schema["paths"]
    assert "/api/v1/organisations" in paths
    assert "/api/v1/organisations/{org_id}" in paths
    assert "/api/v1/areas/{gss_code}/profile" in paths
    params = {p["name"] for p in paths["/api/v1/organisations"]["get"]["parameters"]}
    assert {"q", "register", "status", "income_band", "classification", "lad", "lad_mode",
            "page"} <= params  # fmt: skip
    # h2's endpoints and the areas API are still there: no clash.
    assert "/api/v1/areas/{gss_code}" in paths
