"""Import the 360Giving Data Registry (data.json), then every grants file it lists.

The registry is a list of datasets, each with a publisher, a licence and a download URL.
The registry itself is one run (publishers and datasets); each listed file is then its
own run of the 360giving-file source, with its own licence, so a file that fails (gone,
damaged, not 360Giving) is recorded and the others still import.

Where files come from is a parameter: `location_for(entry)` returns the path or URL to
read for a registry entry, or None to skip it. By default it is the entry's download URL;
with a local data folder (VCSEHUB_DATA_DIR) it is the stored copy of that dataset in
360giving-grants/ (found by the dataset's identifier), and entries with no copy are skipped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings

from vcsehub.grants.importers.threesixtygiving import GrantFileImporter
from vcsehub.grants.models import Dataset, Publisher
from vcsehub.sources.errors import DataError
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun
from vcsehub.sources.progress import Progress

logger = logging.getLogger(__name__)
LocationFor = Callable[[dict], "str | None"]
GRANTS_FOLDER = "360giving-grants"


@dataclass
class FileOutcome:
    identifier: str
    location: str | None
    run: ImportRun | None
    skipped: str = ""  # why it was not imported


def download_url(entry: dict) -> str:
    distribution = entry.get("distribution") or [{}]
    first = distribution[0] if isinstance(distribution, list) and distribution else {}
    return str(first.get("downloadURL") or "") if isinstance(first, dict) else ""


def local_copies(data_dir: str | Path) -> LocationFor:
    """Find a registry entry's file in <data_dir>/360giving-grants by its identifier.

    Prefers a copy in the same format as the download URL (.xlsx, .csv, .json), else JSON.
    """
    root = Path(data_dir) / GRANTS_FOLDER

    def location_for(entry: dict) -> str | None:
        identifier = str(entry.get("identifier", ""))
        if not identifier:
            return None
        copies = {p.suffix.lower(): p for p in sorted(root.glob(f"**/{identifier}.*"))}
        if not copies:
            return None
        wanted = PurePosixPath(urlsplit(download_url(entry)).path).suffix.lower()
        chosen = copies.get(wanted) or copies.get(".json") or next(iter(copies.values()))
        return str(chosen)

    return location_for


class RegistryImporter(Importer):
    source_id = "360giving-registry"

    def __init__(
        self,
        *,
        locations=None,
        progress: Progress | None = None,
        allow_shrink: bool = False,
        data_dir: str | Path | None = None,
        import_files: bool = True,
        location_for: LocationFor | None = None,
        only: Collection[str] | None = None,
    ) -> None:
        super().__init__(
            locations=locations, progress=progress, allow_shrink=allow_shrink, data_dir=data_dir
        )
        folder = data_dir if data_dir is not None else settings.DATA_DIR
        self.location_for = location_for or (
            local_copies(folder) if folder and not locations else _download_location
        )
        self.import_files = import_files
        self.only = set(only) if only is not None else None
        self.entries: list[dict] = []
        self.outcomes: list[FileOutcome] = []

    def current_row_count(self) -> int:
        return Dataset.objects.exclude(download_url="").count()

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        fetched = files[0]
        try:
            entries = json.loads(fetched.path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DataError(
                f"The registry is not valid JSON ({error})", file=fetched.name
            ) from None
        if not isinstance(entries, list):
            raise DataError("The registry should be a list of datasets", file=fetched.name)
        loaded = 0
        self.entries = []
        for entry in entries:
            run.rows_read += 1
            if (
                not isinstance(entry, dict)
                or not entry.get("identifier")
                or not download_url(entry)
            ):
                run.rows_rejected += 1
                continue
            publisher_info = (
                entry.get("publisher") if isinstance(entry.get("publisher"), dict) else {}
            )
            publisher = None
            if publisher_info.get("prefix"):
                publisher, _ = Publisher.objects.update_or_create(
                    prefix=str(publisher_info["prefix"])[:100],
                    defaults={
                        "name": str(publisher_info.get("name", ""))[:300],
                        "website": str(publisher_info.get("website") or "")[:500],
                        "org_id": str(publisher_info.get("org_id") or "")[:100],
                    },
                )
            distribution = (
                entry.get("distribution")[0] if isinstance(entry.get("distribution"), list) else {}
            )
            Dataset.objects.update_or_create(
                identifier=str(entry["identifier"])[:200],
                defaults={
                    "title": str(entry.get("title") or "")[:500],
                    "publisher": publisher,
                    "licence": _licence_name(entry),
                    "licence_url": str(entry.get("license") or "")[:500],
                    "download_url": download_url(entry)[:1000],
                    "access_url": str(distribution.get("accessURL") or "")[:1000],
                    "issued": str(entry.get("issued") or "")[:40],
                    "modified": str(entry.get("modified") or "")[:40],
                },
            )
            self.entries.append(entry)
            loaded += 1
        return loaded

    def run(self) -> ImportRun:
        run = super().run()
        if run.status == ImportRun.Status.SUCCEEDED and self.import_files:
            self.outcomes = [self._import_file(entry) for entry in self.entries]
            imported = sum(
                1 for o in self.outcomes if o.run and o.run.status == ImportRun.Status.SUCCEEDED
            )
            failed = sum(
                1 for o in self.outcomes if o.run and o.run.status != ImportRun.Status.SUCCEEDED
            )
            skipped = sum(1 for o in self.outcomes if o.run is None)
            run.add_log(f"files: {imported:,} imported, {failed:,} failed, {skipped:,} skipped")
            run.save(update_fields=["log"])
        return run

    def _import_file(self, entry: dict) -> FileOutcome:
        identifier = str(entry["identifier"])
        if self.only is not None and identifier not in self.only:
            return FileOutcome(identifier, None, None, skipped="not selected")
        location = self.location_for(entry)
        if not location:
            return FileOutcome(identifier, None, None, skipped="no copy of this file is available")
        dataset = Dataset.objects.get(identifier=identifier[:200])
        importer = GrantFileImporter(
            location=location,
            dataset=dataset.identifier,
            title=dataset.title,
            licence=dataset.licence,
            licence_url=dataset.licence_url,
            publisher=dataset.publisher,
            download_url=dataset.download_url,
            access_url=dataset.access_url,
            issued=dataset.issued,
            modified=dataset.modified,
            progress=self.progress,
            allow_shrink=self.allow_shrink,
        )
        try:
            run = importer.run()
        except Exception:  # a fault in our code on one file must not stop the others
            logger.exception("importing 360Giving file %s failed", identifier)
            run = importer.run_record
        return FileOutcome(identifier, location, run)


def _download_location(entry: dict) -> str | None:
    return download_url(entry) or None


def _licence_name(entry: dict) -> str:
    name = str(entry.get("license_name") or "").strip()
    if name.upper() == "CCO":  # the registry's typo for CC0
        name = "Creative Commons Zero (CC0 1.0)"
    return (name or str(entry.get("license") or ""))[:200]
