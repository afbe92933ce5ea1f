"""Impact pages: upload a spreadsheet, choose its columns, read the checks, save or discard,
and look after datasets over time (periods, compare, delete).

Views are thin: `vcsehub.sharing.access` decides who may do what (viewers see, editors and
owners upload, save and delete; everyone else gets 404), services and selectors do the work.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vcsehub.common.safe_csv import csv_response
from vcsehub.impact import compare, selectors, services
from vcsehub.impact.forms import CompareForm, DeleteForm, MappingForm, UploadForm
from vcsehub.impact.mapping import MappingError
from vcsehub.impact.models import Upload
from vcsehub.impact.privacy import KIND_LABELS
from vcsehub.sharing import access
from vcsehub.sharing.access import Need
from vcsehub.sources.errors import DataError

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_LABELS = {"error": "Rows not stored", "warning": "Values left out", "info": "Good to know"}


def _organisation(request, slug: str, need: Need = Need.VIEW):
    return access.organisation_for_user_or_404(request.user, slug, need=need)


def _dataset(request, slug: str, pk: int, need: Need = Need.VIEW):
    dataset = selectors.dataset_get_for_user(request.user, pk, need)
    if dataset.organisation.slug != slug:
        raise Http404("No dataset found")
    return dataset


def _upload(request, slug: str, pk: int, need: Need = Need.VIEW) -> Upload:
    upload = selectors.upload_get_for_user(request.user, pk, need)
    if upload.organisation.slug != slug:
        raise Http404("No upload found")
    return upload


def index(request):
    if not request.user.is_authenticated:
        return render(request, "impact/index.html", {"signed_in": False})
    organisations = list(access.organisations_visible_to(request.user))
    datasets = list(selectors.datasets_for_user(user=request.user))
    rows = [
        {
            "organisation": organisation,
            "can_edit": access.can_edit_organisation_data(request.user, organisation),
            "datasets": [d for d in datasets if d.organisation_id == organisation.pk],
        }
        for organisation in organisations
    ]
    return render(request, "impact/index.html", {"signed_in": True, "rows": rows})


@login_required
def organisation_datasets(request, slug):
    organisation = _organisation(request, slug)
    can_edit = access.can_edit_organisation_data(request.user, organisation)
    return render(
        request,
        "impact/organisation.html",
        {
            "organisation": organisation,
            "datasets": selectors.datasets_for_organisation(organisation=organisation),
            "waiting": selectors.uploads_waiting(organisation=organisation) if can_edit else [],
            "can_edit": can_edit,
        },
    )


@login_required
def upload_new(request, slug):
    organisation = _organisation(request, slug, Need.EDIT)
    initial = {}
    if request.GET.get("dataset", "").isdigit():
        initial["dataset"] = int(request.GET["dataset"])
    form = UploadForm(
        request.POST or None, request.FILES or None, organisation=organisation, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            upload = services.upload_create(
                organisation=organisation,
                user=request.user,
                source=file,
                name=file.name,
                dataset=form.cleaned_data["dataset"],
                dataset_name=form.cleaned_data["new_dataset_name"],
                sheet=form.cleaned_data["sheet"],
            )
        except DataError as error:
            form.add_error("file", f"{error.message}. {error.fix}".strip())
        except ValidationError as error:
            form.add_error("new_dataset_name", error)
        else:
            return redirect("impact:upload_columns", slug=slug, pk=upload.pk)
    return render(request, "impact/upload_form.html", {"organisation": organisation, "form": form})


def _plain(value):
    return None if value is None else value.normalize()


@login_required
def upload_columns(request, slug, pk):
    upload = _upload(request, slug, pk, Need.EDIT)
    if upload.status != Upload.Status.CHECKING:
        return redirect("impact:upload_checks", slug=slug, pk=upload.pk)
    try:
        view = services.upload_columns(upload=upload)
    except DataError as error:
        messages.error(request, f"{error.message}. {error.fix}")
        return redirect("impact:organisation", slug=slug)
    initial = {
        # 1 and 10, not 1.00 and 10.00
        "scale_min": _plain(upload.outcome_scale_min),
        "scale_max": _plain(upload.outcome_scale_max),
    }
    form = MappingForm(
        request.POST or None,
        columns=view.columns,
        sheets=upload.sheets,
        sheet=upload.sheet,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        sheet = form.cleaned_data.get("sheet")
        old_sheet = upload.sheet
        try:
            services.upload_remap(
                upload=upload, mapping=form.mapping(), scale=form.scale(), sheet=sheet
            )
        except (MappingError, DataError) as error:
            form.add_error(None, str(error))
        else:
            if sheet and sheet != old_sheet:
                messages.info(request, f"The sheet {sheet!r} was read. Check its columns.")
                return redirect("impact:upload_columns", slug=slug, pk=upload.pk)
            return redirect("impact:upload_checks", slug=slug, pk=upload.pk)
    rows = [
        (column, form.field_for(column), KIND_LABELS.get(column.personal or "", ""))
        for column in view.columns
    ]
    return render(
        request,
        "impact/mapping.html",
        {"organisation": upload.organisation, "upload": upload, "form": form, "rows": rows},
    )


def _grouped_report(upload: Upload) -> list[dict]:
    groups = []
    for severity in sorted({r["severity"] for r in upload.report}, key=SEVERITY_ORDER.get):
        groups.append(
            {
                "severity": severity,
                "label": SEVERITY_LABELS[severity],
                "results": [r for r in upload.report if r["severity"] == severity],
            }
        )
    return groups


@login_required
def upload_checks(request, slug, pk):
    upload = _upload(request, slug, pk)
    return render(
        request,
        "impact/checks.html",
        {
            "organisation": upload.organisation,
            "upload": upload,
            "groups": _grouped_report(upload),
            "can_edit": access.can_edit_organisation_data(request.user, upload.organisation),
            "dataset_name": upload.dataset.name if upload.dataset else upload.new_dataset_name,
        },
    )


@login_required
def upload_checks_csv(request, slug, pk):
    upload = _upload(request, slug, pk)
    rows = []
    for result in upload.report:
        cells = result["cells"] or [[None, None]]
        for row, column in cells:
            rows.append(
                [
                    result["severity"],
                    result["title"],
                    result["count"],
                    result["message"],
                    row or "",
                    column or "",
                ]
            )
    return csv_response(
        f"checks-upload-{upload.pk}.csv",
        ["severity", "check", "count", "message", "row", "column"],
        rows,
    )


@login_required
@require_POST
def upload_confirm(request, slug, pk):
    upload = _upload(request, slug, pk, Need.EDIT)
    try:
        upload = services.upload_confirm(upload=upload, user=request.user)
    except DataError as error:
        messages.error(request, f"{error.message}. {error.fix}")
        return redirect("impact:upload_checks", slug=slug, pk=pk)
    messages.success(
        request,
        f"{upload.rows_stored:,} rows were saved to {upload.dataset.name}. The file itself was deleted.",
    )
    return redirect("impact:dataset", slug=slug, pk=upload.dataset.pk)


@login_required
@require_POST
def upload_discard(request, slug, pk):
    upload = _upload(request, slug, pk, Need.EDIT)
    try:
        services.upload_discard(upload=upload)
    except DataError as error:
        messages.error(request, f"{error.message}. {error.fix}")
    else:
        messages.success(request, f"{upload.original_name} was discarded. Nothing was saved.")
    return redirect("impact:organisation", slug=slug)


@login_required
def dataset_detail(request, slug, pk):
    dataset = _dataset(request, slug, pk)
    return render(
        request,
        "impact/dataset.html",
        {
            "organisation": dataset.organisation,
            "dataset": dataset,
            "uploads": selectors.uploads_for_dataset(dataset=dataset),
            "dates": selectors.dataset_dates(dataset=dataset),
            "can_edit": access.can_edit_organisation_data(request.user, dataset.organisation),
        },
    )


@login_required
def dataset_compare(request, slug, pk):
    dataset = _dataset(request, slug, pk)
    form = CompareForm(request.GET or None)
    comparison = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        comparison = compare.period_comparison(
            dataset=dataset,
            first=compare.Span(data["first_start"], data["first_end"]),
            second=compare.Span(data["second_start"], data["second_end"]),
        )
    return render(
        request,
        "impact/compare.html",
        {
            "organisation": dataset.organisation,
            "dataset": dataset,
            "form": form,
            "comparison": comparison,
        },
    )


@login_required
def dataset_delete(request, slug, pk):
    dataset = _dataset(request, slug, pk, Need.EDIT)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = dataset.name
        counts = services.dataset_delete(dataset=dataset)
        messages.success(
            request, f"{name} and its {counts['records']:,} records were deleted for good."
        )
        return redirect("impact:organisation", slug=slug)
    return render(
        request,
        "impact/dataset_delete.html",
        {
            "organisation": dataset.organisation,
            "dataset": dataset,
            "form": form,
            "record_count": dataset.records.count(),
        },
    )
