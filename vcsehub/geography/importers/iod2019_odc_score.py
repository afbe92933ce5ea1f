"""IMD 2019 score and decile by LSOA (2011), reshaped from the MHCLG Open Data Communities
download: columns `LSOA11CD`, `IMD_2019_decile`, `IMD_2019_score`. File 1 has no score;
this adds it to the IMD 2019 records."""

from __future__ import annotations

from vcsehub.geography.importers._csv import CsvTable, DataError, to_float, to_int

EXPECTED = "the IMD 2019 score file (LSOA11CD, IMD_2019_decile, IMD_2019_score)"


def matches(table: CsvTable) -> bool:
    return table.column("imd_2019_score") is not None


def read(table: CsvTable, *, deprivation: dict) -> tuple[int, int]:
    found = table.require(
        {
            "LSOA11CD": ("lsoa11cd",),
            "IMD_2019_score": ("imd_2019_score",),
            "IMD_2019_decile": ("imd_2019_decile",),
        },
        expected=EXPECTED,
    )
    read = rejected = 0
    for line, row in enumerate(table.rows, start=2):
        read += 1
        code = row[found["LSOA11CD"]].strip()
        if not code:
            rejected += 1
            continue
        try:
            score = to_float(row[found["IMD_2019_score"]])
            decile = to_int(row[found["IMD_2019_decile"]])
        except ValueError:
            raise DataError(
                "The score or decile is not a number",
                fix="Check the file has not been edited.",
                file=table.name,
                row=line,
            ) from None
        record = deprivation.setdefault(
            code, {"rank": None, "decile": None, "score": None, "domains": {}}
        )
        record["score"] = score
        if record["decile"] is None:
            record["decile"] = decile
    return read, rejected
