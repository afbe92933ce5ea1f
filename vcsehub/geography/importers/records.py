"""Writing deprivation, population and area records gathered from one or more files."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal

from vcsehub.geography.importers import bulk
from vcsehub.geography.models import Area, Deprivation, Population
from vcsehub.sources.progress import Progress

DEPRIVATION_COLUMNS = ("index", "area_code", "rank", "decile", "score", "domains", "source_id")
POPULATION_COLUMNS = ("edition", "area_code", "total", "by_age", "source_id")
AREA_COLUMNS = (
    "type",
    "code",
    "year",
    "name",
    "lad_code",
    "cauth_code",
    "region_code",
    "country_code",
    "source_id",
)


def write_deprivation(
    *, index: str, records: dict[str, dict], source_id: str, progress: Progress | None = None
) -> int:
    """records: area code → {"rank", "decile", "score", "domains"}. Rows lacking rank or decile
    are not written (the caller counts them as rejected)."""
    Deprivation.objects.filter(source_id=source_id).delete()
    Deprivation.objects.filter(index=index).delete()
    rows = (
        (
            index,
            code,
            r["rank"],
            r["decile"],
            None if r.get("score") is None else Decimal(str(round(r["score"], 3))),
            json.dumps(r.get("domains") or {}, sort_keys=True),
            source_id,
        )
        for code, r in records.items()
        if r.get("rank") is not None and r.get("decile") is not None
    )
    written = bulk.insert(Deprivation, DEPRIVATION_COLUMNS, rows, progress=progress, what="area")
    bulk.analyze(Deprivation)
    return written


def write_population(
    *, edition: str, records: dict[str, dict], source_id: str, progress: Progress | None = None
) -> int:
    """records: area code → {"total", "by_age"}. Replaces every row of this edition."""
    Population.objects.filter(edition=edition).delete()
    rows = (
        (edition, code, r["total"], json.dumps(r.get("by_age") or {}), source_id)
        for code, r in records.items()
        if r.get("total") is not None
    )
    written = bulk.insert(Population, POPULATION_COLUMNS, rows, progress=progress, what="area")
    bulk.analyze(Population)
    return written


def write_areas(*, rows: Iterable[tuple], source_id: str, progress: Progress | None = None) -> int:
    """rows: tuples in AREA_COLUMNS order (source_id last). Replaces this source's areas."""
    Area.objects.filter(source_id=source_id).delete()
    written = bulk.insert(Area, AREA_COLUMNS, rows, progress=progress, what="area code")
    bulk.analyze(Area)
    return written


def domain_key(name: str) -> str:
    """'Barriers to Housing and Services' → 'housing_and_services' (the keys used everywhere)."""
    text = " ".join(name.replace("_", " ").strip().lower().split())
    for prefix, key in DOMAIN_PREFIXES:
        if text.startswith(prefix):
            return key
    return "_".join("".join(ch if ch.isalnum() else " " for ch in text).split())


# Longest first: "income deprivation affecting children" must win over "income".
DOMAIN_PREFIXES = (
    ("index of multiple deprivation", "imd"),
    ("income deprivation affecting children", "idaci"),
    ("income deprivation affecting older", "idaopi"),
    ("education, skills and training", "education"),
    ("education", "education"),
    ("health deprivation and disability", "health"),
    ("health", "health"),
    ("barriers to housing and services", "housing_and_services"),
    ("housing and services", "housing_and_services"),
    ("living environment", "environment"),
    ("environment", "environment"),
    ("income", "income"),
    ("employment", "employment"),
    ("crime", "crime"),
    ("housing", "housing"),
    ("access", "access"),
)
