"""The figures behind the grants pages and API: selectors' rows turned into tables.

Pages, CSV downloads and API endpoints all call these functions, so each shows the same
numbers. The arithmetic lives in vcsehub.analytics.grants (pure functions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from vcsehub.analytics import grants as calc
from vcsehub.grants import area_selectors as area_sel
from vcsehub.grants import selectors as sel
from vcsehub.grants.models import Dataset, Funder, Grant
from vcsehub.grants.placing import PlaceMethod
from vcsehub.grants.purposes import LABELS as PURPOSE_LABELS

METHOD_LABELS = dict(PlaceMethod.choices)
DECILES = list(range(1, 11))
EDITIONS = {
    "imd2019": "IMD 2019 decile (2011 small areas)",
    "imd2025": "IMD 2025 decile (2021 small areas)",
}


def licence_line(dataset: Dataset) -> str:
    """The attribution line a file's licence asks for, in the form 360Giving suggests."""
    publisher = dataset.publisher.name if dataset.publisher else ""
    who = publisher or dataset.title or dataset.identifier
    if not dataset.licence:
        return f"{who}: no licence is recorded for this file; check the publisher's terms before reusing it."
    return f"Grants data published by {who} under {dataset.licence}, via 360Giving."


@dataclass
class GrantsFigures:
    """Everything shown about a set of grants (a funder's, an area's, a network's)."""

    grants: QuerySet[Grant]
    count: int
    totals: list[sel.CurrencyTotal]
    stats: calc.MoneyStats
    first_date: date | None
    last_date: date | None
    no_date: int
    datasets: list[Dataset]
    tables: dict[str, calc.MoneyTable] = field(default_factory=dict)

    @property
    def gbp(self) -> sel.CurrencyTotal | None:
        return next((t for t in self.totals if t.currency == calc.GBP), None)

    @property
    def others(self) -> list[sel.CurrencyTotal]:
        return [t for t in self.totals if t.currency != calc.GBP]

    @property
    def data_date(self):
        runs = [d.last_run.finished_at for d in self.datasets if d.last_run]
        return max(runs) if runs else None

    @property
    def licences(self) -> list[tuple[Dataset, str]]:
        return [(d, licence_line(d)) for d in self.datasets]


TABLE_TITLES = {
    "year": "Grants by year of award",
    "programme": "Grants by programme",
    "band": "Grants by recipient size (income band from the charity registers)",
    "lad": "Grants by local authority of the place funded",
    "imd2019": "Grants by deprivation decile of the place funded (IMD 2019, 2011 small areas)",
    "imd2025": "Grants by deprivation decile of the place funded (IMD 2025, 2021 small areas)",
    "recipient": "Top recipients",
    "funder": "Grants by funder",
    "method": "How grants were placed",
}
TABLE_BY = {
    "year": "award year",
    "programme": "programme",
    "band": "recipient size band",
    "lad": "local authority",
    "imd2019": "IMD 2019 decile",
    "imd2025": "IMD 2025 decile",
    "recipient": "recipient organisation",
    "funder": "funder",
    "method": "placement",
}


def grants_table(
    grants: QuerySet[Grant],
    name: str,
    *,
    limit: int | None = None,
    rows: list[sel.GroupRow] | None = None,
) -> calc.MoneyTable:
    """One money table; `rows` are the grouped rows when already read (grants_scan)."""
    if rows is None:
        rows = (
            sel.grants_by_programme(grants=grants)
            if name == "programme"
            else sel.grants_grouped(grants=grants, by=name)
        )
    if name == "programme":
        return calc.money_table(rows, order="total", limit=limit)
    if name == "band":
        return calc.money_table(
            rows, label=calc.band_label, order="keys", keys=calc.BAND_ORDER, limit=limit
        )
    if name in EDITIONS:
        return calc.money_table(rows, label=calc.decile_label, order="keys", keys=DECILES)
    if name == "lad":
        names = sel.area_names(codes=[r.key for r in rows])
        return calc.money_table(rows, label=lambda k: names.get(k, k), order="total", limit=limit)
    if name == "recipient":
        table = calc.money_table(rows, order="total", limit=limit)
        names = sel.recipient_names(grants=grants, org_ids=[r.key for r in table.rows])
        table.rows = [
            calc.MoneyRow(r.key, names.get(r.key, r.key), r.grants, r.total, r.share)
            for r in table.rows
        ]
        return table
    if name == "funder":
        names = sel.funder_names(org_ids=[r.key for r in rows])
        return calc.money_table(rows, label=lambda k: names.get(k, k), order="total", limit=limit)
    if name == "method":
        return calc.money_table(
            rows,
            label=lambda k: METHOD_LABELS.get(k, k),
            order="keys",
            keys=[m.value for m in PlaceMethod],
        )
    return calc.money_table(rows, label=lambda k: str(k), order="key", limit=limit)


def grants_figures(grants: QuerySet[Grant], *, tables: tuple[str, ...] = ()) -> GrantsFigures:
    scan = sel.grants_scan(grants=grants, by=tables)
    scan.gbp_amounts.prefetch(calc.stats_ranks(len(scan.gbp_amounts)))
    figures = GrantsFigures(
        grants=grants,
        count=sum(t.grants for t in scan.totals),
        totals=scan.totals,
        stats=calc.money_stats_sorted(scan.gbp_amounts, total=scan.gbp_amounts.total),
        first_date=scan.first_date,
        last_date=scan.last_date,
        no_date=scan.no_date,
        datasets=sel.datasets_for_grants(grants=grants),
    )
    for name in tables:
        figures.tables[name] = grants_table(
            grants, name, limit=20 if name == "recipient" else None, rows=scan.groups[name]
        )
    return figures


FUNDER_TABLES = ("year", "programme", "band", "lad", "imd2019", "imd2025", "recipient", "method")


@dataclass
class FunderFigures:
    funder: Funder
    figures: GrantsFigures


def funder_figures(*, org_id: str, tables: tuple[str, ...] = FUNDER_TABLES) -> FunderFigures | None:
    funder = sel.funder_get(org_id=org_id)
    if funder is None:
        return None
    grants = sel.funder_grants(org_id=funder.org_id)
    return FunderFigures(funder=funder, figures=grants_figures(grants, tables=tables))


# -- a network of funders ----------------------------------------------------------------------


@dataclass
class NetworkFigures:
    funders: list[FunderFigures]
    combined: GrantsFigures
    overlaps: list[calc.Overlap]
    overlaps_other_currency: int
    by_decile: dict[str, dict[str, calc.MoneyTable]]  # edition → funder org-id → table
    missing: list[str]  # org-ids asked for but not loaded


def network_figures(*, org_ids: list[str]) -> NetworkFigures:
    wanted = list(dict.fromkeys(o for o in org_ids if o))
    funders = [
        f for f in (funder_figures(org_id=o, tables=("imd2019", "imd2025")) for o in wanted) if f
    ]
    found = [f.funder.org_id for f in funders]
    combined = grants_figures(
        Grant.objects.filter(funder_org_id__in=found),
        tables=("funder", "imd2019", "imd2025", "year"),
    )
    rows = sel.overlaps(funder_ids=found)
    names = sel.recipient_names(
        grants=Grant.objects.filter(funder_org_id__in=found), org_ids={r[0] for r in rows}
    )
    overlaps, other = calc.overlaps_table(rows, names=names)
    by_decile = {
        edition: {f.funder.org_id: f.figures.tables[edition] for f in funders}
        for edition in EDITIONS
    }
    return NetworkFigures(
        funders=funders,
        combined=combined,
        overlaps=overlaps,
        overlaps_other_currency=other,
        by_decile=by_decile,
        missing=[o for o in wanted if o not in found],
    )


# -- an area -----------------------------------------------------------------------------------


@dataclass
class AreaGrantFigures:
    area: object
    figures: GrantsFigures
    population: area_sel.AreaPopulation
    per_resident: Decimal | None


def area_grant_figures(*, code: str) -> AreaGrantFigures | None:
    area, grants = sel.grants_in_area(code=code)
    if area is None:
        return None
    figures = grants_figures(grants, tables=("funder", "year"))
    population = area_sel.area_population(area=area)
    gbp = figures.gbp
    per_resident = None
    if population.people and gbp is not None:
        per_resident = (gbp.total / population.people).quantize(Decimal("0.01"))
    elif population.people:
        per_resident = Decimal("0.00")
    return AreaGrantFigures(area, figures, population, per_resident)


# -- cold spots ----------------------------------------------------------------------------------


@dataclass
class ColdSpots:
    level: str
    areas: list[calc.AreaNeed]
    registers_loaded: bool
    grants_placed: int
    grants_not_placed: int
    grants_other_currency: int


def coldspots(*, level: str) -> ColdSpots:
    raw = area_sel.coldspot_areas(level=level)
    areas = [
        calc.AreaNeed(
            code=a.code,
            name=a.name,
            population=a.population,
            deprived_share=(
                (Decimal(a.deprived_population) * 100 / a.population).quantize(Decimal("0.1"))
                if a.population
                else None
            ),
            small_areas=a.small_areas,
            small_areas_missing=a.small_areas_missing,
            charities=a.charities,
            grants=a.grants,
            gbp_total=a.gbp_total,
            derived=a.derived,
        )
        for a in raw
    ]
    placed, unplaced, other = area_sel.grants_placed_outside(level=level)
    return ColdSpots(
        level=level,
        areas=calc.coldspots_rank(areas),
        registers_loaded=area_sel.registers_loaded(),
        grants_placed=placed,
        grants_not_placed=unplaced,
        grants_other_currency=other,
    )


# -- funder finder -------------------------------------------------------------------------------


@dataclass
class FinderResult:
    purposes: list[str]
    income_band: str
    lad_code: str
    lad_name: str
    funders: list[calc.FunderRecord]
    grants_matched: int
    words: dict[int, dict[str, list[str]]]  # evidence grant id → purpose → words


def finder(
    *, purposes: list[str], income_band: str = "", lad_code: str = "", today: date
) -> FinderResult:
    grants = sel.finder_grants(purposes=purposes, income_band=income_band, lad_code=lad_code)
    ranked = calc.finder_rank(grants, today=today)
    evidence_ids = [g.id for f in ranked for g in f.evidence]
    words = sel.purposes_of(grant_ids=evidence_ids)
    lad_name = sel.area_names(codes=[lad_code]).get(lad_code, lad_code) if lad_code else ""
    return FinderResult(
        purposes=purposes,
        income_band=income_band,
        lad_code=lad_code,
        lad_name=lad_name,
        funders=ranked,
        grants_matched=len(grants),
        words=words,
    )


def purpose_label(code: str) -> str:
    return PURPOSE_LABELS.get(code, code)
