from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max

from vcsehub.sources.models import ImportRun


def import_run_latest_success(*, source_id: str) -> ImportRun | None:
    return (
        ImportRun.objects.filter(source_id=source_id, status=ImportRun.Status.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .first()
    )


def import_runs_latest_success(*, source_ids: Iterable[str] | None = None) -> dict[str, ImportRun]:
    """The last successful run of each source (of those given), by source id, in two queries."""
    runs = ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED)
    if source_ids is not None:
        runs = runs.filter(source_id__in=list(source_ids))
    latest = runs.values("source_id").annotate(last=Max("id")).values_list("last", flat=True)
    return {run.source_id: run for run in ImportRun.objects.filter(id__in=list(latest))}


def import_runs_recent(*, source_id: str | None = None, limit: int = 20) -> list[ImportRun]:
    runs = ImportRun.objects.all()
    if source_id:
        runs = runs.filter(source_id=source_id)
    return list(runs.order_by("-started_at", "-id")[:limit])


def source_ids_loaded() -> set[str]:
    return set(
        ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED).values_list(
            "source_id", flat=True
        )
    )
