"""People reached and contacts, by month, and how often people came."""

from __future__ import annotations

from datetime import date, timedelta

from vcsehub.analytics import impact as fig
from vcsehub.analytics.disclosure import SafeCount, safe_count
from vcsehub.impact.dashboard.common import (
    ALL,
    Context,
    Period,
    Protected,
    counts_table,
    month_label,
    period_text,
    reasons,
)
from vcsehub.impact.dashboard.voice import WE, YOU


def _whole_months(period: Period) -> bool:
    """True when the period starts on a month's first day and ends on its last (or is open
    at that end), so it reads as months: "April 2025 to March 2026"."""
    starts = period.start is None or period.start.day == 1
    ends = period.end is None or (period.end + timedelta(days=1)).day == 1
    return period.chosen and starts and ends


def period_words(first: date | None, last: date | None, period: Period) -> tuple[str, str]:
    """("April 2025 to March 2026", "Between April 2025 and March 2026"): as `period_text`,
    but a chosen period of whole months is named by its months, as people say it."""
    if not _whole_months(period):
        return period_text(first, last, period)
    start = month_label(period.start) if period.start else None
    end = month_label(period.end) if period.end else None
    if start and end:
        if start == end:
            return start, f"In {start}"
        return f"{start} to {end}", f"Between {start} and {end}"
    if start:
        return f"from {start}", f"Since {start}"
    return f"up to {end}", f"Up to {end}"


def reach_summary(
    lead: str, people: SafeCount, contacts: SafeCount, *, unit: str, voice: str = YOU
) -> str:
    """The headline sentence. voice="you" on the dashboard (read by the organisation's own
    staff), "we" in the report (sent by the organisation to its funder)."""
    if unit == "people":
        return f"{lead} {voice} supported {people.display} people over {contacts.display} contacts."
    if voice == WE:
        return f"{lead} we recorded {contacts.display} contacts."
    return (
        f"{lead} you recorded {contacts.display} contacts. The records have no person "
        "reference, so we cannot tell how many different people these were."
    )


def reach(ctx: Context, first: date | None, last: date | None) -> dict:
    t = ctx.threshold
    contacts = safe_count(ctx.people.contacts, threshold=t)
    people = ctx.people_total
    _, lead = period_text(first, last, ctx.period)
    label_report, lead_report = period_words(first, last, ctx.period)
    summary = reach_summary(lead, people, contacts, unit=ctx.unit)
    summary_report = reach_summary(lead_report, people, contacts, unit=ctx.unit, voice=WE)
    excluded = ctx.excluded_no_person()
    excluded += reasons(
        [
            (
                "records with no date: they cannot be placed in the period chosen",
                ctx.undated_left_out,
            )
        ],
        t,
    )
    return ctx.base(
        id="reach",
        title="People reached and contacts",
        counts=(
            "People: different person references. Contacts: rows in your records (one "
            "visit, session or call each)."
        ),
        value=people.as_dict() if ctx.unit == "people" else None,
        people=people.as_dict() if ctx.unit == "people" else None,
        contacts=contacts.as_dict(),
        n=contacts.as_dict(),
        summary=summary,
        summary_report=summary_report,
        period_report=label_report,
        missing=[],
        excluded=excluded,
    )


def by_month(ctx: Context, first: date | None, last: date | None) -> dict:
    t = ctx.threshold
    months, undated = fig.by_month(
        ctx.rows,
        unit=ctx.unit,
        first=ctx.period.start or first,
        last=ctx.period.end or last,
    )
    keys = [m.month.isoformat() for m in months]
    values: dict[str, int] = {m.month.isoformat(): m.contacts for m in months}
    values["dated"] = sum(values.values())
    values["undated"] = undated
    values[ALL] = ctx.people.contacts
    # All contacts (shown in the reach figure) = dated + undated: a small number of undated
    # contacts hides the dated total, and so one month.
    table = Protected(values, [("dated", keys), (ALL, ["dated", "undated"])], threshold=t)
    ctx.check_everyone(table)
    rows = []
    for m, key in zip(months, keys, strict=True):
        contacts = table.cell(key)
        # Without person references a month's "people" are its contacts: the same cell.
        people = contacts if ctx.unit != "people" else safe_count(m.people, threshold=t).as_dict()
        rows.append(
            {
                "key": key,
                "label": month_label(m.month),
                "short_label": month_label(m.month, short=True),
                "people": people,
                "contacts": contacts,
            }
        )
    busiest = max(
        (m for m in months if table[m.month.isoformat()].shown),
        key=lambda m: m.contacts,
        default=None,
    )
    if not months:
        summary = "No record has a date, so contacts cannot be shown by month."
    else:
        summary = f"Contacts are shown for {len(months)} month{'s' if len(months) != 1 else ''}."
        if busiest is not None:
            summary += (
                f" The busiest month was {month_label(busiest.month)}, with "
                f"{table[busiest.month.isoformat()].display} contacts."
            )
    return ctx.base(
        id="by_month",
        title=f"{ctx.who_word.capitalize()} and contacts by month",
        counts=(
            "People: different person references seen in the month (someone who came in "
            "two months counts in both). Contacts: rows dated in the month."
        ),
        value=None,
        rows=rows,
        total={"label": "All dated contacts", "contacts": table.cell("dated")},
        n=table.cell("dated"),
        missing=table.reasons([("contacts with no date", "undated")]),
        excluded=[],
        summary=summary,
    )


def repeat_use(ctx: Context) -> dict:
    counts = fig.repeat_use(ctx.people)
    values = {band: counts[band] for band in fig.REPEAT_BANDS}
    values[ALL] = ctx.everyone
    rows, total, table = counts_table(
        keys_labels=[(band, band) for band in fig.REPEAT_BANDS],
        values=values,
        total_key=ALL,
        total_label="All people",
        threshold=ctx.threshold,
    )
    if ctx.unit != "people":
        summary = "The records have no person reference, so repeat use cannot be counted."
    else:
        parts = [
            f"{row['count']['display']} people ({row['share']['display']}) came "
            f"{row['label'].lower()}"
            for row in rows
            if row["share"]["value"] is not None
        ]
        if not parts:
            summary = "Every group is too small to show on its own."
        else:
            summary = "; ".join(parts) + "."
            if len(parts) < len(rows):
                summary += " The other groups are too small to show on their own."
    return ctx.base(
        id="repeat_use",
        title="How often people came",
        counts="People by their number of contacts in the period.",
        value=None,
        rows=rows if ctx.unit == "people" else [],
        total=total,
        n=ctx.people_total.as_dict(),
        missing=[],
        excluded=ctx.excluded_no_person(),
        summary=summary,
        available=ctx.unit == "people",
    )
