"""Browser fixtures: a real Chromium (Debian's /usr/bin/chromium) driven by Playwright.

    browser         one headless Chromium for the whole session
    page            a fresh page (own cookies) per test; fails the test on any console
                    error or uncaught page error, on every page it visited
    console_errors  the list those errors are collected in (the guard behind `page`)

Tests using these need the `browser` marker and a live server:
    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="install the browser test tools: pip install -e '.[browser]'"
    )
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium was not found at {CHROMIUM}. Install it with `apt-get install -y chromium`."
        )
    # Playwright's sync API runs an event loop in this thread; Django would then refuse the
    # test's own database calls (creating users) as "async unsafe". They are not: allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def console_errors():
    errors: list[str] = []
    yield errors
    assert not errors, "The browser reported errors:\n" + "\n".join(errors)


@pytest.fixture
def page(browser, console_errors):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    new_page = context.new_page()

    def on_console(message):
        if message.type == "error":
            where = message.location.get("url") or new_page.url
            console_errors.append(f"console error on {new_page.url} ({where}): {message.text}")

    new_page.on("console", on_console)
    new_page.on(
        "pageerror", lambda error: console_errors.append(f"page error on {new_page.url}: {error}")
    )
    yield new_page
    context.close()
