"""The official English Indices of Deprivation CSVs from gov.uk (IoD2019 and IoD2025).

Files 1 (IMD), 2 (domains), 6 (population denominators) and 7 (everything) share one
header convention, so one reader handles them all:

- `LSOA code (2011)` or `LSOA code (2021)` — which says the LSOA vintage;
- `<Domain> Score`, `<Domain> Rank (where 1 is most deprived)`, `<Domain> Decile (...)`
  for the IMD, its seven domains, IDACI, IDAOPI and the sub-domains (File 7);
- `Total population: mid 2015 (excluding prisoners)` and the age-band denominators.

Numbers may carry thousands separators ("29,199", as in the File 1 and File 6 CSV
exports); files may start with a byte-order mark and use CRLF line ends.
"""

from __future__ import annotations

import re

from vcsehub.geography.importers._csv import CsvTable, DataError, to_float, to_int
from vcsehub.geography.importers.records import domain_key

CODE = re.compile(r"^lsoa code \((?P<year>20\d\d)\)$", re.I)
MEASURE = re.compile(r"^(?P<domain>.+?) (?P<measure>score|rank|decile)\b", re.I)
POPULATION = re.compile(r"mid[ -]?(?P<year>20\d\d)", re.I)
AGE_BANDS = (
    (re.compile(r"^dependent children aged 0-15", re.I), "0-15"),
    (re.compile(r"^population aged 16-59", re.I), "16-59"),
    (re.compile(r"^older population aged 60", re.I), "60+"),
)
EXPECTED = "an official English Indices of Deprivation CSV (File 1, 2, 6 or 7)"


def lsoa_vintage(table: CsvTable) -> int | None:
    for name in table.header:
        match = CODE.match(name.strip())
        if match:
            return int(match["year"])
    return None


def is_official(table: CsvTable) -> bool:
    return lsoa_vintage(table) is not None


def read(
    table: CsvTable, *, vintage: int, deprivation: dict, population: dict, populations: dict
) -> tuple[int, int]:
    """Merge this file's figures into `deprivation` (code → record) and `population`.

    `populations` collects edition names found (e.g. {"mid2015"}). Returns (read, rejected).
    """
    found = lsoa_vintage(table)
    if found is None:
        raise DataError(
            f"This file does not look like {EXPECTED}: it has no 'LSOA code' column",
            fix="Check it is the official file from gov.uk.",
            file=table.name,
        )
    if found != vintage:
        raise DataError(
            f"This file describes {found} small areas, but this source uses {vintage} areas",
            fix=f"IoD2019 uses 2011 LSOAs and IoD2025 uses 2021 LSOAs: import this file as "
            f"the {'iod2019' if found == 2011 else 'iod2025'} source.",
            file=table.name,
        )
    i_code = next(i for i, name in enumerate(table.header) if CODE.match(name.strip()))
    measures: list[tuple[int, str, str]] = []
    total_column: int | None = None
    edition = ""
    bands: list[tuple[int, str]] = []
    for i, raw in enumerate(table.header):
        name = raw.strip()
        if name.lower().startswith("total population"):
            total_column = i
            match = POPULATION.search(name)
            edition = f"mid{match['year']}" if match else f"iod{vintage}-denominators"
            continue
        for pattern, band in AGE_BANDS:
            if pattern.match(name):
                bands.append((i, band))
                break
        else:
            match = MEASURE.match(name)
            if match and not name.lower().startswith("lsoa"):
                measures.append((i, domain_key(match["domain"]), match["measure"].lower()))
    if not measures and total_column is None:
        raise DataError(
            f"This file does not look like {EXPECTED}: it has no rank, decile, score or "
            "population columns",
            fix="Check it is the official file from gov.uk.",
            file=table.name,
        )
    if total_column is not None:
        populations[edition] = table.name
    read = rejected = 0
    for line, row in enumerate(table.rows, start=2):
        read += 1
        code = row[i_code].strip()
        if not code:
            rejected += 1
            continue
        try:
            if measures:
                record = deprivation.setdefault(
                    code, {"rank": None, "decile": None, "score": None, "domains": {}}
                )
                for i, key, measure in measures:
                    text = row[i]
                    value = to_float(text) if measure == "score" else to_int(text)
                    if key == "imd":
                        record[measure] = value
                    else:
                        record["domains"].setdefault(key, {})[measure] = value
            if total_column is not None:
                population[code] = {
                    "total": to_int(row[total_column]),
                    "by_age": {band: to_int(row[i]) for i, band in bands},
                    "edition": edition,
                }
        except ValueError as error:
            raise DataError(
                f"A figure is not a number ({error})",
                fix="Check the file has not been edited.",
                file=table.name,
                row=line,
            ) from None
    return read, rejected
