"""The dashboard page, its CSV, and the report (HTML and PDF) of one dataset.

Access: anyone who may view the organisation's data (viewer, editor, owner); everyone
else gets 404, asked of `sharing.access`. The figures come from `dashboard_figures`
(one call per request); charts, map, CSV and PDF from `report.py`.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from vcsehub.common.safe_csv import csv_response
from vcsehub.impact import report as rep
from vcsehub.impact.dashboard import DEFAULT_EDITION, EDITION_SPECS, Period, dashboard_figures
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


def _choices(request) -> tuple[PeriodForm, Period, str]:
    form = PeriodForm(request.GET or None)
    period, edition = Period(), DEFAULT_EDITION
    if form.is_bound and form.is_valid():
        period = Period(form.cleaned_data.get("start"), form.cleaned_data.get("end"))
        edition = form.cleaned_data.get("edition") or DEFAULT_EDITION
    return form, period, edition


def _query(request) -> str:
    """The period and edition chosen, to carry over to the report, PDF and CSV links."""
    keep = request.GET.copy()
    keep.pop("figure", None)
    return keep.urlencode()


@require_GET
def dashboard(request, org_slug: str, dataset_id: int):
    dataset = _dataset(request, org_slug, dataset_id)
    form, period, edition = _choices(request)
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
        "query": _query(request),
    }
    return render(request, "impact/dashboard.html", context)


@require_GET
def dashboard_csv(request, org_slug: str, dataset_id: int):
    dataset = _dataset(request, org_slug, dataset_id)
    _, period, edition = _choices(request)
    figures = dashboard_figures(dataset, period=period, edition=edition)
    figure = request.GET.get("figure") or None
    if figure is not None and figure not in figures["figures"]:
        figure = None
    name = f"{rep.file_stem(figures)}-{figure.replace('_', '-') if figure else 'figures'}.csv"
    return csv_response(name, rep.CSV_HEADER, rep.csv_rows(figures, figure=figure))


def _report_context(request, org_slug: str, dataset_id: int) -> dict:
    dataset = _dataset(request, org_slug, dataset_id)
    _, period, edition = _choices(request)
    figures = dashboard_figures(dataset, period=period, edition=edition)
    return {
        "dataset": dataset,
        "organisation": dataset.organisation,
        "figures": figures,
        "f": figures["figures"],
        "charts": rep.charts(figures, compact=True),
        "sources": rep.sources_used(figures),
        "method": rep.method_notes(figures),
        "query": _query(request),
    }


@require_GET
def report(request, org_slug: str, dataset_id: int):
    return render(request, "impact/report.html", _report_context(request, org_slug, dataset_id))


@require_GET
def report_pdf(request, org_slug: str, dataset_id: int):
    context = _report_context(request, org_slug, dataset_id)
    pdf = rep.report_pdf(context, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{rep.file_stem(context["figures"])}-report.pdf"'
    )
    return response
