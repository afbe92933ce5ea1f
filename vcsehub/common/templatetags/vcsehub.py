"""Template filters for figures: `{% load vcsehub %}` then

    {{ n|count }}             12,345          (None -> "no data")
    {{ x|number:2 }}          1,234.57
    {{ share|percent:1 }}     12.3%           (share is a fraction: 0.123)
    {{ value|pct:1 }}         12.3%           (value is already a percentage: 12.34)
    {{ amount|money }}        £1,234.50 / £1,500
    {{ amount|money:0 }}      £1,235
    {{ value|nodata }}        the value, or "no data" when it is None or empty

Missing is never zero: every filter writes "no data" for None. A value that is not a
number is shown unchanged, so a template mistake is visible rather than hidden.
See vcsehub/common/formatting.py for the same functions in Python.
"""

from __future__ import annotations

from typing import Any

from django import template

from vcsehub.common import formatting

register = template.Library()


def _safely(function, value: Any, *args: Any) -> Any:
    try:
        return function(value, *args)
    except ValueError:
        return value


@register.filter
def count(value: Any) -> Any:
    return _safely(formatting.format_count, value)


@register.filter
def number(value: Any, places: int = 1) -> Any:
    return _safely(formatting.format_number, value, int(places))


@register.filter
def percent(value: Any, places: int = 0) -> Any:
    return _safely(formatting.format_percent, value, int(places))


@register.filter
def pct(value: Any, places: int = 1) -> Any:
    return _safely(formatting.format_pct, value, int(places))


@register.filter
def money(value: Any, places: Any = None) -> Any:
    return _safely(formatting.format_money, value, None if places in (None, "") else int(places))


@register.filter
def nodata(value: Any) -> Any:
    if value is None or value == "":
        return formatting.NO_DATA
    return value
