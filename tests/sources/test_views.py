"""The Data sources page, each source's page, and the sources API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.sources.conftest import FIXTURES
from vcsehub.sources.models import ImportRun
from vcsehub.sources.registry import all_sources, attribution_lines

pytestmark = pytest.mark.django_db


def test_every_registered_source_shows_its_licence_and_attribution(client, widget_source):
    response = client.get(reverse("sources:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for source in all_sources():
        assert escape(source.title) in html
        assert f'href="{escape(source.licence_url)}"' in html
        assert escape(source.licence) in html
        for line in attribution_lines(source):
            assert escape(line) in html
    assert "Contains widget data © Widget Register<br>Licensed under CC BY 4.0." in html
    assert "Derived, not official." in html
    assert "https://widgets.example.org/widgets.csv" in html
    assert "Not loaded yet." in html
    assert reverse("sources:detail", args=["test-widgets"]) in html
    assert 'aria-current="page"' in html and ">Data sources</a>" in html


def test_last_import_is_shown_with_rows_date_checksum_and_data_year(client, widget_importer):
    run = widget_importer(locations=[FIXTURES / "widgets_4.csv"]).run()
    ImportRun.objects.filter(pk=run.pk).update(data_date=dt.date(2021, 11, 1))
    html = client.get(reverse("sources:index")).content.decode()
    assert "4 rows loaded." in html
    assert f'<code title="{run.sha256}">{run.sha256[:12]}</code>' in html
    assert "Contains widget data © Widget Register 2021" in html
    assert "Data date 1 November 2021." in html


def test_source_page_lists_runs_and_shows_logs_to_staff_only(
    client, widget_importer, django_user_model
):
    widget_importer(locations=[FIXTURES / "widgets_4.csv"]).run()
    widget_importer(locations=[FIXTURES / "widgets_header_only.csv"]).run()
    url = reverse("sources:detail", args=["test-widgets"])
    html = client.get(url).content.decode()
    assert ">The last 2 imports of Test widgets, newest first.</caption>" in html
    assert "Failed: The file held no rows that could be loaded" in html
    assert "widgets_4.csv" in html
    assert "Log of run" not in html
    staff = django_user_model.objects.create_user(
        email="staff@example.org", password="a long password 123", is_staff=True
    )
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert "Log of run" in html and "loaded 4 rows (before: 0)" in html


def test_unknown_source_page_is_404(client):
    assert client.get(reverse("sources:detail", args=["no-such-source"])).status_code == 404


def test_api_lists_sources_with_their_last_import(client, widget_importer):
    response = client.get("/api/v1/sources")
    assert response.status_code == 200
    widgets = next(s for s in response.json() if s["id"] == "test-widgets")
    assert widgets["last_import"] is None
    assert widgets["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert widgets["attribution"] == [
        "Contains widget data © Widget Register",
        "Licensed under CC BY 4.0.",
    ]
    assert widgets["derived"] is True
    run = widget_importer(locations=[FIXTURES / "widgets_4.csv"]).run()
    widgets = next(s for s in client.get("/api/v1/sources").json() if s["id"] == "test-widgets")
    assert widgets["last_import"]["id"] == run.pk
    assert widgets["last_import"]["rows_loaded"] == 4
    assert widgets["last_import"]["files"][0]["name"] == "widgets_4.csv"
    assert "log" not in widgets["last_import"] and "locations" not in widgets["last_import"]


def test_api_runs_of_one_source(client, widget_importer):
    widget_importer(locations=[FIXTURES / "widgets_4.csv"]).run()
    widget_importer(locations=[FIXTURES / "widgets_header_only.csv"]).run()
    runs = client.get("/api/v1/sources/test-widgets/runs").json()
    assert [r["status"] for r in runs] == ["failed", "succeeded"]
    assert runs[0]["error"].startswith("The file held no rows")
    assert len(client.get("/api/v1/sources/test-widgets/runs?limit=1").json()) == 1
    assert client.get("/api/v1/sources/no-such-source/runs").status_code == 404
