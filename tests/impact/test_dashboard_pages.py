"""The dashboard page and its CSV: access, content, and no small numbers."""

import csv
import io
import re

import pytest
from django.core.cache import cache as django_cache
from django.urls import reverse

from tests.impact.dashboard_data import make_small_dataset
from tests.organisations.people import make_cast


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Period checks are kept in Django's cache; ids are reused between tests."""
    django_cache.clear()


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def dataset(cast):
    return make_small_dataset(cast.organisation)


def url(name, dataset, **kw):
    return reverse(f"impact:{name}", args=[dataset.organisation.slug, dataset.pk], **kw)


@pytest.mark.parametrize("who", ["owner", "editor", "viewer"])
def test_members_see_the_dashboard(client, cast, dataset, who):
    client.force_login(cast.by_name(who))
    response = client.get(url("dashboard", dataset))
    assert response.status_code == 200
    assert b"you supported 30 people over 80 contacts" in response.content


@pytest.mark.parametrize("who", ["outsider", "superuser", "inactive_owner", None])
@pytest.mark.parametrize("name", ["dashboard", "dashboard_csv", "report", "report_pdf"])
def test_everyone_else_gets_404(client, cast, dataset, who, name):
    if who:
        client.force_login(cast.by_name(who))
    assert client.get(url(name, dataset)).status_code == 404


def test_a_dataset_of_another_organisation_is_404(client, cast, dataset):
    client.force_login(cast.outsider)
    other = cast.other_organisation
    response = client.get(reverse("impact:dashboard", args=[other.slug, dataset.pk]))
    assert response.status_code == 404


def num_cells(html: str) -> list[str]:
    return [c.strip() for c in re.findall(r'<td class="num[^"]*">([^<]*)</td>', html)]


def test_page_shows_figures_with_their_small_print(client, cast, dataset):
    client.force_login(cast.viewer)
    html = client.get(url("dashboard", dataset)).content.decode()
    for heading in (
        "People reached and contacts",
        "People and contacts by month",
        "How often people came",
        "Reach into deprivation (IoD2025, 2021 areas)",
        "Where the people live",
        "Who the people are",
        "Outcomes: before and after",
        "Data quality",
    ):
        assert heading in html
    assert html.count('class="figure"') == 8
    assert html.count("<svg") >= 8
    assert "<title" in html and "<desc" in html
    assert "Based on (N): 24." in html
    assert "Missing: 6 (no usable postcode)." in html
    assert "No ward boundaries are loaded" in html
    assert 'style="' not in html
    for cell in num_cells(html):
        if cell.isdigit():
            assert int(cell) == 0 or int(cell) >= 5, cell
    assert "fewer than 5" in html and "not shown" in html


def test_period_form(client, cast, dataset):
    client.force_login(cast.viewer)
    html = client.get(
        url("dashboard", dataset), {"start": "2025-06-01", "end": "2025-09-30"}
    ).content.decode()
    assert "you supported 15 people over 42 contacts" in html
    assert "start=2025-06-01" in html  # carried to the report and downloads
    bad = client.get(url("dashboard", dataset), {"start": "2025-09-01", "end": "2025-06-01"})
    assert "must be on or after" in bad.content.decode()
    assert "you supported 30 people" in bad.content.decode()


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_holds_what_is_shown(client, cast, dataset):
    client.force_login(cast.viewer)
    response = client.get(url("dashboard_csv", dataset))
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:5] == ["Section", "Figure", "Category", "Count", "Share"]
    by_category = {(r[1], r[2]): r for r in rows[1:]}
    assert by_category[("People reached and contacts", "People reached")][3] == "30"
    assert by_category[("How often people came", "2 to 5 times")][3] == "fewer than 5"
    assert by_category[("How often people came", "6 times or more")][3] == "not shown"
    assert by_category[("How often people came", "Once")][4] == "60%"
    for row in rows[1:]:
        if row[3].isdigit():
            assert int(row[3]) == 0 or int(row[3]) >= 5, row
    one = read_csv(client.get(url("dashboard_csv", dataset), {"figure": "repeat_use"}))
    assert {r[0] for r in one[1:]} == {"How often people came"}
    assert len(one) == 4


def test_csv_is_formula_safe(client, cast, dataset):
    from vcsehub.impact.models import Record

    Record.objects.filter(dataset=dataset, gender="Female").update(gender="=HYPERLINK(1)")
    client.force_login(cast.viewer)
    rows = read_csv(client.get(url("dashboard_csv", dataset), {"figure": "who"}))
    assert any(r[2] == "'=HYPERLINK(1)" for r in rows)
