"""API: the open-data sources and their import runs."""

from __future__ import annotations

from django.http import Http404
from ninja import Router

from vcsehub.sources.models import ImportRun
from vcsehub.sources.registry import Source, all_sources, attribution_lines, get_source
from vcsehub.sources.schemas import ImportRunOut, SourceOut
from vcsehub.sources.selectors import import_runs_latest_success, import_runs_recent

router = Router(tags=["sources"])


def _run_out(run: ImportRun) -> dict:
    return {
        "id": run.pk,
        "source_id": run.source_id,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "rows_read": run.rows_read,
        "rows_loaded": run.rows_loaded,
        "rows_rejected": run.rows_rejected,
        "sha256": run.sha256,
        "files": [
            {"name": f.get("name", ""), "bytes": f.get("bytes", 0), "sha256": f.get("sha256", "")}
            for f in run.files
        ],
        "error": run.error,
        "data_date": run.data_date,
        "licence": run.licence,
    }


def _source_out(source: Source, last: ImportRun | None) -> dict:
    year = last.data_date.year if last is not None and last.data_date else None
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "description": source.description,
        "licence": source.licence,
        "licence_url": source.licence_url,
        "attribution": attribution_lines(source, year=year),
        "urls": list(source.urls),
        "format": source.format,
        "derived": source.derived,
        "last_import": _run_out(last) if last is not None else None,
    }


@router.get("/sources", response=list[SourceOut], summary="Open-data sources")
def sources_list(request):
    """Every open-data source: publisher, licence, attribution to show, and its last successful import."""
    sources = all_sources()
    latest = import_runs_latest_success(source_ids=[s.id for s in sources])
    return [_source_out(source, latest.get(source.id)) for source in sources]


@router.get(
    "/sources/{source_id}/runs", response=list[ImportRunOut], summary="Import runs of one source"
)
def source_runs(request, source_id: str, limit: int = 20):
    """The source's recent import runs, newest first (at most 100)."""
    try:
        source = get_source(source_id)
    except LookupError:
        raise Http404("No such data source") from None
    runs = import_runs_recent(source_id=source.id, limit=min(max(limit, 1), 100))
    return [_run_out(run) for run in runs]
