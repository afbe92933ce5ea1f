"""Grant figures: money tables, medians, overlaps, cold-spot ranking, funder-finder ranking.

Money is Decimal. Currencies are never mixed: every total is in pounds (GBP) and grants
in any other currency (or with no currency) are counted and listed separately, never
added in. Missing is not zero: grants with no value for a grouping (no award date, not
placed, size not known) are counted as missing and shown as such.

Pure code: no Django models, no database. Input rows come from vcsehub.grants.selectors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from vcsehub.analytics.figures import format_count
from vcsehub.charities.classification import INCOME_BANDS
from vcsehub.common.formatting import format_money

GBP = "GBP"
CENTS = Decimal("0.01")
NOT_KNOWN = "not known"
BAND_LABELS = {band.code: band.label for band in INCOME_BANDS}
BAND_ORDER = [band.code for band in INCOME_BANDS]


@dataclass(frozen=True)
class OtherCurrency:
    currency: str  # "" = the file gave no currency
    grants: int
    total: Decimal

    @property
    def label(self) -> str:
        return self.currency or "no currency given"


@dataclass(frozen=True)
class MoneyRow:
    key: object
    label: str
    grants: int
    total: Decimal
    share: Decimal | None  # % of the GBP total with a known key


@dataclass
class MoneyTable:
    """GBP grants by group; grants with no group and grants in other currencies apart."""

    rows: list[MoneyRow]
    grants: int  # GBP grants with a known group
    total: Decimal
    missing_grants: int  # GBP grants with no value for the grouping
    missing_total: Decimal
    others: list[OtherCurrency] = field(default_factory=list)

    @property
    def all_gbp_grants(self) -> int:
        return self.grants + self.missing_grants

    @property
    def other_grants(self) -> int:
        return sum(o.grants for o in self.others)


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def money_table(
    rows: Iterable,
    *,
    label: Callable[[object], str] = str,
    order: str = "key",
    keys: Sequence | None = None,
    limit: int | None = None,
) -> MoneyTable:
    """Group rows of (key, currency, grants, total) into a GBP table.

    order: "key" (by key), "total" (largest first) or "keys" (the given `keys`, each
    shown even with no grants). A key of None or "" is missing.
    """
    gbp: dict[object, list] = {}
    others: dict[str, list] = {}
    missing = [0, Decimal(0)]
    for row in rows:
        key, currency, grants, total = row.key, row.currency, row.grants, row.total or Decimal(0)
        if currency != GBP:
            entry = others.setdefault(currency, [0, Decimal(0)])
        elif key is None or key == "":
            entry = missing
        else:
            entry = gbp.setdefault(key, [0, Decimal(0)])
        entry[0] += grants
        entry[1] += total
    for entry in (*gbp.values(), *others.values(), missing):
        entry[1] = entry[1].quantize(CENTS)  # SQLite sums carry extra decimal places
    grand = sum((v[1] for v in gbp.values()), Decimal(0))
    if order == "keys" and keys is not None:
        ordered = [(k, gbp.get(k, [0, Decimal(0)])) for k in keys]
        ordered += [(k, v) for k, v in gbp.items() if k not in set(keys)]
    elif order == "total":
        ordered = sorted(gbp.items(), key=lambda kv: (-kv[1][1], str(kv[0])))
    else:
        ordered = sorted(gbp.items(), key=lambda kv: kv[0])
    if limit is not None:
        ordered = ordered[:limit]
    return MoneyTable(
        rows=[MoneyRow(k, label(k), v[0], v[1], _share(v[1], grand)) for k, v in ordered],
        grants=sum(v[0] for v in gbp.values()),
        total=grand,
        missing_grants=missing[0],
        missing_total=missing[1],
        others=[OtherCurrency(c, v[0], v[1]) for c, v in sorted(others.items())],
    )


def band_label(code: object) -> str:
    return BAND_LABELS.get(str(code), str(code))


def decile_label(decile: object) -> str:
    if decile == 1:
        return "1 (most deprived 10%)"
    if decile == 10:
        return "10 (least deprived 10%)"
    return str(decile)


@dataclass(frozen=True)
class MoneyStats:
    grants: int
    total: Decimal | None
    median: Decimal | None
    smallest: Decimal | None
    largest: Decimal | None
    lower_quartile: Decimal | None
    upper_quartile: Decimal | None


def _quantile(values: Sequence[Decimal], fraction: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (the usual spreadsheet method)."""
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    weight = position - low
    value = values[low] + (values[high] - values[low]) * weight
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money_stats(amounts: Sequence[Decimal]) -> MoneyStats:
    """Count, total, median, quartiles and range of amounts in one currency."""
    values = sorted(amounts)
    return money_stats_sorted(values, total=sum(values, Decimal(0)))


def stats_ranks(count: int) -> set[int]:
    """The 0-based ranks money_stats_sorted reads from `count` sorted amounts."""
    if count <= 0:
        return set()
    ranks = {0, count - 1}
    for fraction in (Decimal("0.25"), Decimal("0.5"), Decimal("0.75")):
        low = int((count - 1) * fraction)
        ranks |= {low, min(low + 1, count - 1)}
    return ranks


def money_stats_sorted(values: Sequence[Decimal], *, total: Decimal | None) -> MoneyStats:
    """money_stats of amounts already in ascending order (a list, or ranks read one by one
    from the database: only the handful of ranks the quantiles need are read)."""
    if not len(values):
        return MoneyStats(0, None, None, None, None, None, None)
    return MoneyStats(
        grants=len(values),
        total=total,
        median=_quantile(values, Decimal("0.5")),
        smallest=values[0],
        largest=values[len(values) - 1],
        lower_quartile=_quantile(values, Decimal("0.25")),
        upper_quartile=_quantile(values, Decimal("0.75")),
    )


def table_summary(table: MoneyTable, *, what: str, by: str, top: int = 1) -> str:
    """One or two plain sentences about a money table."""
    if not table.rows or not table.grants:
        text = f"No grants in pounds have a known {by}."
    else:
        best = max(table.rows, key=lambda r: r.total)
        text = (
            f"{format_count(table.grants)} {what} in pounds, {format_money(table.total, 0)} in all, "
            f"have a known {by}. The largest share went to {best.label}: "
            f"{format_money(best.total, 0)} ({best.share}%) in {format_count(best.grants)} grants."
        )
    if table.missing_grants:
        text += (
            f" {format_count(table.missing_grants)} grants ({format_money(table.missing_total, 0)}) "
            f"have no {by} and are not in the table."
        )
    if table.others:
        text += (
            f" {format_count(table.other_grants)} grants in other currencies are listed "
            "separately, not added in."
        )
    return text


# -- funders' networks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Overlap:
    recipient_org_id: str
    recipient_name: str
    funders: list[tuple[str, int, Decimal]]  # (funder org-id, GBP grants, GBP total)
    total: Decimal
    grants: int


def overlaps_table(
    rows: Iterable[tuple[str, str, str, int, Decimal]], *, names: dict[str, str]
) -> tuple[list[Overlap], int]:
    """Recipients funded by more than one funder (GBP); and grants left out (other currencies)."""
    by_recipient: dict[str, dict[str, list]] = {}
    other = 0
    for recipient, funder, currency, grants, total in rows:
        if currency != GBP:
            other += grants
            continue
        entry = by_recipient.setdefault(recipient, {}).setdefault(funder, [0, Decimal(0)])
        entry[0] += grants
        entry[1] += total
    found = []
    for recipient, funders in by_recipient.items():
        if len(funders) < 2:
            continue
        found.append(
            Overlap(
                recipient_org_id=recipient,
                recipient_name=names.get(recipient, recipient),
                funders=sorted(((f, v[0], v[1]) for f, v in funders.items()), key=lambda x: x[0]),
                total=sum((v[1] for v in funders.values()), Decimal(0)),
                grants=sum(v[0] for v in funders.values()),
            )
        )
    found.sort(key=lambda o: (-len(o.funders), -o.total, o.recipient_name))
    return found, other


# -- cold spots --------------------------------------------------------------------------------


@dataclass
class AreaNeed:
    """One ward or local authority: need, charities and grant money (inputs and result)."""

    code: str
    name: str
    population: int | None  # Census 2021 usual residents (sum over its small areas)
    deprived_share: Decimal | None  # % of residents in IMD 2025 deciles 1–2
    small_areas: int
    small_areas_missing: int
    charities: int | None  # None: registers not loaded
    grants: int
    gbp_total: Decimal
    derived: bool = False
    need_rank: int | None = None
    funding_rank: int | None = None
    gap_score: int | None = None

    @property
    def charities_per_1000(self) -> Decimal | None:
        if self.charities is None or not self.population:
            return None
        return (Decimal(self.charities) * 1000 / self.population).quantize(Decimal("0.01"))

    @property
    def gbp_per_resident(self) -> Decimal | None:
        if not self.population:
            return None
        return (self.gbp_total / self.population).quantize(Decimal("0.01"))


COLDSPOT_RULE = (
    "Each area gets two places in a queue. The first is for need: areas are put in order "
    "of the share of their residents living in England's most deprived 20% of small areas "
    "(IMD 2025 deciles 1 and 2, counted with Census 2021 populations), highest first. The "
    "second is for funding: areas are put in order of grant money per resident (pounds, "
    "all grants loaded), lowest first. We add the two places together and list the areas "
    "with the lowest sum first, so an area that is both very deprived and gets little "
    "grant money comes to the top. Ties are broken by need. Areas with no population or "
    "no deprivation figures cannot be ranked and are listed last."
)


def _ranks(values: list[tuple[str, Decimal]], *, reverse: bool) -> dict[str, int]:
    """Competition ranks ("1224"): equal values share a rank."""
    ordered = sorted(values, key=lambda kv: kv[1], reverse=reverse)
    ranks: dict[str, int] = {}
    previous = None
    rank = 0
    for position, (code, value) in enumerate(ordered, start=1):
        if value != previous:
            rank = position
            previous = value
        ranks[code] = rank
    return ranks


def coldspots_rank(areas: Iterable[AreaNeed]) -> list[AreaNeed]:
    """Rank areas: most deprived but least funded first (see COLDSPOT_RULE)."""
    areas = list(areas)
    rankable = [a for a in areas if a.population and a.deprived_share is not None]
    need = _ranks([(a.code, a.deprived_share) for a in rankable], reverse=True)
    funding = _ranks([(a.code, a.gbp_per_resident) for a in rankable], reverse=False)
    for a in rankable:
        a.need_rank, a.funding_rank = need[a.code], funding[a.code]
        a.gap_score = a.need_rank + a.funding_rank
    rankable.sort(key=lambda a: (a.gap_score, a.need_rank, a.name))
    ranked = {id(a) for a in rankable}  # by identity: comparing dataclasses field by field is slow
    rest = sorted((a for a in areas if id(a) not in ranked), key=lambda a: a.name)
    return rankable + rest


# -- funder finder -----------------------------------------------------------------------------

HALF_LIFE_YEARS = 3
FINDER_RULE = (
    "Each funder's score is the number of matching grants it made, with older grants "
    f"counting for less: a grant counts 1 when it is new and half as much for every "
    f"{HALF_LIFE_YEARS} years since its award date (a grant with no award date counts 0.1). "
    "Funders with the highest score come first; equal scores are ordered by the total "
    "awarded in pounds, then by the most recent grant. So the ranking rewards funders "
    "that make many grants like this (count), recently (recency), and large ones (total)."
)


@dataclass
class FunderRecord:
    org_id: str
    name: str
    score: Decimal
    grants: int
    gbp_total: Decimal
    other_currency_grants: int
    latest: date | None
    evidence: list = field(default_factory=list)  # the most recent matching grants


def recency_weight(award_date: date | None, *, today: date) -> float:
    if award_date is None:
        return 0.1
    years = max((today - award_date).days, 0) / 365.25
    return math.pow(0.5, years / HALF_LIFE_YEARS)


def finder_rank(grants: Iterable, *, today: date, evidence: int = 3) -> list[FunderRecord]:
    """Funders ranked by their record of matching grants (see FINDER_RULE).

    `grants` have: funder_org_id, funder_name, amount, currency, award_date.
    """
    records: dict[str, FunderRecord] = {}
    scores: dict[str, float] = {}
    examples: dict[str, list] = {}
    for g in grants:
        record = records.get(g.funder_org_id)
        if record is None:
            record = records[g.funder_org_id] = FunderRecord(
                g.funder_org_id,
                g.funder_name or g.funder_org_id,
                Decimal(0),
                0,
                Decimal(0),
                0,
                None,
            )
            scores[g.funder_org_id] = 0.0
            examples[g.funder_org_id] = []
        record.grants += 1
        scores[g.funder_org_id] += recency_weight(g.award_date, today=today)
        if g.currency == GBP:
            record.gbp_total += g.amount
        else:
            record.other_currency_grants += 1
        if g.award_date and (record.latest is None or g.award_date > record.latest):
            record.latest = g.award_date
        examples[g.funder_org_id].append(g)
    for org_id, record in records.items():
        record.score = Decimal(str(round(scores[org_id], 2)))
        record.evidence = sorted(
            examples[org_id],
            key=lambda g: (g.award_date or date.min, g.amount if g.currency == GBP else 0),
            reverse=True,
        )[:evidence]
    return sorted(
        records.values(),
        key=lambda r: (-r.score, -r.gbp_total, -(r.latest or date.min).toordinal(), r.name),
    )
