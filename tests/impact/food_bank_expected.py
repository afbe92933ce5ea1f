"""The food bank file's dashboard, counted by hand (see tests/impact/test_food_bank.py for
the rows): used by the dashboard test and by the browser test of the whole road.

- 68 contacts stored, 25 people (C001-C025); 2 rows with no client ID.
- Visits: 10 people once, 11 people 2 to 5 times, 4 people 6 times (shown as "fewer
  than 5", so "once" is hidden too); 11 of 25 = 44%.
- Each client has one postcode. C002-C006 have none usable (not valid, not valid,
  withdrawn, not in the directory, blank): 5 people. The other 20 are placed, all in
  Birmingham; their wards and IoD2025 deciles are read below straight from the shared
  derived postcode file and the IoD2025 file, not through our code.
- Outcomes: 9 people have both scores (C013's start score of 15 is out of scale).
- Files: 76 rows read, 68 stored (89%).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

# The postcodes of the 20 placed clients, C001 and C007-C025, copied from
# tests/fixtures/impact/make_food_bank.py.
PLACED_POSTCODES = [
    "B11 1AA",
    "B11 1HY",
    "B12 0AE",
    "B12 0DL",
    "B11 1LX",
    "B11 1PT",
    "B11 1RX",
    "B11 1UH",
    "B11 1YA",
    "B11 4BX",
    "B11 4EY",
    "B11 4JU",
    "B11 4NR",
    "B11 4RA",
    "B12 0HN",
    "B12 0NB",
    "B12 0PY",
    "B12 8AX",
    "B12 8DZ",
    "B12 8JA",
]
PEOPLE = 25
CONTACTS = 68
TWO_TO_FIVE = 11
PLACED = 20
NO_POSTCODE = 5
BOTH_SCORES = 9
ROWS_READ = 76
ROWS_STORED = 68


def placed_by_hand(shared_data_dir: Path) -> tuple[Counter, Counter]:
    """(people by ward code, people by IoD2025 decile) of the 20 placed clients."""
    wanted = {p.replace(" ", "") for p in PLACED_POSTCODES}
    folder = shared_data_dir / "postcodes-derived-lsoa-wmca"
    ward, lsoa = {}, {}
    with (folder / "derived_pcd_lsoa_ward_E08000025_birmingham.csv").open() as f:
        for row in csv.DictReader(f):
            key = row["pcds"].replace(" ", "")
            if key in wanted:
                ward[key], lsoa[key] = row["wd25cd_derived"], row["lsoa21cd_derived"]
    assert len(ward) == PLACED
    path = shared_data_dir / "iod2025-england/imd2025_lsoa21_england_all_domains.csv"
    with path.open() as f:
        decile = {r["lsoa21_code"]: int(r["IMD_decile"]) for r in csv.DictReader(f)}
    return Counter(ward.values()), Counter(decile[lsoa[k]] for k in wanted)
