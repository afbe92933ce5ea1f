from __future__ import annotations

from vcsehub.sources.models import ImportRun


def import_run_latest_success(*, source_id: str) -> ImportRun | None:
    return (
        ImportRun.objects.filter(source_id=source_id, status=ImportRun.Status.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .first()
    )


def import_runs_recent(*, source_id: str | None = None, limit: int = 20) -> list[ImportRun]:
    runs = ImportRun.objects.all()
    if source_id:
        runs = runs.filter(source_id=source_id)
    return list(runs.order_by("-started_at", "-id")[:limit])


def source_ids_loaded() -> set[str]:
    return set(
        ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED).values_list("source_id", flat=True)
    )
