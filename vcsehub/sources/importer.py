"""The Importer base: fetch → read → validate → load all-or-nothing → retire older rows.

A subclass sets `source_id` and implements `load()` and `current_row_count()`.
`load()` runs inside one database transaction: it replaces the source's rows
(delete the old, insert the new, or swap) and returns how many rows it loaded.
If it raises, or loads nothing, or loads less than half of what was there before,
the transaction is rolled back, so the previous data stays exactly as it was, and
the run is marked failed with the reason.
"""

from __future__ import annotations

import hashlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from vcsehub.sources.errors import DataError, ImportRefused
from vcsehub.sources.fetch import FetchedFile, fetch
from vcsehub.sources.models import ImportRun
from vcsehub.sources.progress import Progress
from vcsehub.sources.registry import Source, get_source

logger = logging.getLogger(__name__)


class Importer(ABC):
    source_id: ClassVar[str]
    # Refuse an import that would leave fewer than this share of the rows already loaded.
    shrink_limit: ClassVar[float] = 0.5
    batch_size: ClassVar[int] = 5000

    def __init__(
        self,
        *,
        locations: Sequence[str | Path] | None = None,
        progress: Progress | None = None,
        allow_shrink: bool = False,
        data_dir: str | Path | None = None,
    ) -> None:
        self.source: Source = get_source(self.source_id)
        self.locations = (
            [str(x) for x in locations] if locations else self.source.default_locations(data_dir)
        )
        self.progress = progress or Progress()
        self.allow_shrink = allow_shrink
        self.run_record: ImportRun | None = None

    # -- for subclasses ---------------------------------------------------------------

    @abstractmethod
    def current_row_count(self) -> int:
        """How many rows of this source are loaded now (before this import)."""

    @abstractmethod
    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        """Read, validate and load the files, replacing the previous rows. Return rows loaded.

        Runs inside a transaction. Update run.rows_read / run.rows_rejected as you go;
        raise DataError for problems in the file.
        """

    def log(self, line: str) -> None:
        if self.run_record is not None:
            self.run_record.add_log(line)
        logger.info("%s: %s", self.source_id, line)

    def replace_rows(
        self,
        model: type[models.Model],
        objects: Iterable[models.Model],
        *,
        existing: models.QuerySet | None = None,
    ) -> int:
        """Delete the existing rows (all of `model`, or `existing`) and bulk-insert `objects`."""
        (existing if existing is not None else model.objects.all()).delete()
        loaded = 0
        batch: list[models.Model] = []
        for obj in objects:
            batch.append(obj)
            if len(batch) >= self.batch_size:
                model.objects.bulk_create(batch)
                loaded += len(batch)
                self.progress.advance(len(batch))
                batch.clear()
        if batch:
            model.objects.bulk_create(batch)
            loaded += len(batch)
            self.progress.advance(len(batch))
        return loaded

    # -- the run ------------------------------------------------------------------------

    def run(self) -> ImportRun:
        """Import the source. Never raises for problems in the data: read the run's status."""
        ImportRun.objects.filter(source_id=self.source_id, status=ImportRun.Status.RUNNING).update(
            status=ImportRun.Status.FAILED,
            finished_at=timezone.now(),
            error="Interrupted: this import stopped before it finished (the process ended).",
        )
        run = ImportRun.objects.create(source_id=self.source_id, locations=self.locations)
        self.run_record = run
        try:
            with ExitStack() as stack:
                fetched = []
                for location in self.locations:
                    self.log(f"reading {location}")
                    fetched.append(
                        stack.enter_context(
                            fetch(
                                location,
                                max_bytes=settings.MAX_DOWNLOAD_BYTES,
                                timeout=settings.DOWNLOAD_TIMEOUT,
                            )
                        )
                    )
                run.files = [{"name": f.name, "bytes": f.size, "sha256": f.sha256} for f in fetched]
                run.sha256 = _combined_digest(fetched)
                previous = self.current_row_count()
                self.progress.start(f"{self.source_id}: loading")
                with transaction.atomic():
                    loaded = self.load(fetched, run)
                    self._refuse_if_lossy(loaded=loaded, previous=previous)
            run.rows_loaded = loaded
            run.status = ImportRun.Status.SUCCEEDED
            self.log(f"loaded {loaded:,} rows (before: {previous:,})")
        except DataError as error:
            run.status = ImportRun.Status.FAILED
            run.error = str(error)
            run.rows_loaded = 0
            self.log(f"failed: {error}")
        except BaseException as error:
            run.status = ImportRun.Status.FAILED
            run.rows_loaded = 0
            if isinstance(error, KeyboardInterrupt):
                run.error = "Interrupted: the import was stopped before it finished. The previous data is unchanged."
            else:
                run.error = (
                    "The import stopped because of a fault in VCSE Hub, not in your file. "
                    "The previous data is unchanged. The error has been logged."
                )
                logger.exception("import %s failed with an unexpected error", self.source_id)
            self.log(f"failed: {type(error).__name__}: {error}")
            raise
        finally:
            self.progress.finish()
            run.finished_at = timezone.now()
            run.save()
        return run

    def _refuse_if_lossy(self, *, loaded: int, previous: int) -> None:
        if loaded == 0:
            raise ImportRefused(
                "The file held no rows that could be loaded, so nothing was changed",
                fix="Check it is the right file and not empty.",
            )
        if not self.allow_shrink and previous and loaded < previous * self.shrink_limit:
            raise ImportRefused(
                f"This import would cut the data from {previous:,} rows to {loaded:,}, "
                f"more than half, so nothing was changed",
                fix="If the smaller file is right, import it again with --allow-shrink.",
            )


def _combined_digest(files: list[FetchedFile]) -> str:
    if len(files) == 1:
        return files[0].sha256
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.sha256.encode())
    return digest.hexdigest()
