"""The checked rows of a held upload, kept beside the held file until it is saved.

Reading and checking a large file is most of the work of an upload. When the user saves
what they were shown, nothing has changed since the check: the same file, sheet, column
choices, scale, organisation secret, day, postcode directories, dataset rows and code.
Then the rows checked then are stored as they are, instead of being read and checked
again. Anything changed, and the file is read and checked again.

The kept rows sit next to the held file (DATA_HOME/uploads, never served), signed with
SECRET_KEY so that only a file this server wrote is ever loaded, and are deleted with it.
Like the held file they are never stored in the database.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import pickle
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from vcsehub.impact.models import Record, Upload
from vcsehub.sources.models import ImportRun

SUFFIX = ".checked"


@dataclass(slots=True)
class Checked:
    """What saving an upload needs of its check: the report's numbers and, for each row to
    store, its Record field values (services.record_lines)."""

    report: list
    rows_read: int
    rows_excluded: int
    rows_duplicate: int
    excluded_reasons: dict
    period_start: date | None
    period_end: date | None
    lines: list[tuple]


@functools.cache
def _code_version() -> str:
    folder = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*folder.glob("*.py"), *(folder / "checks").glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _key(upload: Upload, scale) -> str:
    records = {"n": 0, "last": None}
    if upload.dataset_id is not None:
        records = Record.objects.filter(dataset_id=upload.dataset_id).aggregate(
            n=Count("id"), last=Max("id")
        )
    parts = [
        upload.pk,
        upload.sha256,
        upload.sheet,
        sorted(upload.mapping.items()),
        [str(value) for value in scale or ()],
        hashlib.sha256(upload.organisation.pseudonym_secret.encode()).hexdigest(),
        timezone.localdate().isoformat(),
        ImportRun.objects.aggregate(last=Max("id"))["last"],
        records["n"],
        records["last"],
        _code_version(),
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _path(upload: Upload) -> Path | None:
    return Path(upload.held_path + SUFFIX) if upload.held_path else None


def _signature(key: str, body: bytes | memoryview) -> bytes:
    signer = hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256)
    signer.update(body)  # not key + body: a million rows' body is not copied again
    return signer.digest()


def checked_keep(upload: Upload, checked: Checked, scale) -> None:
    """Keep the checked rows of the held upload (replacing any kept before)."""
    path = _path(upload)
    if path is None:
        return
    key = _key(upload, scale)
    body = pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        out.write(_signature(key, body))
        out.write(body)
    partial.replace(path)


def checked_kept(upload: Upload, scale) -> Checked | None:
    """The rows checked before, when nothing they depend on has changed since; else None."""
    path = _path(upload)
    if path is None or not path.is_file():
        return None
    data = memoryview(path.read_bytes())
    signature, body = bytes(data[:32]), data[32:]
    if not hmac.compare_digest(signature, _signature(_key(upload, scale), body)):
        return None
    return pickle.loads(body)  # noqa: S301 (signed by this server, checked just above)


def held_delete(path: str) -> None:
    """Delete a held file and the rows kept beside it."""
    if path:
        Path(path).unlink(missing_ok=True)
        Path(path + SUFFIX).unlink(missing_ok=True)
