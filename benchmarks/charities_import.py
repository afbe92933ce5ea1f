"""Benchmark: import a full-size CCEW extract (400,000 charities) and time charity search.

Builds a synthetic extract in the official layout (13 zipped tab-separated tables, CRLF)
by replicating the 200 real sample charities with new numbers, new names and real West
Midlands postcodes, with every related table in the sample's proportion. Then times the
import into an empty database (target: 3 minutes, 1 GiB peak memory on SQLite) and 100
varied searches (target: 95th percentile 50 ms).

    .venv/bin/python benchmarks/charities_import.py [--charities 400000]
        [--out /tmp/ccew-bench] [--shared ../shared/data] [--reuse] [--database-url URL]

SQLite: a new database file in a temporary folder. PostgreSQL (--database-url, or
DATABASE_URL): that database, whose charity tables are replaced. Never point it at a
database you care about.

Memory is the peak, sampled every 0.2 s, of the proportional set size (PSS) of this
process plus its child (the importer reads in a second process): pages the two share
after fork() are counted once, not twice.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

WORDS = [
    "Community",
    "Trust",
    "Foundation",
    "Birmingham",
    "Coventry",
    "Wolverhampton",
    "Walsall",
    "Dudley",
    "Sandwell",
    "Solihull",
    "Youth",
    "Family",
    "Food",
    "Bank",
    "Church",
    "Mosque",
    "Temple",
    "Gurdwara",
    "Arts",
    "Music",
    "Sports",
    "Football",
    "Cricket",
    "Care",
    "Carers",
    "Hospice",
    "Cancer",
    "Mental",
    "Health",
    "Wellbeing",
    "Advice",
    "Centre",
    "Friends",
    "School",
    "Parent",
    "Teacher",
    "Association",
    "Housing",
    "Refugee",
    "Women's",
    "Men's",
    "Shed",
    "Heritage",
    "Canal",
    "Garden",
    "Allotment",
    "Library",
    "Scouts",
    "Guides",
    "Brownies",
    "Theatre",
    "Dance",
    "Elderly",
    "Older",
    "People",
    "Disability",
    "Autism",
    "Deaf",
    "Blind",
    "Animal",
    "Rescue",
    "Environment",
    "Climate",
    "Debt",
    "Employment",
    "Skills",
    "Training",
    "Enterprise",
    "St",
    "John's",
    "Café",
    "Ó",
    "Néill",
    "Memorial",
    "Relief",
    "Poverty",
    "Education",
    "Welfare",
    "Mission",
]


def build_extract(*, shared: Path, out: Path, charities: int) -> list[Path]:
    """Write 13 publicextract.<table>.zip files holding `charities` main charities."""
    sample = shared / "ccew-sample"
    postcodes = []
    for path in sorted((shared / "postcodes-derived-lsoa-wmca").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            postcodes.extend(row["pcds"] for row in csv.DictReader(f))
    random.seed(2024)
    copies = -(-charities // 200)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for source in sorted(sample.glob("publicextract.*.zip")):
        with zipfile.ZipFile(source) as archive:
            member = archive.namelist()[0]
            text = archive.read(member).decode("utf-8").replace("\r\n\t", "\t")
        header, *rows = [line for line in text.split("\r\n") if line]
        columns = header.split("\t")
        org_i = columns.index("organisation_number")
        reg_i = columns.index("registered_charity_number")
        name_i = columns.index("charity_name") if "charity_name" in columns else None
        postcode_i = (
            columns.index("charity_contact_postcode")
            if "charity_contact_postcode" in columns
            else None
        )
        linked_i = (
            columns.index("linked_charity_number") if "linked_charity_number" in columns else None
        )
        parsed = [row.split("\t") for row in rows]
        target = out / source.name
        main_seen = 0
        with (
            zipfile.ZipFile(
                target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
            ) as archive,
            archive.open(member, "w") as raw,
        ):
            raw.write((header + "\r\n").encode("utf-8"))
            buffer = []
            for copy in range(copies):
                for fields in parsed:
                    if source.name == "publicextract.charity.zip" and fields[linked_i] == "0":
                        if main_seen >= charities:
                            continue
                        main_seen += 1
                    new = list(fields)
                    new[org_i] = str(int(fields[org_i]) + copy * 6_000_000)
                    new[reg_i] = str(int(fields[reg_i]) + copy * 2_000_000)
                    if name_i is not None and source.name == "publicextract.charity.zip":
                        new[name_i] = " ".join(random.sample(WORDS, 3)) + f" {copy}"
                    if postcode_i is not None and fields[postcode_i]:
                        new[postcode_i] = random.choice(postcodes)
                    buffer.append("\t".join(new))
                    if len(buffer) >= 20000:
                        raw.write(("\r\n".join(buffer) + "\r\n").encode("utf-8"))
                        buffer = []
            if buffer:
                raw.write(("\r\n".join(buffer) + "\r\n").encode("utf-8"))
        paths.append(target)
    return paths


QUERIES = (
    [f"{a} {b}" for a, b in zip(WORDS[::2], WORDS[1::2], strict=False)]
    + [w[:4] for w in WORDS[:20]]
    + [
        "st john's",
        "women's",
        "café",
        '"cancer',
        "NEAR(trust)",
        "-youth",
        "GB-CHC-200001",
        "1111111",
    ]
)


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(child) for child in f.read().split()]
    except OSError:
        pass
    return found


class PeakMemory(threading.Thread):
    """Peak PSS of this process and its children, sampled until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.running = True

    def run(self) -> None:
        me = os.getpid()
        while self.running:
            total = _pss_kib(me) + sum(_pss_kib(child) for child in _children(me))
            self.peak_kib = max(self.peak_kib, total)
            time.sleep(0.2)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--charities", type=int, default=400_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/ccew-bench"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--reuse", action="store_true", help="reuse files already built in --out")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["VCSEHUB_DATA_HOME"] = tempfile.mkdtemp(prefix="charities-bench-")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from vcsehub.charities.importers.ccew import CcewImporter
    from vcsehub.charities.search import organisation_search
    from vcsehub.charities.search_facets import facet_index

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    if args.reuse and len(list(args.out.glob("publicextract.*.zip"))) == 13:
        paths = sorted(args.out.glob("publicextract.*.zip"))
    else:
        paths = build_extract(shared=args.shared, out=args.out, charities=args.charities)
    print(
        f"built extract in {time.perf_counter() - started:.1f}s "
        f"({sum(p.stat().st_size for p in paths) / 1e6:.0f} MB zipped)"
    )

    memory = PeakMemory()
    memory.start()
    load = os.getloadavg()[0]
    cpu = _cpu_seconds()
    started = time.perf_counter()
    importer = CcewImporter(locations=paths, allow_shrink=True)
    run = importer.run()
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    memory.running = False
    memory.join()
    print(
        f"import: {run.status} {run.error} — {run.rows_loaded:,} charities, "
        f"{run.rows_read:,} rows read in {seconds:.1f}s "
        f"(CPU {cpu:.1f}s; second process: {'yes' if importer.parallel else 'no'}); "
        f"peak memory (PSS, both processes) {memory.peak_kib / 1024:.0f} MiB; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB "
        f"(child {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB); "
        f"load average before {load:.1f}, after {os.getloadavg()[0]:.1f}"
    )

    started = time.perf_counter()
    facet_index()
    print(
        f"facet index built (first search after an import) in {time.perf_counter() - started:.1f}s"
    )
    timings = []
    queries = (list(QUERIES) * 2)[:100]
    random.shuffle(queries)
    for i, query in enumerate(queries):
        filters = [
            {},
            {"status": "registered"},
            {"income_band": "small"},
            {"classification": "105"},
        ][i % 4]
        started = time.perf_counter()
        organisation_search(q=query, **filters)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"search: {len(timings)} queries, median {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
