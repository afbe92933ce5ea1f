"""The report: HTML and PDF (WeasyPrint), one to two pages, no small numbers."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.impact.dashboard_data import make_small_dataset
from tests.organisations.people import make_cast


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
    assert "1 June 2025 to 30 September 2025" in " ".join(text.split())
