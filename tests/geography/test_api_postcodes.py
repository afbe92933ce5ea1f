"""The public postcode API: GET one, POST many."""

from __future__ import annotations

import json

import pytest

from tests.geography.conftest import clear_geography, load_sources
from vcsehub.geography.schemas import PostcodesOut

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tf_hr_postcodes(django_db_setup, django_db_blocker, shared_data_dir):
    with django_db_blocker.unblock():
        clear_geography()
        load_sources(("ons-area-codes", "iod2019", "wimd2019", "nspl"), shared_data_dir)
    yield
    with django_db_blocker.unblock():
        clear_geography()


def test_get_one_postcode(client, tf_hr_postcodes):
    response = client.get("/api/v1/postcodes/tf11aa")
    assert response.status_code == 200
    body = response.json()
    assert body["postcode"] == "TF1 1AA" and body["found"] and body["status"] == "ok"
    assert body["lsoa11"] == "E01014145" and body["lad_name"] == "Telford and Wrekin"
    assert body["imd2019_rank"] == 7383
    assert body["sources"] == [
        {"id": "nspl", "title": "National Statistics Postcode Lookup (NSPL)", "derived": False}
    ]


def test_get_valid_postcode_not_loaded_is_200_not_found(client, tf_hr_postcodes):
    body = client.get("/api/v1/postcodes/B1 1AA").json()
    assert (body["valid"], body["found"], body["status"]) == (True, False, "not_found")
    assert body["reason"]


def test_get_invalid_postcode_is_422_with_reason(client, tf_hr_postcodes):
    response = client.get("/api/v1/postcodes/hello")
    assert response.status_code == 422
    assert "Not a valid postcode" in response.json()["detail"]


def test_post_many_in_order_with_attribution(client, tf_hr_postcodes):
    asked = ["HR3 5AA", "nonsense", "TF1 1AB", "tf1 1aa", "TF1 1AB"]
    response = client.post(
        "/api/v1/postcodes", json.dumps({"postcodes": asked}), content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert [r["input"] for r in body["results"]] == asked
    assert [r["status"] for r in body["results"]] == [
        "outside_england",
        "invalid",
        "terminated",
        "ok",
        "terminated",
    ]
    assert body["count"] == 5 and body["found"] == 4
    assert body["results"][0]["wimd2019_decile"] == 9
    assert "Contains OS data © Crown copyright and database right 2021" in body["attribution"]


def test_post_reply_is_exactly_what_the_documented_schema_gives(client, tf_hr_postcodes):
    # The batch reply is rendered without ninja's per-result validation: it must still be
    # exactly what validating it through the documented PostcodesOut schema would give.
    asked = ["HR3 5AA", "nonsense", "TF1 1AB", "tf1 1aa", "B1 1AA", ""]
    response = client.post(
        "/api/v1/postcodes", json.dumps({"postcodes": asked}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert PostcodesOut.model_validate(body).model_dump(mode="json") == body
    single = client.get("/api/v1/postcodes/tf11aa").json()
    assert body["results"][3] == {**single, "input": "tf1 1aa"}


def test_post_over_the_limit_is_400(client, tf_hr_postcodes):
    body = json.dumps({"postcodes": ["TF1 1AA"] * 10_001})
    response = client.post("/api/v1/postcodes", body, content_type="application/json")
    assert response.status_code == 400
    assert "limit is 10,000" in response.json()["detail"]


def test_openapi_documents_the_rules(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    get = schema["paths"]["/api/v1/postcodes/{postcode}"]["get"]
    assert "422" in get["responses"] and "found" in get["description"]
    assert "400" in schema["paths"]["/api/v1/postcodes"]["post"]["responses"]
