"""Area codes and names from ONS code lists, as compiled in drkane/geo-lookups.

Each file is recognised by its columns:

- `la_all_codes.csv` (LADCD, LADNM, LADCD_ACTIVE, CAUTHCD, RGNCD, CTRYCD, ...): every UK
  local authority district since 2011. A district's `lad_code` is the current district
  it is now part of (LADCD_ACTIVE; itself when still current).
- `cauth_all_codes.csv` (CAUTHCD, CAUTHNM, RGNCD, CTRYCD), `rgn_all_codes.csv` (RGNCD,
  RGNNM, CTRYCD), `ctry_all_codes.csv` (CTRYCD, CTRYNM).
- `ward_all_codes.csv` (WDCD, WDNM, SOURCEFILE, LADCD_ACTIVE, ...): every UK ward since
  2015; `year` is the SOURCEFILE year (the ward set it first appears in) and `lad_code`
  the current district.
"""

from __future__ import annotations

from vcsehub.geography.importers import bulk
from vcsehub.geography.importers._csv import CsvTable, open_tables, wrong_layout
from vcsehub.geography.importers.records import AREA_COLUMNS
from vcsehub.geography.models import Area, AreaType
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun

EXPECTED = (
    "an ONS area code list (la_all_codes, cauth_all_codes, rgn_all_codes, ctry_all_codes "
    "or ward_all_codes)"
)
# (type, code column, name column, required extra columns)
LAYOUTS = (
    (AreaType.WARD, "wdcd", "wdnm", ("sourcefile",)),
    (AreaType.LAD, "ladcd", "ladnm", ("ladcd_active",)),
    (AreaType.CAUTH, "cauthcd", "cauthnm", ()),
    (AreaType.REGION, "rgncd", "rgnnm", ()),
    (AreaType.COUNTRY, "ctrycd", "ctrynm", ()),
)


def _layout(table: CsvTable):
    for area_type, code, name, extra in LAYOUTS:
        names = (code, name, *extra)
        if all(table.column(c) is not None for c in names):
            return area_type, code, name
    missing = ["an area code and name (e.g. LADCD and LADNM)"]
    raise wrong_layout(table.name, missing, EXPECTED)


def _rows(table: CsvTable, area_type: str, code_col: str, name_col: str, source_id: str, seen, run):
    i_code, i_name = table.column(code_col), table.column(name_col)
    col = table.column
    i_active = col("ladcd_active") if area_type in (AreaType.LAD, AreaType.WARD) else None
    i_cauth = col("cauthcd") if area_type != AreaType.CAUTH else None
    i_rgn = col("rgncd") if area_type != AreaType.REGION else None
    i_ctry = col("ctrycd") if area_type != AreaType.COUNTRY else None
    i_year = col("sourcefile")
    for row in table.rows:
        run.rows_read += 1
        code = row[i_code].strip()
        year = 0
        if area_type == AreaType.WARD and i_year is not None and row[i_year].strip().isdigit():
            year = int(row[i_year])
        if not code or (area_type, code, year) in seen:
            run.rows_rejected += 1
            continue
        seen.add((area_type, code, year))

        def at(index, row=row):
            return row[index].strip() if index is not None else ""

        lad = at(i_active) or (code if area_type == AreaType.LAD else "")
        yield (
            area_type,
            code,
            year,
            row[i_name].strip(),
            lad,
            at(i_cauth),
            at(i_rgn),
            at(i_ctry) or (code if area_type == AreaType.COUNTRY else ""),
            source_id,
        )


class AreaCodesImporter(Importer):
    source_id = "ons-area-codes"

    def current_row_count(self) -> int:
        return Area.objects.filter(source_id=self.source_id).count()

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        Area.objects.filter(source_id=self.source_id).delete()
        seen: set = set()
        loaded = 0
        for fetched in files:
            with open_tables(fetched) as tables:
                for table in tables:
                    area_type, code, name = _layout(table)
                    rows = _rows(table, area_type, code, name, self.source_id, seen, run)
                    count = bulk.insert(Area, AREA_COLUMNS, rows, what="area code")
                    loaded += count
                    self.log(f"{table.name}: {count:,} {AreaType(area_type).label.lower()} codes")
        return loaded
