"""Read IoD2019 / IoD2025 / Census 2021 straight from the shared CSVs with the csv module.

Independent of our importers on purpose: tests compare what the importers, pages and API
show with figures computed here from the files themselves.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from pathlib import Path

FILE_1 = "iod2019-england/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"
FILE_6 = "iod2019-england/File_6_-_IoD2019_Population_Denominators.csv"
IOD2025 = "iod2025-england/imd2025_lsoa21_england_all_domains.csv"
CENSUS = "population-census2021-lsoa/census2021_usual_residents_lsoa21_by_age6.csv"


def _number(text: str) -> int:
    return int(text.replace(",", ""))


@cache
def iod2019_by_lad(data_dir: Path) -> dict[str, list[tuple[str, str, int, int]]]:
    """LAD19 code → [(LSOA11 code, name, IMD decile, mid-2015 population)]."""
    with open(data_dir / FILE_6, encoding="utf-8-sig", newline="") as f:
        people = {
            row["LSOA code (2011)"]: _number(
                row["Total population: mid 2015 (excluding prisoners)"]
            )
            for row in csv.DictReader(f)
        }
    by_lad: dict[str, list] = defaultdict(list)
    with open(data_dir / FILE_1, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            code = row["LSOA code (2011)"]
            by_lad[row["Local Authority District code (2019)"]].append(
                (
                    code,
                    row["LSOA name (2011)"],
                    int(row["Index of Multiple Deprivation (IMD) Decile"]),
                    people[code],
                )
            )
    return dict(by_lad)


@cache
def iod2025_by_lad_name(data_dir: Path) -> dict[str, list[tuple[str, str, int, int]]]:
    """LAD name → [(LSOA21 code, name, IMD 2025 decile, Census 2021 residents)].

    Keyed by the district name in the LSOA name ("Birmingham 067A" → "Birmingham"): the
    stored ONS LSOA11→LSOA21 lookup lacks about 1,000 English LSOA21 codes (22 in
    Birmingham), so it cannot give every 2021 area its district.
    """
    with open(data_dir / IOD2025, newline="") as f:
        deciles = {row["lsoa21_code"]: int(row["IMD_decile"]) for row in csv.DictReader(f)}
    by_lad: dict[str, list] = defaultdict(list)
    with open(data_dir / CENSUS, newline="") as f:
        for row in csv.DictReader(f):
            code = row["lsoa21_code"]
            if code not in deciles:
                continue
            people = sum(int(v) for k, v in row.items() if k.startswith("Aged"))
            by_lad[row["lsoa21_name"][:-5]].append(
                (code, row["lsoa21_name"], deciles[code], people)
            )
    return dict(by_lad)
