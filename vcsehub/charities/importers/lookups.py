"""drkane/charity-lookups: area-of-operation codes, and dual-registered charities."""

from __future__ import annotations

from vcsehub.charities.area_counts import area_counts_refresh
from vcsehub.charities.models import AreaLookup, AreaOfOperation, OrgIdLink
from vcsehub.charities.services import org_id_links_replace, rows_bulk_insert
from vcsehub.sources.errors import DataError
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun
from vcsehub.sources.readers import read_tables


def _records(fetched: FetchedFile, required: set[str], what: str):
    for table in read_tables(fetched.path, name=fetched.name, format="csv"):
        missing = required - set(table.headers)
        if missing:
            raise DataError(
                f"This is not the {what}: the columns {', '.join(sorted(missing))} are missing",
                fix="Use the file from github.com/drkane/charity-lookups as published.",
                file=fetched.name,
                row=table.header_row,
            )
        yield from table.records()
        return


class AreaLookupImporter(Importer):
    """cc-aoo-gss-iso-new.csv: CCEW area of operation → GSS or ISO code."""

    source_id = "charity-area-lookup"

    def current_row_count(self) -> int:
        return AreaLookup.objects.count()

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        rows: dict[tuple[str, str], tuple] = {}
        for number, record in _records(
            files[0], {"geographic_area_type", "geographic_area_description", "GSS"}, "area lookup"
        ):
            run.rows_read += 1
            area_type = (record.get("geographic_area_type") or "").strip()[:40]
            description = (record.get("geographic_area_description") or "").strip()[:200]
            if not area_type or not description:
                run.rows_rejected += 1
                self.log(f"row {number} left out: no area type or name")
                continue
            rows[(area_type, description)] = (
                area_type,
                description,
                (record.get("GSS") or "").strip()[:9],
                (record.get("ISO3166-1:3") or "").strip()[:3],
                (record.get("ContinentCode") or "").strip()[:2],
                self.source_id,
            )
        AreaLookup.objects.all().delete()
        loaded = rows_bulk_insert(
            model=AreaLookup,
            fields=(
                "area_type",
                "description",
                "gss_code",
                "iso_code",
                "continent_code",
                "source_id",
            ),
            rows=rows.values(),
        )
        updated = area_codes_refresh()
        self.log(f"{updated:,} charity areas of operation given a code")
        # Charities "working in" an area follow these codes: count them again now, so
        # profiles do not fall back to counting per request until the next register import.
        areas = area_counts_refresh()
        self.log(f"charity counts of {areas:,} areas worked out")
        return loaded


def area_codes_refresh() -> int:
    """Give every area of operation the code the lookup has for it (set-based)."""
    codes = {
        (t.lower(), d.lower()): (gss, iso)
        for t, d, gss, iso in AreaLookup.objects.values_list(
            "area_type", "description", "gss_code", "iso_code"
        )
    }
    changed = 0
    pairs = AreaOfOperation.objects.values_list("area_type", "description").distinct()
    for area_type, description in list(pairs):
        gss, iso = codes.get((area_type.lower(), description.lower()), ("", ""))
        changed += AreaOfOperation.objects.filter(
            area_type=area_type, description=description
        ).update(gss_code=gss, iso_code=iso)
    return changed


class DualRegisteredImporter(Importer):
    """dual-registered-uk-charities.csv: GB-SC ↔ GB-CHC links."""

    source_id = "charity-dual-registered"
    reason = "dual-registered in England and Wales and Scotland (OSCR list)"

    def current_row_count(self) -> int:
        return OrgIdLink.objects.filter(source_id=self.source_id).count()

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        links = []
        for number, record in _records(files[0], {"org_id_a", "org_id_b"}, "dual-registered list"):
            run.rows_read += 1
            a = (record.get("org_id_a") or "").strip().upper()
            b = (record.get("org_id_b") or "").strip().upper()
            if not (a.startswith("GB-") and b.startswith("GB-")):
                run.rows_rejected += 1
                self.log(f"row {number} left out: {a!r} and {b!r} are not both org-ids")
                continue
            links.append((a, b, self.reason))
        return org_id_links_replace(source_id=self.source_id, run_id=run.pk, links=links)
