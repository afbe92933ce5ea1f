"""Disclosure control: never show anything about fewer than a minimum number of people.

The rule (the minimum is settings.MIN_DISPLAY_COUNT, 5 unless set):

1. Primary suppression. A count from 1 to minimum − 1 is shown as "fewer than 5", never
   as its number. Zero is shown: it says nothing about anybody.
2. Secondary suppression. Where a table gives a total and the cells adding up to it (a
   *relation*: total = sum of cells), one hidden cell could be worked out by subtracting
   the others from the total. So in every relation:
   - when the total is shown, the hidden cells are either none, or at least two that
     together hold at least the minimum number of people;
   - when the total is hidden, at least one of its cells is hidden too.
   Cells are hidden until both hold, the smallest non-zero cell first (ties: the first
   in table order). A cell hidden only for this reason is shown as "not shown".
   Relations can nest (wards inside a local authority, the local authority inside the
   whole): hiding repeats until every relation holds.
3. A share or average is shown only when every count it is built from is shown, and an
   average only when it rests on at least the minimum number of people. One exception
   keeps headline shares where it is safe: a share whose denominator was hidden only by
   secondary suppression is shown when it reads the same for every denominator within
   minimum − 1 of the true one (`safe_share_of_hidden`), so it says nothing about the
   hidden count that the shown ones do not.
4. Coverage is a relation too. A figure about some of the people (those with a postcode,
   those with a gender recorded) sits in the relation "all people = counted + each
   reason missing"; the number of all people is shown elsewhere, so a small missing
   count forces one more count of that relation to be hidden (`dashboard.py` builds these
   relations for every figure).
5. Differences between pages. Two pages can each keep the rules above and still give a
   small number away together (a whole dataset's people minus one period's people). Every
   shown count is written as a sum of disjoint groups, and `derivable_groups` finds each
   small group that adding and subtracting shown counts would give away
   (`impact/compare.py` uses it for periods).

Hidden values never leave this module: a `SafeCount` that is not shown has no value.

Pure code apart from reading the one setting.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import combinations

DEFAULT_MIN_DISPLAY_COUNT = 5
NO_DATA = "no data"
NOT_SHOWN = "not shown"


def min_display_count() -> int:
    """The smallest number of people a shown figure may describe (settings.MIN_DISPLAY_COUNT)."""
    from django.conf import settings

    value = int(getattr(settings, "MIN_DISPLAY_COUNT", DEFAULT_MIN_DISPLAY_COUNT))
    if value < 1:
        raise ValueError(f"MIN_DISPLAY_COUNT must be 1 or more, not {value}.")
    return value


def fewer_than(threshold: int) -> str:
    return f"fewer than {threshold}"


class Status(enum.Enum):
    SHOWN = "shown"
    SMALL = "fewer than the minimum"  # primary suppression
    HIDDEN = "hidden to protect a small count"  # secondary suppression
    NO_DATA = "no data"


@dataclass(frozen=True)
class SafeCount:
    """A count as it may be shown. `value` is None unless the count is shown."""

    status: Status
    threshold: int
    value: int | None = None

    @property
    def shown(self) -> bool:
        return self.status is Status.SHOWN

    @property
    def display(self) -> str:
        if self.status is Status.SHOWN:
            return f"{self.value:,}"
        if self.status is Status.SMALL:
            return fewer_than(self.threshold)
        if self.status is Status.HIDDEN:
            return NOT_SHOWN
        return NO_DATA

    @property
    def short(self) -> str:
        """For chart labels, where there is little room: "<5" or "*"."""
        if self.status is Status.SMALL:
            return f"<{self.threshold}"
        if self.status is Status.HIDDEN:
            return "*"
        return self.display

    @property
    def suppressed(self) -> str | None:
        if self.status is Status.SMALL:
            return "primary"
        if self.status is Status.HIDDEN:
            return "secondary"
        return None

    def as_dict(self) -> dict:
        return {"value": self.value, "display": self.display, "suppressed": self.suppressed}

    def __str__(self) -> str:
        return self.display

    @classmethod
    def from_dict(cls, data: dict, *, threshold: int) -> SafeCount:
        """Back from `as_dict` (for drawing charts from the JSON figures)."""
        status = {"primary": Status.SMALL, "secondary": Status.HIDDEN}.get(
            data.get("suppressed") or "",
            Status.SHOWN if data.get("value") is not None else Status.NO_DATA,
        )
        return cls(status, threshold, data.get("value") if status is Status.SHOWN else None)


def safe_count(value: int | None, *, threshold: int) -> SafeCount:
    """One count on its own (primary suppression only)."""
    if value is None:
        return SafeCount(Status.NO_DATA, threshold)
    if value < 0:
        raise ValueError(f"A count cannot be negative ({value}).")
    if 0 < value < threshold:
        return SafeCount(Status.SMALL, threshold)
    return SafeCount(Status.SHOWN, threshold, value)


Relation = tuple[Hashable, Sequence[Hashable]]


def suppress(
    values: Mapping[Hashable, int],
    relations: Iterable[Relation] = (),
    *,
    threshold: int,
    last: Iterable[Hashable] = (),
) -> dict[Hashable, SafeCount]:
    """Primary and secondary suppression of a table's counts.

    `values` holds every count of the table (cells and totals) by key, in table order;
    `relations` lists (total key, cell keys) for every total the table shows. Returns a
    SafeCount per key. Raises ValueError when a relation does not add up: a wrong table
    would make the protection wrong too. Keys in `last` (a figure's N, say) are chosen for
    secondary suppression only when no other cell of the relation will do.
    """
    relations = [(total, list(cells)) for total, cells in relations]
    for total, cells in relations:
        if values[total] != sum(values[c] for c in cells):
            raise ValueError(
                f"The cells of {total!r} add up to {sum(values[c] for c in cells)}, "
                f"not {values[total]}."
            )
    order = {key: i for i, key in enumerate(values)}
    keep_for_last = set(last)
    small = {k for k, v in values.items() if 0 < v < threshold}
    hidden = set(small)

    def hide_smallest(cells: list[Hashable]) -> bool:
        candidates = [c for c in cells if c not in hidden and values[c] > 0]
        if not candidates:
            return False
        hidden.add(min(candidates, key=lambda c: (c in keep_for_last, values[c], order[c])))
        return True

    changed = True
    while changed:
        changed = False
        for total, cells in relations:
            hidden_cells = [c for c in cells if c in hidden]
            if total in hidden:
                if not hidden_cells and values[total] > 0 and hide_smallest(cells):
                    changed = True
                continue
            hidden_sum = sum(values[c] for c in hidden_cells)
            if hidden_cells and (len(hidden_cells) == 1 or hidden_sum < threshold):
                if hide_smallest(cells):
                    changed = True
                elif values[total] > 0:
                    hidden.add(total)
                    changed = True
    result: dict[Hashable, SafeCount] = {}
    for key, value in values.items():
        if key in small:
            result[key] = SafeCount(Status.SMALL, threshold)
        elif key in hidden:
            result[key] = SafeCount(Status.HIDDEN, threshold)
        else:
            result[key] = SafeCount(Status.SHOWN, threshold, value)
    return result


@dataclass(frozen=True)
class SafeShare:
    """A percentage built from shown counts only; None (with the reason) otherwise."""

    value: Decimal | None
    reason: str = ""

    @property
    def display(self) -> str:
        if self.value is not None:
            return f"{self.value}%"
        return self.reason or NO_DATA

    def as_dict(self) -> dict:
        return {"value": self.value, "display": self.display}

    def __str__(self) -> str:
        return self.display


def _percent(numerator: int, denominator: int, places: int) -> Decimal:
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def safe_share(numerator: SafeCount, denominator: SafeCount, *, places: int = 0) -> SafeShare:
    """numerator ÷ denominator as a percentage, shown only when both counts are shown."""
    if numerator.status is Status.NO_DATA or denominator.status is Status.NO_DATA:
        return SafeShare(None, NO_DATA)
    if not numerator.shown or not denominator.shown:
        return SafeShare(None, NOT_SHOWN)
    if not denominator.value:
        return SafeShare(None, NO_DATA)
    return SafeShare(_percent(numerator.value, denominator.value, places))  # type: ignore[arg-type]


def safe_share_of_hidden(
    numerator: SafeCount, denominator: SafeCount, denominator_value: int, *, places: int = 0
) -> SafeShare:
    """numerator ÷ denominator, where the denominator may be hidden by secondary suppression.

    A shown denominator: as `safe_share`. A denominator hidden to protect a small count
    (secondary, not small itself): the share is shown only when it rounds to the same
    percentage for every denominator from `denominator_value` − (minimum − 1) to
    `denominator_value` + (minimum − 1), so nobody can narrow the hidden count with it.
    """
    if denominator.status is not Status.HIDDEN:
        return safe_share(numerator, denominator, places=places)
    if not numerator.shown:
        return SafeShare(None, NOT_SHOWN)
    spread = denominator.threshold - 1
    low = max(numerator.value or 0, denominator_value - spread, 1)  # type: ignore[arg-type]
    readings = {
        _percent(numerator.value, d, places)  # type: ignore[arg-type]
        for d in range(low, denominator_value + spread + 1)
    }
    if len(readings) != 1:
        return SafeShare(None, NOT_SHOWN)
    return SafeShare(readings.pop())


@dataclass(frozen=True)
class SafeMean:
    value: Decimal | None
    n: SafeCount
    reason: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return self.reason or NO_DATA
        sign = "+" if self.value > 0 else ""
        return f"{sign}{self.value}"

    def as_dict(self) -> dict:
        return {"value": self.value, "display": self.display, "n": self.n.as_dict()}


def safe_mean(values: Sequence[Decimal], *, threshold: int, places: int = 1) -> SafeMean:
    """The mean of the values, shown only when there are at least `threshold` of them."""
    n = safe_count(len(values), threshold=threshold)
    if not values:
        return SafeMean(None, n, NO_DATA)
    if not n.shown:
        return SafeMean(None, n, f"not shown: {fewer_than(threshold)} people")
    mean = sum(values, Decimal(0)) / len(values)
    return SafeMean(mean.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), n)


# Differences between pages ---------------------------------------------------------------
#
# Two pages can each be safe and still give a small number away together: the people of a
# whole dataset minus the people of one period are the people who came only at other
# times. To find such leaks, every shown count is written as the sum of disjoint groups
# ("atoms": contacts dated in both periods, people seen in the first period only, ...).
# A group of atoms can be worked out when its sum is a combination (adding, subtracting,
# even scaling) of shown counts; that is a question of linear algebra, answered exactly.


def _reduce(vector: list, basis: list[tuple[int, list]]) -> list:
    vector = [Fraction(v) for v in vector]
    for pivot, row in basis:
        if vector[pivot]:
            factor = vector[pivot] / row[pivot]
            vector = [v - factor * r for v, r in zip(vector, row, strict=True)]
    return vector


def derivable_groups(
    figures: Iterable[Iterable[Hashable]],
    atoms: Mapping[Hashable, int],
    families: Iterable[Iterable[Hashable]],
    *,
    threshold: int,
) -> list[frozenset]:
    """Groups of 1 to threshold − 1 that shown figures give away by difference.

    `figures`: each shown count as the atoms it adds up (a set of atom keys); `atoms`: the
    true count of every atom; `families`: the atoms groups may be made of (people and
    contacts are different families: a group never mixes them). Atoms with no one in them
    are left out, as a reader who guessed they were empty would be right. Returns every
    such group (a frozenset of atoms) whose count can be had exactly.
    """
    present = [a for a, count in atoms.items() if count > 0]
    index = {a: i for i, a in enumerate(present)}
    basis: list[tuple[int, list]] = []
    for figure in figures:
        row = [0] * len(present)
        for atom in figure:
            if atom in index:
                row[index[atom]] = 1
        reduced = _reduce(row, basis)
        pivot = next((i for i, v in enumerate(reduced) if v), None)
        if pivot is not None:
            basis.append((pivot, reduced))
    found: list[frozenset] = []
    for family in families:
        members = [a for a in family if a in index]
        for size in range(1, len(members) + 1):
            for group in combinations(members, size):
                total = sum(atoms[a] for a in group)
                if not 0 < total < threshold:
                    continue
                row = [0] * len(present)
                for atom in group:
                    row[index[atom]] = 1
                if not any(_reduce(row, basis)):
                    found.append(frozenset(group))
    return found
