"""Deprivation profile of a place: how its small areas spread over the national deciles.

Input: the place's small areas (LSOAs), each with its decile in one edition of a national
index (1 = most deprived 10% of that nation's small areas) and a population count.
Output: LSOA counts by decile, the share of LSOAs in decile 1 and deciles 1–2, and the
population-weighted share of residents living in those deciles — with N, the areas that
could not be used (no decile, or no population) and the edition and population labels.

Pure code: no Django models, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from vcsehub.analytics.figures import Measure, format_count, percent, possessive

DECILES = tuple(range(1, 11))


@dataclass(frozen=True)
class Edition:
    """Which index, on which small areas, weighted by which population."""

    key: str  # e.g. "imd2019"
    label: str  # e.g. "IoD2019, 2011 areas"
    title: str  # e.g. "English Indices of Deprivation 2019"
    nation: str  # e.g. "England"
    data_date: str  # publication date, e.g. "26 September 2019"
    population_label: str  # e.g. "mid-2015 population (IoD2019 denominators)"
    area_label: str = "small areas"


@dataclass(frozen=True)
class SmallArea:
    code: str
    name: str
    decile: int | None
    population: int | None


@dataclass(frozen=True)
class DecileRow:
    decile: int
    label: str
    lsoas: int
    lsoa_share: Decimal | None
    population: int
    population_share: Decimal | None


@dataclass(frozen=True)
class DecileProfile:
    place_name: str
    edition: Edition
    lsoas_total: int
    counts: dict[int, int]
    population_by_decile: dict[int, int]
    with_decile: int
    missing_decile: int
    with_population: int
    missing_population: int
    population_total: int
    lsoas_decile_1: int
    lsoas_decile_1_2: int
    lsoa_share_decile_1: Decimal | None
    lsoa_share_decile_1_2: Decimal | None
    people_share_decile_1: Decimal | None
    people_share_decile_1_2: Decimal | None
    missing_codes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rows(self) -> list[DecileRow]:
        return [
            DecileRow(
                decile=d,
                label=decile_label(d),
                lsoas=self.counts[d],
                lsoa_share=percent(self.counts[d], self.with_decile),
                population=self.population_by_decile[d],
                population_share=percent(self.population_by_decile[d], self.population_total),
            )
            for d in DECILES
        ]

    @property
    def summary(self) -> str:
        return decile_summary(self)

    @property
    def population_summary(self) -> str:
        return population_summary(self)

    @property
    def missing_text(self) -> str:
        return missing_summary(self)

    @property
    def measures(self) -> list[Measure]:
        e = self.edition
        common = {"source": e.title, "edition": e.label, "data_date": e.data_date}
        no_decile = "no decile in this edition"
        no_people = "no decile or no population count"
        return [
            Measure(
                label=f"Small areas among the 10% most deprived in {e.nation}",
                value=self.lsoas_decile_1 if self.with_decile else None,
                unit="count",
                n=self.with_decile,
                missing=self.missing_decile,
                missing_reason=no_decile,
                summary=self.summary,
                **common,
            ),
            Measure(
                label=f"Share of small areas among the 20% most deprived in {e.nation}",
                value=self.lsoa_share_decile_1_2,
                unit="percent",
                n=self.with_decile,
                missing=self.missing_decile,
                missing_reason=no_decile,
                **common,
            ),
            Measure(
                label=f"Share of residents ({e.population_label}) living in the 10% most deprived areas",
                value=self.people_share_decile_1,
                unit="percent",
                n=self.with_population,
                missing=self.missing_population,
                missing_reason=no_people,
                **common,
            ),
            Measure(
                label=f"Share of residents ({e.population_label}) living in the 20% most deprived areas",
                value=self.people_share_decile_1_2,
                unit="percent",
                n=self.with_population,
                missing=self.missing_population,
                missing_reason=no_people,
                summary=self.population_summary,
                **common,
            ),
        ]


def decile_label(decile: int) -> str:
    if decile == 1:
        return "1 (most deprived 10%)"
    if decile == 10:
        return "10 (least deprived 10%)"
    return str(decile)


def decile_profile(
    *, place_name: str, edition: Edition, areas: Iterable[SmallArea]
) -> DecileProfile:
    """Count a place's small areas by decile and weight by population.

    An area with no decile is missing from every figure. An area with a decile but no
    population counts towards the LSOA figures and is missing from the weighted ones.
    A decile outside 1–10 is a bug in the caller, not missing data: it raises ValueError.
    """
    counts = dict.fromkeys(DECILES, 0)
    people = dict.fromkeys(DECILES, 0)
    total = with_decile = with_population = 0
    missing_codes: list[str] = []
    for area in areas:
        total += 1
        if area.decile is None:
            missing_codes.append(area.code)
            continue
        if area.decile not in counts:
            raise ValueError(
                f"Small area {area.code} has decile {area.decile!r}; deciles run 1 to 10."
            )
        with_decile += 1
        counts[area.decile] += 1
        if area.population is None:
            missing_codes.append(area.code)
            continue
        if area.population < 0:
            raise ValueError(
                f"Small area {area.code} has a negative population ({area.population})."
            )
        with_population += 1
        people[area.decile] += area.population
    population_total = sum(people.values())
    d1, d12 = counts[1], counts[1] + counts[2]
    p1, p12 = people[1], people[1] + people[2]
    return DecileProfile(
        place_name=place_name,
        edition=edition,
        lsoas_total=total,
        counts=counts,
        population_by_decile=people,
        with_decile=with_decile,
        missing_decile=total - with_decile,
        with_population=with_population,
        missing_population=total - with_population,
        population_total=population_total,
        lsoas_decile_1=d1,
        lsoas_decile_1_2=d12,
        lsoa_share_decile_1=percent(d1, with_decile),
        lsoa_share_decile_1_2=percent(d12, with_decile),
        people_share_decile_1=percent(p1, population_total) if with_population else None,
        people_share_decile_1_2=percent(p12, population_total) if with_population else None,
        missing_codes=tuple(missing_codes),
    )


def _place_areas(profile: DecileProfile, count: int) -> str:
    """Birmingham's 639 small areas, or the 639 small areas in X for names with commas."""
    name = profile.place_name
    what = f"{format_count(count)} {profile.edition.area_label}"
    if "," in name:
        return f"the {what} in {name}"
    return f"{possessive(name)} {what}"


def decile_summary(profile: DecileProfile) -> str:
    e = profile.edition
    if not profile.with_decile:
        return (
            f"None of the {profile.edition.area_label} in {profile.place_name} has a decile in "
            f"{e.label}, so there is no deprivation figure for this edition."
        )
    return (
        f"{format_count(profile.lsoas_decile_1)} of {_place_areas(profile, profile.with_decile)} "
        f"({profile.lsoa_share_decile_1}%) are among the 10% most deprived in {e.nation} "
        f"({e.label})."
    )


def population_summary(profile: DecileProfile) -> str:
    e = profile.edition
    if profile.people_share_decile_1_2 is None:
        return (
            f"There is no population count for the {e.area_label} in {profile.place_name} "
            f"for {e.label}, so no share of residents can be given."
        )
    return (
        f"{profile.people_share_decile_1_2}% of {possessive(profile.place_name)} residents "
        f"({e.population_label}, {format_count(profile.population_total)} people) live in "
        f"areas among the 20% most deprived in {e.nation}; {profile.people_share_decile_1}% "
        f"live in the most deprived 10% ({e.label})."
    )


def missing_summary(profile: DecileProfile) -> str:
    """The "Missing:" clause: how many small areas could not be used, and why."""
    e = profile.edition
    if profile.lsoas_total == 0:
        return f"no {e.area_label} were found for this place in {e.label}."
    if not profile.missing_population:
        return f"none (all {format_count(profile.lsoas_total)} {e.area_label} have a decile and a population count)."
    parts = []
    if profile.missing_decile:
        parts.append(
            f"{format_count(profile.missing_decile)} have no decile in {e.label} and are left out"
        )
    only_no_people = profile.missing_population - profile.missing_decile
    if only_no_people:
        parts.append(
            f"{format_count(only_no_people)} have no population count and are left out of the "
            "shares of residents"
        )
    return f"{format_count(profile.missing_population)} {e.area_label}: " + "; ".join(parts) + "."
