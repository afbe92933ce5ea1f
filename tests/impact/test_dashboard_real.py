"""The dashboard on real geography: Birmingham postcodes, the IoD2025 baseline computed
independently from the shared CSV files, and the ward map from real boundaries."""

import csv
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from tests.geography.conftest import geography_loaded  # noqa: F401  (module-scoped fixture)
from tests.impact.dashboard_data import make_dataset, record
from tests.organisations.people import make_cast
from vcsehub.geography.lookup import postcodes_lookup
from vcsehub.geography.models import Postcode
from vcsehub.impact.dashboard import dashboard_figures
from vcsehub.impact.models import Record

BIRMINGHAM = "E08000025"


def birmingham_baseline(shared_data_dir) -> tuple[Decimal, Decimal]:
    """Share of Birmingham's Census 2021 residents in IoD2025 deciles 1 and 1–2, from the CSVs.

    Birmingham's 2021 small areas are those the Census file names "Birmingham 001A" and so on
    (the ONS 2011→2021 lookup misses the 2021 areas that were newly split).
    """
    with (shared_data_dir / "iod2025-england/imd2025_lsoa21_england_all_domains.csv").open() as f:
        decile = {r["lsoa21_code"]: int(r["IMD_decile"]) for r in csv.DictReader(f)}
    people = {}
    path = (
        shared_data_dir / "population-census2021-lsoa/census2021_usual_residents_lsoa21_by_age6.csv"
    )
    with path.open(encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if re.fullmatch(r"Birmingham \d{3}[A-Z]", r["lsoa21_name"]):
                people[r["lsoa21_code"]] = sum(int(v) for k, v in r.items() if k.startswith("Aged"))
    total = sum(people.values())
    d1 = sum(n for code, n in people.items() if decile[code] == 1)
    d12 = sum(n for code, n in people.items() if decile[code] <= 2)
    assert len(people) == 659 and total > 1_000_000

    def pct(x):
        return (Decimal(x) * 100 / total).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    return pct(d1), pct(d12)


@pytest.fixture
def dataset(geography_loaded, db):  # noqa: F811
    cast = make_cast()
    dataset, upload = make_dataset(cast.organisation)
    postcodes = list(
        Postcode.objects.filter(lad_code=BIRMINGHAM, terminated="")
        .order_by("postcode")
        .values_list("postcode", flat=True)[:4000:50]
    )
    results = postcodes_lookup(postcodes)
    rows = []
    for n, result in enumerate(results):
        assert result.found, result.postcode
        for visit in range(1 + n % 3):
            rows.append(
                record(
                    dataset,
                    upload,
                    len(rows) + 1,
                    date(2025, 4 + visit, 1 + n % 28),
                    f"p{n}",
                    postcode_status="found",
                    lsoa11=result.lsoa11,
                    lsoa21=result.lsoa21,
                    ward_code=result.ward_code,
                    lad_code=result.lad_code,
                    imd2019_decile=result.imd2019_decile,
                    imd2025_decile=result.imd2025_decile,
                )
            )
    Record.objects.bulk_create(rows)
    dataset.cast = cast
    dataset.results = results
    return dataset


def test_birmingham_baseline_matches_the_shared_files(dataset, shared_data_dir):
    figures = dashboard_figures(dataset)
    dep = figures["figures"]["deprivation"]
    share_1, share_12 = birmingham_baseline(shared_data_dir)
    assert dep["baseline"]["value_1"] == float(share_1)
    assert dep["baseline"]["value_1_2"] == float(share_12)
    assert dep["comparison"][0]["baseline"]["display"] == f"{share_1}%"
    assert dep["baseline"]["local_authorities"] == ["Birmingham"]
    # People: each postcode is one person; their deciles from the lookup.
    expected_d1 = sum(1 for r in dataset.results if r.imd2025_decile == 1)
    n = len(dataset.results)
    assert dep["n"]["value"] == n
    assert dep["value"]["decile_1"]["value"] == float(
        (Decimal(expected_d1) * 100 / n).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    ids = [s["id"] for s in figures["sources"]]
    assert {"iod2025", "census2021-population", "ons-area-codes"} <= set(ids)


def test_ward_map_and_attribution(client, dataset):
    client.force_login(dataset.cast.viewer)
    url = reverse("impact:dashboard", args=[dataset.organisation.slug, dataset.pk])
    html = client.get(url).content.decode()
    assert 'class="map-wrap"' in html
    assert "Map: where the people live, by ward" in html
    assert "Contains OS data © Crown copyright" in html
    assert "Birmingham" in html
