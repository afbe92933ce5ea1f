"""Boundary GeoJSON files (WGS84 FeatureCollections), simplified for web maps.

- ONS generalised clipped boundaries split by area (drkane/geo-lookups): each file's
  layer is recognised by its code property — `LSOA11CD` (LSOA 2011), `LSOA21CD`
  (LSOA 2021), `WDnnCD` (wards, year 20nn) — with names from the matching `...NM`
  property and the district from `LADCD_ACTIVE`.
- ONS LAD May 2024 BUC with names only (`name`, no code): districts are matched to their
  codes by name against the loaded area codes (all 296 English names match exactly).

Geometry is simplified with vcsehub.geography.simplify (Douglas–Peucker per ring,
5 decimals).
"""

from __future__ import annotations

import json
import re
from abc import abstractmethod
from pathlib import Path

from vcsehub.geography.importers import bulk
from vcsehub.geography.models import Area, AreaType, Boundary
from vcsehub.geography.simplify import simplify_geometry
from vcsehub.sources.errors import DataError
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun

COLUMNS = ("area_type", "area_code", "year", "name", "lad_code", "geometry", "source_id")
EXPECTED = "a GeoJSON FeatureCollection of LSOA or ward boundaries (LSOA11CD, LSOA21CD or WDnnCD)"


def read_features(fetched: FetchedFile) -> list[dict]:
    try:
        with Path(fetched.path).open(encoding="utf-8-sig") as stream:
            data = json.load(stream)
    except json.JSONDecodeError as error:
        raise DataError(
            f"The file is not complete GeoJSON ({error.msg} at character {error.pos:,})",
            fix="Download the file again: it was probably cut off.",
            file=fetched.name,
        ) from None
    except UnicodeDecodeError:
        raise DataError(
            "The file is not UTF-8 text", fix="Use the file as published.", file=fetched.name
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataError(
            f"This file does not look like {EXPECTED}: it is not a FeatureCollection",
            fix="Check it is the boundary file, in GeoJSON.",
            file=fetched.name,
        )
    return data.get("features") or []


def _layer(properties: dict, name: str) -> tuple[str, str, str, int]:
    """(area type, code property, name property, year) for a feature's properties."""
    keys = {k.upper(): k for k in properties}
    if "LSOA11CD" in keys:
        return AreaType.LSOA11, keys["LSOA11CD"], keys.get("LSOA11NM", ""), 0
    if "LSOA21CD" in keys:
        return AreaType.LSOA21, keys["LSOA21CD"], keys.get("LSOA21NM", ""), 0
    for key in keys:
        match = re.fullmatch(r"WD(\d\d)CD", key)
        if match:
            return AreaType.WARD, keys[key], keys.get(f"WD{match[1]}NM", ""), 2000 + int(match[1])
    raise DataError(
        f"This file does not look like {EXPECTED}: its features have no LSOA11CD, LSOA21CD or WDnnCD",
        fix="Check it is an LSOA or ward boundary file.",
        file=name,
    )


class BoundaryImporter(Importer):
    def current_row_count(self) -> int:
        return Boundary.objects.filter(source_id=self.source_id).count()

    @abstractmethod
    def rows(self, fetched: FetchedFile, run: ImportRun):
        """Yield the boundary rows of one file."""

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        Boundary.objects.filter(source_id=self.source_id).delete()
        loaded = 0
        seen: set = set()
        for fetched in files:
            rows = []
            for row in self.rows(fetched, run):
                key = row[:3]
                if key in seen:
                    run.rows_rejected += 1
                    continue
                seen.add(key)
                rows.append(row)
            Boundary.objects.filter(
                area_type__in={r[0] for r in rows}, area_code__in=[r[1] for r in rows]
            ).exclude(source_id=self.source_id).delete()
            loaded += bulk.insert(Boundary, COLUMNS, rows, what="boundary")
            self.log(f"{fetched.name}: {len(rows):,} boundaries")
        return loaded

    def _geometry(self, feature: dict, name: str) -> dict:
        try:
            return simplify_geometry(feature["geometry"])
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise DataError(
                f"A boundary has no usable Polygon or MultiPolygon geometry ({error})",
                fix="Check the file is a polygon boundary file.",
                file=name,
            ) from None


class WmcaBoundariesImporter(BoundaryImporter):
    source_id = "boundaries-wmca"

    def rows(self, fetched, run):
        features = read_features(fetched)
        if not features:
            return
        area_type, code_key, name_key, year = _layer(
            features[0].get("properties") or {}, fetched.name
        )
        for feature in features:
            run.rows_read += 1
            properties = feature.get("properties") or {}
            code = str(properties.get(code_key) or "").strip()
            if not code:
                run.rows_rejected += 1
                continue
            lad = str(
                properties.get("LADCD_ACTIVE") or properties.get(f"LAD{str(year)[2:]}CD") or ""
            )
            yield (
                area_type,
                code,
                year,
                str(properties.get(name_key) or "") if name_key else "",
                lad,
                json.dumps(self._geometry(feature, fetched.name), separators=(",", ":")),
                self.source_id,
            )


class LadBoundariesImporter(BoundaryImporter):
    """England LAD May 2024 BUC with names only: matched to current LAD codes by name."""

    source_id = "boundaries-england-lad"
    year = 2024

    def rows(self, fetched, run):
        features = read_features(fetched)
        codes: dict[str, str] = {}
        for code, name, active in Area.objects.filter(type=AreaType.LAD).values_list(
            "code", "name", "lad_code"
        ):
            if active == code or name not in codes:
                codes[name] = code
        if not codes:
            raise DataError(
                "District names cannot be matched to codes: the area codes are not loaded",
                fix="Import the source ons-area-codes first.",
                file=fetched.name,
            )
        unmatched = []
        for feature in features:
            run.rows_read += 1
            properties = feature.get("properties") or {}
            code = str(properties.get("LAD24CD") or properties.get("code") or "")
            name = str(properties.get("LAD24NM") or properties.get("name") or "").strip()
            code = code or codes.get(name, "")
            if not code:
                unmatched.append(name)
                run.rows_rejected += 1
                continue
            yield (
                AreaType.LAD,
                code,
                self.year,
                name,
                code,
                json.dumps(self._geometry(feature, fetched.name), separators=(",", ":")),
                self.source_id,
            )
        if unmatched:
            self.log(
                f"{len(unmatched)} district names matched no code: {', '.join(unmatched[:10])}"
            )
