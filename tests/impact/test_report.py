"""The report: HTML and PDF (WeasyPrint), one to two pages, no small numbers, in the
organisation's own voice ("we supported"; the dashboard says "you supported")."""

import html
import io
import re
from datetime import date

import pytest
from django.core.cache import cache as django_cache
from django.urls import reverse
from pypdf import PdfReader

from tests.impact import food_bank_expected as hand
from tests.impact.conftest import FIXTURES
from tests.impact.dashboard_data import make_small_dataset
from tests.organisations.people import make_cast
from vcsehub.analytics.disclosure import SafeCount, Status
from vcsehub.impact import services
from vcsehub.impact.dashboard.common import Period
from vcsehub.impact.dashboard.places import _deprivation_summary, where_summary
from vcsehub.impact.dashboard.reach import period_words, reach_summary


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


def url(name, dataset):
    return reverse(f"impact:{name}", args=[dataset.organisation.slug, dataset.pk])


def test_report_html(client, cast, dataset):
    client.force_login(cast.viewer)
    html = client.get(url("report", dataset)).content.decode()
    assert "Sparkbrook Food Bank" in html
    assert "Between April 2025 and September 2025 we supported 30 people over 80 contacts." in html
    assert "How these figures were made" in html
    assert "fewer than 5" in html
    assert html.count("<svg") >= 2
    assert 'style="' not in html


def pdf_text(response) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_report_pdf_is_one_or_two_pages_without_small_numbers(client, cast, dataset):
    client.force_login(cast.viewer)
    response = client.get(url("report_pdf", dataset))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    pages, text = pdf_text(response)
    assert 1 <= pages <= 2
    flat = " ".join(text.split())
    assert "Sparkbrook Food Bank" in flat
    assert "we supported 30 people over 80 contacts" in flat
    assert "fewer than 5" in flat
    assert not re.search(r"\b[1-4] (people|contacts|person)\b", flat)


def test_report_pdf_of_a_period(client, cast, dataset):
    client.force_login(cast.viewer)
    response = client.get(url("report_pdf", dataset), {"start": "2025-06-01", "end": "2025-09-30"})
    _, text = pdf_text(response)
    # Whole months are named as months (this test used to expect "1 June 2025 to 30
    # September 2025": the report now says the period as people say it).
    flat = " ".join(text.split())
    # June to September: the 9 people of ward WC, 4 contacts each, and the 6 with an
    # invalid postcode, one contact each in June: 15 people, 42 contacts.
    assert "Period: June 2025 to September 2025." in flat
    assert "Between June 2025 and September 2025 we supported 15 people over 42 contacts." in flat


# -- the report speaks as the organisation ("we"); the dashboard to it ("you") -----------


@pytest.fixture
def food_bank(impact_geography, cast):
    upload = services.upload_create(
        organisation=cast.organisation,
        user=cast.owner,
        source=FIXTURES / "food_bank_visits.xlsx",
        name="food_bank_visits.xlsx",
        dataset_name="Food bank visits",
    )
    return services.upload_confirm(upload=upload, user=cast.owner).dataset


def _article(response) -> str:
    """The report's words (chart descriptions included), tags and spacing removed."""
    body = response.content.decode()
    body = body[body.index("<article") : body.index("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_food_bank_report_says_we(client, cast, food_bank, shared_data_dir):
    client.force_login(cast.viewer)
    text = _article(client.get(url("report", food_bank)))
    assert "Impact report Sparkbrook Food Bank Food bank visits." in text
    assert "Period: April 2025 to March 2026." in text
    assert (
        f"Between April 2025 and March 2026 we supported {hand.PEOPLE} people over "
        f"{hand.CONTACTS} contacts."
    ) in text
    wards, deciles = hand.placed_by_hand(shared_data_dir)
    # All 20 placed clients live in deciles 1-2; one of the two deciles holds fewer than
    # 5, so the share in decile 1 alone is hidden.
    assert deciles[1] + deciles[2] == hand.PLACED and 0 < min(deciles[1], deciles[2]) < 5
    assert (
        "100% of the people we supported live in England's most deprived 20% of areas. "
        "The share in the most deprived 10% is not shown, to protect a small number."
    ) in text
    assert max(wards.values()) == 10
    assert (
        f"The people we supported live in 1 local authority. Most live in Birmingham "
        f"({hand.PLACED}, 100%). The ward with most is Sparkbrook & Balsall Heath East (10)."
    ) in text
    assert f"{hand.BOTH_SCORES} people have both a before and an after score" in text
    assert "Sparkbrook Food Bank’s own records (Food bank visits)." in text
    assert not re.search(r"\byour?\b", text, flags=re.IGNORECASE), re.findall(
        r"[^.]*\byour?\b[^.]*", text, flags=re.IGNORECASE
    )


def test_the_food_bank_dashboard_still_says_you(client, cast, food_bank):
    client.force_login(cast.viewer)
    page = client.get(reverse("impact:dashboard", args=[cast.organisation.slug, food_bank.pk]))
    text = " ".join(html.unescape(page.content.decode()).split())
    assert (
        f"Between April 2025 and March 2026 you supported {hand.PEOPLE} people over "
        f"{hand.CONTACTS} contacts."
    ) in text
    assert "100% of the people you supported live in England's most deprived 20%" in text
    assert "The people you supported live in 1 local authority." in text


def test_the_food_bank_report_of_a_period_names_its_months(client, cast, food_bank):
    # October 2025 - March 2026, counted by hand in tests/impact/test_views.py: 15 people,
    # 36 contacts. (April - September would give away the 4 people who came only later.)
    client.force_login(cast.viewer)
    query = {"start": "2025-10-01", "end": "2026-03-31"}
    text = _article(client.get(url("report", food_bank), query))
    assert "Period: October 2025 to March 2026." in text
    assert "Between October 2025 and March 2026 we supported 15 people over 36 contacts." in text
    assert (
        "None of the people has both a before and an after score on a scale of 1 to 10, so "
        "no change can be measured."
    ) in text
    dashboard = client.get(
        reverse("impact:dashboard", args=[cast.organisation.slug, food_bank.pk]), query
    )
    assert (
        "Between 1 October 2025 and 31 March 2026 you supported 15 people over 36 contacts."
    ) in html.unescape(dashboard.content.decode())


def _shown(value):
    return SafeCount(Status.SHOWN, 5, value)


def test_the_sentences_take_a_voice_and_default_to_the_dashboards():
    people, contacts = _shown(1240), _shown(3100)
    lead = "Between April 2025 and March 2026"
    assert reach_summary(lead, people, contacts, unit="people") == (
        "Between April 2025 and March 2026 you supported 1,240 people over 3,100 contacts."
    )
    assert reach_summary(lead, people, contacts, unit="people", voice="we") == (
        "Between April 2025 and March 2026 we supported 1,240 people over 3,100 contacts."
    )
    assert reach_summary(lead, people, contacts, unit="contacts", voice="we") == (
        "Between April 2025 and March 2026 we recorded 3,100 contacts."
    )
    share = type("Share", (), {"value": 38, "display": "38%"})()
    baseline = type("Baseline", (), {"share_1": None})()
    for voice in ("you", "we"):
        assert _deprivation_summary("England", "people", share, share, baseline, voice=voice) == (
            f"38% of the people {voice} supported live in England's most deprived 10% of "
            "areas, and 38% in the most deprived 20%."
        )
    assert _deprivation_summary("England", "people", share, share, baseline) == (
        _deprivation_summary("England", "people", share, share, baseline, voice="you")
    )
    assert where_summary("people", 0, 0, None, []) == (
        "None of the people has a postcode we could place."
    )
    assert where_summary("people", 0, 0, None, [], voice="we") == (
        "None of the people has a postcode that could be placed."
    )


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (date(2025, 4, 1), date(2026, 3, 31), "Between April 2025 and March 2026"),
        (date(2025, 6, 1), date(2025, 6, 30), "In June 2025"),
        (date(2024, 2, 1), date(2024, 2, 29), "In February 2024"),
        (date(2025, 4, 1), None, "Since April 2025"),
        (None, date(2025, 12, 31), "Up to December 2025"),
        # Not whole months: the days are kept.
        (date(2025, 4, 2), date(2026, 3, 31), "Between 2 April 2025 and 31 March 2026"),
        (date(2025, 4, 1), date(2026, 3, 30), "Between 1 April 2025 and 30 March 2026"),
    ],
)
def test_a_chosen_period_of_whole_months_reads_as_months(start, end, words):
    assert period_words(None, None, Period(start, end))[1] == words


def test_the_whole_dataset_reads_as_its_months():
    assert period_words(date(2025, 4, 3), date(2026, 3, 28), Period()) == (
        "April 2025 to March 2026",
        "Between April 2025 and March 2026",
    )
