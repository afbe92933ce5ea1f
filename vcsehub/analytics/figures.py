"""Figures that carry their own provenance: what they count, N, missing, source and date.

A `Measure` is one number shown to a user. It never stands alone: it says how many
records it is based on (`n`), how many could not be used (`missing`, with the reason)
or were left out on purpose (`excluded`), which source and edition it comes from and
the data date. A value of None means "no data" and is shown as such, never as 0.

Pure code: no Django models, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

NO_DATA = "no data"


def percent(
    numerator: int | Decimal, denominator: int | Decimal, *, places: int = 1
) -> Decimal | None:
    """numerator / denominator × 100, rounded half-up; None when the denominator is 0."""
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_count(value: int | None) -> str:
    """A whole number with thousands separators, or 'no data'."""
    return NO_DATA if value is None else f"{value:,}"


def format_percent(value: Decimal | None) -> str:
    """A percentage as stored (already rounded), or 'no data'."""
    return NO_DATA if value is None else f"{value}%"


def possessive(name: str) -> str:
    """'Birmingham' → "Birmingham's"; 'Wales' → "Wales'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


@dataclass(frozen=True)
class Measure:
    """One figure with everything needed to read it honestly."""

    label: str
    value: int | Decimal | None
    unit: str  # "count", "percent" or "people"
    n: int
    missing: int = 0
    missing_reason: str = ""
    excluded: int = 0
    excluded_reason: str = ""
    source: str = ""
    edition: str = ""
    data_date: str = ""
    summary: str = ""

    @property
    def display(self) -> str:
        if self.unit == "percent":
            return format_percent(self.value)  # type: ignore[arg-type]
        return format_count(self.value)  # type: ignore[arg-type]

    @property
    def is_missing(self) -> bool:
        return self.value is None

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "n": self.n,
            "missing": self.missing,
            "missing_reason": self.missing_reason,
            "excluded": self.excluded,
            "excluded_reason": self.excluded_reason,
            "source": self.source,
            "edition": self.edition,
            "data_date": self.data_date,
            "summary": self.summary,
        }
