"""Census 2021 usual residents by LSOA (2021) and six age bands, England and Wales.

Columns: `lsoa21_code`, `lsoa21_name`, then one column per age band (`Aged 15 years and
under`, `Aged 16 to 24 years`, ..., `Aged 65 years and over`). There is no total column:
the total is the sum of the bands. Loaded as Population edition `census2021`.
"""

from __future__ import annotations

import re

from django.db.models import F

from vcsehub.geography.importers._csv import DataError, open_tables, to_int, wrong_layout
from vcsehub.geography.importers.records import write_areas, write_population
from vcsehub.geography.models import Area, AreaType, Population
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun

EDITION = "census2021"
EXPECTED = "the Census 2021 population by LSOA and age file (lsoa21_code and 'Aged ...' columns)"


def band_name(header: str) -> str | None:
    """'Aged 16 to 24 years' → '16-24'; 'Aged 15 years and under' → '0-15'; '... and over' → '65+'."""
    text = header.strip().lower()
    if not text.startswith("aged"):
        return None
    numbers = re.findall(r"\d+", text)
    if "under" in text and numbers:
        return f"0-{numbers[0]}"
    if "over" in text and numbers:
        return f"{numbers[0]}+"
    if len(numbers) == 2:
        return f"{numbers[0]}-{numbers[1]}"
    return None


class Census2021PopulationImporter(Importer):
    source_id = "census2021-population"

    def current_row_count(self) -> int:
        return Population.objects.filter(edition=EDITION).count()

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        records: dict[str, dict] = {}
        names: dict[str, str] = {}
        for fetched in files:
            with open_tables(fetched) as tables:
                for table in tables:
                    found = table.require(
                        {"lsoa21_code": ("lsoa21_code", "lsoa21cd")}, expected=EXPECTED
                    )
                    bands = [(i, band_name(h)) for i, h in enumerate(table.header) if band_name(h)]
                    if not bands:
                        raise wrong_layout(table.name, ["the age bands ('Aged ...')"], EXPECTED)
                    i_code = found["lsoa21_code"]
                    i_name = table.find("lsoa21_name", "lsoa21nm")
                    for line, row in enumerate(table.rows, start=2):
                        run.rows_read += 1
                        code = row[i_code].strip()
                        try:
                            by_age = {band: to_int(row[i]) for i, band in bands}
                        except ValueError:
                            raise DataError(
                                "An age band count is not a number",
                                fix="Check the file has not been edited.",
                                file=table.name,
                                row=line,
                            ) from None
                        if not code or any(v is None for v in by_age.values()):
                            run.rows_rejected += 1
                            continue
                        records[code] = {"total": sum(by_age.values()), "by_age": by_age}
                        if i_name is not None:
                            names[code] = row[i_name].strip()
        loaded = write_population(
            edition=EDITION, records=records, source_id=self.source_id, progress=self.progress
        )
        added = add_missing_lsoa21_areas(names=names, source_id=self.source_id)
        if added:
            self.log(f"{added:,} LSOA 2021 names not in the ONS lookup added from this file")
        return loaded


def add_missing_lsoa21_areas(*, names: dict[str, str], source_id: str) -> int:
    """LSOA 2021 areas the loaded lookup lacks, named from the census file.

    The district comes from the name ("Birmingham 138D" → Birmingham), matched to the
    current district of that name in the loaded area codes.
    """
    Area.objects.filter(source_id=source_id).delete()
    known = set(Area.objects.filter(type=AreaType.LSOA21).values_list("code", flat=True))
    districts = {
        name: (code, cauth, region, country)
        for name, code, cauth, region, country in Area.objects.filter(
            type=AreaType.LAD, lad_code=F("code")
        ).values_list("name", "code", "cauth_code", "region_code", "country_code")
    }
    rows = []
    for code, name in names.items():
        if code in known or not name:
            continue
        lad, cauth, region, country = districts.get(name.rsplit(" ", 1)[0], ("", "", "", ""))
        rows.append((AreaType.LSOA21, code, 0, name, lad, cauth, region, country, source_id))
    return write_areas(rows=rows, source_id=source_id)
