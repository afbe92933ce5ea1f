"""ONS LSOA (2011) → LSOA (2021) → LAD (2022) lookup for England and Wales.

Columns `LSOA11CD`, `LSOA11NM`, `LSOA21CD`, `LSOA21NM`, `LAD22CD` (also `LAD22NM`,
`CHGIND` when present). One LsoaLookup row per pair (many-to-many, best fit), and the
names of every LSOA as Areas: English 2011 LSOAs as `lsoa11`, Welsh as `wlsoa11`, all
2021 LSOAs as `lsoa21`. Each LSOA's `lad_code` is the current district: LAD22 mapped
through the loaded area codes (a district merged since 2022 maps to its successor), and
its region and country come from that district.
"""

from __future__ import annotations

from vcsehub.geography.importers import bulk
from vcsehub.geography.importers._csv import open_tables
from vcsehub.geography.importers.records import write_areas
from vcsehub.geography.models import Area, AreaType, LsoaLookup
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun

EXPECTED = "the ONS LSOA 2011 to LSOA 2021 lookup (LSOA11CD, LSOA21CD, LAD22CD)"
REQUIRED = {
    "LSOA11CD": ("lsoa11cd",),
    "LSOA11NM": ("lsoa11nm",),
    "LSOA21CD": ("lsoa21cd",),
    "LSOA21NM": ("lsoa21nm",),
    "LAD22CD": (r"lad2\dcd",),
}


def _district_parents() -> dict[str, tuple[str, str, str, str]]:
    """LAD code → (current LAD, combined authority, region, country), from loaded area codes."""
    return {
        code: (active or code, cauth, region, country)
        for code, active, cauth, region, country in Area.objects.filter(
            type=AreaType.LAD
        ).values_list("code", "lad_code", "cauth_code", "region_code", "country_code")
    }


class LsoaLookupImporter(Importer):
    source_id = "ons-lsoa11-lsoa21-lookup"

    def current_row_count(self) -> int:
        return LsoaLookup.objects.filter(source_id=self.source_id).count()

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        parents = _district_parents()
        pairs: list[tuple[str, str, str, str]] = []
        areas: dict[tuple[str, str], tuple] = {}
        for fetched in files:
            with open_tables(fetched) as tables:
                for table in tables:
                    found = table.require(REQUIRED, expected=EXPECTED)
                    i11, n11 = found["LSOA11CD"], found["LSOA11NM"]
                    i21, n21, ilad = found["LSOA21CD"], found["LSOA21NM"], found["LAD22CD"]
                    for row in table.rows:
                        run.rows_read += 1
                        lsoa11, lsoa21, lad = row[i11].strip(), row[i21].strip(), row[ilad].strip()
                        if not (lsoa11 and lsoa21):
                            run.rows_rejected += 1
                            continue
                        pairs.append((lsoa11, lsoa21, lad, self.source_id))
                        current, cauth, region, country = parents.get(lad, (lad, "", "", ""))
                        type11 = (
                            AreaType.WELSH_LSOA11 if lsoa11.startswith("W") else AreaType.LSOA11
                        )
                        for area_type, code, name in (
                            (type11, lsoa11, row[n11]),
                            (AreaType.LSOA21, lsoa21, row[n21]),
                        ):
                            areas.setdefault(
                                (area_type, code),
                                (
                                    area_type,
                                    code,
                                    0,
                                    name.strip(),
                                    current,
                                    cauth,
                                    region,
                                    country,
                                    self.source_id,
                                ),
                            )
        LsoaLookup.objects.filter(source_id=self.source_id).delete()
        loaded = bulk.insert(
            LsoaLookup, ("lsoa11", "lsoa21", "lad22", "source_id"), pairs, progress=self.progress
        )
        # LSOA names added from another file (the census) give way to the lookup's.
        Area.objects.filter(
            type=AreaType.LSOA21, code__in=[code for t, code in areas if t == AreaType.LSOA21]
        ).exclude(source_id=self.source_id).delete()
        count = write_areas(rows=areas.values(), source_id=self.source_id)
        self.log(f"{loaded:,} LSOA pairs, {count:,} LSOA names")
        return loaded
