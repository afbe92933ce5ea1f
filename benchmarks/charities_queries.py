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
- The import-time step that works out every area's profile counts
  (area_counts.area_counts_refresh, run by each register import inside its transaction):
  wall and CPU time. It is run here and committed, so a database built by older code
  gets its stored counts.
- Birmingham's (E08000025) area profile page, its CSV and the API profile, each in a
  fresh Python process (a new process per URL, as after a server restart: nothing cached):
  as the first request a web worker serves (the process first imports config.wsgi, as
  gunicorn does when a worker starts, which loads Django's URL configuration), and as the
  very first request of a bare process (which loads the URL configuration then, whatever
  the page: what the test client and the development server pay); with the stored
  counts, then without them (counted per request, as before they were stored: the
  fallback). Target: ≤ 300 ms. Then median and p95 of 20 more requests in this process
  (which reuse the profile kept in memory until the data changes).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import secrets
import statistics
import subprocess
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


def time_counts_refresh() -> None:
    """Time area_counts_refresh as the CCEW import runs it (on SQLite: with the secondary
    indexes of the loaded tables dropped, rolled back here), then store the counts."""
    from django.db import transaction

    from vcsehub.charities.area_counts import area_counts_refresh
    from vcsehub.charities.importers.bulk_indexes import indexes_built_after
    from vcsehub.charities.importers.ccew import LOADED_TABLES

    class Undo(Exception):
        """Leaves the transaction (and the dropped indexes) rolled back, not built again."""

    load = os.getloadavg()[0]
    with contextlib.suppress(Undo), transaction.atomic(), indexes_built_after(LOADED_TABLES):
        started, cpu = time.perf_counter(), time.process_time()
        areas = area_counts_refresh()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        raise Undo
    print(
        f"import-time step, every area's profile counts ({areas:,} areas, as in the import): "
        f"{wall:.2f}s wall, {cpu:.2f}s CPU; load average {load:.2f}"
    )
    with transaction.atomic():
        area_counts_refresh()


def first_request(url: str, *, stored: bool, as_worker: bool) -> None:
    """(In a fresh process) time the first request of `url`, after importing config.wsgi
    if `as_worker` (what gunicorn does when a worker starts: it loads the URL
    configuration), and print the timings as JSON."""
    found = {}
    if as_worker:
        started = time.perf_counter()
        import config.wsgi  # noqa: F401

        found["worker_start_ms"] = (time.perf_counter() - started) * 1000
    from django.db import transaction
    from django.test import Client

    from vcsehub.charities.area_counts import area_counts_clear

    client = Client()
    with transaction.atomic():
        if not stored:
            area_counts_clear()  # rolled back below
        for label, path in [("page", url)]:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            b"".join(response) if response.streaming else response.content  # noqa: B018
            found[f"{label}_wall_ms"] = (time.perf_counter() - started) * 1000
            found[f"{label}_cpu_ms"] = (time.process_time() - cpu) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        transaction.set_rollback(True)
    print(json.dumps(found))


def time_first_requests(database: str, urls: list[tuple[str, str]]) -> None:
    target = TARGETS["profile_ms"]
    for stored in (True, False):
        for as_worker in (True, False):
            for label, url in urls:
                load = os.getloadavg()[0]
                args = [sys.executable, __file__, "--database-url", database]
                args += ["--first-request", url]
                args += [] if stored else ["--without-stored-counts"]
                args += ["--as-worker"] if as_worker else []
                done = subprocess.run(args, check=True, capture_output=True, text=True)
                found = json.loads(done.stdout.strip().splitlines()[-1])
                verdict = "met" if found["page_wall_ms"] <= target else "NOT met"
                before = (
                    f"as a web worker's first request (worker start, config.wsgi: "
                    f"{found['worker_start_ms']:.0f} ms, not counted)"
                    if as_worker
                    else "as a bare process's very first request (Django loads its URLs then)"
                )
                print(
                    f"{label}, fresh process, "
                    f"{'stored counts' if stored else 'no stored counts (counted per request)'}, "
                    f"{before}: {found['page_wall_ms']:.0f} ms wall, "
                    f"{found['page_cpu_ms']:.0f} ms CPU (target ≤ {target:.0f} ms: {verdict}); "
                    f"load average {load:.2f}"
                )


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
    step.add_argument("--first-request", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--without-stored-counts", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--as-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = database_url(args.database_url)
    # Pages are requested from production settings (as a server runs them): they need a
    # secret key (one made for this run, passed to the child processes too) and to
    # accept the test client's host name.
    os.environ.setdefault("VCSEHUB_SECRET_KEY", secrets.token_urlsafe(50))
    hosts = [h for h in os.environ.get("VCSEHUB_ALLOWED_HOSTS", "").split(",") if h]
    os.environ["VCSEHUB_ALLOWED_HOSTS"] = ",".join([*hosts, "testserver"])

    import django

    django.setup()
    if args.first_request:
        from django.conf import settings

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        first_request(
            args.first_request, stored=not args.without_stored_counts, as_worker=args.as_worker
        )
        return
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
    urls = [
        ("area profile page", reverse("charities:area", args=[AREA])),
        ("area profile CSV", reverse("charities:area_csv", args=[AREA])),
        ("area profile API", f"/api/v1/areas/{AREA}/profile"),
    ]
    time_counts_refresh()
    time_first_requests(args.database_url, urls)
    for label, url in urls:
        load = os.getloadavg()[0]
        first, rest = time_page(url)
        target = TARGETS["profile_ms"]
        print(
            f"{label} {AREA} in this process: first request {first:.0f} ms, "
            f"then {PAGE_REPEATS} requests {_summary(rest)} "
            f"({'met' if _percentile(rest, 0.95) <= target else 'NOT met'}); "
            f"load average {load:.2f}"
        )


if __name__ == "__main__":
    main()
