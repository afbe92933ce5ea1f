"""What the home page offers each kind of visitor, linking only to parts of the site that exist.

Each audience lists links as (text, target). A target is either `app:<label>`, meaning the
main page that app puts in the menu (its AppConfig.nav_items), or a URL name. Links whose
target does not exist are dropped, and an audience with no links left is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from vcsehub.common.navigation import sections


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Audience:
    heading: str
    who: str
    text: str
    links: tuple[Link, ...]


AUDIENCES: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Show who you reach",
        "For small charities and community groups",
        "Your funder asks who you reach and whether they are the people most in need. "
        "Upload the spreadsheet you already keep. We show how many people you reach, "
        "and how many live in the most deprived areas. Names and contact details are never stored.",
        (
            ("Upload your records", "app:impact"),
            ("Look up deprivation in a place", "app:geography"),
        ),
    ),
    (
        "Know your local sector",
        "For councils for voluntary service and local networks",
        "Answer the questions you get every week: how many charities work in your area, "
        "what they do, and where help is missing.",
        (
            ("Find charities", "app:charities"),
            ("See a place's profile", "app:geography"),
            ("Check your members' digital skills", "app:digital"),
        ),
    ),
    (
        "See who funds what",
        "For grant makers and funders' networks",
        "See your grants and other funders' grants in one place. "
        "Find the places and causes that get little funding.",
        (
            ("Explore grants", "app:grants"),
            ("Share figures with partners", "app:sharing"),
        ),
    ),
    (
        "Use the data",
        "For volunteers and analysts",
        "All the open data here can be downloaded or read through the API. "
        "Each source says who publishes it, its licence and how old it is.",
        (
            ("Where the data comes from", "sources:index"),
            ("The API description (OpenAPI)", "api:openapi-json"),
        ),
    ),
)


def _url(target: str, found: dict) -> str | None:
    if target.startswith("app:"):
        item = found.get(target.removeprefix("app:"))
        return item.url if item else None
    try:
        return reverse(target)
    except NoReverseMatch:
        return None


def home_audiences() -> list[Audience]:
    """The audiences to show, each with only the links that work on this site."""
    found = sections()
    result = []
    for heading, who, text, targets in AUDIENCES:
        links = []
        for link_text, target in targets:
            url = _url(target, found)
            if url:
                links.append(Link(text=link_text, url=url))
        if links:
            result.append(Audience(heading=heading, who=who, text=text, links=tuple(links)))
    return result
