"""Saved questions: stored as questions, public at a stable address, refreshed with the data."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile

import pytest

from tests.charities.patch_data import BIRMINGHAM, patch_fixture  # noqa: F401
from vcsehub.charities.importers.ccew import CcewImporter
from vcsehub.charities.models import Charity, SavedQuestion
from vcsehub.charities.sources import CCEW_TABLES
from vcsehub.organisations.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return User.objects.create_user("ian@example.org", "a long enough password 123")


def save(client, **fields):
    return client.post("/charities/saved/new/", fields)


def test_signing_in_is_needed_to_save(patch, client):
    response = save(client, title="Cancer charities", kind="search", q="cancer")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert not SavedQuestion.objects.exists()


def test_a_saved_search_has_a_public_page_definition_data_date_and_csv(patch, client, user):
    client.force_login(user)
    response = save(
        client, title="Cancer charities in Northern Ireland", kind="search", q="cancer",
        register="ccni", status="", income_band="",
    )  # fmt: skip
    question = SavedQuestion.objects.get()
    assert question.params == {"q": "cancer", "register": "ccni"}  # the question, not the answer
    url = f"/charities/saved/{question.slug}/"
    assert response["Location"] == url
    client.logout()
    html = client.get(url).content.decode()
    assert "<h1>Cancer charities in Northern Ireland</h1>" in html
    assert "Name, charity number or org-id matches “cancer”" in html
    assert "Register: Northern Ireland" in html
    assert '<p class="summary" id="answer-total">3 charities match.</p>' in html
    assert "Data dates:" in html and "CCNI" in html
    rows = list(
        csv.reader(
            client.get(f"/charities/saved/{question.slug}.csv")
            .content.decode("utf-8-sig")
            .splitlines()
        )
    )
    assert {row[1] for row in rows[1:]} == {
        "Cancer Lifeline", "Charis Cancer Care", "Lilac Cancer Support Ltd",
    }  # fmt: skip


def test_a_saved_area_profile(patch, client, user):
    client.force_login(user)
    save(client, title="Charities in Birmingham, by size", kind="area", code=BIRMINGHAM.lower())
    question = SavedQuestion.objects.get()
    assert question.params == {"code": BIRMINGHAM}
    html = client.get(f"/charities/saved/{question.slug}/").content.decode()
    assert "Charity profile of Birmingham (E08000025)" in html
    assert "Active charities by size (latest income)" in html
    rows = client.get(f"/charities/saved/{question.slug}.csv").content.decode("utf-8-sig")
    assert "Per 1,000 residents" in rows


def test_a_question_without_a_title_is_not_saved(patch, client, user):
    client.force_login(user)
    response = save(client, title="  ", kind="search", q="cancer")
    assert response.status_code == 302 and not SavedQuestion.objects.exists()


def changed_extract(ccew_paths, folder, *, removed: int, extract_date: str) -> list:
    """The CCEW sample with a new extract date and `removed` registered charities removed."""
    paths = []
    for path in ccew_paths:
        target = folder / path.name
        if path.name != "publicextract.charity.zip":
            shutil.copy(path, target)
        else:
            with zipfile.ZipFile(path) as archive:
                member = archive.namelist()[0]
                text = archive.read(member).decode("utf-8")
            lines = text.split("\r\n")
            header = lines[0].split("\t")
            status, link, removal = (
                header.index("charity_registration_status"),
                header.index("linked_charity_number"),
                header.index("date_of_removal"),
            )
            changed = 0
            for i, line in enumerate(lines[1:], start=1):
                if not line:
                    continue
                cells = line.split("\t")
                cells[0] = f"{extract_date} 00:00:00.0000000"
                if changed < removed and cells[link] == "0" and cells[status] == "Registered":
                    cells[status], cells[removal] = "Removed", f"{extract_date} 00:00:00.0000000"
                    changed += 1
                lines[i] = "\t".join(cells)
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(member, "\r\n".join(lines))
        paths.append(target)
    assert len(paths) == len(CCEW_TABLES)
    return paths


def test_saved_question_refreshes_when_the_data_refreshes(
    patch, client, user, tmp_path, ccew_paths
):
    client.force_login(user)
    save(client, title="Active charities in England and Wales", kind="search",
         register="ccew", status="registered")  # fmt: skip
    question = SavedQuestion.objects.get()
    url = f"/charities/saved/{question.slug}/"
    before = Charity.objects.filter(register="ccew", status="registered").count()
    html = client.get(url).content.decode()
    assert f'id="answer-total">{before} charities match.' in html
    assert "CCEW 7 September 2023" in html

    paths = changed_extract(ccew_paths, tmp_path, removed=5, extract_date="2023-10-01")
    run = CcewImporter(locations=paths).run()
    assert run.status == "succeeded", run.error

    html = client.get(url).content.decode()
    assert f'id="answer-total">{before - 5} charities match.' in html
    assert "CCEW 1 October 2023" in html and "7 September 2023" not in html
    rows = client.get(f"/charities/saved/{question.slug}.csv").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(rows)))) == before - 5 + 1


# -- "My saved questions" ----------------------------------------------------------------------


@pytest.fixture
def other_user(db):
    return User.objects.create_user("oona@example.org", "another long password 456")


def test_my_saved_questions_needs_signing_in(patch, client):
    response = client.get("/charities/saved/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


def test_my_saved_questions_lists_title_definition_data_date_and_links(patch, client, user):
    client.force_login(user)
    html = client.get("/charities/saved/").content.decode()
    assert "You have not saved any questions yet." in html
    save(client, title="Cancer charities in Northern Ireland", kind="search", q="cancer",
         register="ccni")  # fmt: skip
    save(client, title="Charities in Birmingham", kind="area", code=BIRMINGHAM)
    search_question = SavedQuestion.objects.get(kind="search")
    area_question = SavedQuestion.objects.get(kind="area")
    response = client.get("/charities/saved/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>My saved questions</h1>" in html
    assert "Your saved questions (2), newest first" in html
    assert html.index("Charities in Birmingham") < html.index("Cancer charities in Northern")
    assert "Name, charity number or org-id matches “cancer”" in html
    assert "Register: Northern Ireland" in html
    assert "Charity profile of Birmingham (E08000025)" in html
    ccni_date = patch_run_date("ccni")
    assert f"CCNI {ccni_date}" in html
    for question in (search_question, area_question):
        assert f'href="/charities/saved/{question.slug}/"' in html
        assert f'href="/charities/saved/{question.slug}.csv"' in html
        assert f'action="/charities/saved/{question.slug}/delete/"' in html
    # Linked from the search page and from a question's own page, for its owner.
    assert 'href="/charities/saved/"' in client.get("/charities/").content.decode()
    page = client.get(f"/charities/saved/{search_question.slug}/").content.decode()
    assert 'href="/charities/saved/"' in page


def patch_run_date(source_id: str) -> str:
    from vcsehub.charities import api

    when = api.register_data_dates()[source_id]
    return f"{when.day} {when:%b %Y}"


def test_a_user_can_delete_their_own_question(patch, client, user):
    client.force_login(user)
    save(client, title="Cancer charities", kind="search", q="cancer")
    question = SavedQuestion.objects.get()
    response = client.post(f"/charities/saved/{question.slug}/delete/")
    assert response.status_code == 302 and response["Location"] == "/charities/saved/"
    assert not SavedQuestion.objects.exists()
    assert client.get(f"/charities/saved/{question.slug}/").status_code == 404
    assert (
        "You have not saved any questions yet." in client.get("/charities/saved/").content.decode()
    )


def test_delete_needs_post(patch, client, user):
    client.force_login(user)
    save(client, title="Cancer charities", kind="search", q="cancer")
    question = SavedQuestion.objects.get()
    assert client.get(f"/charities/saved/{question.slug}/delete/").status_code == 405
    assert SavedQuestion.objects.filter(pk=question.pk).exists()


def test_another_user_cannot_see_or_delete_my_questions(patch, client, user, other_user):
    client.force_login(user)
    save(client, title="Ian's cancer charities", kind="search", q="cancer")
    question = SavedQuestion.objects.get()
    client.force_login(other_user)
    html = client.get("/charities/saved/").content.decode()
    assert "Ian&#x27;s cancer charities" not in html and question.slug not in html
    assert "You have not saved any questions yet." in html
    assert client.post(f"/charities/saved/{question.slug}/delete/").status_code == 404
    assert SavedQuestion.objects.filter(pk=question.pk).exists()
    client.logout()
    assert client.post(f"/charities/saved/{question.slug}/delete/").status_code == 302
    assert SavedQuestion.objects.filter(pk=question.pk).exists()
    client.force_login(user)
    assert "Ian&#x27;s cancer charities" in client.get("/charities/saved/").content.decode()
