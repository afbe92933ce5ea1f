"""Site navigation built from what is installed: each app's AppConfig lists its entries.

An app shows a link by setting `nav_items = [(label, url_name, order)]` on its AppConfig.
Links whose URL does not resolve are left out, so the menu only shows what exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int
    url_name: str = ""
    app_label: str = ""


@cache
def nav_items() -> tuple[NavItem, ...]:
    items = []
    for config in apps.get_app_configs():
        for label, url_name, order in getattr(config, "nav_items", ()):
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append(
                NavItem(
                    label=label, url=url, order=order, url_name=url_name, app_label=config.label
                )
            )
    return tuple(sorted(items, key=lambda item: (item.order, item.label)))


def nav_current(path: str, items: tuple[NavItem, ...]) -> NavItem | None:
    """The menu item the page at `path` belongs to: the one with the longest matching URL."""
    matches = [item for item in items if item.url != "/" and path.startswith(item.url)]
    return max(matches, key=lambda item: len(item.url), default=None)


def sections() -> dict[str, NavItem]:
    """The site's sections that exist, by app label (e.g. sections()["charities"])."""
    found: dict[str, NavItem] = {}
    for item in nav_items():
        found.setdefault(item.app_label, item)
    return found
