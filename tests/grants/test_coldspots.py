"""Cold-spot ranking: most deprived but least funded first; unrankable areas last."""

from __future__ import annotations

from decimal import Decimal

from vcsehub.analytics.grants import AreaNeed, coldspots_rank


def _area(code, share, population, gbp, charities=None):
    return AreaNeed(
        code=code,
        name=code,
        population=population,
        deprived_share=None if share is None else Decimal(share),
        small_areas=1,
        small_areas_missing=0,
        charities=charities,
        grants=1 if gbp else 0,
        gbp_total=Decimal(gbp),
    )


def test_gap_score_is_need_rank_plus_funding_rank():
    areas = coldspots_rank(
        [
            _area("rich-funded", "0", 1000, "50000"),
            _area("poor-unfunded", "80", 1000, "0"),
            _area("poor-funded", "80", 1000, "90000"),
            _area("middling", "40", 1000, "1000"),
            _area("no-population", "90", None, "0"),
            _area("no-deprivation", None, 1000, "0"),
        ]
    )
    order = [a.code for a in areas]
    assert order[0] == "poor-unfunded"
    assert order[-2:] == ["no-deprivation", "no-population"]
    first = areas[0]
    # Need: two areas share the top share (rank 1); funding: £0 per resident is rank 1.
    assert (first.need_rank, first.funding_rank, first.gap_score) == (1, 1, 2)
    assert areas[-1].gap_score is None


def test_missing_registers_are_not_zero_charities():
    area = _area("a", "10", 2000, "100", charities=None)
    assert area.charities_per_1000 is None
    assert _area("b", "10", 2000, "100", charities=3).charities_per_1000 == Decimal("1.50")
    assert area.gbp_per_resident == Decimal("0.05")
