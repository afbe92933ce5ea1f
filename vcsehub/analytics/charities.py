"""Charity figures: an area's charity profile, an organisation's money over time, and the
"possibly inactive" rule.

Every figure is a table of cells that keep both the raw value (for CSV and JSON) and the
text the page shows, with what it counts, N, missing, source and data date, so the page,
the CSV and the API give the same numbers. Missing is never zero: a cell with no value
reads "no data".

Pure code: no Django models, no database. The counts come from
`vcsehub.charities.profile.area_profile_data` (any object with the same attributes).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from vcsehub.analytics.figures import percent, possessive
from vcsehub.analytics.impact_charts import Bar, hbar_chart_svg
from vcsehub.common.formatting import NO_DATA, format_count, format_money, format_number

RATE_PLACES = 2  # per 1,000 residents: small places have few charities per 1,000

# -- cells and tables --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: int | Decimal | str | None
    text: str

    @property
    def missing(self) -> bool:
        return self.value is None


def count_cell(value: int | None) -> Cell:
    return Cell(value, format_count(value))


def rate_cell(value: Decimal | None, count: int | None = None) -> Cell:
    """A rate per 1,000; a rate that rounds to 0 but counts something reads "under 0.01"."""
    if value is not None and value == 0 and count:
        return Cell(value, f"under {Decimal(1).scaleb(-RATE_PLACES)}")
    return Cell(value, format_number(value, RATE_PLACES))


def percent_cell(value: Decimal | None) -> Cell:
    return Cell(value, NO_DATA if value is None else f"{value}%")


def money_cell(value: Decimal | None) -> Cell:
    return Cell(value, format_money(value, 0))


@dataclass(frozen=True)
class Table:
    """One figure: a table (and maybe a chart) with its text summary and small print."""

    key: str
    title: str
    caption: str
    row_heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    summary: str
    counts: str  # what the figures count
    n: str  # N, in words
    missing: str  # missing or excluded, and why
    source: str
    chart: str = ""

    def csv_rows(self) -> Iterable[tuple]:
        """(figure, row, column, value, N, missing, source) for each cell, as shown."""
        for label, cells in self.rows:
            for heading, cell in zip(self.columns, cells, strict=True):
                yield (self.title, label, heading, cell.value, self.n, self.missing, self.source)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "counts": self.counts,
            "columns": list(self.columns),
            "rows": [
                {"label": label, "values": [cell.value for cell in cells]}
                for label, cells in self.rows
            ],
            "summary": self.summary,
            "n": self.n,
            "missing": self.missing,
            "source": self.source,
        }


CSV_HEADER = ("Figure", "Row", "Column", "Value", "Based on (N)", "Missing", "Source and date")


# -- small helpers -------------------------------------------------------------------------------


def per_thousand(count: int | None, population: int | None) -> Decimal | None:
    """count per 1,000 residents, two decimal places (half up); None without a population."""
    if count is None or not population:
        return None
    value = Decimal(count) * 1000 / Decimal(population)
    return value.quantize(Decimal(1).scaleb(-RATE_PLACES), rounding=ROUND_HALF_UP)


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{format_count(count)} {one if count == 1 else (many or one + 's')}"


def _registered_removed(group, years: list[int], where: str) -> str:
    """'2 charities based in X registered and 1 was removed' (the verb agrees with the count)."""
    registered = sum(group.registered_by_year.get(year, 0) for year in years)
    removed = sum(group.removed_by_year.get(year, 0) for year in years)
    return (
        f"{plural(registered, 'charity', 'charities')} {where} registered and "
        f"{format_count(removed)} {'was' if removed == 1 else 'were'} removed"
    )


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def long_date(day: date | None) -> str:
    return "date not known" if day is None else f"{day.day} {day:%B %Y}"


# -- possibly inactive -------------------------------------------------------------------------
# A charity's accounts for a financial year are due 10 months after the year ends (Charity
# Commission; OSCR and CCNI use the same 10 months). The register's own reporting status comes
# first: "overdue" flags the charity as "possibly inactive", "received" clears it. When the
# register says neither, we flag a charity when the accounts for the year after its latest
# reported year are more than three months past their due date on the register's data date:
# latest year end + 12 months + 10 months + 3 months of grace. A registered charity with no
# reported year at all is checked the same way from the date it was registered. Removed
# charities are not flagged.
ACCOUNTS_DUE_MONTHS = 10
GRACE_MONTHS = 3
INACTIVE_RULE = (
    "We call a charity possibly inactive when the register says its annual return is "
    "overdue. When the register does not say, we call it possibly inactive if no accounts "
    "have reached the register for a financial year that ended more than "
    f"{ACCOUNTS_DUE_MONTHS} months (when accounts are due) plus {GRACE_MONTHS} months "
    "(grace) before the register's data date."
)


@dataclass(frozen=True)
class InactiveCheck:
    flag: bool | None  # None: cannot tell
    reason: str
    next_due: date | None = None


def possibly_inactive(
    *,
    registered: bool,
    latest_period_end: date | None,
    date_registered: date | None,
    data_date: date | None,
    register_overdue: bool | None,
) -> InactiveCheck:
    if not registered:
        return InactiveCheck(None, "The charity has been removed from the register.")
    if register_overdue:
        return InactiveCheck(True, "The register says the charity's annual return is overdue.")
    if register_overdue is False:
        return InactiveCheck(
            False, "The register says the charity's latest annual return has been received."
        )
    start = latest_period_end or date_registered
    if start is None or data_date is None:
        return InactiveCheck(None, "The register gives no dates to check against.")
    next_due = add_months(start, 12 + ACCOUNTS_DUE_MONTHS)
    late_after = add_months(next_due, GRACE_MONTHS)
    if data_date > late_after:
        what = (
            f"Its latest accounts are for the year ending {long_date(latest_period_end)}"
            if latest_period_end
            else "No accounts are on the register"
        )
        return InactiveCheck(
            True,
            f"{what}; the next accounts were due by {long_date(next_due)} and had not reached "
            f"the register by {long_date(data_date)}.",
            next_due,
        )
    return InactiveCheck(
        False,
        f"Accounts are up to date: the next are due by {long_date(next_due)}.",
        next_due,
    )


# -- money over time ----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearMoney:
    period_end: date
    income: Decimal | None
    expenditure: Decimal | None
    suppressed: bool = False


@dataclass(frozen=True)
class FinanceHistory:
    years: tuple[YearMoney, ...]  # oldest first
    table: Table | None
    chart: str
    summary: str


def finance_history(
    *, name: str, years: Sequence[YearMoney], source: str, max_years: int = 5
) -> FinanceHistory:
    """Up to `max_years` latest years, oldest first, as a chart, a table and a summary."""
    kept = tuple(sorted(years, key=lambda y: y.period_end)[-max_years:])
    if not kept:
        return FinanceHistory((), None, "", f"The register gives no income or spending for {name}.")
    rows = tuple(
        (
            f"Year ending {long_date(year.period_end)}",
            (
                money_cell(None if year.suppressed else year.income),
                money_cell(None if year.suppressed else year.expenditure),
            ),
        )
        for year in kept
    )
    missing = [y for y in kept if y.suppressed or y.income is None or y.expenditure is None]
    summary = _finance_summary(name, kept)
    table = Table(
        key="finances",
        title="Income and spending",
        caption=f"{possessive(name)} income and spending by financial year",
        row_heading="Financial year",
        columns=("Income", "Spending"),
        rows=rows,
        summary=summary,
        counts="Total income and total spending reported to the register for each financial year.",
        n=plural(len(kept), "financial year"),
        missing=(
            f"{plural(len(missing), 'year')} with no figure (not reported or hidden by the register)."
            if missing
            else "None."
        ),
        source=source,
    )
    return FinanceHistory(kept, table, finance_chart_svg(years=kept, name=name), summary)


def _finance_summary(name: str, years: Sequence[YearMoney]) -> str:
    usable = [y for y in years if not y.suppressed and y.income is not None]
    if not usable:
        return f"The register shows no income figures for {name}."
    last = usable[-1]
    text = (
        f"In the year ending {long_date(last.period_end)}, {name} reported income of "
        f"{format_money(last.income, 0)}"
    )
    if last.expenditure is not None:
        text += f" and spending of {format_money(last.expenditure, 0)}"
    text += "."
    if len(usable) > 1:
        first = usable[0]
        change = last.income - first.income
        direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
        text += (
            f" Income was {format_money(first.income, 0)} in the year ending "
            f"{long_date(first.period_end)}"
        )
        text += (
            f", so it is {direction} by {format_money(abs(change), 0)} over "
            f"{plural(len(usable), 'year')}."
            if direction != "unchanged"
            else f", so it is unchanged over {plural(len(usable), 'year')}."
        )
    return text


INCOME_FILL = "#31688e"
SPEND_FILL = "#b4de2c"
INK = "#0b0c0c"


def _short_money(value: Decimal) -> str:
    size = abs(value)
    if size >= 1_000_000:
        return f"£{format_number(value / 1_000_000, 1)}m"
    if size >= 10_000:
        return f"£{format_number(value / 1000, 0)}k"
    return format_money(value, 0)


def finance_chart_svg(*, years: Sequence[YearMoney], name: str, id_prefix: str = "money") -> str:
    """Paired bars per year: income (solid) and spending (hatched), each labelled with its value.

    The legend names both by pattern as well as colour; hidden or missing figures are
    written "no data" where the bar would be.
    """
    prefix = "".join(c if c.isalnum() or c in "-_" else "-" for c in id_prefix) or "money"
    width, height = 640, 300
    left, right, top, bottom = 16, 16, 40, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [
        v
        for y in years
        if not y.suppressed
        for v in (y.income, y.expenditure)
        if v is not None and v > 0
    ]
    biggest = max(values, default=Decimal(1))
    slot = plot_w / max(len(years), 1)
    bar_w = min(60.0, slot * 0.36)
    parts = []
    for i, year in enumerate(years):
        centre = left + slot * i + slot / 2
        for j, (value, fill, label) in enumerate(
            (
                (year.income, INCOME_FILL, "Income"),
                (year.expenditure, f"url(#{prefix}-hatch)", "Spending"),
            )
        ):
            x = centre - bar_w - 2 if j == 0 else centre + 2
            if year.suppressed or value is None:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - 6}" text-anchor="middle" '
                    f'font-size="11">no data</text>'
                )
                continue
            bar_h = float(plot_h * max(value, Decimal(0)) / biggest)
            y = top + plot_h - bar_h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" '
                f'fill="{fill}" stroke="{INK}" stroke-width="0.6"><title>{label}, year ending '
                f"{escape(long_date(year.period_end))}: {escape(format_money(value, 0))}</title></rect>"
            )
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'font-size="11">{escape(_short_money(value))}</text>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="12">'
            f"{escape(year.period_end.strftime('%b %Y'))}</text>"
        )
    title = f"{possessive(name)} income and spending, by financial year"
    description = _finance_summary(name, years)
    axis_y = top + plot_h
    legend = (
        f'<rect x="{left}" y="8" width="14" height="14" fill="{INCOME_FILL}" stroke="{INK}"/>'
        f'<text x="{left + 20}" y="20" font-size="12">Income (solid)</text>'
        f'<rect x="{left + 140}" y="8" width="14" height="14" fill="url(#{prefix}-hatch)" stroke="{INK}"/>'
        f'<text x="{left + 160}" y="20" font-size="12">Spending (hatched)</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" class="chart" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
        f'<defs><pattern id="{prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{SPEND_FILL}"/>'
        f'<path d="M0,6 L6,0" stroke="{INK}" stroke-width="0.8"/></pattern></defs>'
        f"{legend}"
        f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="{INK}"/>'
        f"{''.join(parts)}"
        f'<text x="{left}" y="{axis_y + 40}" font-size="12">Financial year ending (month and year). '
        "Bar height: pounds.</text>"
        "</svg>"
    )


# -- an area's charity profile --------------------------------------------------------------------

REGISTER_NAMES = {"ccew": "England and Wales", "oscr": "Scotland", "ccni": "Northern Ireland"}
DEPRIVED_DECILES = (1, 2)


@dataclass
class AreaProfile:
    name: str
    code: str
    works_name: str
    population: int | None
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def csv_rows(self) -> Iterable[tuple]:
        for table in self.tables:
            yield from table.csv_rows()


def registers_text(data_dates: dict, loaded: dict) -> str:
    parts = []
    for source, label in (
        ("ccew", "England and Wales"),
        ("oscr", "Scotland"),
        ("ccni", "Northern Ireland"),
    ):
        if source in loaded:
            when = data_dates.get(source) or loaded.get(source)
            parts.append(f"{label} ({long_date(when)})")
    if not parts:
        return "Charity registers: none loaded."
    return "Charity registers: " + ", ".join(parts) + "."


def area_profile_figures(
    data,
    *,
    band_labels: dict[str, str],
    band_order: Sequence[str],
    id_prefix: str = "charities",
) -> AreaProfile:
    """Turn an area's counts into labelled figures. `data` is a charities.profile.AreaProfileData.

    `band_labels` / `band_order`: income band code → label, and the order to list them
    ("" = no income data), from charities.classification.
    """
    area = data.area
    name, works = area.name, data.works_name
    based, working = data.based, data.works
    registers = registers_text(data.data_dates, data.loaded)
    aoo_when = long_date(data.loaded.get("charity-area-lookup"))
    census = (
        "Office for National Statistics, Census 2021 usual residents (21 March 2021), "
        f"summed over {plural(data.population_lsoas, 'small area')} (2021 areas)"
        + (", placed in the ward by their postcodes (derived)" if data.lsoas_derived else "")
    )
    placement = "Postcodes placed with the ONS postcode products loaded (see the sources below)"
    based_label = f"Based in {name}"
    works_label = f"Working in {works}" if works != name else f"Working in {name}"
    columns = (based_label, works_label)
    np = data.not_placed
    no_postcode = sum(np.no_postcode.values())
    not_found = sum(np.postcode_not_found.values())
    no_aoo = sum(np.no_area_of_operation.values())
    aoo_registers = [
        REGISTER_NAMES.get(r, r) for r, n in np.no_area_of_operation.items() if r != "ccew" and n
    ]
    based_missing = (
        f"{plural(no_postcode, 'active charity', 'active charities')} on the registers "
        f"{'has' if no_postcode == 1 else 'have'} no postcode and {format_count(not_found)} "
        f"{'has' if not_found == 1 else 'have'} a postcode we could not place, so they are not "
        "counted as based in any area."
    )
    works_missing = (
        f"{plural(no_aoo, 'active charity', 'active charities')} "
        f"{'has' if no_aoo == 1 else 'have'} no area of operation with a code, so they are not counted as working in any area"
        + (
            f" (the {' and '.join(aoo_registers)} register{'s do' if len(aoo_registers) > 1 else ' does'} "
            "not record areas of operation)"
            if aoo_registers
            else ""
        )
        + ". Charities that work across a whole region or country are not counted either."
    )
    both_missing = f"Based in: {based_missing} Working in: {works_missing}"
    source = f"{registers} Areas of operation: charity-lookups (loaded {aoo_when})."
    profile = AreaProfile(name=name, code=area.code, works_name=works, population=data.population)

    # 1. How many, and per 1,000 residents.
    based_rate = per_thousand(based.active, data.population)
    works_rate = per_thousand(working.active, data.population)
    summary = (
        f"{plural(based.active, 'active charity', 'active charities')} "
        f"{'is' if based.active == 1 else 'are'} based in {name} "
        f"(registered postcode), {rate_cell(based_rate, based.active).text} per 1,000 residents. "
        f"{plural(working.active, 'active charity', 'active charities')} say they work in {works}"
        f" (area of operation), {rate_cell(works_rate, working.active).text} per 1,000 residents."
    )
    profile.tables.append(
        Table(
            key="counts",
            title="Active charities",
            caption=f"Active charities based in and working in {name}",
            row_heading="Figure",
            columns=columns,
            rows=(
                ("Active charities", (count_cell(based.active), count_cell(working.active))),
                (
                    "Per 1,000 residents",
                    (rate_cell(based_rate, based.active), rate_cell(works_rate, working.active)),
                ),
                (
                    "Removed from the register (any year)",
                    (count_cell(based.removed), count_cell(working.removed)),
                ),
                (
                    "Residents (Census 2021)",
                    (count_cell(data.population), count_cell(data.population)),
                ),
            ),
            summary=summary,
            counts=(
                "Charities on the registers, not removed. Based in: the charity's registered "
                f"postcode lies in {name}. Working in: the charity names {works} as an area of "
                "operation. Per 1,000 residents: active charities × 1,000 ÷ Census 2021 residents."
            ),
            n=(
                f"{plural(based.active + based.removed, 'charity', 'charities')} based in {name} and "
                f"{plural(working.active + working.removed, 'charity', 'charities')} working in "
                f"{works}, of all statuses; residents: {format_count(data.population)}"
                + (
                    f" ({plural(data.population_missing, 'small area')} with no count)"
                    if data.population_missing
                    else ""
                )
            ),
            missing=both_missing,
            source=f"{source} {census}. {placement}.",
        )
    )

    # 2. By income band.
    band_rows = []
    for code in band_order:
        label = band_labels.get(code, code)
        band_rows.append(
            (
                label,
                (
                    count_cell(based.active_by_band.get(code, 0)),
                    count_cell(working.active_by_band.get(code, 0)),
                ),
            )
        )
    no_band_based = based.active_by_band.get("", 0)
    no_band_works = working.active_by_band.get("", 0)
    profile.tables.append(
        Table(
            key="income_bands",
            title="Active charities by size (latest income)",
            caption=f"Active charities based in and working in {name}, by income band",
            row_heading="Latest yearly income",
            columns=columns,
            rows=tuple(band_rows),
            summary=_top_summary(
                band_rows, based.active, f"charities based in {name}", "size band"
            ),
            counts="Active charities by the band of their latest reported yearly income.",
            n=f"{plural(based.active, 'charity', 'charities')} based in; "
            f"{plural(working.active, 'charity', 'charities')} working in.",
            missing=(
                f"No income data: {format_count(no_band_based)} based in, "
                f"{format_count(no_band_works)} working in (shown in its own row)."
            ),
            source=f"{source} Bands: NCVO UK Civil Society Almanac.",
            chart=hbar_chart_svg(
                bars=[Bar(label, cells[0].value, cells[0].text) for label, cells in band_rows],
                title=f"Active charities based in {name} by income band",
                description=_top_summary(
                    band_rows, based.active, f"charities based in {name}", "size band"
                ),
                id_prefix=f"{id_prefix}-bands",
                width=640,
                label_width=230,
            ),
        )
    )

    # 3. By cause (what the charity does).
    causes: dict[tuple[str, str], list[int]] = {}
    for index, group in enumerate((based, working)):
        for code, label, n in group.active_by_cause:
            causes.setdefault((code, label), [0, 0])[index] = n
    cause_rows = tuple(
        (label, (count_cell(pair[0]), count_cell(pair[1])))
        for (code, label), pair in sorted(
            causes.items(), key=lambda item: (-item[1][0], -item[1][1], item[0][1])
        )
    )
    no_cause_based = based.active - based.active_with_cause
    no_cause_works = working.active - working.active_with_cause
    top = [row for row in cause_rows if row[1][0].value][:10]
    profile.tables.append(
        Table(
            key="causes",
            title="Active charities by cause",
            caption=f"Active charities based in and working in {name}, by what they do",
            row_heading="What the charity does",
            columns=columns,
            rows=cause_rows,
            summary=_top_summary(cause_rows, based.active, f"charities based in {name}", "cause"),
            counts=(
                "Active charities by each cause their register lists (“what the charity does”). "
                "A charity can list several causes, so the rows add up to more than the total."
            ),
            n=f"{plural(based.active_with_cause, 'charity', 'charities')} based in and "
            f"{plural(working.active_with_cause, 'charity', 'charities')} working in, with a cause listed.",
            missing=(
                f"No cause listed: {format_count(no_cause_based)} based in, "
                f"{format_count(no_cause_works)} working in."
            ),
            source=source,
            chart=hbar_chart_svg(
                bars=[Bar(label, cells[0].value, cells[0].text) for label, cells in top],
                title=f"The most common causes of active charities based in {name}",
                description=_top_summary(
                    cause_rows, based.active, f"charities based in {name}", "cause"
                ),
                id_prefix=f"{id_prefix}-causes",
                width=720,
                label_width=310,
            )
            if top
            else "",
        )
    )

    # 4. Registrations and removals per year.
    years = sorted(
        set(based.registered_by_year)
        | set(based.removed_by_year)
        | set(working.registered_by_year)
        | set(working.removed_by_year),
        reverse=True,
    )
    year_rows = tuple(
        (
            str(year),
            (
                count_cell(based.registered_by_year.get(year, 0)),
                count_cell(based.removed_by_year.get(year, 0)),
                count_cell(working.registered_by_year.get(year, 0)),
                count_cell(working.removed_by_year.get(year, 0)),
            ),
        )
        for year in years
    )
    dated = [d for d in data.data_dates.values() if d is not None]
    last_year = max(dated).year if dated else (years[0] if years else None)
    recent = list(range(last_year - 4, last_year + 1)) if last_year else []
    year_summary = (
        f"From {recent[0]} to {recent[-1]}, "
        f"{_registered_removed(based, recent, f'based in {name}')}; "
        f"{_registered_removed(working, recent, f'working in {works}')}."
        if recent
        else f"No registration or removal dates are recorded for charities in {name}."
    )
    profile.tables.append(
        Table(
            key="years",
            title="Registrations and removals per year",
            caption=f"Charities based in and working in {name}: registrations and removals by year",
            row_heading="Year",
            columns=(
                f"Registered, {based_label[0].lower()}{based_label[1:]}",
                f"Removed, {based_label[0].lower()}{based_label[1:]}",
                f"Registered, {works_label[0].lower()}{works_label[1:]}",
                f"Removed, {works_label[0].lower()}{works_label[1:]}",
            ),
            rows=year_rows,
            summary=year_summary,
            counts=(
                "Charities by the year they were registered and the year they were removed, "
                "counting charities of every status. Charities that merged or re-registered "
                "count once for each record."
            ),
            n=f"{plural(based.active + based.removed, 'charity', 'charities')} based in; "
            f"{plural(working.active + working.removed, 'charity', 'charities')} working in.",
            missing=(
                f"No registration date: {format_count(based.no_registration_date)} based in, "
                f"{format_count(working.no_registration_date)} working in. Removed charities "
                "with no removal date are not in the removal columns."
            ),
            source=source,
        )
    )

    # 5. Deprivation: charities based in the most deprived 20% vs residents living there.
    with_decile = {lsoa: n for lsoa, n in based.active_by_lsoa.items() if lsoa in data.lsoa_decile}
    charities_n = sum(with_decile.values())
    charities_deprived = sum(
        n for lsoa, n in with_decile.items() if data.lsoa_decile[lsoa] in DEPRIVED_DECILES
    )
    charities_missing = based.active - charities_n
    residents = {
        lsoa: people for lsoa, people in data.lsoa_population.items() if lsoa in data.lsoa_decile
    }
    residents_n = sum(residents.values())
    residents_deprived = sum(
        people for lsoa, people in residents.items() if data.lsoa_decile[lsoa] in DEPRIVED_DECILES
    )
    charity_share = percent(charities_deprived, charities_n)
    resident_share = percent(residents_deprived, residents_n)
    lsoas_no_decile = data.population_lsoas - len(data.lsoa_decile)
    dep_summary = (
        f"{format_number(charity_share, 1)}% of the active charities based in {name} "
        f"({format_count(charities_deprived)} of {format_count(charities_n)}) are in small areas "
        f"among England's most deprived 20%, where {format_number(resident_share, 1)}% of "
        f"{possessive(name)} residents live."
        if charity_share is not None
        else f"No active charity based in {name} could be given a deprivation decile, so the "
        f"share cannot be worked out. {format_number(resident_share, 1)}% of "
        f"{possessive(name)} residents live in England's most deprived 20% of small areas."
    )
    profile.tables.append(
        Table(
            key="deprivation",
            title="Charities in the most deprived areas",
            caption=(
                f"Share of active charities based in {name}, and of its residents, in England's "
                "most deprived 20% of small areas"
            ),
            row_heading="Who",
            columns=("In the most deprived 20%", "Out of", "Share"),
            rows=(
                (
                    f"Active charities based in {name}",
                    (
                        count_cell(charities_deprived),
                        count_cell(charities_n),
                        percent_cell(charity_share),
                    ),
                ),
                (
                    f"Residents of {name}",
                    (
                        count_cell(residents_deprived),
                        count_cell(residents_n),
                        percent_cell(resident_share),
                    ),
                ),
            ),
            summary=dep_summary,
            counts=(
                "Based in only (registered postcode). Most deprived 20%: small areas (2021) in "
                "deciles 1 and 2 of the English Indices of Deprivation 2025. Residents: Census "
                "2021 usual residents of the place's small areas that have a decile."
            ),
            n=(
                f"{plural(charities_n, 'active charity', 'active charities')} based in {name} with "
                f"a small area that has a decile; {format_count(residents_n)} residents in "
                f"{plural(len(residents), 'small area')} with a decile and a count."
            ),
            missing=(
                f"{plural(charities_missing, 'active charity', 'active charities')} based in "
                f"{name} with no small area or no decile; "
                f"{plural(max(lsoas_no_decile, 0), 'small area')} of the place with no decile"
                + (
                    f", {format_count(data.population_missing)} with no population count"
                    if data.population_missing
                    else ""
                )
                + ". The 2025 index covers England only."
            ),
            source=(
                "English Indices of Deprivation 2025, Ministry of Housing, Communities and Local "
                f"Government (30 October 2025). {census}. {registers}"
            ),
        )
    )
    if data.lsoas_derived:
        profile.notes.append(
            "No official list says which small areas are in each ward: residents are counted "
            "in the small areas that hold most of the ward's postcodes (an estimate)."
        )
    if works != name:
        profile.notes.append(
            f"The register records areas of operation no smaller than a local authority, so "
            f"“working in” counts charities that name {works}, the local authority {name} is in."
        )
    return profile


def _top_summary(rows, total: int, what: str, kind: str) -> str:
    """'Of the 12 active charities based in X, the most common cause is “…” (5, 41.7%).'"""
    counted = [(label, cells[0].value) for label, cells in rows if cells[0].value]
    if not counted or not total:
        return f"There are no active {what} to count by {kind}."
    label, n = max(counted, key=lambda item: item[1])
    return (
        f"Of the {format_count(total)} active {what}, the most common {kind} is “{label}” "
        f"({format_count(n)}, {format_number(percent(n, total), 1)}%)."
    )
