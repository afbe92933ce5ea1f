"""Narrow windows: pages reflow, a wide table scrolls in its own box, and by keyboard too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vcsehub.charities.importers.ccew import CcewImporter
from vcsehub.charities.importers.ccni import CcniImporter
from vcsehub.charities.sources import CCEW_TABLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRAP = "main .table-wrap"


@pytest.fixture
def ccni_charities(shared_data_dir):
    run = CcniImporter(
        locations=[shared_data_dir / "ccni-sample" / "charitydetails_test.csv"]
    ).run()
    assert run.status == "succeeded", run.error


def test_wide_table_becomes_a_named_focusable_region_only_when_it_scrolls(
    page, live_server, ccni_charities
):
    url = live_server.url + reverse("charities:search") + "?q=cancer"
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(url)
    wrap = page.locator(WRAP).first
    # WCAG 2.2 reflow: at 320 CSS px the page itself must not scroll sideways ...
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # ... the results table does, inside its own box.
    assert page.evaluate(
        "(s) => { const w = document.querySelector(s); return w.scrollWidth > w.clientWidth; }",
        WRAP,
    ), "at 320 px the results table should be wider than its box"
    assert wrap.get_attribute("tabindex") == "0"
    assert wrap.get_attribute("role") == "region"
    assert wrap.get_attribute("aria-label").startswith("Charities matching your search")

    wrap.focus()
    assert page.evaluate("(s) => document.activeElement === document.querySelector(s)", WRAP)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(s) => document.querySelector(s).scrollLeft > 0", arg=WRAP)

    # Wide enough: no extra tab stop, no region role.
    page.set_viewport_size({"width": 1600, "height": 900})
    page.wait_for_function("(s) => !document.querySelector(s).hasAttribute('tabindex')", arg=WRAP)
    assert wrap.get_attribute("role") is None


@pytest.fixture
def ccew_charities(shared_data_dir):
    folder = shared_data_dir / "ccew-sample"
    run = CcewImporter(
        locations=[folder / f"publicextract.{table}.zip" for table in CCEW_TABLES]
    ).run()
    assert run.status == "succeeded", run.error


def test_pages_reflow_at_320_pixels(page, live_server, ccew_charities):
    """WCAG 2.2 AA reflow: nothing but a table's own box scrolls sideways at 320 CSS px.

    GB-CHC-207237 has six linked charities (a four-column table) and long names;
    the data sources page lists long official web addresses.
    """
    page.set_viewport_size({"width": 320, "height": 800})
    for url in (
        reverse("charities:organisation", args=["GB-CHC-207237"]),
        reverse("sources:index"),
        reverse("home"),
    ):
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} is {width} px wide at 320 px"
