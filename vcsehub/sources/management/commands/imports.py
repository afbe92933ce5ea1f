"""`vcsehub imports`: the recent import runs, newest first."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from vcsehub.sources.models import ImportRun
from vcsehub.sources.selectors import import_runs_recent

COLUMNS = ("run", "source", "status", "read", "loaded", "rejected", "started", "duration")


class Command(BaseCommand):
    help = "List recent import runs: source, status, rows read, loaded and rejected, when, how long, and why any failed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", metavar="ID", help="only runs of this source, e.g. ccew")
        parser.add_argument(
            "--limit", type=int, default=20, metavar="N", help="how many runs to show (default 20)"
        )

    def handle(self, *args, source=None, limit=20, **options):
        runs = import_runs_recent(source_id=source, limit=max(limit, 1))
        if not runs:
            self.stdout.write(
                "No import runs yet." if not source else f"No import runs of {source} yet."
            )
            return
        table = [COLUMNS] + [_cells(run) for run in runs]
        widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
        numeric = {3, 4, 5, 7}
        for index, row in enumerate(table):
            cells = [
                c.rjust(w) if i in numeric and index else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            self.stdout.write("  ".join(cells).rstrip())
            if (
                index
                and runs[index - 1].status == ImportRun.Status.FAILED
                and runs[index - 1].error
            ):
                self.stdout.write(f"    error: {runs[index - 1].error}")


def _cells(run: ImportRun) -> tuple[str, ...]:
    started = timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M")
    seconds = run.duration_seconds
    duration = "—" if seconds is None else f"{seconds:.1f} s"
    return (
        str(run.pk),
        run.source_id,
        run.status,
        f"{run.rows_read:,}",
        f"{run.rows_loaded:,}",
        f"{run.rows_rejected:,}",
        started,
        duration,
    )
