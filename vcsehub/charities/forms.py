"""Forms of the charity pages: the search filters (GET) and saving a question (POST)."""

from __future__ import annotations

from django import forms

from vcsehub.charities.classification import INCOME_BAND_NONE_LABEL, INCOME_BANDS
from vcsehub.charities.models import Register, SavedQuestion, Status
from vcsehub.geography.area_selectors import CURRENT_LAD
from vcsehub.geography.models import Area, AreaType

LAD_MODE_CHOICES = (
    ("based", "Based in (registered postcode)"),
    ("works", "Works in (area of operation)"),
)


def lad_choices() -> list[tuple[str, str]]:
    lads = Area.objects.filter(CURRENT_LAD, type=AreaType.LAD).order_by("name", "-year")
    seen: dict[str, str] = {}
    for code, name in lads.values_list("code", "name"):
        seen.setdefault(code, name)
    return [("", "Any local authority"), *((code, name) for code, name in seen.items())]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Name, charity number or org-id",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    register = forms.ChoiceField(
        label="Register",
        required=False,
        choices=[("", "Any register"), *Register.choices],
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Active or removed"), (Status.REGISTERED, "Active (registered)"),
                 (Status.REMOVED, "Removed")],
    )  # fmt: skip
    income_band = forms.ChoiceField(
        label="Latest yearly income",
        required=False,
        choices=[
            ("", "Any income"),
            *((band.code, band.label) for band in INCOME_BANDS),
            ("none", INCOME_BAND_NONE_LABEL),
        ],
    )
    classification = forms.ChoiceField(
        label="Cause, beneficiaries or method", required=False, choices=[("", "Any")]
    )
    lad = forms.ChoiceField(label="Local authority", required=False, choices=[])
    lad_mode = forms.ChoiceField(
        label="Count charities that are",
        required=False,
        choices=LAD_MODE_CHOICES,
        widget=forms.RadioSelect,
        initial="based",
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput
    )

    def __init__(self, *args, classification_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lad"].choices = lad_choices()
        chosen = (self.data.get("classification") or "").strip()
        choices = [("", "Any"), *classification_choices]
        if chosen and chosen not in {value for value, _ in choices}:
            choices.append((chosen, chosen))
        self.fields["classification"].choices = choices

    def filters(self) -> dict[str, str]:
        """The filters chosen, for organisation_search and saved questions (empty ones left out)."""
        data = self.cleaned_data
        found = {
            key: data.get(key) or ""
            for key in ("q", "register", "status", "income_band", "classification", "lad")
        }
        found = {key: " ".join(value.split()) for key, value in found.items() if value}
        if found.get("lad"):
            found["lad_mode"] = data.get("lad_mode") or "based"
        return found


class SaveQuestionForm(forms.Form):
    title = forms.CharField(
        label="Title of your question",
        max_length=200,
        help_text="For example: Charities working with children in Sandwell, by size.",
    )
    kind = forms.ChoiceField(choices=SavedQuestion.Kind.choices, widget=forms.HiddenInput)
