"""The shared stylesheet defines the class conventions every app's templates use."""

import re

from config.env import BASE_DIR

CSS = (BASE_DIR / "vcsehub" / "static" / "vcsehub" / "site.css").read_text(encoding="utf-8")
SHARED = [
    ".figure",
    ".summary",
    "table.data",
    "td.num",
    ".meta",
    ".notice",
    ".error-summary",
    ".button",
    ".button-secondary",
    ".grid-2",
    ".visually-hidden",
    ".skip-link",
    ".field",
    ".hint",
    ".error-message",
]


def selectors() -> set[str]:
    without_comments = re.sub(r"/\*.*?\*/", "", CSS, flags=re.DOTALL)
    found = set()
    for block in re.findall(r"([^{}]+)\{", without_comments):
        for selector in block.split(","):
            found.update(re.findall(r"(?:[a-z]+)?\.[a-z0-9-]+", selector.strip()))
    return found


def test_every_shared_class_is_styled():
    missing = [name for name in SHARED if name not in selectors()]
    assert not missing, f"site.css has no rule for {missing}"


def test_focus_is_a_thick_outline_and_there_is_a_print_stylesheet():
    assert re.search(r":focus-visible[^{]*\{[^}]*outline:\s*3px solid", CSS)
    assert "@media print" in CSS
    assert "prefers-reduced-motion" in CSS
