"""The registry of open-data sources: what each is, who publishes it, its licence and where to get it.

Pages (the Data sources page), docs and the importers all read these declarations.
Each app registers its own sources in its `sources.py` module, which is imported when
Django starts (see SourcesConfig.ready).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

OGL = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0."
)
ONS_POSTCODE_ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right {year}",
    "Contains Royal Mail data © Royal Mail copyright and database right {year}",
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0",
)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    licence: str
    licence_url: str
    attribution: tuple[str, ...]
    urls: tuple[str, ...]
    format: str
    importer: str
    description: str = ""
    # Paths inside a local data folder (VCSEHUB_DATA_DIR, laid out like shared/data)
    # that replace `urls` when a data folder is configured. Glob patterns allowed.
    local_paths: tuple[str, ...] = ()
    # Import automatically in `vcsehub up` when not yet loaded.
    auto_import: bool = True
    # Order in which `vcsehub up` imports: lower first (lookups before what uses them).
    order: int = 100
    derived: bool = False
    tags: tuple[str, ...] = field(default_factory=tuple)

    def importer_class(self):
        return import_string(self.importer)

    def default_locations(self, data_dir: str | Path | None = None) -> list[str]:
        """Where to read this source from: the local data folder if one is set, else the URLs."""
        data_dir = data_dir if data_dir is not None else settings.DATA_DIR
        if data_dir and self.local_paths:
            root = Path(data_dir)
            found: list[str] = []
            for pattern in self.local_paths:
                matches = sorted(root.glob(pattern))
                if not matches:
                    raise LookupError(
                        f"Source {self.id!r}: nothing matches {pattern!r} in the data folder {root}. "
                        "Check VCSEHUB_DATA_DIR (or --data-dir) points at a folder laid out like shared/data."
                    )
                found.extend(str(path) for path in matches)
            return found
        return list(self.urls)


_REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    if source.id in _REGISTRY and _REGISTRY[source.id] != source:
        raise ValueError(f"Source id {source.id!r} is registered twice with different details")
    _REGISTRY[source.id] = source
    return source


def get_source(source_id: str) -> Source:
    try:
        return _REGISTRY[source_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise LookupError(
            f"There is no source called {source_id!r}. Known sources: {known}."
        ) from None


def all_sources() -> list[Source]:
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.id))


def attribution_lines(source: Source, *, year: int | None = None) -> list[str]:
    """The source's attribution lines, with {year} filled in (left out when not known)."""
    lines = []
    for line in source.attribution:
        if "{year}" in line:
            line = (
                line.replace("{year}", str(year))
                if year
                else " ".join(line.replace("{year}", "").split())
            )
        lines.append(line)
    return lines
