"""Keeping computed dashboard figures in the database, so every web process shares them.

The key covers everything the figures are built from: the dataset's records (its newest
record, found at once through an index: records are only ever added by saving an upload,
and go only with the whole dataset), its uploads (count, last id, last confirmation), its settings (name, mapping,
outcome label and scale) and its organisation's name, the latest import of open data,
MIN_DISPLAY_COUNT, the period, the edition, and the code that computes the figures.
It is read in one query; kept figures of an older state are deleted when new ones are kept.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from django.db.models import Count, IntegerField, Max, OuterRef, Subquery

from vcsehub.analytics import disclosure, impact
from vcsehub.analytics.disclosure import min_display_count
from vcsehub.impact.models import DashboardFigures, Dataset, Record, Upload
from vcsehub.sources.models import ImportRun

KEEP_PER_DATASET = 20  # periods and editions looked at, per state of the data


@functools.cache
def code_version() -> str:
    """A hash of the code that computes the figures: kept figures go stale when it changes."""
    folder = Path(__file__).resolve().parent
    files = sorted(folder.glob("*.py")) + [Path(impact.__file__), Path(disclosure.__file__)]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _scalar(queryset, aggregate, name: str):
    """A one-value subquery: `aggregate` of the dataset's rows in `queryset`."""
    return Subquery(
        queryset.filter(dataset=OuterRef("pk"))
        .order_by()
        .values("dataset")
        .annotate(**{name: aggregate})
        .values(name)[:1]
    )


def data_state(dataset: Dataset) -> str:
    """Hash of everything (but period and edition) the figures of the dataset depend on."""
    return data_state_and_last(dataset)[0]


def data_state_and_last(dataset: Dataset) -> tuple[str, int | None]:
    """`data_state`, and the id of the dataset's newest record (None without records)."""
    row = (
        Dataset.objects.filter(pk=dataset.pk)
        .annotate(
            records_last=_scalar(Record.objects, Max("id"), "last"),
            uploads_n=_scalar(Upload.objects, Count("id"), "n"),
            uploads_last=_scalar(Upload.objects, Max("id"), "last"),
            uploads_confirmed=_scalar(Upload.objects, Max("confirmed_at"), "confirmed"),
            last_import=Subquery(
                ImportRun.objects.order_by("-id").values("id")[:1], output_field=IntegerField()
            ),
        )
        .values_list(
            "pk",
            "created_at",
            "name",
            "mapping",
            "outcome_label",
            "outcome_scale_min",
            "outcome_scale_max",
            "organisation__name",
            "organisation__slug",
            "records_last",
            "uploads_n",
            "uploads_last",
            "uploads_confirmed",
            "last_import",
        )
        .first()
    )
    parts = [row, min_display_count(), code_version()]
    state = hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()
    return state, None if row is None else row[9]


def figures_key(state: str, *, period, edition: str) -> str:
    parts = [state, str(period.start), str(period.end), edition]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def figures_get(dataset: Dataset, key: str) -> dict | None:
    text = (
        DashboardFigures.objects.filter(dataset=dataset, key=key)
        .values_list("figures", flat=True)
        .first()
    )
    return None if text is None else json.loads(text)


def figures_keep(dataset: Dataset, *, key: str, state: str, figures: dict) -> None:
    """Keep the figures (another process may have kept the same ones: that is fine)."""
    DashboardFigures.objects.filter(dataset=dataset).exclude(state=state).delete()
    DashboardFigures.objects.bulk_create(
        [DashboardFigures(dataset=dataset, key=key, state=state, figures=json.dumps(figures))],
        update_conflicts=True,
        unique_fields=["dataset", "key"],
        update_fields=["state", "figures", "created_at"],
    )
    old = list(
        DashboardFigures.objects.filter(dataset=dataset)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)[KEEP_PER_DATASET:]
    )
    if old:
        DashboardFigures.objects.filter(id__in=old).delete()
