"""Pure charity figures: per 1,000, possibly inactive, money over time, an area profile."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from vcsehub.analytics.charities import (
    CSV_HEADER,
    YearMoney,
    add_months,
    area_profile_figures,
    finance_chart_svg,
    finance_history,
    per_thousand,
    possibly_inactive,
)
from vcsehub.charities.classification import INCOME_BAND_LABELS
from vcsehub.charities.profile import GroupCounts, NotPlaced

BANDS = ("micro", "small", "medium", "large", "major", "supermajor", "")


def test_per_thousand_rounds_half_up_and_missing_population_is_no_data():
    assert per_thousand(3, 2000) == Decimal("1.50")
    assert per_thousand(1, 800) == Decimal("1.25")
    assert per_thousand(1, 1600) == Decimal("0.63")  # 0.625 rounds up
    assert per_thousand(5, None) is None
    assert per_thousand(5, 0) is None


def test_add_months_keeps_month_ends():
    assert add_months(date(2022, 3, 31), 22) == date(2024, 1, 31)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


def check(**kwargs):
    defaults = {
        "registered": True,
        "latest_period_end": date(2022, 3, 31),
        "date_registered": date(1990, 1, 1),
        "data_date": date(2023, 9, 7),
        "register_overdue": None,
    }
    return possibly_inactive(**(defaults | kwargs))


def test_possibly_inactive_rule():
    # Year to 31 March 2022: next year ends 31 March 2023, due 31 January 2024, +3 months grace.
    assert check().flag is False
    assert check().next_due == date(2024, 1, 31)
    assert check(data_date=date(2024, 4, 30)).flag is False  # still within grace
    late = check(data_date=date(2024, 5, 1))
    assert late.flag is True and "31 January 2024" in late.reason
    assert check(register_overdue=True).flag is True
    # The register's own "received" wins over the dates.
    received = check(data_date=date(2026, 1, 1), register_overdue=False)
    assert received.flag is False and "has been received" in received.reason
    assert check(registered=False).flag is None
    assert check(latest_period_end=None, date_registered=date(2021, 1, 1)).flag is True
    assert check(latest_period_end=None, date_registered=None).flag is None


def test_finance_history_keeps_five_latest_years_oldest_first_and_hides_suppressed():
    years = [
        YearMoney(date(2015 + i, 3, 31), Decimal(1000 * (i + 1)), Decimal(900)) for i in range(7)
    ]
    years[-1] = YearMoney(date(2021, 3, 31), Decimal(7000), Decimal(900), suppressed=True)
    history = finance_history(name="Test Trust", years=years, source="test")
    assert [y.period_end.year for y in history.years] == [2017, 2018, 2019, 2020, 2021]
    cells = [cells for _, cells in history.table.rows]
    assert cells[0][0].value == Decimal(3000) and cells[0][0].text == "£3,000"
    assert cells[-1][0].value is None and cells[-1][0].text == "no data"
    assert "1 year with no figure" in history.table.missing
    # The summary uses the latest year with figures: 2020 (£6,000), up £3,000 from 2017.
    assert "year ending 31 March 2020" in history.summary
    assert "up by £3,000" in history.summary
    assert "no data" in history.chart


def test_finance_history_with_no_years_says_so():
    history = finance_history(name="Empty", years=[], source="test")
    assert history.table is None and "no income or spending" in history.summary


def test_chart_escapes_hostile_names():
    svg = finance_chart_svg(
        years=[YearMoney(date(2022, 3, 31), Decimal(5), Decimal(-5))],
        name="<script>alert(1)</script>",
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def _data(**overrides):
    based = GroupCounts(
        key="based",
        active=4,
        removed=1,
        active_by_register={"ccew": 4},
        active_by_band={"micro": 2, "large": 1, "": 1},
        active_by_cause=[("105", "Education", 3), ("101", "Poverty", 1)],
        active_with_cause=3,
        registered_by_year={2020: 2, 2023: 3},
        removed_by_year={2023: 1},
        active_by_lsoa={"L1": 2, "L2": 1, "LX": 1},
    )
    works = GroupCounts(
        key="works",
        active=2,
        active_by_band={"medium": 2},
        active_by_cause=[("101", "Poverty", 2)],
        active_with_cause=2,
        registered_by_year={2010: 2},
    )
    values = {
        "area": SimpleNamespace(name="Testham", code="E09999999", type="lad"),
        "works_code": "E09999999",
        "works_name": "Testham",
        "based": based,
        "works": works,
        "not_placed": NotPlaced(
            no_postcode={"ccew": 1},
            postcode_not_found={"ccew": 5},
            no_area_of_operation={"ccew": 3, "ccni": 7},
            active_by_register={"ccew": 20, "ccni": 7},
        ),
        "population": 2000,
        "population_lsoas": 3,
        "population_missing": 1,
        "lsoa_population": {"L1": 1000, "L2": 1000},
        "lsoa_decile": {"L1": 1, "L2": 7, "L3": 2},
        "lsoas_derived": False,
        "data_dates": {"ccew": date(2023, 9, 7)},
        "loaded": {"ccew": date(2023, 9, 8), "charity-area-lookup": date(2023, 9, 8)},
        "sources_used": ["ccew"],
    }
    return SimpleNamespace(**(values | overrides))


def figures(data):
    return area_profile_figures(data, band_labels=INCOME_BAND_LABELS, band_order=BANDS)


def values(table, label):
    return next([c.value for c in cells] for row, cells in table.rows if row == label)


def test_area_profile_counts_rates_bands_causes_years_and_deprivation():
    profile = figures(_data())
    counts = profile.table("counts")
    assert values(counts, "Active charities") == [4, 2]
    assert values(counts, "Per 1,000 residents") == [Decimal("2.00"), Decimal("1.00")]
    assert "1 active charity on the registers has no postcode and 5 have" in counts.missing
    assert "Northern Ireland register does not record" in counts.missing
    bands = profile.table("income_bands")
    assert values(bands, "Under £10,000") == [2, 0]
    assert values(bands, "No income data") == [1, 0]
    assert "No income data: 1 based in" in bands.missing
    causes = profile.table("causes")
    assert values(causes, "Education") == [3, 0]
    assert values(causes, "Poverty") == [1, 2]
    assert "No cause listed: 1 based in, 0 working in" in causes.missing
    years = profile.table("years")
    assert [row for row, _ in years.rows] == ["2023", "2020", "2010"]
    assert values(years, "2023") == [3, 1, 0, 0]
    # 5 = 2 (2020) + 3 (2023) based in; one removal in 2023 ("was", not "were");
    # the 2 working-in registrations were in 2010, before the five years.
    assert years.summary == (
        "From 2019 to 2023, 5 charities based in Testham registered and 1 was removed; "
        "0 charities working in Testham registered and 0 were removed."
    )
    # Deprivation: L1 (decile 1) holds 2 of the 3 charities with a decile; LX has none.
    # Residents: L1 1,000 of 2,000 (L3 has a decile but no count).
    dep = profile.table("deprivation")
    assert values(dep, "Active charities based in Testham") == [2, 3, Decimal("66.7")]
    assert values(dep, "Residents of Testham") == [1000, 2000, Decimal("50.0")]
    assert "1 active charity based in Testham with no small area" in dep.missing


def test_missing_population_is_no_data_not_zero():
    profile = figures(_data(population=None, lsoa_population={}))
    rate = values(profile.table("counts"), "Per 1,000 residents")
    assert rate == [None, None]
    cells = dict(profile.table("counts").rows)["Per 1,000 residents"]
    assert [c.text for c in cells] == ["no data", "no data"]
    assert values(profile.table("deprivation"), "Residents of Testham")[2] is None


def test_csv_rows_give_every_cell_with_its_provenance():
    profile = figures(_data())
    rows = list(profile.csv_rows())
    assert len(CSV_HEADER) == len(rows[0])
    cells = sum(len(cells) for table in profile.tables for _, cells in table.rows)
    assert len(rows) == cells
    assert rows[0][:4] == ("Active charities", "Active charities", "Based in Testham", 4)
    assert all(row[4] and row[5] and row[6] for row in rows)  # N, missing, source


def test_a_tiny_rate_is_not_written_as_zero():
    profile = figures(_data(population=5_000_000))
    cells = dict(profile.table("counts").rows)["Per 1,000 residents"]
    assert [c.text for c in cells] == ["under 0.01", "under 0.01"]
    assert [c.value for c in cells] == [Decimal("0.00"), Decimal("0.00")]
    assert "under 0.01 per 1,000 residents" in profile.table("counts").summary
