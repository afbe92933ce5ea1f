"""What the three register importers share: rejected-row bookkeeping and the final steps."""

from __future__ import annotations

import time
from typing import ClassVar

from vcsehub.charities.area_counts import area_counts_refresh
from vcsehub.charities.models import Charity
from vcsehub.charities.services import (
    charity_search_index_refresh,
    company_links,
    org_id_links_replace,
    organisation_place_all,
)
from vcsehub.sources.errors import DataError
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun

LOGGED_REJECTIONS = 20


class RegisterImporter(Importer):
    """An Importer for one charity register. Subclasses set `register` and implement load()."""

    register: ClassVar[str]
    # A file where more than this share of rows (and more than `rejected_allowed` rows)
    # cannot be read is structurally wrong: the whole import fails.
    rejected_share_limit: ClassVar[float] = 0.01
    rejected_allowed: ClassVar[int] = 10

    def current_row_count(self) -> int:
        return Charity.objects.filter(register=self.register).count()

    def reject(self, run: ImportRun, *, file: str, row: int, reason: str, counts: dict) -> None:
        """Leave one row out, and say why in the run's log (the first few of each file)."""
        run.rows_rejected += 1
        counts[file] = counts.get(file, 0) + 1
        if counts[file] <= LOGGED_REJECTIONS:
            self.log(f"{file} row {row} left out: {reason}")
        elif counts[file] == LOGGED_REJECTIONS + 1:
            self.log(f"{file}: more rows left out; only the first {LOGGED_REJECTIONS} are listed")

    def check_rejections(self, *, file: str, read: int, rejected: int, example: str = "") -> None:
        """Fail the import when too many rows of a file could not be read."""
        if rejected > max(self.rejected_allowed, read * self.rejected_share_limit):
            raise DataError(
                f"{rejected:,} of {read:,} rows could not be read, so the file's layout looks "
                f"wrong{': ' + example if example else ''}",
                fix=(
                    "Check the file is the register's own download and has not been changed. "
                    "A column may have been added, removed or moved."
                ),
                file=file,
            )

    def finish(self, run: ImportRun) -> None:
        """Search index, company links, placement and every area's profile counts, inside the
        import's transaction (so a failed import leaves the previous ones)."""
        charity_search_index_refresh(register=self.register)
        links = org_id_links_replace(
            source_id=self.source_id, run_id=run.pk, links=company_links(register=self.register)
        )
        self.log(f"{links:,} links to Companies House numbers")
        placed = organisation_place_all(register=self.register)
        self.log(f"{placed:,} charities placed from their postcode")
        started = time.perf_counter()
        areas = area_counts_refresh()
        self.log(
            f"charity counts of {areas:,} areas worked out in {time.perf_counter() - started:.1f}s"
        )
