"""Funder finder ranking: recency-weighted count, then total, then latest; evidence kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from vcsehub.analytics.grants import HALF_LIFE_YEARS, finder_rank, recency_weight

TODAY = date(2026, 1, 1)


def _grant(funder, amount, when, currency="GBP", title="IT"):
    return SimpleNamespace(
        funder_org_id=funder,
        funder_name=funder.upper(),
        amount=Decimal(amount),
        currency=currency,
        award_date=when,
        title=title,
        id=hash((funder, amount, when)),
    )


def test_weight_halves_every_half_life():
    assert recency_weight(TODAY, today=TODAY) == 1
    three_years = date(TODAY.year - HALF_LIFE_YEARS, 1, 1)
    assert recency_weight(three_years, today=TODAY) == pytest.approx(0.5, abs=0.01)
    assert recency_weight(None, today=TODAY) == 0.1


def test_recent_grants_outrank_many_old_ones_and_totals_break_ties():
    ranked = finder_rank(
        [
            *[_grant("old", "100", date(2010, 1, 1)) for _ in range(5)],  # 5 × ~0.025
            _grant("recent", "100", date(2025, 6, 1)),
            _grant("recent2", "100", date(2025, 6, 1)),
            _grant("recent2", "50", date(2025, 6, 1), currency="EUR"),
            _grant("big", "1000", date(2025, 6, 1)),
        ],
        today=TODAY,
    )
    assert [r.org_id for r in ranked] == ["recent2", "big", "recent", "old"]
    recent2 = ranked[0]
    assert recent2.grants == 2 and recent2.gbp_total == Decimal("100")
    assert recent2.other_currency_grants == 1
    assert ranked[-1].latest == date(2010, 1, 1) and len(ranked[-1].evidence) == 3
