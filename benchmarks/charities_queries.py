"""Benchmark: charity search and Birmingham's area profile on a full register.

    .venv/bin/python benchmarks/charities_queries.py --database-url URL_OR_PATH
        [--extract /tmp/ccew-bench] [--prepare-only | --skip-build] [--shared DIR]

--database-url is a PostgreSQL URL (postgres://…) or a SQLite file path. The database
should be one made for benchmarking: when it does not hold a successful import of the
geography a profile needs and of the CCEW register, this script builds it (migrate, the
geography sources from shared data through the real importers, the charity area-of-
operation lookup, then the CCEW extract in --extract, built by
`benchmarks/charities_import.py --out DIR`). The build is not timed and need not run
under the benchmark lock: `--prepare-only` builds and stops, `--skip-build` times only.

Timed (run these under `flock /tmp/vcsehub-bench.lock`):
- 100 varied searches (the query list of benchmarks/charities_import.py, with the same
  mix of filters), through `organisation_search`; median and 95th percentile.
  Target: p95 ≤ 50 ms.
- Birmingham's (E08000025) area profile page and its CSV through the Django test client;
  the first request of the process (which counts the area's charities), then median and
  p95 of the next ones (which reuse the counts kept in memory until the data changes:
  profile.area_profile_data). Target: ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from charities_import import QUERIES  # noqa: E402 - after the path is set

GEOGRAPHY = (
    "ons-area-codes",
    "ons-lsoa11-lsoa21-lookup",
    "iod2025",
    "census2021-population",
    "postcodes-derived-lsoa-wmca",
    "charity-area-lookup",
)
AREA = "E08000025"  # Birmingham
FILTERS = [{}, {"status": "registered"}, {"income_band": "small"}, {"classification": "105"}]
TARGETS = {"search_p95_ms": 50.0, "profile_ms": 300.0}
PAGE_REPEATS = 20


def database_url(value: str) -> str:
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).resolve())


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


def _summary(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.1f} ms, p95 {_percentile(values, 0.95):.1f} ms, "
        f"max {max(values):.1f} ms"
    )


def _loaded() -> set[str]:
    from vcsehub.sources.selectors import import_runs_latest_success

    return set(import_runs_latest_success(source_ids=(*GEOGRAPHY, "ccew")))


def build(*, shared: Path, extract: Path) -> None:
    """Load what is missing: geography first (the register import places charities)."""
    from django.core.management import call_command

    from vcsehub.charities.importers.ccew import CcewImporter
    from vcsehub.sources.registry import get_source

    call_command("migrate", verbosity=0)
    loaded = _loaded()
    for source_id in GEOGRAPHY:
        if source_id in loaded:
            continue
        started = time.perf_counter()
        run = get_source(source_id).importer_class()(data_dir=shared).run()
        if run.status != "succeeded":
            raise SystemExit(f"{source_id}: {run.error}")
        print(
            f"loaded {source_id}: {run.rows_loaded:,} rows in {time.perf_counter() - started:.0f}s"
        )
    if "ccew" not in loaded:
        paths = sorted(extract.glob("publicextract.*.zip"))
        if len(paths) != 13:
            raise SystemExit(
                f"{extract} does not hold the 13 extract files: build them with "
                f"benchmarks/charities_import.py --out {extract}"
            )
        started = time.perf_counter()
        run = CcewImporter(locations=paths, allow_shrink=True).run()
        if run.status != "succeeded":
            raise SystemExit(f"ccew: {run.error}")
        print(f"loaded ccew: {run.rows_loaded:,} charities in {time.perf_counter() - started:.0f}s")


def time_searches() -> list[float]:
    from vcsehub.charities.search import organisation_search

    random.seed(2024)
    queries = (list(QUERIES) * 2)[:100]
    random.shuffle(queries)
    timings = []
    for i, query in enumerate(queries):
        started = time.perf_counter()
        organisation_search(q=query, **FILTERS[i % len(FILTERS)])
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def time_page(url: str) -> tuple[float, list[float]]:
    from django.test import Client

    client = Client()
    timings = []
    for _ in range(PAGE_REPEATS + 1):
        started = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        b"".join(response) if response.streaming else response.content  # noqa: B018
        timings.append((time.perf_counter() - started) * 1000)
    return timings[0], timings[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=str(ROOT / "benchmarks" / "out" / "charities_queries.sqlite3"),
        help="PostgreSQL URL or SQLite path (default: a SQLite file in benchmarks/out/)",
    )
    parser.add_argument("--extract", type=Path, default=Path("/tmp/ccew-bench"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    step = parser.add_mutually_exclusive_group()
    step.add_argument(
        "--prepare-only", action="store_true", help="build the database, time nothing"
    )
    step.add_argument("--skip-build", action="store_true", help="time only; the database is ready")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = database_url(args.database_url)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.urls import reverse

    from vcsehub.charities.models import Charity
    from vcsehub.charities.search_facets import facet_index

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not args.skip_build:
        build(shared=args.shared.resolve(), extract=args.extract)
    elif not {*GEOGRAPHY, "ccew"} <= _loaded():
        raise SystemExit("The database is not built yet: run without --skip-build first.")
    if args.prepare_only:
        return

    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}, "
        f"{Charity.objects.count():,} charities"
    )
    started = time.perf_counter()
    facet_index()
    print(f"facet index built (first search of a process) in {time.perf_counter() - started:.1f}s")
    first_pass = time_searches()
    print(f"search, first pass (cold caches): {_summary(first_pass)}")
    load = os.getloadavg()[0]
    searches = time_searches()
    p95 = _percentile(searches, 0.95)
    print(
        f"search: {len(searches)} queries, {_summary(searches)} "
        f"(target p95 ≤ {TARGETS['search_p95_ms']:.0f} ms: {'met' if p95 <= 50 else 'NOT met'}); "
        f"load average {load:.2f}"
    )
    for label, url in (
        ("area profile page", reverse("charities:area", args=[AREA])),
        ("area profile CSV", reverse("charities:area_csv", args=[AREA])),
    ):
        load = os.getloadavg()[0]
        first, rest = time_page(url)
        target = TARGETS["profile_ms"]
        print(
            f"{label} {AREA}: first request {first:.0f} ms "
            f"(target ≤ {target:.0f} ms: {'met' if first <= target else 'NOT met'}), "
            f"then {PAGE_REPEATS} requests {_summary(rest)} "
            f"({'met' if _percentile(rest, 0.95) <= target else 'NOT met'}); "
            f"load average {load:.2f}"
        )


if __name__ == "__main__":
    main()
