"""Benchmark: the grants pages for a funder with 10,000+ grants.

Builds a database with the geography the grants pages need (ONS area codes, the LSOA
lookup, IoD 2019 and 2025, Census 2021 population, the NSPL sample and Birmingham's
derived postcodes, as the tests load them), then imports through the real importer:

- the Lloyds Bank Foundation's 4,116 real grants replicated with new identifiers
  (360G-BENCHPAGES-<n>) into one file of --grants grants (default 12,348: three copies),
  so one funder has 10,000+ grants, each placed as the real grant is;
- Power to Change's and the A B Charitable Trust's real files (the other two funders of
  the network view).

Then times, through the Django test client (whole page: queries, figures, template), the
median and 95th percentile of --runs runs (default 9) after one warm-up run:

- the funder page of the 10,000+-grant funder;
- the funders' network view of the three funders;
- the cold spots page (local authorities, then wards);
- an area's grants section (the local authority with most grants placed in it).

Target: funder page ≤ 300 ms (median). Use a database you do not care about:
SQLite in a temporary folder (default) or --database-url (its tables are emptied).
With --lock FILE the timings (not the build) run holding an exclusive lock on FILE, so
benchmarks sharing a machine do not time each other's work.

    .venv/bin/python benchmarks/grants_pages.py [--grants 12348] [--runs 9]
        [--database-url postgres://postgres@127.0.0.1:5432/vcsehub_bench_funders]
        [--lock /tmp/vcsehub-bench.lock]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LLOYDS_FILE = "360giving-grants/grantnav-test-data/a002400000OiDBQAA3.json"
OTHER_FILES = {
    "power-to-change": "360giving-grants/grantnav-test-data/a002400000nO46WAAS.json",
    "ab-trust": "360giving-grants/dataquality-tools-data/a001p00000zgyHZAAY.json",
}
LLOYDS = "GB-CHC-327114"
NETWORK = (LLOYDS, "GB-CHC-1159982", "GB-CHC-1000147")


def _decimal(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(repr(value))


def build_funder_file(shared: Path, out: Path, grants: int) -> Path:
    """The Lloyds grants repeated under new ids until there are `grants` of them."""
    package = json.loads((shared / LLOYDS_FILE).read_text(), parse_float=Decimal)
    real = package["grants"]
    replicated = []
    for n in range(grants):
        grant = dict(real[n % len(real)])
        grant["id"] = f"360G-BENCHPAGES-{n}"
        replicated.append(grant)
    package["grants"] = replicated
    path = out / f"funder-{grants}.json"
    path.write_text(json.dumps(package, default=_decimal))
    return path


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    """(median ms, p95 ms, bytes) of GET url, after one warm-up."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grants", type=int, default=12_348)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--database-url")
    parser.add_argument("--lock", type=Path, help="hold this lock file while timing")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="vcsehub-grants-pages-"))
    os.environ["VCSEHUB_DATA_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from tests.geography.conftest import POSTCODE_SOURCES, load_sources
    from tests.grants.grant_data import clear_world
    from vcsehub.grants.models import Grant
    from vcsehub.grants.services import grant_file_import, standard_import

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    clear_world()
    load_sources(POSTCODE_SOURCES, args.shared)
    standard_import(data_dir=args.shared)
    path = build_funder_file(args.shared, home, args.grants)
    for name, location in (("lloyds-x", path),) + tuple(
        (n, args.shared / p) for n, p in OTHER_FILES.items()
    ):
        run = grant_file_import(location=location, dataset=name, licence="CC BY 4.0")
        assert run.status == "succeeded", run.error
    funder_grants = Grant.objects.filter(funder_org_id=LLOYDS).count()
    assert funder_grants >= 10_000, funder_grants
    busiest = (
        Grant.objects.exclude(place_lad="")
        .values_list("place_lad", flat=True)
        .order_by()
        .distinct()
    )
    counts = {lad: Grant.objects.filter(place_lad=lad).count() for lad in busiest}
    area = max(counts, key=counts.get)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics on both engines, as after a real import
    print(
        f"database: {connection.vendor}; built in {time.perf_counter() - started:.0f}s: "
        f"{Grant.objects.count():,} grants, {funder_grants:,} from {LLOYDS}; "
        f"area {area} has {counts[area]:,} grants placed in it"
    )

    with _locked(args.lock):
        _time_pages(args, funder_grants, area, counts[area])
    clear_world()


@contextlib.contextmanager
def _locked(path: Path | None):
    if path is None:
        yield
        return
    with path.open("a") as handle:
        waited = time.perf_counter()
        fcntl.flock(handle, fcntl.LOCK_EX)
        print(f"(waited {time.perf_counter() - waited:.0f}s for {path}; load {os.getloadavg()})")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _time_pages(args, funder_grants: int, area: str, area_grants: int) -> None:
    from django.template.loader import render_to_string
    from django.test import Client

    from vcsehub.geography.models import Area

    client = Client()
    network = "&".join(f"funder={o}" for o in NETWORK)
    pages = [
        (f"funder page ({funder_grants:,} grants)", f"/grants/funders/{LLOYDS}/", 300),
        ("funders' network view (3 funders)", f"/grants/network/?{network}", None),
        ("cold spots, local authorities", "/grants/cold-spots/", None),
        ("cold spots, wards", "/grants/cold-spots/?level=ward", None),
    ]
    print(f"{'page':45} {'median ms':>10} {'p95 ms':>8} {'KB':>6}  target")
    for label, url, target in pages:
        median, p95, size = timed(client, url, args.runs)
        verdict = (
            "" if target is None else f"≤ {target} ms: {'met' if median <= target else 'MISSED'}"
        )
        print(f"{label:45} {median:10.0f} {p95:8.0f} {size / 1024:6.0f}  {verdict}")

    area_row = Area.objects.filter(code=area).order_by("-year").first()
    times = []
    for n in range(args.runs + 1):
        started = time.perf_counter()
        html = render_to_string("grants/_area_grants.html", {"area": area_row})
        if n:
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    label = f"area grants section ({area}, {area_grants:,} grants)"
    print(f"{label:45} {statistics.median(times):10.0f} {p95:8.0f} {len(html) / 1024:6.0f}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
