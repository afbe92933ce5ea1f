"""vcsehub grants_import_file PATH|URL — check and import one 360Giving grants file."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from vcsehub.grants.selectors import validation_issues_for_run
from vcsehub.grants.services import grant_file_import
from vcsehub.sources.progress import TerminalProgress


class Command(BaseCommand):
    help = "Check a 360Giving file (JSON, CSV or XLSX) against the standard and import its grants."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="path or URL of the file")
        parser.add_argument(
            "--dataset", help="name to file the grants under (default: the file's name)"
        )
        parser.add_argument("--licence", default="", help="the file's licence, e.g. 'CC BY 4.0'")
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="accept a file with far fewer grants than before",
        )

    def handle(self, *args, **options) -> None:
        run = grant_file_import(
            location=options["source"],
            dataset=options["dataset"],
            licence=options["licence"],
            allow_shrink=options["allow_shrink"],
            progress=TerminalProgress(self.stderr),
        )
        for issue in validation_issues_for_run(run_id=run.pk):
            where = f" (first: sheet {issue.sheet}, row {issue.row})" if issue.sheet else ""
            self.stdout.write(
                f"{issue.severity}: {issue.message} — {issue.count:,} times in {issue.grants_affected:,} grants{where}"
            )
        if run.status != run.Status.SUCCEEDED:
            raise CommandError(run.error)
        self.stdout.write(
            f"Imported {run.rows_loaded:,} of {run.rows_read:,} grants ({run.rows_rejected:,} refused). "
            f"Licence: {run.licence or 'not known'}."
        )
