"""`vcsehub import`: import one open-data source, all or nothing."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vcsehub.sources.models import ImportRun
from vcsehub.sources.progress import Progress, TerminalProgress
from vcsehub.sources.registry import all_sources, get_source
from vcsehub.sources.selectors import import_runs_latest_success

EXAMPLES = """
examples:
  vcsehub import --list
      show every source, and whether and when it was last loaded
  vcsehub import ccew
      import the Charity Commission register from its official address
  vcsehub import ccew --data-dir ../shared/data
      read the files from a local folder laid out like shared/data instead
  vcsehub import nspl --source ~/Downloads/NSPL_NOV_2021_UK.zip
      import from a file you downloaded yourself (a path or a URL; repeat for several files)
  vcsehub import ccni --allow-shrink
      accept a file with less than half the rows loaded now

A failed import leaves the data loaded before it in place. `vcsehub imports` lists runs.
"""


class Command(BaseCommand):
    help = "Import one open-data source. The previous data stays unless the import succeeds."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        parser.epilog = EXAMPLES
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source_id",
            nargs="?",
            metavar="SOURCE",
            help="id of the source, e.g. ccew (see --list)",
        )
        parser.add_argument(
            "--list", action="store_true", help="list the sources and whether each is loaded"
        )
        parser.add_argument(
            "--source",
            action="append",
            metavar="PATH_OR_URL",
            dest="locations",
            help="read this file instead of the official one; repeat for sources of several files",
        )
        parser.add_argument(
            "--data-dir",
            metavar="DIR",
            help="read the source's files from this folder, laid out like shared/data",
        )
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="accept an import that loads less than half the rows there are now",
        )

    def handle(
        self,
        *args,
        source_id=None,
        list=False,
        locations=None,
        data_dir=None,
        allow_shrink=False,
        **options,
    ):  # noqa: A002
        if list:
            self.list_sources()
            return
        if not source_id:
            raise CommandError(
                "Say which source to import, e.g. `vcsehub import ccew`. See `vcsehub import --list`."
            )
        try:
            source = get_source(source_id)
        except LookupError as error:
            raise CommandError(str(error)) from None
        progress = TerminalProgress(sys.stderr) if self.stderr.isatty() else Progress()
        try:
            importer = source.importer_class()(
                locations=locations, progress=progress, allow_shrink=allow_shrink, data_dir=data_dir
            )
        except LookupError as error:
            raise CommandError(str(error)) from None
        try:
            run = importer.run()
        except KeyboardInterrupt:
            raise CommandError(f"{source.id}: stopped. The previous data is unchanged.") from None
        seconds = run.duration_seconds or 0.0
        if run.status == ImportRun.Status.SUCCEEDED:
            self.stdout.write(
                f"{source.id}: succeeded — {_rows(run.rows_loaded)} loaded, "
                f"{run.rows_rejected:,} rejected, {seconds:.1f} s"
            )
            return
        self.stdout.write(f"{source.id}: failed: {run.error}")
        raise CommandError(
            f"The import of {source.id} failed (run {run.pk}). The previous data is unchanged."
        )

    def list_sources(self) -> None:
        sources = all_sources()
        if not sources:
            self.stdout.write("No sources are registered.")
            return
        latest = import_runs_latest_success(source_ids=[s.id for s in sources])
        width = max(len(s.id) for s in sources)
        for source in sources:
            run = latest.get(source.id)
            if run is None:
                state = "not loaded yet"
            else:
                when = run.finished_at or run.started_at
                state = f"loaded {when:%Y-%m-%d %H:%M}, {run.rows_loaded:,} rows"
            self.stdout.write(f"{source.id.ljust(width)}  {source.title}  ({state})")


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"
