"""The whole "prove your impact" road in a real Chromium, as a new user would walk it.

A member of a food bank signs in, finds "Your impact" in the menu, uploads the messy
food bank workbook, accepts the suggested columns (names and notes are marked "will not
be stored"), reads the checks, saves, opens the dashboard, checks its key figures against
the hand count (tests/impact/food_bank_expected.py), and downloads the PDF report. Only
visible links and buttons are followed; any console error fails the test (the `page`
fixture). Afterwards the database is checked: nothing personal was stored.
"""

from __future__ import annotations

import io

import pytest

from tests.geography.conftest import geography_loaded  # noqa: F401  (module-scoped)
from tests.impact import food_bank_expected as hand
from tests.impact.conftest import FIXTURES
from vcsehub.impact.models import Record
from vcsehub.organisations import services as org_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "priya@example.org"
PASSWORD = "a long and private passphrase"
WORKBOOK = FIXTURES / "food_bank_visits.xlsx"


@pytest.fixture
def priya(geography_loaded, settings, tmp_path):  # noqa: F811
    settings.IMPACT_UPLOADS_DIR = tmp_path / "held"
    user = org_services.user_create(email=EMAIL, password=PASSWORD, name="Priya")
    org_services.organisation_create(
        name="Sparkbrook Community Food Bank", slug="sparkbrook-food-bank", owner=user
    )
    return user


def key_figure(page, label: str) -> str:
    return page.locator("#reach .key-figures div").filter(has_text=label).locator("dd").inner_text()


def test_from_excel_file_to_pdf_report(page, live_server, priya, shared_data_dir):
    pypdf = pytest.importorskip("pypdf")
    page.goto(live_server.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your impact").click()
    page.locator("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Back on "Your impact", with the organisation and a way to upload.
    assert page.get_by_role("heading", level=1).inner_text() == "Your impact"
    page.get_by_role("link", name="Upload a file").click()
    page.get_by_label("Your spreadsheet").set_input_files(str(WORKBOOK))
    page.get_by_label("Or name a new dataset").fill("Food bank visits")
    page.get_by_role("button", name="Read the file").click()

    # The suggested columns: names and notes will not be stored.
    assert page.get_by_role("heading", level=1).inner_text() == "What is in each column?"
    for column in ("Full name", "Email", "Phone", "Notes"):
        row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=column))
        assert "Will not be stored" in row.inner_text(), column
    page.get_by_role("button", name="See the checks").click()

    # The checks, then save.
    assert page.get_by_role("heading", level=1).inner_text().startswith("Checks on")
    text = page.locator("main").inner_text()
    assert f"{hand.ROWS_READ} rows read" in text
    assert f"{hand.ROWS_STORED} will be stored" in text
    page.get_by_role("button", name=f"Save {hand.ROWS_STORED} rows").click()

    # The dataset page links to the dashboard.
    assert f"{hand.ROWS_STORED} rows were saved" in page.locator("main").inner_text()
    page.get_by_role("link", name="See the dashboard").click()
    assert key_figure(page, "People reached") == str(hand.PEOPLE)
    assert key_figure(page, "Contacts") == str(hand.CONTACTS)
    summary = page.locator("p.summary").first.inner_text()
    assert summary == (
        f"Between April 2025 and March 2026 you supported {hand.PEOPLE} people over "
        f"{hand.CONTACTS} contacts."
    )
    where = page.locator("#where").inner_text()
    assert f"Birmingham ({hand.PLACED}, 100%)" in where
    assert f"{hand.NO_POSTCODE} (no usable postcode)" in where
    _, deciles = hand.placed_by_hand(shared_data_dir)
    share_1_2 = round(100 * (deciles[1] + deciles[2]) / hand.PLACED)
    assert (
        f"{share_1_2}% of the people you supported live in"
        in page.locator("#deprivation").inner_text()
    )
    # Every figure says what it is based on, what is missing and where it comes from.
    for section in page.locator("section.figure").all():
        meta = section.locator("p.meta").last.inner_text()
        assert "Missing:" in meta and "Source:" in meta, meta

    # On a 320 px wide screen (WCAG 2.2 reflow) the dashboard does not scroll sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})

    # The PDF report: one or two pages.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report (PDF)").first.click()
    pdf_bytes = download_info.value.path().read_bytes()
    assert pdf_bytes.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    assert 1 <= len(reader.pages) <= 2
    words = " ".join(p.extract_text() for p in reader.pages)
    assert "Sparkbrook Community Food Bank" in words
    assert f"we supported {hand.PEOPLE} people" in " ".join(words.split())

    assert (
        f"Between April 2025 and March 2026 we supported {hand.PEOPLE} people over "
        f"{hand.CONTACTS} contacts." in " ".join(words.split())
    )

    # Compare the two halves of the year. The first half's 21 people, beside the whole
    # dataset's 25, would give away the 4 people who came only in the second half: the
    # page hides it and says why (hand count: tests/impact/test_views.py).
    page.get_by_role("link", name="Compare two periods").click()
    page.get_by_label("First period: from").fill("2025-04-01")
    page.get_by_label("First period: to").fill("2025-09-30")
    page.get_by_label("Second period: from").fill("2025-10-01")
    page.get_by_label("Second period: to").fill("2026-03-31")
    page.get_by_role("button", name="Compare").click()
    people = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="People reached (different person references)")
    )
    assert people.locator("td").all_inner_texts() == ["not shown", "15", "not shown"]
    contacts = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Contacts (rows with a date in the period)")
    )
    assert contacts.locator("td").all_inner_texts() == ["32", "36", "+4"]
    why = page.locator("#why-hidden").inner_text()
    assert "it would give away how many people came in the second period only" in why

    # Nothing personal reached the database.
    assert Record.objects.count() == hand.ROWS_STORED
    stored = " ".join(str(v) for v in Record.objects.values_list().all())
    for personal in ("Amina", "Khan", "example.com", "07700", "B11 1AA", "C001", "Notes"):
        assert personal not in stored
