"""Saved questions: a search or an area profile kept by its definition, with a public address.

We store the question (the filters, or the area), never the answer, so a saved question
shows the figures of the data loaded now, and its data date.
"""

from __future__ import annotations

import secrets

from django.utils.text import slugify

from vcsehub.charities.classification import INCOME_BAND_LABELS
from vcsehub.charities.models import Classification, Register, SavedQuestion, Status
from vcsehub.charities.search import LAD_MODES, register_code
from vcsehub.geography.models import Area

SEARCH_KEYS = ("q", "register", "status", "income_band", "classification", "lad", "lad_mode")
MAX_TITLE = 200


def search_params_clean(params) -> dict[str, str]:
    """The search filters of a query dict or dict: known keys with a value, trimmed.

    lad_mode is kept only with a local authority. Raises ValueError for a register,
    status or income band that does not exist (the same checks as the search).
    """
    clean: dict[str, str] = {}
    for key in SEARCH_KEYS:
        value = " ".join(str(params.get(key) or "").split())[:200]
        if value:
            clean[key] = value
    if "register" in clean:
        clean["register"] = register_code(clean["register"])
    if "status" in clean and clean["status"].lower() not in Status.values:
        raise ValueError(f"There is no status called {clean['status']!r}.")
    if "income_band" in clean:
        band = clean["income_band"].lower()
        if band != "none" and band not in INCOME_BAND_LABELS:
            raise ValueError(f"There is no income band called {clean['income_band']!r}.")
    if "lad" in clean:
        clean["lad"] = clean["lad"].upper()
        mode = clean.get("lad_mode", "based")
        if mode not in LAD_MODES:
            raise ValueError("Choose based in or works in for the local authority.")
        clean["lad_mode"] = mode
    else:
        clean.pop("lad_mode", None)
    return clean


def search_definition(params: dict[str, str]) -> list[str]:
    """The filters of a search in words, one line each."""
    lines = []
    if params.get("q"):
        lines.append(f"Name, charity number or org-id matches “{params['q']}”")
    if params.get("register"):
        lines.append(
            f"Register: {dict(Register.choices).get(params['register'], params['register'])}"
        )
    if params.get("status"):
        label = dict(Status.choices).get(params["status"].lower(), params["status"])
        lines.append(f"Status: {label.lower()}")
    if params.get("income_band"):
        band = "" if params["income_band"] == "none" else params["income_band"]
        lines.append(f"Latest income: {INCOME_BAND_LABELS.get(band, band)}")
    if params.get("classification"):
        code = params["classification"]
        label = (
            Classification.objects.filter(code=code).values_list("label", flat=True).first() or code
        )
        lines.append(f"Cause, beneficiaries or method: {label}")
    if params.get("lad"):
        area = Area.objects.filter(code=params["lad"]).order_by("-year").first()
        place = f"{area.name} ({area.code})" if area else params["lad"]
        if params.get("lad_mode") == "works":
            lines.append(f"Works in {place} (the charity names it as an area of operation)")
        else:
            lines.append(f"Based in {place} (registered postcode)")
    return lines or ["Every charity on the registers loaded"]


def saved_question_create(*, owner, title: str, kind: str, params: dict[str, str]) -> SavedQuestion:
    title = " ".join((title or "").split())[:MAX_TITLE]
    if not title:
        raise ValueError("Give the question a title.")
    if kind == SavedQuestion.Kind.SEARCH:
        params = search_params_clean(params)
    elif kind == SavedQuestion.Kind.AREA:
        code = str(params.get("code") or "").strip().upper()
        if not Area.objects.filter(code=code).exists():
            raise ValueError(f"There is no area with the code {code!r}.")
        params = {"code": code}
    else:
        raise ValueError(f"There is no kind of question called {kind!r}.")
    slug = f"{slugify(title)[:28].strip('-') or 'question'}-{secrets.token_hex(4)}"
    return SavedQuestion.objects.create(
        slug=slug, title=title, kind=kind, params=params, owner=owner
    )


def saved_question_get(*, slug: str) -> SavedQuestion | None:
    return SavedQuestion.objects.filter(slug=slug).first()


def saved_questions_of(*, owner) -> list[SavedQuestion]:
    """The questions a user saved, newest first."""
    return list(SavedQuestion.objects.filter(owner=owner).order_by("-created_at", "-id"))


def saved_question_delete(*, owner, slug: str) -> bool:
    """Delete one of the user's own questions. False if they have none with this address."""
    deleted, _ = SavedQuestion.objects.filter(owner=owner, slug=slug).delete()
    return bool(deleted)


def saved_question_definition(question: SavedQuestion) -> list[str]:
    """What a saved question asks, in words, one line each (without working it out)."""
    if question.kind == SavedQuestion.Kind.SEARCH:
        try:
            return search_definition(search_params_clean(question.params))
        except ValueError:
            return ["A search whose filters no longer exist"]
    code = str(question.params.get("code", ""))
    area = Area.objects.filter(code=code).order_by("-year").first()
    return [f"Charity profile of {area.name} ({code})" if area else f"Charity profile of {code}"]
