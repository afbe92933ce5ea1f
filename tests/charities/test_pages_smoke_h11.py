import pytest
from tests.charities.patch_data import patch  # noqa: F401

pytestmark = pytest.mark.django_db

def test_smoke(patch, client):
    for url in ["/charities/", "/charities/?q=cancer&register=ccni", "/charities/GB-NIC-100002/", "/charities/GB-NIC-100002.json", "/charities/GB-NIC-100002.csv",
                f"/charities/{patch.moved[0]}/", "/charities/area/E08000025/", "/charities/area/E08000025/profile.csv", "/charities/area/E08000025/organisations.csv",
                "/api/v1/organisations?q=cancer&register=NI", f"/api/v1/organisations/{patch.moved[0]}", "/api/v1/areas/E08000025/profile", "/places/E08000025/",
                "/charities/results.csv?q=cancer"]:
        r = client.get(url)
        print(url, r.status_code, len(r.content))
        assert r.status_code == 200, r.content[:3000]
    print(client.get("/api/v1/areas/E08000025/profile").json())
