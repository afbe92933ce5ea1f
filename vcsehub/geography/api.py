"""The places API: areas (name, parents, population, deprivation) and postcodes."""

from __future__ import annotations

from dataclasses import fields

from django.http import HttpResponse
from django.urls import reverse
from ninja import Router, Status
from ninja.renderers import JSONRenderer

from vcsehub.geography import area_selectors
from vcsehub.geography import schemas as postcode_schemas
from vcsehub.geography.lookup import PostcodeResult, postcodes_lookup
from vcsehub.geography.models import AreaType
from vcsehub.geography.postcodes import postcode_check
from vcsehub.geography.schemas_areas import AreaErrorOut, AreaOut
from vcsehub.sources.registry import get_source

router = Router(tags=["places"])

_TYPE_LABELS = dict(AreaType.choices)


# -- areas -----------------------------------------------------------------------------------


@router.get(
    "/areas/{gss_code}",
    response={200: AreaOut, 404: AreaErrorOut},
    summary="An area: parents, population and deprivation",
)
def area_detail(request, gss_code: str):
    """A local authority, ward, combined authority or region by its ONS GSS code.

    Deprivation comes per edition: IoD2019 on 2011 small areas (residents weighted by the
    IoD2019 mid-2015 denominators) and IoD2025 on 2021 small areas (weighted by Census 2021
    usual residents). Each gives small areas by decile, N, missing and the shares of small
    areas and of residents in England's most deprived 10% and 20%. For wards, small areas
    are placed by their postcodes (derived, `derived: true`).
    """
    area = area_selectors.area_get(code=gss_code)
    if area is None:
        return Status(404, {"detail": f"No area with the code {gss_code!r} is loaded."})
    figures = area_selectors.area_figures(area=area)
    return Status(200, _area_out(figures, page=reverse("geography:area", args=[area.code])))


def _ref(area) -> dict:
    return {
        "code": area.code,
        "name": area.name,
        "type": area.type,
        "type_label": _TYPE_LABELS.get(area.type, area.type),
        "year": area.year or None,
    }


def _area_out(figures: area_selectors.AreaFigures, *, page: str) -> dict:
    area = figures.area
    population = []
    if figures.census_lsoas is not None and figures.census_lsoas.codes:
        people, counted, missing = figures.census or (None, 0, len(figures.census_lsoas.codes))
        population.append(
            {
                "edition": area_selectors.CENSUS_EDITION,
                "label": "Census 2021 usual residents",
                "people": people,
                "small_areas_counted": counted,
                "small_areas_missing": missing,
                "small_area_year": 2021,
                "source": "Office for National Statistics, Census 2021",
                "derived": figures.derived,
            }
        )
    deprivation = []
    for edition in figures.editions:
        profile, spec = edition.profile, edition.spec.edition
        if edition.spec.population_edition == area_selectors.MID2015_EDITION:
            population.append(
                {
                    "edition": area_selectors.MID2015_EDITION,
                    "label": "Mid-2015 population (IoD2019 denominators, excluding prisoners)",
                    "people": profile.population_total if profile.with_population else None,
                    "small_areas_counted": profile.with_population,
                    "small_areas_missing": profile.missing_population,
                    "small_area_year": 2011,
                    "source": spec.title,
                    "derived": figures.derived,
                }
            )
        deprivation.append(
            {
                "edition": spec.key,
                "label": spec.label,
                "title": spec.title,
                "published": spec.data_date,
                "population": spec.population_label,
                "small_areas": profile.lsoas_total,
                "n": profile.with_decile,
                "missing": profile.missing_population,
                "missing_codes": list(profile.missing_codes),
                "by_decile": [
                    {"decile": row.decile, "small_areas": row.lsoas, "residents": row.population}
                    for row in profile.rows
                ],
                "small_areas_decile_1": profile.lsoas_decile_1,
                "small_areas_deciles_1_2": profile.lsoas_decile_1_2,
                "share_of_small_areas_decile_1": profile.lsoa_share_decile_1,
                "share_of_small_areas_deciles_1_2": profile.lsoa_share_decile_1_2,
                "residents_counted": profile.population_total,
                "share_of_residents_decile_1": profile.people_share_decile_1,
                "share_of_residents_deciles_1_2": profile.people_share_decile_1_2,
                "summary": f"{profile.summary} {profile.population_summary}",
                "derived": edition.lsoas.derived,
                "attribution": [line for s in edition.sources for line in s.attribution],
            }
        )
    return {
        **_ref(area),
        "parents": [_ref(p) for p in figures.parents],
        "population": population,
        "deprivation": deprivation,
        "url": page,
    }


# -- postcodes -------------------------------------------------------------------------------
# Written by the postcode lookup; kept apart from the area endpoints above.

POSTCODE_RULES = (
    "A postcode with the format of a UK postcode always gets **200**: `found` says whether "
    "a loaded directory has it, and `status`/`reason` explain a miss in plain words "
    "(`not_found`: valid but not in the directories loaded; `terminated`: withdrawn, with "
    "where it used to be; `outside_england`: Welsh or Scottish, with WIMD 2019 or SIMD 2020 "
    "deciles instead of the English IMD). Text that is not a postcode gets **422** with "
    "the reason. No token is needed."
)


def _postcode_attribution(results: list[PostcodeResult]) -> list[str]:
    lines: list[str] = []
    for source_id in dict.fromkeys(s.id for r in results for s in r.sources):
        try:
            lines.extend(get_source(source_id).attribution)
        except LookupError:
            continue
    return list(dict.fromkeys(lines))


@router.get(
    "/postcodes/{postcode}",
    response={200: postcode_schemas.PostcodeOut, 422: postcode_schemas.PostcodeError},
    summary="Look up one postcode: small areas, ward, district, deprivation",
    description=POSTCODE_RULES,
    auth=None,
)
def postcode_detail(request, postcode: str):
    check = postcode_check(postcode)
    if not check.valid:
        return Status(422, {"detail": check.reason})
    return Status(200, _result_dict(postcodes_lookup([postcode])[0]))


@router.post(
    "/postcodes",
    response={200: postcode_schemas.PostcodesOut, 400: postcode_schemas.PostcodeError},
    summary=f"Look up to {postcode_schemas.MAX_BATCH:,} postcodes at once",
    description=(
        "Results come back in the order asked, one per postcode given (duplicates are "
        "answered each time). Invalid postcodes are answered with `status: invalid` and "
        f"the reason. More than {postcode_schemas.MAX_BATCH:,} postcodes gets **400**. "
        + POSTCODE_RULES.replace("Text that is not a postcode gets **422** with the reason. ", "")
    ),
    auth=None,
)
def postcodes_batch(request, body: postcode_schemas.PostcodesIn):
    if len(body.postcodes) > postcode_schemas.MAX_BATCH:
        detail = (
            f"Too many postcodes: {len(body.postcodes):,} were sent, and the limit is "
            f"{postcode_schemas.MAX_BATCH:,} at a time. Split them into smaller batches."
        )
        return Status(400, {"detail": detail})
    results = postcodes_lookup(body.postcodes)
    payload = {
        "count": len(results),
        "found": sum(1 for r in results if r.found),
        "results": [_result_dict(r) for r in results],
        "attribution": _postcode_attribution(results),
    }
    # Rendered here, as the API would, but without validating each result through the
    # PostcodesOut schema again: for 1,000 results that took over half the time of the call.
    # The results are built to that schema (tests check a reply against it), and it still
    # documents the reply in the OpenAPI schema.
    content = _JSON.render(request, payload, response_status=200)
    return HttpResponse(content, content_type=f"{_JSON.media_type}; charset={_JSON.charset}")


_JSON = JSONRenderer()  # the renderer the API itself uses (config/api.py sets no other)


_RESULT_FIELDS = tuple(
    f.name for f in fields(PostcodeResult) if f.name not in {"sources", "derived_fields"}
)


def _result_dict(result: PostcodeResult) -> dict:
    """A shallow conversion: dataclasses.asdict deep-copies every value and dominated batch time."""
    out = {name: getattr(result, name) for name in _RESULT_FIELDS}
    out["sources"] = [{"id": s.id, "title": s.title, "derived": s.derived} for s in result.sources]
    out["derived_fields"] = list(result.derived_fields)
    return out
