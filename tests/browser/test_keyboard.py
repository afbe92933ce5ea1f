"""Keyboard-only use of the site shell in a real browser, failing on any console error."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 80

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    cls: el.className,
    text: (el.innerText || el.value || "").trim(),
    href: el.getAttribute("href"),
    inNav: !!el.closest("nav[aria-label=Main]"),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    top: el.getBoundingClientRect().top,
  };
}"""


def tab_through(page, url: str) -> list[dict]:
    """Load the page, then press Tab until focus leaves the page or comes round again."""
    page.goto(url)
    seen: list[dict] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body" or (seen and focused == seen[0]):
            break
        seen.append(focused)
    return seen


def check_keyboard_page(page, url: str) -> None:
    page.goto(url)
    nav_links = page.eval_on_selector_all(
        "nav[aria-label=Main] a", "els => els.map(e => e.getAttribute('href'))"
    )

    # The first Tab reaches the skip link, which becomes visible; Enter moves focus to main.
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["cls"] == "skip-link", f"the first Tab went to {first}"
    assert first["text"] == "Skip to main content"
    assert first["top"] >= 0, "the skip link should be on screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    stops = tab_through(page, url)
    assert stops[0]["cls"] == "skip-link"
    reached = {stop["href"] for stop in stops if stop["inNav"]}
    assert set(nav_links) <= reached, f"menu links not reached by Tab: {set(nav_links) - reached}"
    for stop in stops:
        assert stop["outlineStyle"] != "none" and stop["outlineWidth"] >= 3, (
            f"no visible focus outline on {stop['tag']} {stop['text']!r}: "
            f"{stop['outlineStyle']} {stop['outlineWidth']}px"
        )


def test_home_page_by_keyboard(page, live_server):
    check_keyboard_page(page, live_server.url + reverse("home"))
    assert page.title().endswith("VCSE Hub")
    assert page.locator("h1").count() == 1


def test_data_sources_page_by_keyboard(page, live_server):
    check_keyboard_page(page, live_server.url + reverse("sources:index"))


def test_not_found_page_has_no_errors_and_a_way_home(page, live_server, console_errors):
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    # The browser logs the 404 status of the page itself as a console error: that one is expected.
    console_errors[:] = [e for e in console_errors if "404" not in e]
    page.get_by_role("link", name="Go to the home page").click()
    assert page.url == live_server.url + "/"


def focus_by_tab(page, locator, limit: int = MAX_TABS) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"could not reach {locator} with the Tab key")


def test_sign_in_and_out_by_keyboard(page, live_server, django_user_model):
    django_user_model.objects.create_user(
        email="ian@example.org", password="a long test passphrase 42"
    )
    page.goto(live_server.url + "/")
    focus_by_tab(page, page.get_by_role("link", name="Sign in").first)
    page.keyboard.press("Enter")
    page.wait_for_url("**" + reverse("organisations:login") + "**")

    focus_by_tab(page, page.get_by_label("Email address"))
    page.keyboard.type("ian@example.org")
    focus_by_tab(page, page.get_by_label("Password"))
    page.keyboard.type("a long test passphrase 42")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("organisations:home"))
    assert "Signed in as ian@example.org" in page.locator("header").inner_text()

    focus_by_tab(page, page.get_by_role("button", name="Sign out"))
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Sign in").first.is_visible()
