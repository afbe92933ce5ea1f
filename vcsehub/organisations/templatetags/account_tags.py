"""Template filters for account pages."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def wait_words(cool_off: timedelta | None) -> str:
    """'15 minutes', '1 minute', '2 hours': how long a locked-out person must wait."""
    if not cool_off:
        return "a while"
    minutes = max(1, round(cool_off.total_seconds() / 60))
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
