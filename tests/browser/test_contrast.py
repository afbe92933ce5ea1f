"""Text colour contrast of at least 4.5:1 (WCAG 2.2 AA), measured in the browser."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each element with its own visible text: its colour, and the first opaque background
# found walking up the tree (white if none). Returns the pairs below 4.5:1.
LOW_CONTRAST = """() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const problems = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.visibility === "hidden" || style.display === "none") continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const a = lum(parse(style.color).slice(0, 3)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) problems.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}": ${ratio.toFixed(2)}:1`);
  }
  return problems;
}"""


@pytest.mark.parametrize("url_name", ["home", "organisations:login", "sources:index"])
def test_text_contrast(page, live_server, url_name):
    page.goto(live_server.url + reverse(url_name))
    assert page.evaluate(LOW_CONTRAST) == []


def test_text_contrast_of_the_not_found_page(page, live_server, console_errors):
    page.goto(live_server.url + "/no-such-page/")
    console_errors[:] = [e for e in console_errors if "404" not in e]
    assert page.evaluate(LOW_CONTRAST) == []
