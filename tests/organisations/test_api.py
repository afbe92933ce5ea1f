"""The accounts API with bearer tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest

from vcsehub.organisations import services
from vcsehub.organisations.models import ApiToken


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def editor_key(cast):
    _token, key = services.api_token_create(user=cast.editor, name="script")
    return key


def test_me_lists_my_organisations(client, cast, editor_key):
    response = client.get("/api/v1/me", **bearer(editor_key))
    assert response.status_code == 200
    assert response.json() == {
        "email": "editor@example.org",
        "name": "",
        "organisations": [
            {
                "slug": "sparkbrook-food-bank",
                "name": "Sparkbrook Food Bank",
                "org_id": "GB-CHC-1234567",
                "role": "editor",
            }
        ],
    }


def test_use_is_recorded(client, cast, editor_key):
    client.get("/api/v1/me", **bearer(editor_key))
    assert ApiToken.objects.get(user=cast.editor).last_used_at is not None


@pytest.mark.parametrize(
    "headers",
    [{}, bearer("vh_not-a-real-token"), bearer(""), {"HTTP_AUTHORIZATION": "Basic abc"}],
    ids=["missing", "wrong", "empty", "not-bearer"],
)
def test_without_a_valid_token_is_401(client, cast, headers):
    assert client.get("/api/v1/me", **headers).status_code == 401
    assert client.get("/api/v1/my-organisations/sparkbrook-food-bank", **headers).status_code == 401


def test_revoked_token_is_401(client, cast, editor_key):
    services.api_token_revoke(token=ApiToken.objects.get(user=cast.editor))
    assert client.get("/api/v1/me", **bearer(editor_key)).status_code == 401


def test_session_does_not_count_as_a_token(client, cast):
    client.force_login(cast.editor)
    assert client.get("/api/v1/me").status_code == 401


def test_my_organisation_for_a_member(client, cast, editor_key):
    response = client.get("/api/v1/my-organisations/sparkbrook-food-bank", **bearer(editor_key))
    assert response.status_code == 200
    assert response.json() == {
        "slug": "sparkbrook-food-bank",
        "name": "Sparkbrook Food Bank",
        "org_id": "GB-CHC-1234567",
        "role": "editor",
        "members_count": 4,
    }


@pytest.mark.parametrize("name", ["outsider", "superuser"])
def test_my_organisation_is_404_for_non_members(client, cast, name):
    _token, key = services.api_token_create(user=cast.by_name(name), name="script")
    for slug in ["sparkbrook-food-bank", "no-such-organisation"]:
        response = client.get(f"/api/v1/my-organisations/{slug}", **bearer(key))
        assert response.status_code == 404


def test_org_id_is_null_when_not_given(client, cast):
    _token, key = services.api_token_create(user=cast.outsider, name="script")
    response = client.get("/api/v1/my-organisations/other-trust", **bearer(key))
    assert response.json()["org_id"] is None
    assert response.json()["role"] == "owner"


def test_openapi_documents_bearer_auth(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"
    me = schema["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"BearerAuth": []}]


def test_last_used_is_not_rewritten_within_a_minute(client, cast, editor_key):
    client.get("/api/v1/me", **bearer(editor_key))
    first = ApiToken.objects.get(user=cast.editor).last_used_at
    client.get("/api/v1/me", **bearer(editor_key))
    assert ApiToken.objects.get(user=cast.editor).last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=5))
    client.get("/api/v1/me", **bearer(editor_key))
    assert ApiToken.objects.get(user=cast.editor).last_used_at > first - timedelta(minutes=5)
