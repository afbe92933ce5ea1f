"""Benchmark: a charity's upload, from file to dashboard ready, on SQLite or PostgreSQL.

    .venv/bin/python benchmarks/impact_upload.py [--database-url URL] [--xlsx-rows N] [--csv-rows N]

1. Builds (once, in benchmarks/out/, git-ignored) a 100,000-row XLSX and a 1,000,000-row
   CSV of synthetic food bank visits: real West Midlands postcodes from the derived
   postcode files in shared/data (2% not in the directory, 1% not valid, 1% blank),
   200,000 clients visiting about five times each over two years, age, gender (F, M, X),
   referral, before and after scores, and a notes column (never stored). The CSV is
   kept under the 50 MB upload limit.
2. Loads the geography an upload needs (area codes, IoD2019, IoD2025, Census 2021
   population, the LSOA lookup and the seven WMCA derived postcode files) through the
   real importers, with data_dir set to shared/data.
3. For each file, in a child process: upload_create (hold, read, suggest columns, run the
   checks), upload_columns (what the column page reads), upload_confirm (store, then work
   out and keep the dashboard figures: "dashboard ready"); wall time of each step and the
   child's peak memory (ru_maxrss).
4. In another child: the dashboard page through the Django test client, after ready
   (first request of a fresh process, then the median of 5).

Targets (SQLite): XLSX upload → dashboard ready ≤ 20 s; CSV ≤ 60 s; dashboard page ≤ 500 ms.
Without --database-url a fresh SQLite file in a temporary folder is used. With
--database-url the impact and geography tables of that database are emptied first:
use a database made for benchmarking.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
TARGETS = {"xlsx_s": 20.0, "csv_s": 60.0, "page_ms": 500.0}
HEADER = [
    "Visit date",
    "Client ID",
    "Post code",
    "Age",
    "Gender",
    "Referred by",
    "Score at start",
    "Score at end",
    "Notes",
]
GEOGRAPHY = (
    "ons-area-codes",
    "ons-lsoa11-lsoa21-lookup",
    "iod2019",
    "iod2025",
    "census2021-population",
    "postcodes-derived-lsoa-wmca",
)
GENDERS = ["F", "F", "M", "M", "X", ""]
REFERRALS = ["GP", "CAB", "Self", "Jobcentre", "School", "Mosque", "Health visitor"]
NOTES = ["Needs a halal parcel", "Came with her neighbour", "No cooker at home"]


def shared_data() -> Path:
    sys.path.insert(0, str(ROOT))
    from config.env import env

    return Path(env("VCSEHUB_SHARED_DATA")).resolve()


def wmca_postcodes(data: Path) -> list[str]:
    postcodes = []
    for path in sorted((data / "postcodes-derived-lsoa-wmca").glob("derived_*.csv")):
        with path.open(encoding="utf-8") as stream:
            postcodes += [row["pcds"] for row in csv.DictReader(stream)]
    return postcodes


def visits(rows: int, postcodes: list[str], seed: int):
    """Rows of synthetic visits, in date order, as lists of cell values (dates as date)."""
    rng = random.Random(seed)
    clients = max(1, rows // 5)
    home = {}
    start = date(2024, 4, 1)
    for n in range(rows):
        client = rng.randrange(clients)
        if client not in home:
            roll = rng.random()
            postcode = (
                ""
                if roll < 0.01
                else "B99 9ZZ"
                if roll < 0.03
                else "B1 1"
                if roll < 0.04
                else rng.choice(postcodes)
            )
            home[client] = (postcode, rng.randint(16, 90), rng.choice(GENDERS))
        postcode, age, gender = home[client]
        when = start + timedelta(days=n * 730 // rows)
        yield [
            when,
            f"C{client}",
            postcode,
            age,
            gender,
            rng.choice(REFERRALS),
            rng.randint(1, 10) if rng.random() < 0.3 else None,
            rng.randint(1, 10) if rng.random() < 0.3 else None,
            rng.choice(NOTES) if rng.random() < 0.05 else "",
        ]


def build_csv(rows: int, postcodes: list[str]) -> Path:
    path = OUT / f"impact_visits_{rows}.csv"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(HEADER)
            for row in visits(rows, postcodes, seed=1):
                row[0] = row[0].strftime("%d/%m/%Y")
                writer.writerow(["" if v is None else v for v in row])
    return path


def build_xlsx(rows: int, postcodes: list[str]) -> Path:
    path = OUT / f"impact_visits_{rows}.xlsx"
    if not path.exists():
        from openpyxl import Workbook

        OUT.mkdir(parents=True, exist_ok=True)
        # Not write-only: like a workbook saved by Excel, the sheet then says its size
        # (<dimension>); without it every reader has to scan the whole sheet to find out.
        book = Workbook()
        sheet = book.active
        sheet.title = "Visits"
        sheet.append(["Food bank visit log"])
        sheet.append([])
        sheet.append(HEADER)
        for row in visits(rows, postcodes, seed=2):
            sheet.append([v if v != "" else None for v in row])
        book.save(path)
    return path


def child_env(database_url: str, home: Path, data: Path) -> dict:
    environ = dict(os.environ)
    environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    environ["DATABASE_URL"] = database_url
    environ["VCSEHUB_DATA_HOME"] = str(home)
    environ["VCSEHUB_SHARED_DATA"] = str(data)
    environ["PYTHONPATH"] = str(ROOT)
    environ["VCSEHUB_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    return environ


def run_child(args: list[str], environ: dict) -> tuple[dict, float]:
    """Run this script as a child; return its JSON answer and its peak RSS in MiB."""
    process = subprocess.Popen(
        [sys.executable, __file__, *args], env=environ, stdout=subprocess.PIPE, text=True
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child {args[0]} failed")
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; default SQLite")
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["xlsx", "csv"], help="run one of the two files")
    options = parser.parse_args()

    data = shared_data()
    postcodes = wmca_postcodes(data)
    started = time.perf_counter()
    files = []
    if options.only != "csv":
        files.append(("XLSX", build_xlsx(options.xlsx_rows, postcodes), TARGETS["xlsx_s"]))
    if options.only != "xlsx":
        files.append(("CSV", build_csv(options.csv_rows, postcodes), TARGETS["csv_s"]))
    print(f"files ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    home = Path(tempfile.mkdtemp(prefix="vcsehub-bench-"))
    results = []
    try:
        url = options.database_url or f"sqlite:///{home / 'bench.sqlite3'}"
        environ = child_env(url, home, data)
        engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "-v0"], env=environ, check=True, cwd=ROOT
        )
        geo, _ = run_child(["--child-geography", str(data)], environ)
        for kind, path, target in files:
            answer, peak = run_child(["--child-upload", str(path)], environ)
            page, _ = run_child(["--child-page", str(answer["dataset"])], environ)
            results.append((kind, path, target, answer, peak, page))
            print(f"{kind}: {answer}, peak {peak:,.0f} MiB, page {page}", file=sys.stderr)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    lines = [("engine", engine, ""), ("geography load", f"{geo['seconds']:.0f} s", "")]
    for kind, path, target, a, peak, page in results:
        total = a["create_s"] + a["columns_s"] + a["confirm_s"]
        lines += [
            (f"{kind}: file", f"{path.name} ({path.stat().st_size / 1e6:,.1f} MB)", ""),
            (f"{kind}: rows read / stored", f"{a['rows_read']:,} / {a['rows_stored']:,}", ""),
            (f"{kind}: upload and checks", f"{a['create_s']:.1f} s", ""),
            (f"{kind}: column page", f"{a['columns_s']:.1f} s", ""),
            (f"{kind}: confirm (store + dashboard)", f"{a['confirm_s']:.1f} s", ""),
            (f"{kind}:   of which dashboard figures", f"{a['figures_s']:.1f} s", ""),
            (f"{kind}: upload → dashboard ready", f"{total:.1f} s", f"≤ {target:.0f} s"),
            (f"{kind}:   CPU time of the upload process", f"{a['cpu_s']:.1f} s", ""),
            (f"{kind}: peak memory (child RSS)", f"{peak:,.0f} MiB", ""),
            (
                f"{kind}: dashboard page",
                f"{page['first_ms']:.0f} ms first, {page['median_ms']:.0f} ms median",
                f"≤ {TARGETS['page_ms']:.0f} ms",
            ),
        ]
    width = max(len(line[0]) for line in lines)
    for label, value, target in lines:
        print(f"{label:<{width}}  {value:<40} {target}")
    print(f"load average at the end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")


# -- children ------------------------------------------------------------------------------


def _django() -> None:
    import django

    django.setup()


def child_geography(data: str) -> None:
    _django()
    from django.db import connection

    from vcsehub.sources.registry import get_source

    with connection.cursor() as cursor:
        for table in (
            "impact_dashboardfigures",
            "impact_record",
            "impact_upload",
            "impact_columnchoice",
            "impact_dataset",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    started = time.perf_counter()
    for source_id in GEOGRAPHY:
        run = get_source(source_id).importer_class()(data_dir=Path(data)).run()
        if run.status != "succeeded":
            raise SystemExit(f"{source_id}: {run.error}")
    print(json.dumps({"seconds": time.perf_counter() - started}))


def child_upload(path: str) -> None:
    _django()
    from vcsehub.impact import services
    from vcsehub.impact.dashboard import dashboard_figures
    from vcsehub.organisations import services as org_services
    from vcsehub.organisations.models import Organisation

    slug = f"bench-{Path(path).suffix[1:]}"
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        user = org_services.user_create(email=f"{slug}@example.org", password=None)
        organisation = org_services.organisation_create(name=slug, slug=slug, owner=user)
    user = organisation.memberships.first().user
    timings = {}
    cpu = time.process_time()
    started = time.perf_counter()
    upload = services.upload_create(
        organisation=organisation,
        user=user,
        source=Path(path),
        name=Path(path).name,
        dataset_name=f"Visits {time.time()}",
    )
    timings["create_s"] = time.perf_counter() - started
    started = time.perf_counter()
    services.upload_columns(upload=upload)
    timings["columns_s"] = time.perf_counter() - started
    started = time.perf_counter()

    def timed_figures(*args, **kwargs):
        # The confirm works the figures out itself (from the record lines it has just
        # written): this only times that call.
        figures_started = time.perf_counter()
        figures = dashboard_figures(*args, **kwargs)
        timings["figures_s"] = time.perf_counter() - figures_started
        return figures

    services.dashboard_figures = timed_figures
    upload = services.upload_confirm(upload=upload, user=user)
    timings["confirm_s"] = time.perf_counter() - started
    # CPU time of this process for the whole road: what the wall time would be on an idle
    # machine, less the time spent waiting for the disk (and, on PostgreSQL, the server).
    timings["cpu_s"] = time.process_time() - cpu
    print(
        json.dumps(
            {
                **timings,
                "dataset": upload.dataset.pk,
                "rows_read": upload.rows_read,
                "rows_stored": upload.rows_stored,
            }
        )
    )


def child_page(dataset_id: str) -> None:
    _django()
    from django.test import Client
    from django.urls import reverse

    from vcsehub.impact.models import Dataset

    dataset = Dataset.objects.select_related("organisation").get(pk=int(dataset_id))
    client = Client()
    client.force_login(dataset.organisation.memberships.first().user)
    url = reverse("impact:dashboard", args=[dataset.organisation.slug, dataset.pk])
    times = []
    for _ in range(6):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"dashboard page answered {response.status_code}")
    print(json.dumps({"first_ms": times[0], "median_ms": statistics.median(times[1:])}))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-geography":
        child_geography(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-upload":
        child_upload(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-page":
        child_page(sys.argv[2])
    else:
        main()
