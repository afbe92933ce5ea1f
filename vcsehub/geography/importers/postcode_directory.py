"""ONS postcode directories (NSPL and ONSPD, any release) and the derived WMCA postcode file.

One layout, read by column name (case-insensitive), so the same code reads:

- the NSPL/ONSPD CSVs of 2011–2024 (`pcd`, `pcds`, `dointr`, `doterm`, `oseast1m`,
  `osnrth1m`, `osgrdind`, `laua`, `ward`/`osward`, `rgn`, `ctry`, `lsoa11`, `lsoa21`,
  `lat`, `long`, `imd`);
- the 2025-on names (`pcd7`, `east1m`, `north1m`, `gridind`, `lad25cd`, `wd25cd`,
  `rgn25cd`, `ctry25cd`, `lsoa11cd`, `lsoa21cd`, `imd20ind`);
- the official zip (the single `Data/*_UK.csv` is read; `multi_csv` only if there is no
  single file; `Documents/` never), or one or more of its CSVs;
- the 4-column ONSPD extract (`pcd`, `lad25cd`, `oseast1m`, `osnrth1m`);
- the derived WMCA file (`pcds`, `lad25cd`, `lsoa11cd_derived`, `lsoa21cd_derived`,
  `wd25cd_derived`, `lat_derived`, `long_derived`), only under its own derived source.

Terminated postcodes are kept with their `doterm`. Dummy codes such as E99999999
("not applicable") are stored blank. A grid quality of 9 means no location: easting,
northing, latitude and longitude are stored empty.
"""

from __future__ import annotations

import re
from typing import ClassVar

from django.db import connection
from django.db.models import Max

from vcsehub.geography.importers import bulk
from vcsehub.geography.importers._csv import CsvTable, DataError, open_tables, wrong_layout
from vcsehub.geography.models import Postcode
from vcsehub.geography.postcodes import postcode_normalise
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun

COLUMNS = (
    "postcode",
    "source_id",
    "introduced",
    "terminated",
    "lsoa11",
    "lsoa21",
    "ward_code",
    "ward_year",
    "lad_code",
    "region_code",
    "country_code",
    "latitude",
    "longitude",
    "easting",
    "northing",
    "imd_rank_in_file",
)

OFFICIAL_PATTERNS: dict[str, tuple[str, ...]] = {
    "postcode": ("pcds", "pcd", "pcd7", "pcd2", "pcd8", "postcode"),
    "introduced": ("dointr",),
    "terminated": ("doterm",),
    "lsoa11": ("lsoa11", "lsoa11cd"),
    "lsoa21": ("lsoa21", "lsoa21cd"),
    "ward": ("osward", "ward", r"wd\d\dcd"),
    "lad": ("oslaua", "laua", r"lad\d\dcd", "ladcd"),
    "region": ("rgn", r"rgn\d\dcd", "gor"),
    "country": ("ctry", r"ctry\d\dcd"),
    "lat": ("lat",),
    "long": ("long",),
    "easting": ("oseast1m", "east1m"),
    "northing": ("osnrth1m", "north1m"),
    "grid": ("osgrdind", "gridind"),
    # IMD rank columns that hold the IoD2019 rank (NSPL `imd`; `imd20ind` in 2025 releases).
    "imd": ("imd", "imd19ind", "imd20ind"),
}

DERIVED_PATTERNS: dict[str, tuple[str, ...]] = {
    "postcode": ("pcds",),
    "lsoa11": ("lsoa11cd_derived",),
    "lsoa21": ("lsoa21cd_derived",),
    "ward": (r"wd\d\dcd_derived",),
    "lad": (r"lad\d\dcd",),
    "lat": ("lat_derived",),
    "long": ("long_derived",),
}

COUNTRY_BY_LETTER = {"E": "E92000001", "W": "W92000004", "S": "S92000003", "N": "N92000002"}
MONTH_YEAR = re.compile(r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)_?(20\d\d)", re.I)
EXPECTED_OFFICIAL = "an ONS postcode directory CSV (NSPL or ONSPD)"
EXPECTED_DERIVED = "the derived VCSE Hub postcode to LSOA file (columns ending _derived)"


def choose_directory_members(names: list[str]) -> list[str]:
    """From an NSPL/ONSPD zip: the single national CSV, else the per-area CSVs; never Documents/."""
    data = [n for n in names if "documents/" not in n.lower() and "user guide" not in n.lower()]
    single = [
        n for n in data if "multi_csv" not in n.lower() and re.search(r"_uk(_full)?\.csv$", n, re.I)
    ]
    if single:
        return single[:1]
    multi = [n for n in data if "multi_csv" in n.lower()]
    return multi or data


class PostcodeDirectoryImporter(Importer):
    """Loads a postcode directory's rows, replacing this source's previous rows."""

    patterns: ClassVar[dict[str, tuple[str, ...]]] = OFFICIAL_PATTERNS
    expected: ClassVar[str] = EXPECTED_OFFICIAL
    derived: ClassVar[bool] = False

    def current_row_count(self) -> int:
        return Postcode.objects.filter(source_id=self.source_id).count()

    def run(self) -> ImportRun:
        run = super().run()
        if run.status == ImportRun.Status.SUCCEEDED:
            # After the import's transaction has committed, so it stays all-or-nothing.
            bulk.settle(Postcode)
        return run

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        bulk.delete_source(Postcode, self.source_id)
        self.progress.start(f"Loading {self.source.title}")
        # PostgreSQL: date undated wards before loading; an UPDATE of every row afterwards
        # costs more there than reading the file twice. SQLite updates rows in place.
        release_year = self._release_year(files) if connection.vendor == "postgresql" else None
        loaded = 0
        unknown_year = False
        for fetched in files:
            with open_tables(fetched, choose_members=choose_directory_members) as tables:
                for table in tables:
                    columns = self._columns(table)
                    ward_year = _ward_year(table, columns)
                    if ward_year == 0 and "ward" in columns:
                        if release_year is None:
                            unknown_year = True
                        else:
                            ward_year = release_year
                    counter = [0]
                    rows = _tuples(table, columns, self.source_id, ward_year, counter)
                    try:
                        written = bulk.insert(
                            Postcode, COLUMNS, rows, progress=self.progress, what="postcode"
                        )
                    except ValueError as error:
                        raise DataError(
                            f"A number column holds something that is not a number ({error})",
                            fix="The official file has numbers in the grid reference, latitude, "
                            "longitude and imd columns; check it has not been edited.",
                            file=table.name,
                        ) from None
                    loaded += written
                    run.rows_read += written + counter[0]
                    run.rows_rejected += counter[0]
                    self.log(f"{table.name}: {written:,} postcodes")
        if unknown_year:
            self._date_wards()
        bulk.analyze(Postcode)
        return loaded

    def _columns(self, table: CsvTable) -> dict[str, int]:
        if not self.derived and any(name.endswith("_derived") for name in table.lower):
            raise DataError(
                "This is the derived postcode file made by the VCSE Hub project, not an "
                "official ONS directory",
                fix="Import it as the source postcodes-derived-lsoa-wmca.",
                file=table.name,
            )
        columns: dict[str, int] = {}
        for field, patterns in self.patterns.items():
            index = table.find(*patterns)
            if index is not None:
                columns[field] = index
        missing = []
        if "postcode" not in columns:
            missing.append("the postcode (pcds or pcd)")
        if not {"lad", "lsoa11", "lsoa21"} & columns.keys():
            missing.append("any area (laua/ladNNcd, lsoa11, lsoa21)")
        if self.derived:
            missing += [f for f in DERIVED_PATTERNS if f not in columns and f != "postcode"]
        if missing:
            raise wrong_layout(table.name, missing, self.expected)
        return columns

    def _release_year(self, files: list[FetchedFile]) -> int:
        """The year `_date_wards` would give undated wards, read from the files before loading.

        0 when every table dates its wards itself (no second reading then), or when no
        `dointr` gives a year.
        """
        undated = False
        for fetched in files:
            with open_tables(fetched, choose_members=choose_directory_members) as tables:
                for table in tables:
                    columns = self._columns(table)
                    undated |= _ward_year(table, columns) == 0 and "ward" in columns
        if not undated:
            return 0
        latest = ""
        for fetched in files:
            with open_tables(fetched, choose_members=choose_directory_members) as tables:
                for table in tables:
                    columns = self._columns(table)
                    if "introduced" not in columns:
                        continue
                    i_pc, i_intr = columns["postcode"], columns["introduced"]
                    # Rows without a postcode are not loaded: leave them out, as Max() does.
                    dates = (row[i_intr] for row in table.rows if row[i_pc].strip())
                    latest = max(latest, max(dates, default=""))
        return int(latest[:4]) if latest[:4].isdigit() else 0

    def _date_wards(self) -> None:
        """No ward year in the column or file names: date wards by the release (latest dointr)."""
        latest = Postcode.objects.filter(source_id=self.source_id).aggregate(Max("introduced"))[
            "introduced__max"
        ]
        if latest and latest[:4].isdigit():
            Postcode.objects.filter(source_id=self.source_id, ward_year=0).exclude(
                ward_code=""
            ).update(ward_year=int(latest[:4]))


class NsplImporter(PostcodeDirectoryImporter):
    source_id = "nspl"


class OnspdImporter(PostcodeDirectoryImporter):
    source_id = "onspd"


class DerivedPostcodesImporter(PostcodeDirectoryImporter):
    source_id = "postcodes-derived-lsoa-wmca"
    patterns = DERIVED_PATTERNS
    expected = EXPECTED_DERIVED
    derived = True


def _ward_year(table: CsvTable, columns: dict[str, int]) -> int:
    if "ward" in columns:
        match = re.search(r"(\d\d)cd", table.lower[columns["ward"]])
        if match:
            return 2000 + int(match.group(1))
    match = MONTH_YEAR.search(table.name)
    return int(match.group(1)) if match else 0


def _tuples(table: CsvTable, columns: dict[str, int], source_id: str, ward_year: int, rejected):
    """Yield one tuple per row, in COLUMNS order. Missing columns read as "" (index -1)."""
    get = columns.get
    i_pc = columns["postcode"]
    i_intr, i_term = get("introduced", -1), get("terminated", -1)
    i_l11, i_l21, i_wd = get("lsoa11", -1), get("lsoa21", -1), get("ward", -1)
    i_lad, i_rgn, i_ctry = get("lad", -1), get("region", -1), get("country", -1)
    i_lat, i_long = get("lat", -1), get("long", -1)
    i_e, i_n, i_grid, i_imd = (
        get("easting", -1),
        get("northing", -1),
        get("grid", -1),
        get("imd", -1),
    )
    has_country = "country" in columns
    dummy = "99999999"
    normalise = postcode_normalise
    for row in table.rows:
        row.append("")  # what a missing column (index -1) reads
        pc = row[i_pc].strip().upper()
        if len(pc) < 5 or pc[-4] != " " or pc[-5] == " ":
            pc = normalise(pc)
            if not pc:
                rejected[0] += 1
                continue
        l11 = row[i_l11]
        if l11[1:] == dummy:
            l11 = ""
        l21 = row[i_l21]
        if l21[1:] == dummy:
            l21 = ""
        wd = row[i_wd]
        if wd[1:] == dummy:
            wd = ""
        lad = row[i_lad]
        if lad[1:] == dummy:
            lad = ""
        rgn = row[i_rgn]
        if rgn[1:] == dummy:
            rgn = ""
        if has_country:
            ctry = row[i_ctry]
            if ctry[1:] == dummy:
                ctry = ""
        else:
            first = lad or l21 or l11
            ctry = COUNTRY_BY_LETTER.get(first[:1], "")
        if row[i_grid] == "9":
            lat = lon = east = north = None
        else:
            text = row[i_lat]
            lat = float(text) if text else None
            text = row[i_long]
            lon = float(text) if text else None
            text = row[i_e]
            east = int(text) if text else None
            text = row[i_n]
            north = int(text) if text else None
        text = row[i_imd]
        imd = int(text) if text else None
        yield (
            pc,
            source_id,
            row[i_intr],
            row[i_term],
            l11,
            l21,
            wd,
            ward_year if wd else 0,
            lad,
            rgn,
            ctry,
            lat,
            lon,
            east,
            north,
            imd,
        )
