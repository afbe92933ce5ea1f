"""Deprivation profiles: small hand-worked inputs, then the real IoD2019 figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vcsehub.analytics.deprivation import Edition, SmallArea, decile_profile
from vcsehub.analytics.figures import percent

EDITION = Edition(
    key="test",
    label="Test index, 2011 areas",
    title="Test Index of Deprivation",
    nation="England",
    data_date="1 January 2020",
    population_label="test population",
)


def profile(areas, name="Testham"):
    return decile_profile(place_name=name, edition=EDITION, areas=areas)


def test_counts_and_weighted_shares_by_hand():
    # Deciles 1, 1, 2, 5, 10 with populations 100, 300, 200, 1000, 400: total 2,000 people.
    areas = [
        SmallArea("E1", "A", 1, 100),
        SmallArea("E2", "B", 1, 300),
        SmallArea("E3", "C", 2, 200),
        SmallArea("E4", "D", 5, 1000),
        SmallArea("E5", "E", 10, 400),
    ]
    p = profile(areas)
    assert p.counts == {1: 2, 2: 1, 3: 0, 4: 0, 5: 1, 6: 0, 7: 0, 8: 0, 9: 0, 10: 1}
    assert p.with_decile == 5 and p.missing_decile == 0 and p.missing_population == 0
    assert p.lsoas_decile_1 == 2 and p.lsoas_decile_1_2 == 3
    assert p.lsoa_share_decile_1 == Decimal("40.0")  # 2 / 5
    assert p.lsoa_share_decile_1_2 == Decimal("60.0")  # 3 / 5
    assert p.population_total == 2000
    assert p.people_share_decile_1 == Decimal("20.0")  # 400 / 2000
    assert p.people_share_decile_1_2 == Decimal("30.0")  # 600 / 2000
    assert p.summary == (
        "2 of Testham's 5 small areas (40.0%) are among the 10% most deprived in England "
        "(Test index, 2011 areas)."
    )
    assert "30.0% of Testham's residents (test population, 2,000 people)" in p.population_summary
    assert p.missing_text == "none (all 5 small areas have a decile and a population count)."


def test_missing_decile_and_missing_population_are_counted_not_zero():
    areas = [
        SmallArea("E1", "A", 1, 100),
        SmallArea("E2", "B", None, 500),  # no decile: out of every figure
        SmallArea("E3", "C", 2, None),  # no population: in LSOA counts, out of weighted shares
        SmallArea("E4", "D", 9, 300),
    ]
    p = profile(areas)
    assert p.lsoas_total == 4
    assert p.with_decile == 3 and p.missing_decile == 1
    assert p.with_population == 2 and p.missing_population == 2
    assert p.lsoa_share_decile_1_2 == Decimal("66.7")  # 2 / 3, half-up
    assert p.people_share_decile_1_2 == Decimal("25.0")  # 100 / 400
    assert set(p.missing_codes) == {"E2", "E3"}
    assert "1 have no decile" in p.missing_text
    assert "1 have no population count" in p.missing_text
    measures = {m.label: m for m in p.measures}
    weighted = next(m for label, m in measures.items() if "20% most deprived areas" in label)
    assert weighted.n == 2 and weighted.missing == 2


def test_nothing_known_gives_none_not_zero():
    p = profile([SmallArea("E1", "A", None, None)])
    assert p.lsoa_share_decile_1 is None
    assert p.people_share_decile_1_2 is None
    assert p.measures[0].value is None
    assert p.measures[0].display == "no data"
    assert "no deprivation figure" in p.summary
    assert "no share of residents" in p.population_summary


def test_decile_with_no_population_anywhere_gives_no_weighted_share():
    p = profile([SmallArea("E1", "A", 3, None)])
    assert p.lsoa_share_decile_1 == Decimal("0.0")
    assert p.people_share_decile_1 is None


def test_impossible_decile_is_a_bug_not_missing_data():
    with pytest.raises(ValueError, match="deciles run 1 to 10"):
        profile([SmallArea("E1", "A", 11, 5)])
    with pytest.raises(ValueError, match="negative population"):
        profile([SmallArea("E1", "A", 1, -5)])


def test_rows_have_every_decile_and_shares_of_the_right_totals():
    p = profile([SmallArea("E1", "A", 1, 30), SmallArea("E2", "B", 4, 10)])
    rows = p.rows
    assert [r.decile for r in rows] == list(range(1, 11))
    assert rows[0].label == "1 (most deprived 10%)" and rows[9].label == "10 (least deprived 10%)"
    assert rows[0].lsoa_share == Decimal("50.0") and rows[0].population_share == Decimal("75.0")
    assert rows[4].lsoas == 0 and rows[4].population_share == Decimal("0.0")


def test_possessive_and_commas_in_names():
    areas = [SmallArea("E1", "A", 1, 1)]
    assert profile(areas, name="Sandwell").summary.startswith("1 of Sandwell's 1 small areas")
    assert profile(areas, name="Wells").summary.startswith("1 of Wells' 1 small areas")
    assert profile(areas, name="Herefordshire, County of").summary.startswith(
        "1 of the 1 small areas in Herefordshire, County of"
    )


def test_percent_rounds_half_up():
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3 (banker's rounding would give 6.2)
    assert percent(5, 0) is None
