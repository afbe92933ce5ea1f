"""The dashboard page, its CSV, and the report (HTML and PDF) of one dataset.

Access: anyone who may view the organisation's data (viewer, editor, owner); everyone
else gets 404, asked of `sharing.access`. The figures come from `dashboard_figures`
(one call per request); charts, map, CSV and PDF from `report.py`.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from vcsehub.common.safe_csv import csv_response
from vcsehub.impact import report as rep
from vcsehub.impact.compare import Span, period_check
from vcsehub.impact.dashboard import DEFAULT_EDITION, EDITION_SPECS, Period, dashboard_figures
from vcsehub.impact.dashboard.voice import WE
from vcsehub.impact.models import Dataset
from vcsehub.sharing.access import Need, organisation_for_user_or_404


class PeriodForm(forms.Form):
    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first day to count. Leave empty to start from the earliest record.",
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The last day to count. Leave empty to count up to the latest record.",
    )
    edition = forms.ChoiceField(
        label="Deprivation index",
        required=False,
        choices=[
            (key, spec.edition.title + f" ({spec.edition.label})")
            for key, spec in reversed(EDITION_SPECS.items())
        ],
        help_text="Which edition of the English Indices of Deprivation to compare with.",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The “To” date must be on or after the “From” date.")
        return data


def _dataset(request, org_slug: str, dataset_id: int) -> Dataset:
    organisation = organisation_for_user_or_404(request.user, org_slug, need=Need.VIEW)
    return get_object_or_404(
        Dataset.objects.select_related("organisation"), pk=dataset_id, organisation=organisation
    )


def _choices(request, dataset: Dataset) -> tuple[PeriodForm, Period, str]:
    """The period and edition asked for. A period whose figures, set beside the whole
    dataset's, would give a small number away is not applied (the form says why)."""
    form = PeriodForm(request.GET or None)
    period, edition = Period(), DEFAULT_EDITION
    if form.is_bound and form.is_valid():
        period = Period(form.cleaned_data.get("start"), form.cleaned_data.get("end"))
        edition = form.cleaned_data.get("edition") or DEFAULT_EDITION
        if period.chosen:
            check = period_check(dataset=dataset, span=Span(period.start, period.end))
            if not check.ok:
                form.add_error(None, check.message)
                period = Period()
    return form, period, edition


def _refused(form: PeriodForm) -> bool:
    return bool(form.non_field_errors())


def _query(request) -> str:
    """The period and edition chosen, to carry over to the report, PDF and CSV links."""
    keep = request.GET.copy()
    keep.pop("figure", None)
    return keep.urlencode()


@require_GET
def dashboard(request, org_slug: str, dataset_id: int):
    dataset = _dataset(request, org_slug, dataset_id)
    form, period, edition = _choices(request, dataset)
    figures = dashboard_figures(dataset, period=period, edition=edition)
    charts = rep.charts(figures)
    the_map = rep.ward_map(figures)
    context = {
        "dataset": dataset,
        "organisation": dataset.organisation,
        "form": form,
        "figures": figures,
        "f": figures["figures"],
        "charts": charts,
        "who": [
            {"table": table, "chart": charts.get(table["id"], "")}
            for table in figures["figures"]["who"]["tables"]
        ],
        "map": the_map,
        "sources": rep.sources_used(figures, extra=[the_map.source]),
        "query": "" if _refused(form) else _query(request),
    }
    return render(request, "impact/dashboard.html", context)


@require_GET
def dashboard_csv(request, org_slug: str, dataset_id: int):
    dataset = _dataset(request, org_slug, dataset_id)
    form, period, edition = _choices(request, dataset)
    if _refused(form):
        return _back_to_dashboard(request, dataset)
    figures = dashboard_figures(dataset, period=period, edition=edition)
    figure = request.GET.get("figure") or None
    if figure is not None and figure not in figures["figures"]:
        figure = None
    name = f"{rep.file_stem(figures)}-{figure.replace('_', '-') if figure else 'figures'}.csv"
    return csv_response(name, rep.CSV_HEADER, rep.csv_rows(figures, figure=figure))


def _back_to_dashboard(request, dataset: Dataset):
    """To the dashboard, which says why the period asked for is not shown."""
    url = reverse("impact:dashboard", args=[dataset.organisation.slug, dataset.pk])
    return redirect(f"{url}?{_query(request)}")


def _report_context(request, org_slug: str, dataset_id: int) -> dict | None:
    """What the report shows; None when the period asked for may not be shown."""
    dataset = _dataset(request, org_slug, dataset_id)
    form, period, edition = _choices(request, dataset)
    if _refused(form):
        return None
    figures = dashboard_figures(dataset, period=period, edition=edition)
    return {
        "dataset": dataset,
        "organisation": dataset.organisation,
        "figures": figures,
        "f": figures["figures"],
        "charts": rep.charts(figures, compact=True, voice=WE),
        "sources": rep.sources_used(figures),
        "method": rep.method_notes(figures),
        "query": _query(request),
    }


@require_GET
def report(request, org_slug: str, dataset_id: int):
    context = _report_context(request, org_slug, dataset_id)
    if context is None:
        return _back_to_dashboard(request, _dataset(request, org_slug, dataset_id))
    return render(request, "impact/report.html", context)


@require_GET
def report_pdf(request, org_slug: str, dataset_id: int):
    context = _report_context(request, org_slug, dataset_id)
    if context is None:
        return _back_to_dashboard(request, _dataset(request, org_slug, dataset_id))
    pdf = rep.report_pdf(context, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{rep.file_stem(context["figures"])}-report.pdf"'
    )
    return response
