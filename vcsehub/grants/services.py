"""Writes: import a 360Giving file, the registry and its files, or the standard's schemas."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from vcsehub.grants.importers.registry import FileOutcome, LocationFor, RegistryImporter
from vcsehub.grants.importers.standard import StandardImporter
from vcsehub.grants.importers.threesixtygiving import GrantFileImporter
from vcsehub.grants.models import Publisher
from vcsehub.sources.models import ImportRun
from vcsehub.sources.progress import Progress


def standard_import(
    *, locations: list[str] | None = None, data_dir: str | Path | None = None
) -> ImportRun:
    """Load the 360Giving schemas that grants files are checked against."""
    return StandardImporter(locations=locations, data_dir=data_dir).run()


def grant_file_import(
    *,
    location: str | Path,
    dataset: str | None = None,
    licence: str = "",
    licence_url: str = "",
    title: str = "",
    publisher: Publisher | None = None,
    progress: Progress | None = None,
    allow_shrink: bool = False,
) -> ImportRun:
    """Import one grants file as one dataset. Problems in the file are in the run, not raised."""
    return GrantFileImporter(
        location=location,
        dataset=dataset,
        licence=licence,
        licence_url=licence_url,
        title=title,
        publisher=publisher,
        progress=progress,
        allow_shrink=allow_shrink,
    ).run()


def registry_import(
    *,
    locations: list[str] | None = None,
    data_dir: str | Path | None = None,
    location_for: LocationFor | None = None,
    only: Collection[str] | None = None,
    import_files: bool = True,
    progress: Progress | None = None,
) -> tuple[ImportRun, list[FileOutcome]]:
    """Import the registry, then each listed file as its own run (failures do not stop the rest)."""
    importer = RegistryImporter(
        locations=locations,
        data_dir=data_dir,
        location_for=location_for,
        only=only,
        import_files=import_files,
        progress=progress,
    )
    run = importer.run()
    return run, importer.outcomes
