"""Grants pages with real files and real geography: funder, network, recipient, area,
cold spots and the funder finder; Fatima's scenario end to end with the test client."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal
from html import escape

import pytest
from django.urls import reverse

from tests.grants.grant_data import (
    AB_TRUST,
    FILES,
    LLOYDS,
    POWER_TO_CHANGE,
    clear_grants,
    load_grants_world,
)
from vcsehub.grants.models import Grant

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(grants_geography, django_db_setup, django_db_blocker, shared_data_dir):
    with django_db_blocker.unblock():
        load_grants_world(shared_data_dir, files=("lloyds", "power-to-change", "ab-trust"))
    yield shared_data_dir
    with django_db_blocker.unblock():
        clear_grants()


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def _lloyds_by_year(data_dir) -> dict[str, tuple[int, Decimal]]:
    """Totals by year computed straight from the JSON with plain Python."""
    path = data_dir / "360giving-grants" / FILES["lloyds"][0]
    grants = json.loads(path.read_text(), parse_float=Decimal)["grants"]
    years: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    for g in grants:
        assert g["currency"] == "GBP"
        year = g["awardDate"][:4]
        years[year][0] += 1
        years[year][1] += Decimal(str(g["amountAwarded"]))
    return {y: (n, t) for y, (n, t) in years.items()}


def test_index_lists_funders_with_totals_and_licences(world, client):
    response = client.get(reverse("grants:index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Lloyds Bank Foundation" in text
    assert "£115,795,636" in text  # the Lloyds total, rounded to pounds
    assert "CC BY 4.0" in text
    found = client.get(reverse("grants:index"), {"q": "lloyds"}).content.decode()
    assert reverse("grants:funder", args=[LLOYDS]) in found


def test_funder_page_year_totals_match_the_json(world, client):
    expected = _lloyds_by_year(world)
    response = client.get(reverse("grants:funder", args=[LLOYDS]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Grants data published by" in text and "CC BY 4.0" in text
    assert 'class="meta"' in text and "N = " in text and "Missing:" in text
    rows = _csv(client.get(reverse("grants:funder_csv", args=[LLOYDS, "year"])))
    assert rows[0][:3] == ["award year", "grants (GBP)", "total awarded (GBP)"]
    from_page = {r[0]: (int(r[1]), Decimal(r[2])) for r in rows[1:]}
    assert from_page == expected
    assert sum(n for n, _ in from_page.values()) == 4116
    assert sum(t for _, t in from_page.values()) == Decimal("115795635.69")


def test_funder_page_median_band_and_decile_tables(world, client):
    amounts = sorted(
        Grant.objects.filter(funder_org_id=LLOYDS).values_list("amount_awarded", flat=True)
    )
    middle = (amounts[2057] + amounts[2058]) / 2
    text = client.get(reverse("grants:funder", args=[LLOYDS])).content.decode()
    assert f"£{middle:,.0f}" in text
    # Registers are not loaded here: every recipient's size is "not known", not zero.
    band = _csv(client.get(reverse("grants:funder_csv", args=[LLOYDS, "band"])))
    assert band[-1][0] == "recipient size band not known" and band[-1][1] == "4116"
    assert all(r[1] == "0" for r in band[1:-1])
    decile = _csv(client.get(reverse("grants:funder_csv", args=[LLOYDS, "imd2025"])))
    placed = Grant.objects.filter(funder_org_id=LLOYDS, place_imd2025_decile__isnull=False)
    assert sum(int(r[1]) for r in decile[1:11]) == placed.count() > 80
    methods = _csv(client.get(reverse("grants:funder_csv", args=[LLOYDS, "method"])))
    by_method = {r[0]: int(r[1]) for r in methods[1:]}
    assert (
        by_method["The recipient's postcode in the grant"]
        == Grant.objects.filter(funder_org_id=LLOYDS, place_method="recipient-postcode").count()
        == 113
    )


def test_unknown_funder_is_404(world, client):
    assert client.get(reverse("grants:funder", args=["GB-CHC-0"])).status_code == 404


def test_fatima_network_of_three_funders_deprivation_and_digital_capacity_funders(world, client):
    # 1. Open the network view of three funders.
    response = client.get(
        reverse("grants:network"), {"funder": [LLOYDS, POWER_TO_CHANGE, AB_TRUST]}
    )
    assert response.status_code == 200
    text = response.content.decode()
    for name in ("Lloyds Bank Foundation", "Power to Change", "A B Charitable Trust"):
        assert name in text
    # 2. Where the money went by deprivation decile: side by side and combined, summing up.
    rows = _csv(
        client.get(reverse("grants:network_csv"), {"funder": [LLOYDS, POWER_TO_CHANGE, AB_TRUST]})
    )
    assert len(rows[0]) == 2 + 2 * 3 + 2
    imd2025 = [r for r in rows[1:] if r[0] == "imd2025"]
    assert [int(r[1]) for r in imd2025] == list(range(1, 11))
    for r in imd2025:
        assert sum(Decimal(r[i]) for i in (3, 5, 7)) == Decimal(r[9])
    combined = sum(Decimal(r[9]) for r in imd2025)
    placed = Grant.objects.filter(
        funder_org_id__in=[LLOYDS, POWER_TO_CHANGE, AB_TRUST],
        currency="GBP",
        place_imd2025_decile__isnull=False,
    )
    assert combined == sum(placed.values_list("amount_awarded", flat=True)) > 0
    assert "Organisations more than one of them funds" in text
    # 3. Find funders of digital capacity building, with evidence and the words that matched.
    found = client.get(reverse("grants:finder"), {"purpose": ["digital", "capacity"]})
    assert found.status_code == 200
    page = found.content.decode()
    assert "Words that matched" in page and "matched “" in page
    ranking = _csv(client.get(reverse("grants:finder_csv"), {"purpose": ["digital", "capacity"]}))
    assert ranking[0][0] == "rank" and len(ranking) > 2
    scores = [Decimal(r[3]) for r in ranking[1:]]
    assert scores == sorted(scores, reverse=True)


def test_network_overlaps_are_recipients_of_two_funders(world, client):
    rows = _csv(
        client.get(
            reverse("grants:network_overlaps_csv"), {"funder": [LLOYDS, POWER_TO_CHANGE, AB_TRUST]}
        )
    )
    by_recipient = defaultdict(set)
    for org_id, _name, funder, _n, _total in rows[1:]:
        by_recipient[org_id].add(funder)
    assert by_recipient and all(len(f) >= 2 for f in by_recipient.values())
    for org_id in by_recipient:
        funders = set(
            Grant.objects.filter(
                recipient_org_id=org_id, funder_org_id__in=[LLOYDS, POWER_TO_CHANGE, AB_TRUST]
            ).values_list("funder_org_id", flat=True)
        )
        assert len(funders) >= 2


def test_recipient_page_and_partial(world, client):
    grant = Grant.objects.filter(funder_org_id=LLOYDS).exclude(recipient_org_id="").first()
    response = client.get(reverse("grants:recipient", args=[grant.recipient_org_id]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Grants received" in text and escape(grant.title) in text
    assert client.get(reverse("grants:recipient", args=["GB-CHC-0"])).status_code == 404


def test_area_page_shows_grants_by_funder_year_and_per_resident(world, client):
    birmingham = "E08000025"
    in_area = Grant.objects.filter(place_lad=birmingham, currency="GBP")
    assert in_area.count() > 90
    text = client.get(reverse("geography:area", args=[birmingham])).content.decode()
    assert "Grants into Birmingham" in text
    total = sum(in_area.values_list("amount_awarded", flat=True))
    assert f"£{total:,.0f}" in text
    assert "per resident" in text and "Census 2021" in text


def test_cold_spots_rank_most_deprived_least_funded_first(world, client):
    response = client.get(reverse("grants:coldspots"))
    assert response.status_code == 200
    assert "not loaded" in response.content.decode()  # the registers are not loaded here
    rows = _csv(client.get(reverse("grants:coldspots_csv")))
    ranked = [r for r in rows[1:] if r[0]]
    scores = [int(r[12]) for r in ranked]
    assert scores == sorted(scores)
    for r in ranked[:20]:
        assert int(r[12]) == int(r[5]) + int(r[11])
    birmingham = next(r for r in rows if r[1] == "E08000025")
    assert Decimal(birmingham[9]) == sum(
        Grant.objects.filter(place_lad="E08000025", currency="GBP").values_list(
            "amount_awarded", flat=True
        )
    )
    wards = _csv(client.get(reverse("grants:coldspots_csv"), {"level": "ward"}))
    assert len(wards) > 50


def test_quartiles_read_by_rank_in_the_database_match_all_amounts_in_python(world):
    from vcsehub.analytics import grant_figures as gf
    from vcsehub.analytics.grants import money_stats

    for org_ids in ([LLOYDS], [POWER_TO_CHANGE], [LLOYDS, POWER_TO_CHANGE, AB_TRUST]):
        grants = Grant.objects.filter(funder_org_id__in=org_ids)
        expected = money_stats(
            list(grants.filter(currency="GBP").values_list("amount_awarded", flat=True))
        )
        assert gf.grants_figures(grants).stats == expected
