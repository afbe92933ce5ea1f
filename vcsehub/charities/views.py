"""Charity pages: search, an organisation, an area's charity profile, saved questions.

Thin: the reads are in search.py, detail.py and profile.py, the figures in
vcsehub.analytics.charities, and the JSON shapes in api.py (shared with the API).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from vcsehub.analytics.charities import CSV_HEADER, INACTIVE_RULE
from vcsehub.charities import api as shape
from vcsehub.charities import profile as profile_reads
from vcsehub.charities.detail import organisation_detail
from vcsehub.charities.forms import SaveQuestionForm, SearchForm
from vcsehub.charities.models import Register, SavedQuestion
from vcsehub.charities.saved import (
    saved_question_create,
    saved_question_definition,
    saved_question_delete,
    saved_question_get,
    saved_questions_of,
    search_definition,
    search_params_clean,
)
from vcsehub.charities.search import organisation_search
from vcsehub.common.safe_csv import csv_response
from vcsehub.sources.registry import get_source

PAGE_SIZE = 20
CSV_MAX_ROWS = 5_000
LIST_PAGE_SIZE = 50
ORG_CSV_HEADER = (
    "org_id", "name", "register", "registered_number", "status", "latest_income",
    "income_band", "latest_period_end", "date_registered", "date_removed",
    "based_in_postcode", "based_in_lsoa21", "based_in_ward", "based_in_lad",
)  # fmt: skip


def _sources(ids) -> list:
    found = []
    for source_id in ids:
        try:
            found.append(get_source(source_id))
        except LookupError:
            continue
    return found


def _org_row(charity) -> tuple:
    return (
        charity.org_id,
        charity.name,
        dict(Register.choices).get(charity.register, charity.register),
        charity.registered_number,
        charity.status,
        charity.latest_income,
        charity.income_band,
        charity.latest_period_end,
        charity.date_registered,
        charity.date_removed,
        charity.postcode,
        charity.lsoa21,
        charity.ward_code,
        charity.lad_code,
    )


# -- search ---------------------------------------------------------------------------------------


def _search(params: dict, page: int, page_size: int = PAGE_SIZE):
    return organisation_search(
        q=params.get("q", ""),
        register=params.get("register"),
        status=params.get("status"),
        income_band=params.get("income_band"),
        classification=params.get("classification"),
        lad_code=params.get("lad"),
        lad_mode=params.get("lad_mode", "based"),
        page=page,
        page_size=page_size,
    )


def search_context(params: dict, *, page: int = 1) -> dict:
    """Results, facets (with links that add each filter) and paging for a set of filters."""
    result = _search(params, page)
    facets = {}
    for name, values in result.facets.items():
        facets[name] = [
            {
                "label": f.label,
                "count": f.count,
                "chosen": params.get(name) == f.value,
                "url": "?" + urlencode({**params, name: f.value}),
            }
            for f in values
        ]
    pages = max(1, -(-result.total // PAGE_SIZE))
    return {
        "result": result,
        "facets": facets,
        "page": page,
        "pages": pages,
        "previous_url": "?" + urlencode({**params, "page": page - 1}) if page > 1 else "",
        "next_url": "?" + urlencode({**params, "page": page + 1}) if page < pages else "",
        "csv_url": reverse("charities:search_csv") + "?" + urlencode(params),
        "definition": search_definition(params),
        "data_dates": shape.register_data_dates(),
    }


@require_GET
def search(request):
    probe = SearchForm(request.GET or None)
    form = probe
    context: dict = {"searched": bool(request.GET)}
    params: dict = {}
    if request.GET and probe.is_valid():
        params = probe.filters()
        context.update(search_context(params, page=probe.cleaned_data.get("page") or 1))
        choices = [
            (f.value, f"{f.label} ({f.count:,})")
            for f in context["result"].facets.get("classification", [])
        ]
        form = SearchForm(request.GET, classification_choices=choices)
        form.is_valid()
    elif not request.GET:
        form = SearchForm()
    context.update(
        {
            "form": form,
            "params": params,
            "save_form": SaveQuestionForm(initial={"kind": SavedQuestion.Kind.SEARCH}),
            "sources": _sources(profile_reads.REGISTER_SOURCES),
        }
    )
    return render(request, "charities/search.html", context)


@require_GET
def search_csv(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("These search filters are not valid.")
    params = form.filters()
    return _search_csv(params, "charities-search.csv")


def _search_csv(params: dict, filename: str):
    rows = []
    page = 1
    while len(rows) < CSV_MAX_ROWS:
        result = _search(params, page, page_size=100)
        rows += [_org_row(c) for c in result.items]
        if page * 100 >= result.total or not result.items:
            break
        page += 1
    return csv_response(filename, ORG_CSV_HEADER, rows[:CSV_MAX_ROWS])


# -- an organisation ----------------------------------------------------------------------------


def _detail_or_404(org_id: str):
    detail = organisation_detail(org_id=org_id)
    if detail is None:
        raise Http404("No organisation with this org-id is loaded.")
    return detail


@require_GET
def organisation(request, org_id: str):
    detail = _detail_or_404(org_id)
    if detail.charity.org_id != org_id:
        return redirect("charities:organisation", detail.charity.org_id)
    money = shape.organisation_finances(detail)
    sources = _sources([detail.source_id])
    if detail.placement is not None:
        sources += [
            s for s in _sources([u.id for u in detail.placement.sources]) if s not in sources
        ]
    if any(a.gss_code for a in detail.areas_of_operation):
        sources += _sources(["charity-area-lookup"])
    if any(link.reason.startswith("dual-registered") for link in detail.linked_ids):
        sources += _sources(["charity-dual-registered"])
    context = {
        "detail": detail,
        "charity": detail.charity,
        "payload": shape.organisation_payload(detail),
        "inactive": shape.organisation_inactive(detail),
        "inactive_rule": INACTIVE_RULE,
        "money": money,
        "source": get_source(detail.source_id),
        "sources": sources,
    }
    return render(request, "charities/organisation.html", context)


@require_GET
def organisation_json(request, org_id: str):
    payload = shape.organisation_payload(_detail_or_404(org_id))
    return JsonResponse(payload, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 1})


@require_GET
def organisation_csv(request, org_id: str):
    detail = _detail_or_404(org_id)
    payload = shape.organisation_payload(detail)
    rows: list[tuple] = []
    for key in (
        "org_id", "name", "register_label", "registered_number", "status", "register_status",
        "charity_type", "date_registered", "date_removed", "removal_reason", "company_number",
        "website", "latest_income", "latest_expenditure", "latest_period_end", "trustee_count",
    ):  # fmt: skip
        rows.append(("organisation", key, payload[key]))
    for key, value in payload["based_in"].items():
        rows.append(("based in", key, value))
    for area in payload["works_in"]:
        rows.append(
            ("works in", area["area_type"], f"{area['description']} {area['gss_code']}".strip())
        )
    for kind in ("what", "who", "how"):
        for label in payload[kind]:
            rows.append((kind, "category", label))
    for link in payload["linked_org_ids"]:
        rows.append(("linked org-id", link["org_id"], link["reason"]))
    for year in payload["finances"]:
        rows.append(("income", f"year ending {year['period_end']}", year["income"]))
        rows.append(("spending", f"year ending {year['period_end']}", year["expenditure"]))
    inactive = payload["possibly_inactive"]
    rows.append(("possibly inactive", "flag", inactive["flag"]))
    rows.append(("possibly inactive", "reason", inactive["reason"]))
    rows.append(("source", payload["source"]["title"], payload["source"]["data_date"]))
    return csv_response(f"{detail.charity.org_id}.csv", ("section", "field", "value"), rows)


# -- an area's charity profile ---------------------------------------------------------------------


def _area_or_404(gss_code: str):
    area = shape.profile_area_get(gss_code)
    if area is None:
        raise Http404("No local authority or ward with this code is loaded.")
    return area


def area_profile_context(area, *, page: int = 1, mode: str = profile_reads.BASED) -> dict:
    """What the profile section needs (the area page's include uses it too)."""
    data, figures = shape.area_profile_build(area)
    mode = mode if mode in (profile_reads.BASED, profile_reads.WORKS) else profile_reads.BASED
    organisations, total = profile_reads.area_organisations(
        area=area,
        mode=mode,
        page=page,
        page_size=LIST_PAGE_SIZE,
        total=(data.based if mode == profile_reads.BASED else data.works).active,
    )
    pages = max(1, -(-total // LIST_PAGE_SIZE))
    return {
        "area": area,
        "data": data,
        "profile": figures,
        "list_mode": mode,
        "organisations": organisations,
        "organisations_total": total,
        "list_page": page,
        "list_pages": pages,
        "profile_sources": _sources(data.sources_used),
    }


@require_GET
def area(request, gss_code: str):
    place = _area_or_404(gss_code)
    try:
        page = max(1, min(int(request.GET.get("page", 1)), 10_000))
    except ValueError:
        page = 1
    context = area_profile_context(place, page=page, mode=request.GET.get("list", "based"))
    context["save_form"] = SaveQuestionForm(
        initial={"kind": SavedQuestion.Kind.AREA, "title": f"Charities in {place.name}"}
    )
    context["sources"] = context["profile_sources"]
    return render(request, "charities/area.html", context)


@require_GET
def area_csv(request, gss_code: str):
    place = _area_or_404(gss_code)
    _, figures = shape.area_profile_build(place)
    return csv_response(f"{place.code}-charity-profile.csv", CSV_HEADER, figures.csv_rows())


@require_GET
def area_organisations_csv(request, gss_code: str):
    place = _area_or_404(gss_code)
    mode = request.GET.get("list", profile_reads.BASED)
    if mode not in (profile_reads.BASED, profile_reads.WORKS):
        return HttpResponseBadRequest("list must be based or works.")
    charities = profile_reads.area_organisations_all(area=place, mode=mode)
    rows = (_org_row(c) for c in charities.iterator(chunk_size=2000))
    return csv_response(f"{place.code}-charities-{mode}.csv", ORG_CSV_HEADER, rows)


# -- saved questions -------------------------------------------------------------------------------


@login_required
@require_POST
def saved_create(request):
    form = SaveQuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the question a title of up to 200 characters.")
        back = request.POST.get("back") or ""
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect("charities:search")
    kind = form.cleaned_data["kind"]
    params = (
        request.POST if kind == SavedQuestion.Kind.SEARCH else {"code": request.POST.get("code")}
    )
    try:
        question = saved_question_create(
            owner=request.user, title=form.cleaned_data["title"], kind=kind, params=params
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("charities:search")
    messages.success(request, "Your question is saved. Its address below stays the same.")
    return redirect("charities:saved", question.slug)


@login_required
@require_GET
def saved_list(request):
    """The signed-in user's saved questions (only their own)."""
    data_dates = shape.register_data_dates()
    questions = []
    for question in saved_questions_of(owner=request.user):
        register = question.params.get("register") if question.kind == "search" else None
        questions.append(
            {
                "question": question,
                "definition": saved_question_definition(question),
                # A search of one register depends on that register's data only.
                "data_dates": {
                    source: when
                    for source, when in data_dates.items()
                    if not register or source == register
                },
            }
        )
    context = {
        "questions": questions,
        "data_dates": data_dates,
        "sources": _sources(profile_reads.REGISTER_SOURCES),
    }
    return render(request, "charities/saved_list.html", context)


@login_required
@require_POST
def saved_delete(request, slug: str):
    if not saved_question_delete(owner=request.user, slug=slug):
        # Someone else's question, or none: the same answer, so addresses cannot be probed.
        raise Http404("You have no saved question with this address.")
    messages.success(request, "The saved question is deleted. Its address no longer works.")
    return redirect("charities:saved_list")


def _saved_or_404(slug: str) -> SavedQuestion:
    question = saved_question_get(slug=slug)
    if question is None:
        raise Http404("No saved question has this address.")
    return question


@require_GET
def saved(request, slug: str):
    question = _saved_or_404(slug)
    context: dict = {"question": question}
    if question.kind == SavedQuestion.Kind.SEARCH:
        params = search_params_clean(question.params)
        try:
            page = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page = 1
        context.update(search_context(params, page=page))
        context["search_url"] = reverse("charities:search") + "?" + urlencode(params)
        context["sources"] = _sources(profile_reads.REGISTER_SOURCES)
    else:
        place = _area_or_404(question.params.get("code", ""))
        context.update(area_profile_context(place))
        context["definition"] = [f"Charity profile of {place.name} ({place.code})"]
        context["sources"] = context["profile_sources"]
    context["csv_url"] = reverse("charities:saved_csv", args=[question.slug])
    return render(request, "charities/saved.html", context)


@require_GET
def saved_csv(request, slug: str):
    question = _saved_or_404(slug)
    if question.kind == SavedQuestion.Kind.SEARCH:
        return _search_csv(search_params_clean(question.params), f"{question.slug}.csv")
    place = _area_or_404(question.params.get("code", ""))
    _, figures = shape.area_profile_build(place)
    return csv_response(f"{question.slug}.csv", CSV_HEADER, figures.csv_rows())
