"""`{% load charities %}{% charities_profile area %}`: the charities section of an area page.

Shows the area's charity figures (based in / working in) for local authorities and wards;
renders nothing for other areas.
"""

from __future__ import annotations

from django import template

from vcsehub.charities import api as shape
from vcsehub.charities.profile import PROFILE_TYPES
from vcsehub.sources.registry import get_source

register = template.Library()


@register.inclusion_tag("charities/_area_section.html")
def charities_profile(area) -> dict:
    if area is None or area.type not in PROFILE_TYPES:
        return {"profile": None}
    data, figures = shape.area_profile_build(area)
    sources = []
    for source_id in data.sources_used:
        try:
            sources.append(get_source(source_id))
        except LookupError:
            continue
    return {"area": area, "profile": figures, "profile_sources": sources}
