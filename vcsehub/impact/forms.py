"""Forms of the impact pages: upload a file, choose columns, compare periods, delete a dataset."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from vcsehub.impact.mapping import ColumnSuggestion
from vcsehub.impact.models import Dataset, Field
from vcsehub.impact.reading import max_upload_bytes

NOT_STORED = ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Your spreadsheet",
        help_text=(
            "A CSV file or an Excel workbook (.xlsx), up to {size} MB. Macro-enabled "
            "workbooks (.xlsm) are not accepted."
        ),
    )
    sheet = forms.CharField(
        label="Sheet (optional)",
        required=False,
        max_length=200,
        help_text="For a workbook with several sheets: the name of the sheet to read. "
        "Leave blank to read the first one; you can choose another on the next page.",
    )
    dataset = forms.ModelChoiceField(
        label="Add it to an existing dataset",
        queryset=Dataset.objects.none(),
        required=False,
        empty_label="No: start a new dataset",
        help_text="Choose a dataset to add a new period's file to it. Rows already in the "
        "dataset are not stored twice.",
    )
    new_dataset_name = forms.CharField(
        label="Or name a new dataset",
        required=False,
        max_length=200,
        help_text="For example: Food bank visits.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset"].queryset = Dataset.objects.filter(organisation=organisation)
        size = max_upload_bytes() // (1024 * 1024)
        self.fields["file"].help_text = self.fields["file"].help_text.format(size=size)

    def clean(self):
        data = super().clean()
        if not data.get("dataset") and not (data.get("new_dataset_name") or "").strip():
            self.add_error(
                "new_dataset_name", "Choose an existing dataset, or give the new dataset a name."
            )
        return data


class MappingForm(forms.Form):
    """One choice per column that may be stored; personal columns get no choice at all."""

    scale_min = forms.DecimalField(
        label="Lowest possible score", required=False, max_digits=8, decimal_places=2
    )
    scale_max = forms.DecimalField(
        label="Highest possible score", required=False, max_digits=8, decimal_places=2
    )

    def __init__(
        self, *args, columns: list[ColumnSuggestion], sheets: list[str], sheet: str, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.columns = columns
        for column in columns:
            if column.allowed == {NOT_STORED}:
                continue
            choices = [(NOT_STORED, "Not stored")] + [
                (value, label) for value, label in Field.choices if value in column.allowed
            ]
            self.fields[f"column_{column.index}"] = forms.ChoiceField(
                label=column.title,
                choices=choices,
                required=False,
                initial=column.field,
            )
        if len(sheets) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label="Sheet to read",
                choices=[(s, s) for s in sheets],
                initial=sheet,
                help_text="Choosing another sheet reads it afresh and suggests its columns again.",
            )

    def field_for(self, column: ColumnSuggestion):
        name = f"column_{column.index}"
        return self[name] if name in self.fields else None

    def mapping(self) -> dict[str, str]:
        return {
            column.title: self.cleaned_data.get(f"column_{column.index}") or ""
            for column in self.columns
            if f"column_{column.index}" in self.fields
        }

    def scale(self) -> tuple[Decimal, Decimal] | None:
        low, high = self.cleaned_data.get("scale_min"), self.cleaned_data.get("scale_max")
        if low is None or high is None:
            return None
        return low, high

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if (low is None) != (high is None):
            self.add_error("scale_max", "Give both the lowest and the highest score, or neither.")
        elif low is not None and low >= high:
            self.add_error("scale_max", "The highest score must be above the lowest.")
        return data


class CompareForm(forms.Form):
    first_start = forms.DateField(
        label="First period: from", widget=forms.DateInput(attrs={"type": "date"})
    )
    first_end = forms.DateField(
        label="First period: to", widget=forms.DateInput(attrs={"type": "date"})
    )
    second_start = forms.DateField(
        label="Second period: from", widget=forms.DateInput(attrs={"type": "date"})
    )
    second_end = forms.DateField(
        label="Second period: to", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        for prefix in ("first", "second"):
            start, end = data.get(f"{prefix}_start"), data.get(f"{prefix}_end")
            if start and end and start > end:
                self.add_error(f"{prefix}_end", "The end of a period must not be before its start.")
        return data


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that every record in this dataset will be deleted and cannot be brought back",
        required=True,
    )
