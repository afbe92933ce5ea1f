"""The site shell: home, navigation, sign-in area, and the error pages."""

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from vcsehub.common.home import AUDIENCES
from vcsehub.common.navigation import nav_current, nav_items, sections

pytestmark = pytest.mark.django_db


def test_home_has_landmarks_and_a_skip_link(client):
    html = client.get("/").content.decode()
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert html.count("<h1") == 1
    assert 'lang="en-GB"' in html


def test_home_links_only_to_pages_that_exist(client):
    html = client.get("/").content.decode()
    hrefs = set(re.findall(r'href="(/[^"#]*)"', html))
    assert hrefs, "the home page should link somewhere"
    for href in hrefs:
        if href.startswith("/static/"):
            continue
        response = client.get(href)
        assert response.status_code in {200, 302}, f"{href} answered {response.status_code}"


def test_home_shows_an_audience_only_when_one_of_its_links_exists(client):
    html = client.get("/").content.decode()
    # "Use the data" links to the API description, which always exists.
    assert "Use the data" in html
    assert reverse("api:openapi-json") in html
    present = sections()
    for heading, _who, _text, targets in AUDIENCES:
        app_targets = [t.removeprefix("app:") for _, t in targets if t.startswith("app:")]
        if (
            app_targets
            and len(app_targets) == len(targets)
            and not any(a in present for a in app_targets)
        ):
            assert heading not in html


def test_navigation_lists_only_resolvable_items_in_order():
    items = nav_items()
    assert [i.order for i in items] == sorted(i.order for i in items)
    declared = {
        url_name
        for config in apps.get_app_configs()
        for _, url_name, _ in getattr(config, "nav_items", ())
    }
    assert {i.url_name for i in items} <= declared
    for item in items:
        assert item.url == reverse(item.url_name)


def test_current_nav_item_is_the_longest_matching_prefix():
    from vcsehub.common.navigation import NavItem

    items = (NavItem("A", "/a/", 1), NavItem("AB", "/a/b/", 2), NavItem("Home", "/", 0))
    assert nav_current("/a/b/c", items).label == "AB"
    assert nav_current("/a/x", items).label == "A"
    assert nav_current("/", items) is None


def test_current_section_is_marked_with_aria_current(client):
    items = nav_items()
    if not items:
        pytest.skip("no app declares a navigation item yet")
    item = items[0]
    html = Client().get(item.url, follow=True).content.decode()
    assert f'<a href="{item.url}" aria-current="page">' in html
    home = client.get("/").content.decode()
    assert 'aria-current="page"' not in home


def test_sign_in_link_when_signed_out_and_sign_out_form_when_signed_in(client, django_user_model):
    html = client.get("/").content.decode()
    assert f'href="{reverse("organisations:login")}"' in html
    assert "Sign out" not in html
    user = django_user_model.objects.create_user(
        email="priya@example.org", password="a long passphrase 1"
    )
    client.force_login(user)
    html = client.get("/").content.decode()
    assert f'action="{reverse("organisations:logout")}"' in html
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" in html
    assert f'href="{reverse("organisations:home")}"' in html  # in the menu or the header
    assert "Signed in as priya@example.org" in html


def test_header_names_the_site_on_every_page_including_auth_views(client):
    # Django's auth views put their own `site_name` (the host name) in the context.
    for url in ("/", reverse("organisations:login"), "/no-such-page/"):
        html = client.get(url).content.decode()
        assert '<a class="site-name" href="/">VCSE Hub</a>' in html, url
        assert "– VCSE Hub</title>" in html


def test_no_inline_styles_or_scripts(client):
    html = client.get("/").content.decode() + client.get("/no-such-page/").content.decode()
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_not_found_page_is_friendly(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/"' in html
    assert "<main" in html


def test_server_error_page_renders_without_database_or_request(client, django_db_blocker):
    from vcsehub.common.views import server_error

    with django_db_blocker.block():  # any database query would raise here
        response = server_error(None)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong" in html
    assert "not something you did" in html
    assert "{%" not in html
