"""The steps `vcsehub up` takes, as plain functions the command (and tests) call.

This module is the one place in `common` that knows about `sources`: `vcsehub up`
puts the whole site together, so it sits above every app (see docs/architecture.md).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.staticfiles.finders import get_finders
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from vcsehub.sources.models import ImportRun
from vcsehub.sources.progress import Progress, TerminalProgress
from vcsehub.sources.registry import Source, all_sources
from vcsehub.sources.selectors import source_ids_loaded

logger = logging.getLogger(__name__)

STATIC_FINGERPRINT = ".vcsehub-static-fingerprint"


# -- database ---------------------------------------------------------------------------


def database_migrate() -> int:
    """Apply any migrations not yet applied. Return how many were applied."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
    return len(plan)


# -- first administrator ------------------------------------------------------------------


@dataclass(frozen=True)
class AdminOutcome:
    created: bool
    message: str


HOW_TO_CREATE = (
    "create one with `vcsehub createsuperuser`, or set VCSEHUB_ADMIN_EMAIL and "
    "VCSEHUB_ADMIN_PASSWORD and run `vcsehub up` again."
)


def first_admin_create(*, email: str, password: str) -> AdminOutcome:
    """Create the first administrator from the given email and password, if there is none."""
    users = get_user_model()
    admins = users.objects.filter(is_superuser=True).count()
    if admins:
        return AdminOutcome(
            False, f"already set up ({admins} administrator{'s' if admins != 1 else ''})."
        )
    if not email and not password:
        return AdminOutcome(False, f"there is none yet. To sign in to /admin/, {HOW_TO_CREATE}")
    if not email or not password:
        missing = "VCSEHUB_ADMIN_EMAIL" if not email else "VCSEHUB_ADMIN_PASSWORD"
        return AdminOutcome(
            False, f"not created because {missing} is empty. Set it, or {HOW_TO_CREATE}"
        )
    if users.objects.filter(email__iexact=email).exists():
        return AdminOutcome(
            False,
            f"not created: {email} already has an account that is not an administrator. "
            f"Make it one in the admin site, or {HOW_TO_CREATE}",
        )
    try:
        validate_password(password, users(email=email))
    except ValidationError as error:
        problems = " ".join(error.messages)
        return AdminOutcome(
            False,
            f"not created because VCSEHUB_ADMIN_PASSWORD is too weak: {problems} "
            "Choose a stronger one and run `vcsehub up` again.",
        )
    users.objects.create_superuser(email=email, password=password)
    return AdminOutcome(True, f"created {email.lower()}. Sign in at /admin/ or /account/.")


# -- open data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    succeeded: bool
    rows: int
    seconds: float
    reason: str = ""
    run: ImportRun | None = None


def source_has_location(source: Source, data_dir: str | Path | None) -> bool:
    """Whether there is somewhere to read the source from: a data folder copy or an official file."""
    return bool(source.urls or (data_dir and source.local_paths))


def sources_pending(data_dir: str | Path | None = None) -> list[Source]:
    """Sources `vcsehub up` imports: automatic ones never imported successfully, in order.

    A source with no official file address is imported only from a data folder.
    """
    loaded = source_ids_loaded()
    return [
        source
        for source in all_sources()
        if source.auto_import and source.id not in loaded and source_has_location(source, data_dir)
    ]


def sources_needing_a_file(data_dir: str | Path | None = None) -> list[Source]:
    """Automatic sources not yet loaded that have no official file address and no local copy."""
    loaded = source_ids_loaded()
    return [
        source
        for source in all_sources()
        if source.auto_import
        and source.id not in loaded
        and not source_has_location(source, data_dir)
    ]


def progress_for(stream: TextIO) -> Progress:
    """A progress bar on a terminal; silence when the output goes to a file or a pipe."""
    isatty = getattr(stream, "isatty", None)
    return TerminalProgress(stream) if isatty and isatty() else Progress()


def source_import(
    *, source: Source, data_dir: str | Path | None, progress: Progress
) -> ImportOutcome:
    """Import one source. Never raises for a failed import: the outcome says why it failed."""
    started = time.monotonic()
    try:
        importer = source.importer_class()(progress=progress, data_dir=data_dir)
        run = importer.run()
    except LookupError as error:  # the data folder lacks this source's files
        return ImportOutcome(False, 0, time.monotonic() - started, str(error))
    except (
        Exception
    ) as error:  # a fault in the importer: logged by Importer.run, the site still starts
        logger.exception("importing %s failed", source.id)
        return ImportOutcome(
            False,
            0,
            time.monotonic() - started,
            f"an unexpected error ({type(error).__name__}); see the log above.",
        )
    seconds = time.monotonic() - started
    if run.status == ImportRun.Status.SUCCEEDED:
        return ImportOutcome(True, run.rows_loaded, seconds, run=run)
    reason = run.error.strip() or "no reason was recorded."
    return ImportOutcome(False, 0, seconds, reason, run=run)


# -- static files ---------------------------------------------------------------------------


def _static_fingerprint() -> str:
    digest = hashlib.sha256()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def static_collect() -> bool:
    """Collect static files into STATIC_ROOT if they changed since the last time. True if it did."""
    root = Path(settings.STATIC_ROOT)
    stamp = root / STATIC_FINGERPRINT
    fingerprint = _static_fingerprint()
    if stamp.is_file() and stamp.read_text().strip() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint + "\n")
    return True
