"""The published West Midlands figures, computed from the official files (no importers)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.analytics.iod_csv import iod2019_by_lad, iod2025_by_lad_name
from vcsehub.analytics.deprivation import Edition, SmallArea, decile_profile

IOD2019 = Edition(
    key="imd2019",
    label="IoD2019, 2011 areas",
    title="English Indices of Deprivation 2019",
    nation="England",
    data_date="26 September 2019",
    population_label="mid-2015 population, IoD2019 denominators",
)
IOD2025 = Edition(
    key="imd2025",
    label="IoD2025, 2021 areas",
    title="English Indices of Deprivation 2025",
    nation="England",
    data_date="30 October 2025",
    population_label="Census 2021 usual residents",
)

# From shared/docs/data-geography.md: share of the mid-2015 population in deciles 1–2.
PUBLISHED_2019 = {
    "E08000025": ("Birmingham", "58.2"),
    "E08000028": ("Sandwell", "60.3"),
    "E08000030": ("Walsall", "52.3"),
    "E08000031": ("Wolverhampton", "51.7"),
    "E08000027": ("Dudley", "27.7"),
    "E08000026": ("Coventry", "25.5"),
    "E08000029": ("Solihull", "15.7"),
}


def _areas(rows):
    return [SmallArea(code, name, decile, people) for code, name, decile, people in rows]


def test_birmingham_iod2019(shared_data_dir):
    rows = iod2019_by_lad(shared_data_dir)["E08000025"]
    p = decile_profile(place_name="Birmingham", edition=IOD2019, areas=_areas(rows))
    assert p.with_decile == 639 and p.missing_decile == 0 and p.missing_population == 0
    assert p.lsoas_decile_1 == 264
    assert p.lsoas_decile_1_2 == 360
    assert p.people_share_decile_1_2 == Decimal("58.2")
    assert p.summary == (
        "264 of Birmingham's 639 small areas (41.3%) are among the 10% most deprived in "
        "England (IoD2019, 2011 areas)."
    )


@pytest.mark.parametrize("lad", sorted(PUBLISHED_2019))
def test_met_districts_population_weighted_share_2019(shared_data_dir, lad):
    name, expected = PUBLISHED_2019[lad]
    rows = iod2019_by_lad(shared_data_dir)[lad]
    p = decile_profile(place_name=name, edition=IOD2019, areas=_areas(rows))
    assert p.people_share_decile_1_2 == Decimal(expected)


def test_birmingham_iod2025_matches_official_lad_summary(shared_data_dir):
    # The official LAD summary says 42.79% of Birmingham's LSOAs are in the most deprived 10%.
    rows = iod2025_by_lad_name(shared_data_dir)["Birmingham"]
    p = decile_profile(place_name="Birmingham", edition=IOD2025, areas=_areas(rows))
    assert p.with_decile == 659
    assert p.lsoa_share_decile_1 == Decimal("42.8")
    assert p.population_total == 1_144_903  # Census 2021, sum of the six age bands
