"""Periods of a dataset, shown without giving a small number away by difference.

A reader can put side by side the headline counts of:
- the whole dataset's dashboard: people, contacts, contacts with no person reference,
  dated contacts and contacts with no date;
- a chosen period's dashboard: its people, contacts and contacts with no person
  reference, and the contacts with no date it leaves out;
- the compare page: people, contacts and contacts with no person reference in two
  periods, and the change from the first to the second.

Periods overlap in people (someone who came in both counts in both), so "the whole
dataset minus one period" counts the people who came only at other times, and "period A
and B minus period A" the people new in B. Every count is written here as a sum of
disjoint groups ("atoms": contacts dated in both periods, people seen in the first period
only, ...), and `analytics.disclosure.derivable_groups` finds every group of 1 to
minimum − 1 that the shown counts give away, whatever the reader adds or subtracts.

- A period's dashboard is shown only when, beside the whole dataset's, it gives nothing
  away (`period_check`); otherwise the dashboard says why and shows the whole dataset.
- The compare page hides, one at a time, the counts that would give a small group away
  (the smallest first), shows a change only when both of its counts are shown, and says
  in plain English why each hidden count is hidden.

Not covered: two chosen periods' own dashboards set beside each other (A to June and A
to July give July's newcomers), nor the tables below the headline counts (months, wards,
who) of a period's dashboard beside the whole dataset's. Each period's dashboard is
checked against the whole dataset's headline counts only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache as django_cache
from django.db.models import Count, Q

from vcsehub.analytics.disclosure import (
    NOT_SHOWN,
    derivable_groups,
    fewer_than,
    min_display_count,
    safe_count,
    suppress,
)
from vcsehub.impact.dashboard.cache import data_state
from vcsehub.impact.dashboard.common import long_date
from vcsehub.impact.models import Dataset, Record

REGIONS = ("both", "first", "second", "neither", "undated")
KEEP_SECONDS = 24 * 60 * 60
ROWS = (
    ("people", "People reached (different person references)"),
    ("contacts", "Contacts (rows with a date in the period)"),
    ("without", "Contacts with no person reference (not counted as people)"),
)
REGION_WORDS = {
    "both": "were dated in both periods",
    "first": "were dated in the first period only",
    "second": "were dated in the second period only",
    "neither": "were dated outside the periods",
    "undated": "have no date",
}
PEOPLE_WORDS = {
    (True, True): "came in both periods",
    (True, False): "came in the first period only",
    (False, True): "came in the second period only",
    (False, False): "came only outside the periods or only on rows with no date",
}
# With one period (a period's own dashboard beside the whole dataset's).
ONE_PERIOD_WORDS = {
    "first": "were dated in the period",
    "neither": "were dated outside the period",
    (True, False): "came in the period",
    (False, False): "came only outside the period or only on rows with no date",
}


@dataclass(frozen=True)
class Span:
    """A period: dates to count from and to, inclusive (either may be open)."""

    start: date | None = None
    end: date | None = None

    def q(self) -> Q:
        q = Q(contact_date__isnull=False)
        if self.start:
            q &= Q(contact_date__gte=self.start)
        if self.end:
            q &= Q(contact_date__lte=self.end)
        return q


NEVER = Q(pk__isnull=True)  # no row: the "second period" when there is only one


def _in(span: Span | None) -> Q:
    return span.q() if span is not None else NEVER


def read_atoms(dataset: Dataset, first: Span, second: Span | None = None) -> dict[tuple, int]:
    """The true count of every atom: contacts by region and by whether they carry a person
    reference, people by whether they came in each period. One query: the people atoms
    come from distinct counts (in A, in B, in either), as in a Venn diagram."""
    a, b = _in(first), _in(second)
    dated = Q(contact_date__isnull=False)
    where = {
        "both": a & b,
        "first": a & ~b,
        "second": b & ~a,
        "neither": dated & ~a & ~b,
        "undated": Q(contact_date__isnull=True),
    }
    has_person = ~Q(person_key="")
    aggregates = {}
    for region, q in where.items():
        aggregates[f"{region}_1"] = Count("id", filter=q & has_person)
        aggregates[f"{region}_0"] = Count("id", filter=q & ~has_person)
    for name, q in (("in_a", a), ("in_b", b), ("in_either", a | b), ("everyone", Q())):
        aggregates[name] = Count("person_key", distinct=True, filter=q & has_person)
    counts = Record.objects.filter(dataset=dataset).aggregate(**aggregates)
    atoms: dict[tuple, int] = {}
    for region in REGIONS:
        for person in (True, False):
            atoms[("contacts", region, person)] = counts[f"{region}_{int(person)}"]
    in_a, in_b, either = counts["in_a"], counts["in_b"], counts["in_either"]
    atoms[("people", True, True)] = in_a + in_b - either
    atoms[("people", True, False)] = either - in_b
    atoms[("people", False, True)] = either - in_a
    atoms[("people", False, False)] = counts["everyone"] - either
    return atoms


def _contacts(regions, persons=(True, False)) -> frozenset:
    return frozenset(("contacts", r, p) for r in regions for p in persons)


def figure_atoms(which: str) -> dict[str, frozenset]:
    """The counts shown for "all" (the whole dataset), "first" or "second", as atoms."""
    if which == "all":
        return {
            "people": frozenset(("people", *p) for p in PEOPLE_WORDS),
            "contacts": _contacts(REGIONS),
            "without": _contacts(REGIONS, (False,)),
            "dated": _contacts(REGIONS[:4]),
            "undated": _contacts(["undated"]),
        }
    regions = ["both", which]
    came = 0 if which == "first" else 1  # the person atom's flag for this period
    return {
        "people": frozenset(("people", *p) for p in PEOPLE_WORDS if p[came]),
        "contacts": _contacts(regions),
        "without": _contacts(regions, (False,)),
    }


def _value(atoms: dict[tuple, int], figure: frozenset) -> int:
    return sum(atoms[a] for a in figure)


def _shown_alone(value: int, t: int) -> bool:
    return safe_count(value, threshold=t).shown


def whole_dataset_shown(atoms: dict[tuple, int], t: int) -> list[frozenset]:
    """The whole dataset's dashboard counts that are shown (its rules: reach and by month)."""
    figures = figure_atoms("all")
    values = {k: _value(atoms, f) for k, f in figures.items()}
    shown = [figures[k] for k in ("people", "contacts", "without") if _shown_alone(values[k], t)]
    months = suppress(
        {"dated": values["dated"], "undated": values["undated"], "all": values["contacts"]},
        [("all", ["dated", "undated"])],
        threshold=t,
    )
    shown += [figures[k] for k in ("dated", "undated") if months[k].shown]
    return shown


def _families(atoms: dict[tuple, int]) -> list[list[tuple]]:
    return [[a for a in atoms if a[0] == "contacts"], [a for a in atoms if a[0] == "people"]]


def describe(group: frozenset, *, one_period: bool = False) -> str:
    """A group of atoms in plain English."""
    words = {**REGION_WORDS, **PEOPLE_WORDS, **(ONE_PERIOD_WORDS if one_period else {})}
    kind = next(iter(group))[0]
    if kind == "people":
        return "people " + " or ".join(words[(a[1], a[2])] for a in sorted(group, reverse=True))
    parts = []
    for region in REGIONS:
        persons = {a[2] for a in group if a[1] == region}
        if not persons:
            continue
        part = words[region]
        if persons == {True}:
            part += " and have a person reference"
        elif persons == {False}:
            part += " and have no person reference"
        parts.append(part)
    return "contacts " + " or ".join(parts)


def how_many(groups: list[frozenset], threshold: int, *, one_period: bool = False) -> str:
    """ "how many people who ... (fewer than 5), and how many contacts ... (fewer than 5)"."""
    return ", and ".join(
        f"how many {describe(g, one_period=one_period)} ({fewer_than(threshold)})" for g in groups
    )


@dataclass(frozen=True)
class PeriodCheck:
    """Whether a period's own dashboard may be shown beside the whole dataset's."""

    span: Span
    leaks: list[frozenset] = field(default_factory=list)
    threshold: int = 5

    @property
    def ok(self) -> bool:
        return not self.leaks

    @property
    def message(self) -> str:
        if self.ok:
            return ""
        return (
            "These dates were not applied, so the figures below are for the whole dataset. "
            "Set beside the whole dataset’s figures, this period’s would give away "
            f"{how_many(self.leaks, self.threshold, one_period=True)}. Choose dates "
            f"that take in everyone, or leave out at least {self.threshold} people and "
            f"{self.threshold} contacts."
        )


def period_check(*, dataset: Dataset, span: Span) -> PeriodCheck:
    """May the dashboard of `span` be shown? Not when, beside the whole dataset's
    dashboard, its counts give away a group of fewer than the minimum.

    Kept in Django's cache until the dataset's records change (`cache.data_state`, the
    key of the kept dashboard figures): on a million rows the count takes seconds."""
    t = min_display_count()
    key = (
        "impact-period-check:"
        + hashlib.sha256(
            json.dumps(
                [dataset.pk, data_state(dataset), span.start, span.end, t], default=str
            ).encode()
        ).hexdigest()
    )
    leaks = django_cache.get(key)
    if leaks is None:
        atoms = read_atoms(dataset, span)
        shown = whole_dataset_shown(atoms, t) + _period_shown(atoms, t)
        leaks = derivable_groups(shown, atoms, _families(atoms), threshold=t)
        django_cache.set(key, leaks, timeout=KEEP_SECONDS)
    return PeriodCheck(span, leaks, t)


def _period_shown(atoms: dict[tuple, int], t: int, which: str = "first") -> list[frozenset]:
    """A chosen period's dashboard counts that are shown (only primary suppression applies
    to them), with the undated contacts it leaves out."""
    figures = figure_atoms(which)
    figures["undated"] = _contacts(["undated"])
    return [f for f in figures.values() if _shown_alone(_value(atoms, f), t)]


@dataclass
class Cell:
    value: int | None
    display: str
    note: str = ""


@dataclass
class Comparison:
    first: Span
    second: Span
    threshold: int
    rows: list[dict]
    notes: list[str]

    def sentences(self) -> list[str]:
        """One plain sentence per period: "From 1 April 2025 to 30 June 2025: 22 people
        reached in 22 contacts." (or which number is not shown)."""
        people, contacts = self.rows[0], self.rows[1]
        out = []
        for which, span in (("first", self.first), ("second", self.second)):
            p, c = people[which], contacts[which]
            when = f"From {long_date(span.start)} to {long_date(span.end)}"
            if p.value is not None and c.value is not None:
                out.append(f"{when}: {p.display} people reached in {c.display} contacts.")
            else:
                out.append(f"{when}: people reached {p.display}; contacts {c.display}.")
        return out


class _Leaks:
    """The small groups given away by the compare page's shown counts together with what
    else a reader can open: the whole dataset's dashboard, and each period's own dashboard
    when it may be shown (a hidden count there is hidden here too, or not; but a count
    shown there is shown whatever this page does)."""

    def __init__(self, atoms: dict[tuple, int], contexts: list[list[frozenset]], t: int):
        self.atoms, self.contexts, self.t = atoms, contexts, t
        self.families = _families(atoms)

    def __call__(self, shown) -> list[frozenset]:
        found: list[frozenset] = []
        for context in self.contexts:
            for group in derivable_groups(
                [*context, *shown], self.atoms, self.families, threshold=self.t
            ):
                if group not in found:
                    found.append(group)
        return found


def _hide_one(shown: dict[tuple, frozenset], leaks: _Leaks, atoms) -> tuple:
    """Which shown count to hide next: the one leaving fewest groups given away (then the
    smallest, then the first in table order)."""
    order = list(shown)
    return min(
        order,
        key=lambda key: (
            len(leaks([f for k, f in shown.items() if k != key])),
            _value(atoms, shown[key]),
            order.index(key),
        ),
    )


def period_comparison(*, dataset: Dataset, first: Span, second: Span) -> Comparison:
    """The compare page's table: each count of the two periods and the change."""
    t = min_display_count()
    atoms = read_atoms(dataset, first, second)
    whole = whole_dataset_shown(atoms, t)
    contexts = [whole]
    for which, span in (("first", first), ("second", second)):
        if period_check(dataset=dataset, span=span).ok:
            contexts.append(whole + _period_shown(atoms, t, which))
    leaks = _Leaks(atoms, contexts, t)
    figures = {
        (which, row): f for which in ("first", "second") for row, f in figure_atoms(which).items()
    }
    values = {key: _value(atoms, f) for key, f in figures.items()}
    cells: dict[tuple, Cell] = {}
    shown: dict[tuple, frozenset] = {}
    for key, value in values.items():
        if _shown_alone(value, t):
            shown[key] = figures[key]
        else:
            cells[key] = Cell(None, fewer_than(t))
    while given_away := leaks(list(shown.values())):
        key = _hide_one(shown, leaks, atoms)
        del shown[key]
        after = leaks(list(shown.values()))
        stopped = [g for g in given_away if g not in after] or given_away
        cells[key] = Cell(None, NOT_SHOWN, how_many(stopped, t))
    for key in shown:
        cells[key] = Cell(values[key], f"{values[key]:,}")
    rows = []
    notes = []
    period_words = {"first": "first period", "second": "second period"}
    for row, label in ROWS:
        a, b = cells[("first", row)], cells[("second", row)]
        if a.value is not None and b.value is not None:
            change = b.value - a.value
            change_cell = Cell(change, f"{change:+,}" if change else "no change")
        else:
            change_cell = Cell(None, NOT_SHOWN)
        rows.append({"key": row, "label": label, "first": a, "second": b, "change": change_cell})
        for which, cell in (("first", a), ("second", b)):
            if cell.note:
                notes.append(
                    f"{label.split(' (')[0]}, {period_words[which]}: not shown. Set beside "
                    "the other figures on this page, the whole dataset’s dashboard or a "
                    f"period’s own dashboard, it would give away {cell.note}."
                )
    return Comparison(first, second, t, rows, notes)
