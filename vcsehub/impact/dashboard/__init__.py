"""The dashboard figures of one dataset: disclosure-controlled, JSON-ready, one call.

`dashboard_figures(dataset, period=..., edition=...)` reads the dataset's records once,
computes every figure with `analytics.impact`, protects small counts with
`analytics.disclosure`, and returns plain dicts, lists, strings, numbers and None. The
dashboard page, its CSV, the report (HTML and PDF) and the API all show this dict, so
they show the same figures. A hidden count is never in it: only its marker.

One module per figure group: reach.py (people, contacts, months, repeat use),
places.py (deprivation and where people live, protected together), people.py (who,
outcomes), quality.py (data quality); common.py holds what they share and cache.py
keeps computed figures in the database.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from vcsehub.analytics.disclosure import fewer_than
from vcsehub.impact.dashboard import cache
from vcsehub.impact.dashboard.common import (
    DEFAULT_EDITION,
    EDITION_SPECS,
    Context,
    KnownRows,
    Period,
    dataset_rows,
    long_date,
    month_label,
    period_text,
    source_or_none,
    visit_rows_from,
)
from vcsehub.impact.dashboard.people import outcomes, who
from vcsehub.impact.dashboard.places import deprivation, places, where
from vcsehub.impact.dashboard.quality import data_quality
from vcsehub.impact.dashboard.reach import by_month, reach, repeat_use
from vcsehub.impact.models import Dataset
from vcsehub.sources.registry import Source
from vcsehub.sources.selectors import import_runs_latest_success

__all__ = [
    "DEFAULT_EDITION",
    "EDITION_SPECS",
    "KnownRows",
    "Period",
    "dashboard_figures",
    "dashboard_figures_uncached",
    "dataset_editions",
    "dataset_rows",
    "long_date",
    "month_label",
    "period_text",
    "visit_rows_from",
]

POSTCODE_SOURCES = ("nspl", "onspd", "postcodes-derived-lsoa-wmca")


def _jsonable(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _sources(ids: list[str]) -> list[dict]:
    seen: list[Source] = []
    for source_id in ids:
        source = source_or_none(source_id)
        if source is not None and source not in seen:
            seen.append(source)
    return [
        {
            "id": s.id,
            "title": s.title,
            "publisher": s.publisher,
            "licence": s.licence,
            "licence_url": s.licence_url,
            "attribution": list(s.attribution),
        }
        for s in seen
    ]


def dataset_editions() -> list[dict]:
    return [{"key": key, "label": spec.edition.label} for key, spec in EDITION_SPECS.items()]


def dashboard_figures(
    dataset: Dataset,
    *,
    period: Period | None = None,
    edition: str = DEFAULT_EDITION,
    known: KnownRows | None = None,
) -> dict:
    """Every dashboard figure of the dataset, disclosure-controlled and JSON-ready.

    Kept in the database until the records, uploads, dataset settings, minimum count,
    open data or the code change (see cache.py), so every web process shares them.
    `known`: the dataset's records as just written (used only while they are still all of
    them, and for the whole period), instead of reading them back.
    """
    period = period or Period()
    if edition not in EDITION_SPECS:
        raise ValueError(f"Unknown deprivation edition {edition!r}.")
    state, last_id = cache.data_state_and_last(dataset)
    key = cache.figures_key(state, period=period, edition=edition)
    figures = cache.figures_get(dataset, key)
    if figures is None:
        rows = None
        if known is not None and known.last_id == last_id and not period.chosen:
            rows = known.rows
        figures = dashboard_figures_uncached(dataset, period=period, edition=edition, rows=rows)
        cache.figures_keep(dataset, key=key, state=state, figures=figures)
    return figures


def dashboard_figures_uncached(
    dataset: Dataset,
    *,
    period: Period | None = None,
    edition: str = DEFAULT_EDITION,
    rows: list | None = None,
) -> dict:
    """The figures computed from the records (what `dashboard_figures` keeps), or from
    `rows` (every record of the dataset, see `KnownRows`) when given."""
    period = period or Period()
    # As saved now (the key is read from the database too, not from this instance).
    dataset = Dataset.objects.select_related("organisation").get(pk=dataset.pk)
    ctx = Context.load(dataset, period, edition, rows=rows)
    dates = [r.contact_date for r in ctx.rows if r.contact_date is not None]
    first, last = (min(dates), max(dates)) if dates else (None, None)
    label, _ = period_text(first, last, period)
    placed = places(ctx)
    figures = {
        "reach": reach(ctx, first, last),
        "by_month": by_month(ctx, first, last),
        "repeat_use": repeat_use(ctx),
        "deprivation": deprivation(ctx, placed),
        "where": where(ctx, placed),
        "who": who(ctx),
        "outcomes": outcomes(ctx),
        "data_quality": data_quality(ctx),
    }
    postcode_runs = import_runs_latest_success(source_ids=POSTCODE_SOURCES)
    spec = ctx.spec
    t, who_word = ctx.threshold, ctx.who_word
    result = {
        "dataset": {
            "id": dataset.pk,
            "name": dataset.name,
            "organisation": dataset.organisation.name,
            "organisation_slug": dataset.organisation.slug,
        },
        "period": {
            "start": period.start,
            "end": period.end,
            "chosen": period.chosen,
            "first_contact": first,
            "last_contact": last,
            "label": label,
        },
        "summary": figures["reach"]["summary"],
        "unit": ctx.unit,
        "min_display_count": t,
        "suppression": (
            f"Any number of {who_word} below {t} is shown as “{fewer_than(t)}”. Where numbers "
            "add up to a total, or to all the "
            f"{who_word} counted, one more number is hidden (“not shown”) so the small one "
            "cannot be worked out by subtraction. Shares and averages are shown only when "
            "they cannot give a hidden number away, and averages only for "
            f"{t} or more {who_word}."
        ),
        "edition": {
            "key": spec.edition.key,
            "label": spec.edition.label,
            "title": spec.edition.title,
            "data_date": spec.edition.data_date,
            "population_label": spec.edition.population_label,
        },
        "editions": dataset_editions(),
        "data_date": ctx.data_date,
        "figures": figures,
        "sources": _sources([*sorted(postcode_runs), *ctx.sources, "ons-area-codes"]),
    }
    return _jsonable(result)
