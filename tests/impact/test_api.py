"""The impact API: a dataset and its dashboard figures, for its organisation's members only."""

from __future__ import annotations

import pytest

from tests.impact.conftest import FIXTURES
from vcsehub.impact import services
from vcsehub.organisations import services as accounts

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, key = accounts.api_token_create(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def dataset(cast):
    upload = services.upload_create(
        organisation=cast.organisation,
        user=cast.owner,
        source=FIXTURES / "utf8_bom.csv",
        name="utf8_bom.csv",
        dataset_name="Visits",
    )
    return services.upload_confirm(upload=upload, user=cast.owner).dataset


def test_a_member_reads_the_dataset(client, cast, dataset):
    answer = client.get(f"/api/v1/datasets/{dataset.pk}", **bearer(cast.viewer))
    assert answer.status_code == 200
    data = answer.json()
    assert (data["name"], data["organisation"], data["records"]) == (
        "Visits",
        "sparkbrook-food-bank",
        2,
    )
    assert (data["first_date"], data["last_date"]) == ("2025-04-01", "2025-04-02")
    assert data["uploads"][0]["rows_stored"] == 2
    assert data["mapping"]["Visit date"] == "contact_date"


def test_a_member_reads_the_dashboard_figures(client, cast, dataset):
    answer = client.get(f"/api/v1/datasets/{dataset.pk}/dashboard", **bearer(cast.editor))
    assert answer.status_code == 200
    assert isinstance(answer.json(), dict) and answer.json()


@pytest.mark.parametrize("path", ["/api/v1/datasets/{id}", "/api/v1/datasets/{id}/dashboard"])
def test_another_organisations_token_gets_404(client, cast, dataset, path):
    url = path.format(id=dataset.pk)
    assert client.get(url, **bearer(cast.outsider)).status_code == 404
    assert client.get(url, **bearer(cast.superuser)).status_code == 404
    assert client.get(path.format(id=dataset.pk + 1000), **bearer(cast.owner)).status_code == 404
    assert client.get(url).status_code == 401
