"""The Data sources page: every registered source, its licence, attribution and last import."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from vcsehub.sources.models import ImportRun
from vcsehub.sources.registry import Source, all_sources, attribution_lines, get_source
from vcsehub.sources.selectors import import_runs_latest_success, import_runs_recent

RUNS_SHOWN = 50


def _entry(source: Source, last: ImportRun | None) -> dict:
    year = last.data_date.year if last is not None and last.data_date else None
    return {"source": source, "last": last, "attribution": attribution_lines(source, year=year)}


def index(request):
    sources = all_sources()
    latest = import_runs_latest_success(source_ids=[source.id for source in sources])
    entries = [_entry(source, latest.get(source.id)) for source in sources]
    return render(request, "sources/index.html", {"entries": entries})


def detail(request, source_id: str):
    try:
        source = get_source(source_id)
    except LookupError:
        raise Http404("No such data source") from None
    latest = import_runs_latest_success(source_ids=[source.id]).get(source.id)
    runs = import_runs_recent(source_id=source.id, limit=RUNS_SHOWN)
    return render(
        request,
        "sources/detail.html",
        {
            "entry": _entry(source, latest),
            "runs": runs,
            "runs_shown": RUNS_SHOWN,
            # Logs name server paths and full download addresses: staff only.
            "show_logs": request.user.is_staff,
        },
    )
