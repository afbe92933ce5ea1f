"""Writing datasets and uploads: the road from a spreadsheet to stored, de-identified records.

    upload = upload_create(organisation=org, user=user, source=path, name="visits.xlsx",
                           dataset_name="Food bank visits")   # read, suggest, check; nothing stored
    upload = upload_remap(upload=upload, mapping={...})       # the user's column choices
    upload = upload_confirm(upload=upload, user=user)         # store, all or nothing
    upload_discard(upload=upload)                             # or throw it away

The file is held under DATA_HOME/uploads until it is confirmed or discarded, then
deleted. Problems in the file are DataErrors with a plain-English message and fix.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from vcsehub.impact import held
from vcsehub.impact import mapping as mapping_module
from vcsehub.impact.checks import checks_run
from vcsehub.impact.dashboard import KnownRows, dashboard_figures, visit_rows_from
from vcsehub.impact.held import Checked
from vcsehub.impact.mapping import ColumnSuggestion, MappingError
from vcsehub.impact.models import Dataset, Field, Record, Upload
from vcsehub.impact.prepare import LineMaker, Preparer, Tally, date_orders_for, line_fields
from vcsehub.impact.reading import Sheet, check_size, max_upload_bytes, upload_read
from vcsehub.organisations.models import Organisation
from vcsehub.sources.errors import DataError

SAMPLE_ROWS = 2000
BATCH = 5000
CHECK_BATCH = 50_000  # rows prepared, counted and let go at a time
# SQLite's page cache while records are written: the dataset's indexes (two of them on
# hashes, so written all over) then stay in memory instead of being read back and forth.
INSERT_CACHE_KIB = 256 * 1024


def _cycle_collector_paused(function):
    """Run `function` with Python's cycle collector paused (reference counting still frees
    every object that is not in a cycle, and the collector runs again after).

    An upload builds millions of small objects (cells, rows, record lines) that stay alive
    while it is checked and stored. With the collector on, they set off full collections
    that walk through all of them again and again: most of the time of making the
    rows of the figures from a million record lines, and much of the rest of the CPU
    time of an upload.
    """

    @functools.wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


def uploads_folder() -> Path:
    folder = getattr(settings, "IMPACT_UPLOADS_DIR", None) or Path(settings.DATA_HOME) / "uploads"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _chunks(source) -> Iterator[bytes]:
    """The bytes of a path, an uploaded file (Django's chunks) or an open binary stream."""
    if isinstance(source, str | Path):
        with Path(source).open("rb") as stream:
            yield from iter(lambda: stream.read(1024 * 1024), b"")
    elif hasattr(source, "chunks"):
        source.seek(0)
        yield from source.chunks()
    else:
        yield from iter(lambda: source.read(1024 * 1024), b"")


def _hold(source: Path | IO[bytes] | Any, *, name: str) -> tuple[Path, int, str]:
    """Copy the upload to a held file, hashing it and stopping past the size limit."""
    size = getattr(source, "size", None)
    if size is not None:
        check_size(size, name=name)
    target = uploads_folder() / f"{uuid.uuid4().hex}.upload"
    digest = hashlib.sha256()
    limit = max_upload_bytes()
    written = 0
    with target.open("wb") as out:
        for chunk in _chunks(source):
            written += len(chunk)
            if written > limit:
                break
            digest.update(chunk)
            out.write(chunk)
    if written > limit:
        target.unlink(missing_ok=True)
        check_size(written, name=name)
    return target, written, digest.hexdigest()


def _suggestions(sheet: Sheet, organisation: Organisation, today) -> list[ColumnSuggestion]:
    sample = sheet.rows[:SAMPLE_ROWS]
    columns = [[row[i] for _, row in sample] for i in range(len(sheet.headers))]
    return mapping_module.mapping_suggest(
        headers=sheet.headers, columns=columns, organisation=organisation, today=today
    )


def _scale(sheet: Sheet, mapping: dict[str, str], dataset: Dataset | None):
    if dataset is not None and dataset.outcome_scale_min is not None:
        return dataset.outcome_scale_min, dataset.outcome_scale_max
    titles = [t for t, f in mapping.items() if f in (Field.OUTCOME_BEFORE, Field.OUTCOME_AFTER)]
    if not titles:
        return None
    index = {t: i for i, t in enumerate(sheet.headers)}
    columns = [[row[index[t]] for _, row in sheet.rows] for t in titles]
    return mapping_module.scale_suggest(titles=titles, columns=columns)


def _existing(dataset: Dataset | None) -> set[str]:
    if dataset is None:
        return set()
    return set(Record.objects.filter(dataset=dataset).values_list("fingerprint", flat=True))


def _analyse(upload: Upload, sheet: Sheet, suggestions, scale) -> Checked:
    """Prepare and check every row, keeping only the record lines of the rows to store.

    The sheet's rows are used up: each batch of raw rows is let go once it is prepared, and
    each prepared row once the tally has counted it and its line (if stored) is made.
    """
    personal = {s.title: s.personal for s in suggestions if s.personal}
    rows = sheet.rows
    preparer = Preparer(
        headers=sheet.headers,
        mapping=upload.mapping,
        secret=upload.organisation.pseudonym_secret,
        today=timezone.localdate(),
        orders=date_orders_for(sheet.headers, upload.mapping, rows),
        scale=scale,
    )
    tally = Tally(existing=_existing(upload.dataset))
    maker = LineMaker()
    lines = []
    while rows:
        batch = rows[:CHECK_BATCH]
        del rows[:CHECK_BATCH]
        lines.extend(maker.line(row) for row in preparer.prepare(batch) if tally.add(row))
    outcome = checks_run(preparer.prepared(tally, personal=personal))
    return Checked(
        report=outcome.report(),
        rows_read=outcome.rows_read,
        rows_excluded=outcome.rows_excluded,
        rows_duplicate=outcome.rows_duplicate,
        excluded_reasons=outcome.excluded_reasons,
        period_start=tally.first_date,
        period_end=tally.last_date,
        lines=lines,
    )


def _record_outcome(upload: Upload, checked: Checked) -> None:
    upload.report = checked.report
    upload.rows_read = checked.rows_read
    upload.rows_excluded = checked.rows_excluded
    upload.rows_duplicate = checked.rows_duplicate
    upload.rows_stored = len(checked.lines)
    upload.excluded_reasons = checked.excluded_reasons
    upload.period_start = checked.period_start
    upload.period_end = checked.period_end


def _read_held(upload: Upload, *, limit: int | None = None) -> Sheet:
    """The held file's rows (only the first `limit`, when given: enough for suggestions)."""
    if not upload.held_path or not Path(upload.held_path).is_file():
        raise DataError(
            "The uploaded file is no longer held, so it cannot be checked or saved",
            fix="Upload the file again.",
            file=upload.original_name,
        )
    return upload_read(
        Path(upload.held_path), name=upload.original_name, sheet=upload.sheet or None, limit=limit
    )


@_cycle_collector_paused
def upload_create(
    *,
    organisation: Organisation,
    user,
    source: Path | IO[bytes] | Any,
    name: str,
    dataset: Dataset | None = None,
    dataset_name: str = "",
    sheet: str = "",
) -> Upload:
    """Hold the file, read it, suggest a mapping and run the checks. Nothing is stored yet.

    Give an existing `dataset` (a new period's file), or a `dataset_name` for a new one.
    Raises DataError (nothing kept) when the file cannot be used.
    """
    if dataset is not None and dataset.organisation_id != organisation.pk:
        raise ValueError("The dataset belongs to another organisation")
    if dataset is None:
        _check_new_name(organisation, dataset_name)
    name = Path(name or "upload").name[:255]
    held_file, size, sha256 = _hold(source, name=name)
    try:
        sheet_data = upload_read(held_file, name=name, sheet=sheet or None)
    except Exception:
        held_file.unlink(missing_ok=True)
        raise
    today = timezone.localdate()
    suggestions = _suggestions(sheet_data, organisation, today)
    upload = Upload(
        organisation=organisation,
        dataset=dataset,
        new_dataset_name="" if dataset is not None else dataset_name.strip()[:200],
        uploaded_by=user,
        original_name=name,
        size=size,
        sha256=sha256,
        held_path=str(held_file),
        file_format=sheet_data.format,
        sheet=sheet_data.sheet,
        sheets=sheet_data.sheets,
        encoding=sheet_data.encoding,
        header_row=sheet_data.header_row,
        headers=sheet_data.headers,
        mapping=mapping_module.mapping_from(suggestions),
    )
    scale = _scale(sheet_data, upload.mapping, dataset)
    upload.outcome_scale_min, upload.outcome_scale_max = scale or (None, None)
    checked = _analyse(upload, sheet_data, suggestions, scale)
    _record_outcome(upload, checked)
    upload.save()
    held.checked_keep(upload, checked, scale)
    return upload


@dataclass(slots=True)
class MappingView:
    """What the column choices page shows: each column with its choice and sample values."""

    upload: Upload
    columns: list[ColumnSuggestion]


def upload_columns(*, upload: Upload) -> MappingView:
    """The upload's columns with suggestions, samples and personal-data flags (read from the held file).

    Each column's `field` is the upload's current choice.
    """
    sheet = _read_held(upload, limit=SAMPLE_ROWS)
    suggestions = _suggestions(sheet, upload.organisation, timezone.localdate())
    for suggestion in suggestions:
        suggestion.field = upload.mapping.get(suggestion.title, "")
    return MappingView(upload=upload, columns=suggestions)


def _require_checking(upload: Upload) -> None:
    if upload.status != Upload.Status.CHECKING:
        raise DataError(
            f"This upload is already {upload.get_status_display().lower()}",
            fix="Upload the file again to make other choices.",
            file=upload.original_name,
        )


@_cycle_collector_paused
def upload_remap(
    *,
    upload: Upload,
    mapping: dict[str, str],
    scale: tuple[Decimal, Decimal] | None = None,
    sheet: str | None = None,
) -> Upload:
    """Apply the user's column choices (and outcome scale, or another sheet) and check again.

    Raises MappingError when a choice is not allowed (a personal column, a field twice).
    """
    _require_checking(upload)
    if sheet is not None and sheet != upload.sheet:
        upload.sheet = sheet
        sheet_data = _read_held(upload)
        upload.headers = sheet_data.headers
        upload.header_row = sheet_data.header_row
        suggestions = _suggestions(sheet_data, upload.organisation, timezone.localdate())
        mapping = mapping_module.mapping_from(suggestions)
    else:
        sheet_data = _read_held(upload)
        suggestions = _suggestions(sheet_data, upload.organisation, timezone.localdate())
    upload.mapping = mapping_module.mapping_validate(mapping, suggestions)
    if scale is not None:
        low, high = scale
        if low >= high:
            raise MappingError("The lowest score on the scale must be below the highest.")
    else:
        scale = _scale(sheet_data, upload.mapping, upload.dataset)
    if not any(f in (Field.OUTCOME_BEFORE, Field.OUTCOME_AFTER) for f in upload.mapping.values()):
        scale = None
    upload.outcome_scale_min, upload.outcome_scale_max = scale or (None, None)
    checked = _analyse(upload, sheet_data, suggestions, scale)
    _record_outcome(upload, checked)
    upload.save()
    held.checked_keep(upload, checked, scale)
    return upload


def _delete_held(path: str) -> None:
    held.held_delete(path)


@_cycle_collector_paused
def upload_confirm(*, upload: Upload, user, prepare_dashboard: bool = True) -> Upload:
    """Store the upload's rows, all or nothing, and delete the held file.

    Rows with errors are left out; rows already in the dataset (same fingerprint) and
    repeats within the file are stored once. A new dataset is made here, if one was asked
    for. Then the dashboard figures are worked out and kept (unless `prepare_dashboard`
    is False), so the dashboard is ready when the user opens it.
    """
    _require_checking(upload)
    sample = _read_held(upload, limit=SAMPLE_ROWS)
    suggestions = _suggestions(sample, upload.organisation, timezone.localdate())
    mapping_module.mapping_validate(upload.mapping, suggestions)
    personal = {s.title for s in suggestions if s.personal}
    scale = (
        (upload.outcome_scale_min, upload.outcome_scale_max)
        if upload.outcome_scale_min is not None
        else None
    )
    held_path = upload.held_path
    try:
        with transaction.atomic():
            if upload.dataset is None:
                upload.dataset = Dataset.objects.create(
                    organisation=upload.organisation,
                    name=upload.new_dataset_name or Path(upload.original_name).stem,
                    created_by=user,
                )
            dataset = Dataset.objects.select_for_update().get(pk=upload.dataset.pk)
            # The rows checked when the user last saw the report, unless anything changed.
            checked = held.checked_kept(upload, scale)
            if checked is None:
                checked = _analyse(upload, _read_held(upload), suggestions, scale)
            _record_outcome(upload, checked)
            upload.status = Upload.Status.CONFIRMED
            upload.confirmed_at = timezone.now()
            upload.held_path = ""
            upload.save()
            # The dataset's first records: the figures can be worked out from their lines.
            first_records = not Record.objects.filter(dataset=dataset).exists()
            records_insert(dataset=dataset, upload=upload, lines=checked.lines)
            known = None
            if prepare_dashboard and first_records and checked.lines:
                last_id = Record.objects.filter(dataset=dataset).aggregate(last=Max("id"))
                known = KnownRows(
                    rows=visit_rows_from(checked.lines, [f.attname for f in line_fields()]),
                    last_id=last_id["last"],
                )
            checked = None  # the lines are let go before the figures are worked out
            dataset.mapping = upload.mapping
            if scale is not None and dataset.outcome_scale_min is None:
                dataset.outcome_scale_min, dataset.outcome_scale_max = scale
            dataset.save()
            mapping_module.mapping_remember(
                organisation=upload.organisation,
                headers=upload.headers,
                mapping=upload.mapping,
                personal=personal,
            )
            transaction.on_commit(lambda: _delete_held(held_path))
    except IntegrityError:
        raise DataError(
            "Another upload to this dataset was saved at the same moment, so nothing was stored",
            fix="Upload the file again: rows already saved will be skipped.",
            file=upload.original_name,
        ) from None
    if prepare_dashboard:
        # Work the figures out now and keep them, so the first look at the dashboard is quick.
        dashboard_figures(upload.dataset, known=known)
    return upload


def _adapter(field, ops):
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    return None


def record_lines(rows) -> Iterator[tuple]:
    """The record line (Record field values, in `prepare.line_fields` order) of each row."""
    maker = LineMaker()
    return (maker.line(row) for row in rows)


def records_insert(*, dataset: Dataset, upload: Upload, lines) -> int:
    """Insert record lines (`record_lines`) without building a model object per row.

    PostgreSQL: COPY. Other databases (SQLite): the DB-API's executemany in batches, with
    values adapted by the connection's own operations, as the ORM would. A million rows
    take seconds rather than minutes. Runs inside the caller's transaction; the same
    tests run it on both.
    """
    fields = line_fields()
    quote = connection.ops.quote_name
    columns = ", ".join(
        [quote("dataset_id"), quote("upload_id"), *(quote(f.column) for f in fields)]
    )
    places = ", ".join(["%s"] * (len(fields) + 2))
    # Table and column names come from the model, never from the file.
    sql = f"INSERT INTO {quote(Record._meta.db_table)} ({columns}) VALUES ({places})"  # noqa: S608
    ids = [dataset.pk, upload.pk]
    if connection.vendor == "postgresql":
        # PostgreSQL's COPY, through psycopg 3: the values are sent as they are.
        count = 0
        with (
            connection.wrap_database_errors,  # IntegrityError as Django's, as on SQLite
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {quote(Record._meta.db_table)} ({columns}) FROM STDIN"
            ) as copy,
        ):
            for values in lines:
                copy.write_row((*ids, *values))
                count += 1
        return count
    # Each distinct date or score is adapted once (a file repeats them many times).
    adapters = [(i + 2, a, {}) for i, f in enumerate(fields) if (a := _adapter(f, connection.ops))]
    count = 0
    batch: list[list] = []
    with connection.cursor() as cursor, _sqlite_cache(cursor, INSERT_CACHE_KIB):
        for values in lines:
            line = [*ids, *values]
            for i, adapt, adapted in adapters:
                value = line[i]
                if value is not None:
                    text = adapted.get(value)
                    if text is None:
                        text = adapted[value] = adapt(value)
                    line[i] = text
            batch.append(line)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


@contextmanager
def _sqlite_cache(cursor, kib: int) -> Iterator[None]:
    """A bigger SQLite page cache for a while (never smaller than it was), then back."""
    cursor.execute("PRAGMA cache_size")
    previous = int(cursor.fetchone()[0])  # KiB when negative, else pages
    cursor.execute("PRAGMA page_size")
    previous_kib = -previous if previous < 0 else previous * int(cursor.fetchone()[0]) // 1024
    if previous_kib >= kib:
        yield
        return
    cursor.execute(f"PRAGMA cache_size = {-kib}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {previous}")


def upload_discard(*, upload: Upload) -> Upload:
    """Throw the upload away: the held file is deleted and nothing is stored."""
    _require_checking(upload)
    held = upload.held_path
    upload.status = Upload.Status.DISCARDED
    upload.held_path = ""
    upload.save(update_fields=["status", "held_path"])
    _delete_held(held)
    return upload


def _check_new_name(organisation: Organisation, name: str) -> None:
    name = name.strip()
    if not name:
        raise ValidationError("Give the new dataset a name, or choose an existing dataset.")
    if Dataset.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError(
            f"{organisation.name} already has a dataset called {name!r}. Choose it as an "
            "existing dataset to add this file to it, or give another name."
        )


def dataset_create(*, organisation: Organisation, name: str, user) -> Dataset:
    _check_new_name(organisation, name)
    name = name.strip()
    return Dataset.objects.create(organisation=organisation, name=name[:200], created_by=user)


@transaction.atomic
def dataset_delete(*, dataset: Dataset) -> dict[str, int]:
    """Delete the dataset, every record and upload in it, and any held files. Irrecoverable."""
    held = list(
        Upload.objects.filter(dataset=dataset)
        .exclude(held_path="")
        .values_list("held_path", flat=True)
    )
    counts = {
        "records": Record.objects.filter(dataset=dataset).count(),
        "uploads": Upload.objects.filter(dataset=dataset).count(),
    }
    Record.objects.filter(dataset=dataset).delete()
    Upload.objects.filter(dataset=dataset).delete()
    dataset.delete()
    for path in held:
        transaction.on_commit(lambda path=path: _delete_held(path))
    return counts
