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


@cache
def nav_items() -> tuple[NavItem, ...]:
    items = []
    for config in apps.get_app_configs():
        for label, url_name, order in getattr(config, "nav_items", ()):
            try:
                items.append(NavItem(label=label, url=reverse(url_name), order=order))
            except NoReverseMatch:
                continue
    return tuple(sorted(items, key=lambda item: (item.order, item.label)))
