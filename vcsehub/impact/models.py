"""A charity's own service records: uploads, datasets and the stored, de-identified records.

Privacy: nothing here holds a name, contact detail, free text, full date of birth or full
postcode. A person's reference is stored only as a keyed hash (HMAC-SHA256 with the
organisation's pseudonym_secret), so repeat visits still link. A postcode is kept only as
the areas it resolves to. Deleting a dataset deletes its records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from vcsehub.organisations.models import Organisation


class Field(models.TextChoices):
    """What a column in the user's spreadsheet can be mapped to."""

    CONTACT_DATE = "contact_date", "Date of contact"
    PERSON_REF = "person_ref", "Person or case reference"
    POSTCODE = "postcode", "Postcode"
    AGE = "age", "Age"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth (kept only as an age band)"
    GENDER = "gender", "Gender"
    ETHNICITY = "ethnicity", "Ethnicity"
    DISABILITY = "disability", "Disability"
    SERVICE = "service", "Service or activity"
    REFERRAL_SOURCE = "referral_source", "Referred by"
    PEOPLE_COUNT = "people_count", "Number of people"
    OUTCOME_BEFORE = "outcome_before", "Outcome score before"
    OUTCOME_AFTER = "outcome_after", "Outcome score after"


class Dataset(models.Model):
    """One kind of record an organisation keeps (e.g. 'Food bank visits'), over one or more uploads."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="datasets"
    )
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The mapping in use: {column title in the file: Field value}; unmapped columns are not stored.
    mapping = models.JSONField(default=dict, blank=True)
    # Outcome scale, when outcomes are mapped (e.g. 1 to 10).
    outcome_scale_min = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    outcome_scale_max = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    outcome_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return self.name


class Upload(models.Model):
    """One file given to a dataset. Held as a file until the user confirms; then its rows are stored."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Waiting for you to check"
        CONFIRMED = "confirmed", "Saved"
        DISCARDED = "discarded", "Discarded"
        FAILED = "failed", "Could not be read"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="uploads")
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    # When the upload starts a new dataset: its name. The dataset is made only on confirm.
    new_dataset_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    original_name = models.CharField(max_length=255)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    # Path of the held file under DATA_HOME/uploads; emptied once confirmed or discarded.
    held_path = models.CharField(max_length=500, blank=True)
    file_format = models.CharField(max_length=16, blank=True)
    sheet = models.CharField(max_length=200, blank=True)
    # Every sheet of a workbook that holds anything, so the user can choose another.
    sheets = models.JSONField(default=list, blank=True)
    encoding = models.CharField(max_length=32, blank=True)
    header_row = models.PositiveIntegerField(default=1)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    # The outcome scale the scores are checked against (suggested, or chosen by the user).
    outcome_scale_min = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    outcome_scale_max = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    # The check report: [{check, severity, message, count, cells: [[row, column], ...]}].
    report = models.JSONField(default=list, blank=True)
    rows_read = models.IntegerField(default=0)
    rows_stored = models.IntegerField(default=0)
    rows_excluded = models.IntegerField(default=0)
    rows_duplicate = models.IntegerField(default=0)
    # Why rows were not stored: {reason: number of rows}, e.g. {"no usable date": 3}.
    excluded_reasons = models.JSONField(default=dict, blank=True)
    # First and last contact date among the rows stored (the period the file covers).
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class ColumnChoice(models.Model):
    """An organisation's remembered mapping of a column title to a field (or to 'not stored')."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="column_choices"
    )
    column_key = models.CharField(max_length=200, help_text="normalised column title")
    field = models.CharField(
        max_length=32, blank=True, help_text="a Field value; blank = not stored"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "column_key"], name="column_choice_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.column_key} → {self.field or 'not stored'}"


class Record(models.Model):
    """One row of a confirmed upload, de-identified and enriched with the areas of its postcode."""

    # No index of its own: the (dataset, id) index below serves every look-up by dataset.
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="records", db_index=False
    )
    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="records")
    row_number = models.PositiveIntegerField()
    # Keyed hash of the row's mapped values: the same row in a later file is not stored twice.
    fingerprint = models.CharField(max_length=64)
    contact_date = models.DateField(null=True, blank=True)
    person_key = models.CharField(
        max_length=64, blank=True, help_text="HMAC of the person reference"
    )
    age_band = models.CharField(max_length=16, blank=True)
    gender = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    disability = models.CharField(max_length=100, blank=True)
    service = models.CharField(max_length=200, blank=True)
    referral_source = models.CharField(max_length=200, blank=True)
    people_count = models.PositiveIntegerField(null=True, blank=True)
    outcome_before = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    outcome_after = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    # Postcode outcome: 'found', or why not ('invalid', 'terminated', 'not_found', 'missing').
    # Areas are stored only for 'found'; a found postcode outside England has no IMD decile.
    postcode_status = models.CharField(max_length=16, blank=True)
    lsoa11 = models.CharField(max_length=9, blank=True)
    lsoa21 = models.CharField(max_length=9, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    lad_code = models.CharField(max_length=9, blank=True)
    imd2019_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    imd2025_decile = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "fingerprint"], name="record_unique_in_dataset"
            )
        ]
        # Every index is written for each of a million rows an upload stores, so each is
        # here for a query: the period and date figures (dataset, contact_date), the
        # dashboard figures' key (dataset, id; also every "records of the dataset"), the
        # cascade from a deleted upload (upload). None is on (dataset, person_key): no query
        # looks a person up, and an index on a hash is written all over, slowing the save.
        indexes = [
            models.Index(fields=["dataset", "contact_date"]),
            # The newest record of a dataset at once: part of the dashboard figures' key.
            models.Index(fields=["dataset", "id"], name="impact_record_dataset_id"),
        ]

    def __str__(self) -> str:
        return f"Record {self.pk} (row {self.row_number})"


class DashboardFigures(models.Model):
    """A dataset's dashboard figures, kept until anything they are built from changes.

    Only the disclosure-controlled figures are kept (the same JSON the dashboard, report
    and API show), never a record. Shared by every web process; deleted with the dataset.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    # Hash of the data state, the period, the edition and the code that computed them.
    key = models.CharField(max_length=64)
    # Hash of the data state alone: figures of an older state are deleted when new ones are kept.
    state = models.CharField(max_length=64)
    figures = models.TextField(help_text="the figures as JSON text (key order kept)")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "key"], name="dashboard_figures_unique")
        ]

    def __str__(self) -> str:
        return f"Dashboard figures of dataset {self.dataset_id}"
