"""Fixtures for the sources tests: fixture files, a registered test source."""

from __future__ import annotations

from pathlib import Path

import pytest

from vcsehub.sources import registry
from vcsehub.sources.registry import Source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sources"

WIDGETS = Source(
    id="test-widgets",
    title="Test widgets",
    publisher="The Widget Register (a test source)",
    licence="Creative Commons Attribution 4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    attribution=("Contains widget data © Widget Register {year}", "Licensed under CC BY 4.0."),
    urls=("https://widgets.example.org/widgets.csv",),
    format="CSV",
    importer="tests.sources.testapp.importers.WidgetImporter",
    description="Widgets made in the West Midlands, for the tests.",
    local_paths=("widgets_4.csv",),
    derived=True,
)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def widget_source(monkeypatch) -> Source:
    """The test source, registered for one test only."""
    monkeypatch.setitem(registry._REGISTRY, WIDGETS.id, WIDGETS)
    return WIDGETS


@pytest.fixture
def widget_importer(widget_source, monkeypatch):
    """The test importer class, its failure switch reset after the test."""
    from tests.sources.testapp.importers import WidgetImporter

    monkeypatch.setattr(WidgetImporter, "fail_after", None)
    return WidgetImporter
