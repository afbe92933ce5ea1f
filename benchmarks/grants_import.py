"""Benchmark: import and validate a 1,000,000-grant 360Giving JSON and a 100,000-row XLSX.

Builds the files by replicating real grants with new identifiers, in two kinds: "errors"
(grants that break the standard as real files do: Lloyds Bank Foundation, Dulverton,
Wolfson, Nominet) and "valid" (Power to Change and two Data Quality Tool files). The
files are kept in --out and reused. Then it measures, each in its own process so peak
memory and CPU time are its own:

- ours: VCSE Hub's import of the file (read, validate, normalise, load into the
  database, place and classify), and our validation alone (read + validate);
- official: the Data Quality Tool's route, flatten-tool `unflatten` (spreadsheets) then
  jsonschema with a FormatChecker over the whole package. It is very slow, so it is timed
  on a subset (--official-grants, default 20,000) and extrapolated linearly; the output
  says so. Both routes must find the same errors on the subset (checked).

Wall time depends on what else the machine is doing, so CPU time is printed beside it.
Targets: ours ≥ 10× faster than the official route on both kinds; the 1M-grant JSON
in ≤ 3 minutes with ≤ 1 GiB peak memory.

    .venv/bin/python benchmarks/grants_import.py [--grants 1000000] [--xlsx-rows 100000]
        [--official-grants 20000] [--formats json,xlsx] [--kinds errors,valid]
        [--skip official,validate,import] [--build-only] [--out /tmp/grants-bench]
        [--database-url URL]

It uses its own database (VCSEHUB_DATA_HOME for SQLite, or --database-url): never point
it at a database you care about.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
# Real grants the files are made of: grants that break the standard in the ways real files
# do (Lloyds Bank Foundation: "From An Open Call?" and web addresses; Dulverton, Wolfson,
# Nominet: dates), and grants that meet it (Power to Change, two Data Quality Tool files).
SOURCES_JSON = {
    "errors": [
        "360giving-grants/grantnav-test-data/a002400000OiDBQAA3.json",
        "360giving-grants/grantnav-2016-sample/dulverton.json",
        "360giving-grants/grantnav-2016-sample/wolfson.json",
        "360giving-grants/grantnav-2016-sample/nominet.json",
    ],
    "valid": [
        "360giving-grants/grantnav-test-data/a002400000nO46WAAS.json",
        "360giving-grants/dataquality-tools-data/a001p00000zgyHZAAY.json",
        "360giving-grants/dataquality-tools-data/a003W000001B7PzQAK.json",
    ],
}
SOURCE_XLSX = {
    "errors": "360giving-grants/grantnav-2016-sample/360_giving_LBFEW_2010_2015.xlsx",
    "valid": "360giving-grants/dataquality-tools-data/a001p00000zgyHZAAY.xlsx",
}


def _decimal(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(repr(value))


def build_json(shared: Path, out: Path, grants: int, kind: str) -> Path:
    path = out / f"grants-{kind}-{grants}.json"
    if path.exists():
        return path
    real = []
    for relative in SOURCES_JSON[kind]:
        real.extend(json.loads((shared / relative).read_text(), parse_float=Decimal)["grants"])
    part = path.with_name(path.name + ".part")  # renamed when complete
    with part.open("w", encoding="utf-8") as stream:
        stream.write('{"grants": [\n')
        for n in range(grants):
            grant = dict(real[n % len(real)])
            grant["id"] = f"360G-BENCH-{n}"
            stream.write(("," if n else "") + json.dumps(grant, default=_decimal) + "\n")
        stream.write("]}\n")
    part.rename(path)
    return path


def build_xlsx(shared: Path, out: Path, rows: int, kind: str) -> Path:
    from openpyxl import Workbook, load_workbook

    path = out / f"grants-{kind}-{rows}.xlsx"
    if path.exists():
        return path
    source = load_workbook(shared / SOURCE_XLSX[kind], read_only=True, data_only=True)
    sheet = next(s for s in source.worksheets if s.title != "Meta")
    all_rows = list(sheet.iter_rows(values_only=True))
    header, body = (
        list(all_rows[0]),
        [list(r) for r in all_rows[1:] if any(v is not None for v in r)],
    )
    id_column = header.index("Identifier")
    book = Workbook(write_only=True)
    target = book.create_sheet("grants")
    target.append(header)
    for n in range(rows):
        row = list(body[n % len(body)])
        row[id_column] = f"360G-BENCH-{n}"
        target.append(row)
    part = path.with_name(path.name + ".part")
    book.save(part)
    part.rename(path)
    return path


def subset_json(path: Path, out: Path, grants: int) -> Path:
    import ijson

    target = out / f"subset-{grants}-of-{path.name}"
    if target.exists():
        return target
    with path.open("rb") as source, target.open("w") as stream:
        items = ijson.items(source, "grants.item", use_float=False)
        stream.write('{"grants": [')
        for n, grant in enumerate(items):
            if n >= grants:
                break
            stream.write(("," if n else "") + json.dumps(grant, default=_decimal))
        stream.write("]}")
    return target


def subset_xlsx(path: Path, out: Path, rows: int) -> Path:
    from openpyxl import Workbook, load_workbook

    out_path = out / f"subset-{rows}-of-{path.name}"
    if out_path.exists():
        return out_path
    source = load_workbook(path, read_only=True)
    book = Workbook(write_only=True)
    target = book.create_sheet("grants")
    for n, row in enumerate(source.worksheets[0].iter_rows(values_only=True)):
        if n > rows:
            break
        target.append(list(row))
    book.save(out_path)
    return out_path


# -- measurements, each run in a child process -----------------------------------------


class ErrorTally:
    """How many errors, and a digest of them as (path, keyword, message) that does not depend
    on their order, so both routes' errors can be compared without keeping a million of them
    (children run with the same PYTHONHASHSEED)."""

    def __init__(self) -> None:
        self.count = 0
        self.digest = 0

    def add(self, error: tuple) -> None:
        self.count += 1
        self.digest = (self.digest + hash(error)) & 0xFFFF_FFFF_FFFF_FFFF


def measure(kind: str, path: Path, shared: Path) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from vcsehub.grants.services import grant_file_import, standard_import

    standard_import(data_dir=shared)
    schema_folder = shared / "360giving-standard" / "schema-1.4.3"
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    # The import may check grants in a forked process: its CPU and memory count too.
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result: dict = {"kind": kind, "file": path.name}
    if kind == "ours-import":
        run = grant_file_import(location=path, dataset="benchmark", allow_shrink=True)
        result.update(status=run.status, grants=run.rows_loaded, error=run.error)
    elif kind == "ours-validate":
        from vcsehub.grants.reading import read_grant_file
        from vcsehub.grants.selectors import standard_current

        standard = standard_current()
        tally = ErrorTally()
        grants = 0
        for record in read_grant_file(path, name=path.name, schema=standard.schema).grants():
            grants += 1
            for error in standard.grant_validator.errors(record.data, ("grants", record.index)):
                tally.add((error.path_text, error.validator, error.message))
        result.update(grants=grants, errors=tally.count, error_digest=tally.digest)
    elif kind == "official":
        from tests.grants.official_route import flattentool_convert, official_errors

        if path.suffix == ".xlsx":
            package = flattentool_convert(path, schema_folder)
        else:
            package = json.loads(path.read_text(), parse_float=Decimal)
        tally = ErrorTally()
        for error in official_errors(package, schema_folder):
            if error[0].startswith("grants/"):
                tally.add(error)
        result.update(grants=len(package["grants"]), errors=tally.count, error_digest=tally.digest)
    result["seconds"] = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_cpu = (
        children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime
    )
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime - cpu_before + children_cpu
    result["children_cpu_seconds"] = children_cpu
    # Both processes' peaks added: an upper bound on what they held at once.
    result["peak_mib"] = (usage.ru_maxrss + (children.ru_maxrss if children_cpu else 0)) / 1024
    return result


def child(kind: str, path: Path, shared: Path, database_url: str | None) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0")
    if database_url:
        env["DATABASE_URL"] = database_url
    output = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--file", str(path), "--shared", str(shared)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def _load() -> str:
    return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())


def report(label: str, ours: dict, ours_validate: dict, official: dict, total_grants: int) -> None:
    scale = total_grants / official["grants"]
    official_seconds = official["seconds"] * scale
    official_cpu = official["cpu_seconds"] * scale
    extrapolated = "" if scale == 1 else " EXTRAPOLATED linearly"
    print(f"\n== {label}: {total_grants:,} grants ({_load()})")
    # A step left out (--skip) has NaN seconds, which is not equal to itself.
    ran = {
        name: step["seconds"] == step["seconds"]
        for name, step in (
            ("import", ours),
            ("validate", ours_validate),
            ("official", official),
        )
    }
    if ran["import"]:
        print(
            f"ours, import (read, validate, normalise, load, place, classify): "
            f"{ours['seconds']:.1f}s (CPU {ours['cpu_seconds']:.1f}s, of which "
            f"{ours.get('children_cpu_seconds', 0):.1f}s in the checking process), peak "
            f"{ours['peak_mib']:.0f} MiB (both processes added), {ours.get('status')} "
            f"{ours.get('grants'):,} grants {ours.get('error') or ''}"
        )
    if ran["validate"]:
        print(
            f"ours, validation only (read, validate): {ours_validate['seconds']:.1f}s "
            f"(CPU {ours_validate['cpu_seconds']:.1f}s), peak {ours_validate['peak_mib']:.0f} "
            f"MiB, {ours_validate.get('errors', 0):,} errors in "
            f"{ours_validate.get('grants', 0):,} grants"
        )
    if not ran["official"]:
        return
    print(
        f"official route (flatten-tool + jsonschema): {official['seconds']:.1f}s "
        f"(CPU {official['cpu_seconds']:.1f}s) for {official['grants']:,} grants,"
        f"{extrapolated} to {official_seconds:.0f}s (CPU {official_cpu:.0f}s) for {total_grants:,}"
    )
    if ran["validate"]:
        print(
            f"speed-up, validation: {official_seconds / ours_validate['seconds']:.1f}x wall, "
            f"{official_cpu / ours_validate['cpu_seconds']:.1f}x CPU"
        )
    if ran["import"]:
        print(
            f"import vs official validation: {official_seconds / ours['seconds']:.1f}x wall, "
            f"{official_cpu / ours['cpu_seconds']:.1f}x CPU"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grants", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--official-grants", type=int, default=20_000)
    parser.add_argument("--formats", default="json,xlsx", help="json, xlsx or both")
    parser.add_argument("--kinds", default="errors,valid", help="errors, valid or both")
    parser.add_argument(
        "--skip",
        default="",
        help="steps to leave out: official, validate, import (comma-separated)",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build the files (kept in --out) and stop"
    )
    parser.add_argument("--out", type=Path, default=Path("/tmp/grants-bench"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--database-url")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.file, args.shared)))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    formats = args.formats.split(",")
    skip = set(filter(None, args.skip.split(",")))
    runs = []
    started = time.perf_counter()
    for kind in args.kinds.split(","):
        if "json" in formats:
            big = build_json(args.shared, args.out, args.grants, kind)
            runs.append((f"JSON, {kind}", big, subset_json(big, args.out, args.official_grants)))
        if "xlsx" in formats:
            big = build_xlsx(args.shared, args.out, args.xlsx_rows, kind)
            runs.append((f"XLSX, {kind}", big, subset_xlsx(big, args.out, args.official_grants)))
    print(
        f"files ready in {time.perf_counter() - started:.0f}s (kept in {args.out}; delete them to rebuild): "
        + ", ".join(f"{big.name} {big.stat().st_size / 1e6:.0f} MB" for _, big, _ in runs)
    )
    if args.build_only:
        return
    print(f"database: {'PostgreSQL' if args.database_url else 'SQLite'}; {_load()}")
    nothing = {"grants": 0, "seconds": float("nan"), "cpu_seconds": float("nan"), "peak_mib": 0}
    for label, big, small in runs:
        total = args.xlsx_rows if big.suffix == ".xlsx" else args.grants
        official = nothing | {"grants": total}
        if "official" not in skip:
            same_subset = child("ours-validate", small, args.shared, args.database_url)
            official = child("official", small, args.shared, args.database_url)
            agree = (
                same_subset["errors"] == official["errors"]
                and same_subset["error_digest"] == official["error_digest"]
            )
            print(
                f"{label}, subset of {official['grants']:,}: ours {same_subset['errors']:,} errors, "
                f"official {official['errors']:,}: {'same errors' if agree else 'DIFFERENT ERRORS'}"
            )
        ours_validate = (
            nothing
            if "validate" in skip
            else child("ours-validate", big, args.shared, args.database_url)
        )
        ours = (
            nothing
            if "import" in skip
            else child("ours-import", big, args.shared, args.database_url)
        )
        report(label, ours, ours_validate, official, total)


if __name__ == "__main__":
    main()
