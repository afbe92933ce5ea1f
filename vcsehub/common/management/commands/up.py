"""`vcsehub up`: set everything up, then serve the site.

1. apply database migrations;
2. create the first administrator from VCSEHUB_ADMIN_EMAIL / VCSEHUB_ADMIN_PASSWORD;
3. import each open-data source that has never been imported successfully;
4. collect static files when they changed;
5. serve with gunicorn (never Django's development server).

Running it again is safe and quick: each step only does what is still needed.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from vcsehub.common import setup


class Command(BaseCommand):
    help = (
        "Set up the database, create the first administrator, import open data not yet "
        "loaded, then serve the site with gunicorn. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-imports",
            action="store_true",
            help="do not import open data now (import later with `vcsehub import <source>`)",
        )
        parser.add_argument(
            "--data-dir",
            metavar="DIR",
            help="read open data from this folder (laid out like shared/data) instead of the "
            "official web addresses; default: VCSEHUB_DATA_DIR",
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="stop after setting up; do not start the web server",
        )
        parser.add_argument("--host", help="address to serve on (default: VCSEHUB_HOST, 127.0.0.1)")
        parser.add_argument(
            "--port", type=int, help="port to serve on (default: VCSEHUB_PORT, 8000)"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.say_migrations()
        self.say_admin()
        if options["skip_imports"]:
            self.stdout.write(
                "Open data: skipped (--skip-imports). Import later with `vcsehub import <source>`."
            )
        else:
            self.run_imports(
                data_dir=options["data_dir"] or settings.DATA_DIR, verbose=options["verbosity"] >= 2
            )
        self.say_static()
        self.stdout.write(f"Ready in {time.monotonic() - started:.1f} s.")
        if options["no_serve"]:
            return
        self.serve(
            host=options["host"] or settings.SERVE_HOST,
            port=options["port"] or settings.SERVE_PORT,
        )

    # -- steps ----------------------------------------------------------------------------

    def say_migrations(self) -> None:
        applied = setup.database_migrate()
        if applied:
            self.stdout.write(
                f"Database: applied {applied} migration{'s' if applied != 1 else ''}."
            )
        else:
            self.stdout.write("Database: up to date.")

    def say_admin(self) -> None:
        outcome = setup.first_admin_create(
            email=settings.FIRST_ADMIN_EMAIL, password=settings.FIRST_ADMIN_PASSWORD
        )
        self.stdout.write(f"Administrator: {outcome.message}")

    def run_imports(self, *, data_dir: str | None, verbose: bool) -> None:
        pending = setup.sources_pending(data_dir)
        for source in setup.sources_needing_a_file(data_dir):
            self.stdout.write(
                f"Open data: {source.id} has no official file address to download; "
                f"import it with `vcsehub import {source.id} --source PATH` "
                "(see `vcsehub import --list`)."
            )
        if not pending:
            self.stdout.write("Open data: every source is already imported; nothing to import.")
            return
        where = f"from {data_dir}" if data_dir else "from the official web addresses"
        self.stdout.write(
            f"Open data: importing {len(pending)} source{'s' if len(pending) != 1 else ''} {where}."
        )
        stderr = self.stderr._out
        # One line per source; the importers' own step-by-step log only with -v 2.
        app_logger = logging.getLogger("vcsehub")
        level = app_logger.level
        if not verbose:
            app_logger.setLevel(logging.WARNING)
        try:
            for source in pending:
                progress = setup.progress_for(stderr)
                result = setup.source_import(source=source, data_dir=data_dir, progress=progress)
                self.say_import(source.id, result)
        finally:
            app_logger.setLevel(level)

    def say_import(self, source_id: str, result: setup.ImportOutcome) -> None:
        if result.succeeded:
            self.stdout.write(
                f"  {source_id}: succeeded, {result.rows:,} rows in {result.seconds:.1f} s"
            )
        else:
            self.stdout.write(
                f"  {source_id}: failed after {result.seconds:.1f} s: {result.reason} "
                f"The site will start without it. Retry with `vcsehub import {source_id}`."
            )

    def say_static(self) -> None:
        copied = setup.static_collect()
        if copied:
            self.stdout.write("Static files: collected.")
        else:
            self.stdout.write("Static files: up to date.")

    def serve(self, *, host: str, port: int) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        if not gunicorn.exists():
            found = shutil.which("gunicorn")
            if not found:
                raise CommandError(
                    "gunicorn is not installed. Install VCSE Hub with `pip install -e .` "
                    "in this environment, then run `vcsehub up` again."
                )
            gunicorn = Path(found)
        shown_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
        self.stdout.write(
            f"VCSE Hub is running at http://{shown_host}:{port} — press Ctrl+C to stop"
        )
        self.stdout.flush()
        sys.stderr.flush()
        connection.close()
        argv = [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "--workers",
            str(settings.SERVE_WORKERS),
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ]
        # Replace this process with gunicorn, which now owns the terminal and Ctrl+C.
        os.execv(argv[0], argv)  # noqa: S606 (a fixed program, no shell)
