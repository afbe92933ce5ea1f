"""360Giving grants, the files they came from, and what was wrong with each file.

A Dataset is one publisher's file (one entry of the 360Giving registry, or one file
imported by hand). Each import of a file is an ImportRun (sources app) that replaces that
dataset's grants all-or-nothing and records the file's own licence. Organisation ids are
stored normalised (see normalise.org_id) so the charities app can link them.
"""

from __future__ import annotations

from django.db import models

from vcsehub.sources.models import ImportRun


class Publisher(models.Model):
    """A 360Giving publisher, from the registry (prefix such as 360G-LBFEW)."""

    prefix = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=300)
    website = models.URLField(max_length=500, blank=True)
    org_id = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    """One grants file: its registry entry (if any), licence and last successful import."""

    identifier = models.CharField(
        max_length=200, unique=True, help_text="registry identifier, or the name given at import"
    )
    title = models.CharField(max_length=500, blank=True)
    publisher = models.ForeignKey(
        Publisher, null=True, blank=True, on_delete=models.SET_NULL, related_name="datasets"
    )
    licence = models.CharField(max_length=200, blank=True, help_text="licence name, e.g. CC BY 4.0")
    licence_url = models.URLField(max_length=500, blank=True)
    download_url = models.URLField(max_length=1000, blank=True)
    access_url = models.URLField(max_length=1000, blank=True)
    issued = models.CharField(max_length=40, blank=True)
    modified = models.CharField(max_length=40, blank=True)
    last_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.title or self.identifier


class Funder(models.Model):
    """An organisation that funds grants, by its (normalised) org-id."""

    org_id = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=500)
    # Filled by vcsehub.grants.placing (migration 0003), like the recipients' links.
    register_org_id = models.CharField(
        max_length=40, blank=True, help_text="the register record the funder was linked to"
    )
    register_note = models.CharField(
        max_length=300, blank=True, help_text="how it was linked, or why not, in plain words"
    )

    def __str__(self) -> str:
        return self.name


class RecipientType(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    INDIVIDUAL = "individual", "Individual"


class Grant(models.Model):
    """One grant. Grants to individuals keep no name or identifier of the person."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="grants")
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")
    identifier = models.CharField(max_length=300)
    title = models.TextField(blank=True)
    description = models.TextField(blank=True)
    currency = models.CharField(
        max_length=3, blank=True, help_text="ISO 4217; blank when the file gave none"
    )
    amount_awarded = models.DecimalField(max_digits=16, decimal_places=2)
    amount_applied_for = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    amount_disbursed = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    award_date = models.DateField(null=True, blank=True)
    planned_start_date = models.DateField(null=True, blank=True)
    planned_end_date = models.DateField(null=True, blank=True)
    planned_duration_months = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True
    )
    funder = models.ForeignKey(
        Funder, null=True, blank=True, on_delete=models.SET_NULL, related_name="grants"
    )
    funder_org_id = models.CharField(max_length=200, blank=True, db_index=True)
    funder_name = models.CharField(max_length=500, blank=True)
    recipient_type = models.CharField(max_length=12, choices=RecipientType.choices)
    recipient_org_id = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="normalised org-id"
    )
    recipient_org_id_as_published = models.CharField(max_length=300, blank=True)
    recipient_name = models.CharField(max_length=500, blank=True)
    recipient_charity_number = models.CharField(max_length=50, blank=True)
    recipient_company_number = models.CharField(max_length=50, blank=True)
    recipient_postcode = models.CharField(max_length=10, blank=True)
    recipient_other_org_ids = models.JSONField(
        default=list, blank=True, help_text="org-ids found in the charity and company numbers"
    )
    programmes = models.JSONField(default=list, blank=True, help_text="[{code, title}]")
    classifications = models.JSONField(
        default=list, blank=True, help_text="[{vocabulary, code, title}]"
    )
    beneficiary_locations = models.JSONField(
        default=list, blank=True, help_text="[{name, geo_code, geo_code_type, country_code}]"
    )
    individual_details = models.JSONField(
        default=dict, blank=True, help_text="reasons and purposes (codes) for grants to individuals"
    )
    from_open_call = models.BooleanField(null=True, blank=True)
    data_source = models.URLField(max_length=1000, blank=True)
    date_modified = models.CharField(max_length=40, blank=True)

    # -- Placement and register links (filled by vcsehub.grants.placing; migration 0002) --
    place_method = models.CharField(
        max_length=24, blank=True, help_text="how the grant was placed; see placing.PlaceMethod"
    )
    place_note = models.CharField(max_length=300, blank=True, help_text="why, in plain words")
    place_postcode = models.CharField(max_length=8, blank=True, help_text="postcode used, if any")
    place_postcode_status = models.CharField(
        max_length=16, blank=True, help_text="the postcode lookup's status (ok, terminated, …)"
    )
    place_lsoa11 = models.CharField(max_length=9, blank=True)
    place_lsoa21 = models.CharField(max_length=9, blank=True)
    place_ward = models.CharField(max_length=9, blank=True)
    place_lad = models.CharField(max_length=9, blank=True)
    place_imd2019_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    place_imd2025_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    recipient_register_org_id = models.CharField(
        max_length=40, blank=True, help_text="the register record the recipient was linked to"
    )
    recipient_income_band = models.CharField(
        max_length=16, blank=True, help_text="from the register; blank = not known"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "identifier"], name="grant_unique_in_dataset"
            )
        ]
        indexes = [
            models.Index(fields=["funder_org_id", "award_date"]),
            models.Index(fields=["award_date"]),
            models.Index(fields=["place_lad"], name="grant_place_lad"),
            models.Index(fields=["place_ward"], name="grant_place_ward"),
            # Funder pages (migration 0003): amounts by rank for the median, and the files.
            models.Index(
                fields=["funder_org_id", "currency", "amount_awarded"], name="grant_funder_amount"
            ),
            models.Index(fields=["funder_org_id", "dataset"], name="grant_funder_dataset"),
        ]

    def __str__(self) -> str:
        return f"{self.identifier}: {self.title}"


class GrantLocation(models.Model):
    """A beneficiary location with an ONS GSS code, for finding grants by area."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="locations")
    geo_code = models.CharField(max_length=20, db_index=True)
    geo_code_type = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.geo_code} {self.name}".strip()


class GrantPurpose(models.Model):
    """A purpose a grant was classified under by the keyword rules in purposes.py (migration 0002)."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="purposes")
    purpose = models.CharField(max_length=24, help_text="rule code, e.g. digital")
    words = models.JSONField(default=list, help_text="the words and phrases that matched")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grant", "purpose"], name="grant_purpose_unique")
        ]
        indexes = [models.Index(fields=["purpose", "grant"], name="grant_purpose_by_purpose")]

    def __str__(self) -> str:
        return f"{self.purpose}: {', '.join(self.words)}"


class ValidationIssue(models.Model):
    """A kind of problem found in one import run's file, with how often it occurs."""

    class Severity(models.TextChoices):
        ERROR = "error", "Error"  # the file breaks the 360Giving standard
        WARNING = "warning", "Warning"  # usable, but changed or doubtful
        INFO = "info", "Information"

    class Category(models.TextChoices):
        FILE = "file", "Reading the file"
        SCHEMA = "schema", "360Giving schema"
        REJECTED = "rejected", "Grants not imported"
        NORMALISED = "normalised", "Values changed to import them"
        QUALITY = "quality", "Data quality"
        PRIVACY = "privacy", "Personal data"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="grant_issues")
    category = models.CharField(max_length=16, choices=Category.choices)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    code = models.CharField(
        max_length=60, help_text="stable id of the check, e.g. schema-format-uri"
    )
    message = models.TextField()
    path = models.CharField(max_length=300, blank=True, help_text="JSON path without list numbers")
    column = models.CharField(max_length=300, blank=True, help_text="spreadsheet column title")
    sheet = models.CharField(max_length=100, blank=True, help_text="first place it occurs")
    row = models.PositiveIntegerField(null=True, blank=True, help_text="first place it occurs")
    count = models.PositiveIntegerField(help_text="how many times it occurs")
    grants_affected = models.PositiveIntegerField(help_text="how many grants it affects")
    examples = models.JSONField(
        default=list, blank=True, help_text="up to 5 {sheet,row,column,path,value}"
    )

    class Meta:
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return self.message


class StandardDocument(models.Model):
    """A file of the 360Giving Data Standard (grant schema, package schema), as imported."""

    name = models.CharField(max_length=100, unique=True, help_text="e.g. 360-giving-schema.json")
    version = models.CharField(max_length=20)
    content = models.JSONField()
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
