"""Registered charities of the three UK registers, one record per body, keyed by org-id.

`Charity` is one body on one register: `GB-CHC-<number>` (England and Wales),
`GB-SC-SC<number>` (Scotland), `GB-NIC-<number>` (Northern Ireland). The same body can
be on two registers (and at Companies House): `OrgIdLink` records that they are the same.

Privacy: trustees' names are never stored. The CCEW trustee table is read only to count
trustees. Of the address, only the postcode is kept (to place the charity on the map).
"""

from __future__ import annotations

from django.db import models

from vcsehub.sources.models import ImportRun


class Register(models.TextChoices):
    CCEW = "ccew", "England and Wales"
    OSCR = "oscr", "Scotland"
    CCNI = "ccni", "Northern Ireland"


class Status(models.TextChoices):
    REGISTERED = "registered", "Registered"
    REMOVED = "removed", "Removed"


class Charity(models.Model):
    """One registered charity (the main charity; CCEW linked charities are `LinkedCharity`)."""

    org_id = models.CharField(max_length=40, unique=True, help_text="e.g. GB-CHC-1173550")
    register = models.CharField(max_length=8, choices=Register.choices)
    registered_number = models.CharField(max_length=16, help_text="as the register writes it")
    organisation_number = models.BigIntegerField(
        null=True, blank=True, help_text="CCEW's internal organisation number"
    )
    linked_number = models.IntegerField(default=0, help_text="CCEW linked charity number; 0 = main")
    name = models.CharField(max_length=500)
    other_names = models.JSONField(
        default=list, blank=True, help_text="[{name, type}] working, previous and known-as names"
    )
    search_text = models.TextField(blank=True, help_text="names folded for full-text search")
    status = models.CharField(max_length=12, choices=Status.choices)
    register_status = models.CharField(
        max_length=80, blank=True, help_text="the register's own status or reporting status text"
    )
    charity_type = models.CharField(max_length=200, blank=True)
    date_registered = models.DateField(null=True, blank=True)
    date_removed = models.DateField(null=True, blank=True)
    removal_reason = models.CharField(max_length=200, blank=True)
    company_number = models.CharField(
        max_length=8, blank=True, help_text="8 characters, zero-padded"
    )
    postcode = models.CharField(max_length=8, blank=True, help_text="normalised, e.g. 'B1 1AA'")
    website = models.CharField(max_length=500, blank=True)
    activities = models.TextField(blank=True)
    latest_income = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    latest_expenditure = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    latest_period_end = models.DateField(null=True, blank=True)
    income_band = models.CharField(max_length=16, blank=True, help_text="see classification.py")
    accounts_overdue = models.BooleanField(
        null=True, blank=True, help_text="the register says the latest return is overdue"
    )
    trustee_count = models.IntegerField(null=True, blank=True)
    policies = models.JSONField(default=list, blank=True)
    other_regulators = models.JSONField(default=list, blank=True)
    published_reports = models.JSONField(default=list, blank=True)
    # Where the charity is based, from its postcode (filled by organisation_place_all).
    lsoa21 = models.CharField(max_length=9, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    lad_code = models.CharField(max_length=9, blank=True)
    region_code = models.CharField(max_length=9, blank=True)
    country_code = models.CharField(max_length=9, blank=True)
    source_id = models.CharField(max_length=64)
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")
    data_date = models.DateField(null=True, blank=True, help_text="date of the register extract")

    class Meta:
        verbose_name_plural = "charities"
        indexes = [
            models.Index(fields=["register", "status"]),
            models.Index(fields=["registered_number"]),
            models.Index(fields=["company_number"]),
            models.Index(fields=["lad_code"]),
            models.Index(fields=["income_band"]),
            models.Index(fields=["postcode"]),
            models.Index(fields=["name"]),
            # An area's active charities A to Z, a page at a time, without sorting them all.
            models.Index(
                fields=["lad_code", "status", "name", "org_id"], name="charity_lad_status_name"
            ),
            models.Index(
                fields=["ward_code", "status", "name", "org_id"], name="charity_ward_status_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.org_id})"

    @property
    def company_org_id(self) -> str:
        return f"GB-COH-{self.company_number}" if self.company_number else ""


class LinkedCharity(models.Model):
    """A CCEW linked (subsidiary or group member) charity, listed under its main charity."""

    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="linked_charities")
    organisation_number = models.BigIntegerField()
    linked_number = models.IntegerField()
    name = models.CharField(max_length=500)
    status = models.CharField(max_length=12, choices=Status.choices)
    date_registered = models.DateField(null=True, blank=True)
    date_removed = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["linked_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["charity", "linked_number"], name="linked_charity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.charity_id}-{self.linked_number})"


class FinancialYear(models.Model):
    """One financial year of one charity: income and spending as the register reports them."""

    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="financial_years")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField()
    income = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    expenditure = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    suppressed = models.BooleanField(
        default=False, help_text="the register hides this year's figures"
    )
    return_due = models.DateField(null=True, blank=True)
    return_received = models.DateField(null=True, blank=True)
    accounts_received = models.DateField(null=True, blank=True)
    employees = models.IntegerField(null=True, blank=True)
    volunteers = models.IntegerField(null=True, blank=True)
    income_government_contracts = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    income_government_grants = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    detail = models.JSONField(default=dict, blank=True, help_text="other reported money fields")

    class Meta:
        ordering = ["-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["charity", "period_end"], name="financial_year_unique")
        ]

    def __str__(self) -> str:
        return f"year to {self.period_end}"


class Kind(models.TextChoices):
    WHAT = "what", "What the charity does"
    WHO = "who", "Who the charity helps"
    HOW = "how", "How the charity helps"


class Classification(models.Model):
    """One register category of a charity: what it does, who it helps, how it helps."""

    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="classifications")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    code = models.CharField(
        max_length=80, help_text="CCEW code (e.g. 105) or a code from classification.py"
    )
    label = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["code"]), models.Index(fields=["label"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.label}"


class AreaOfOperation(models.Model):
    """Where a charity says it works (CCEW): a local authority, region or country."""

    charity = models.ForeignKey(
        Charity, on_delete=models.CASCADE, related_name="areas_of_operation"
    )
    area_type = models.CharField(max_length=40)
    description = models.CharField(max_length=200)
    parent_type = models.CharField(max_length=40, blank=True)
    parent_description = models.CharField(max_length=200, blank=True)
    gss_code = models.CharField(
        max_length=9, blank=True, help_text="from the area lookup, if known"
    )
    iso_code = models.CharField(max_length=3, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["gss_code"]),
            models.Index(fields=["area_type", "description"]),
        ]

    def __str__(self) -> str:
        return f"{self.area_type}: {self.description}"


class AreaLookup(models.Model):
    """CCEW area-of-operation name → GSS / ISO code (drkane/charity-lookups)."""

    area_type = models.CharField(max_length=40)
    description = models.CharField(max_length=200)
    gss_code = models.CharField(max_length=9, blank=True)
    iso_code = models.CharField(max_length=3, blank=True)
    continent_code = models.CharField(max_length=2, blank=True)
    source_id = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area_type", "description"], name="area_lookup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.area_type}: {self.description} → {self.gss_code or self.iso_code}"


class OrgIdLink(models.Model):
    """Two org-ids that identify the same body, and why we think so."""

    org_id_a = models.CharField(max_length=40)
    org_id_b = models.CharField(max_length=40)
    reason = models.CharField(max_length=200)
    source_id = models.CharField(max_length=64)
    import_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["org_id_a"]), models.Index(fields=["org_id_b"])]
        constraints = [
            models.UniqueConstraint(
                fields=["org_id_a", "org_id_b", "source_id"], name="org_id_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_id_a} = {self.org_id_b}"


class CharitySearchIndex(models.Model):
    """The SQLite FTS5 table of charity names (not used on PostgreSQL).

    Created by migration 0002 on SQLite only, and kept in step by the importers inside
    their transaction (services.charity_search_index_refresh).
    """

    charity = models.OneToOneField(
        Charity,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="search_index",
        db_constraint=False,
    )
    search_text = models.TextField()
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "charities_charity_fts"

    def __str__(self) -> str:
        return self.search_text


class SavedQuestion(models.Model):
    """A question a user saved: a filtered search or an area profile, kept as its definition.

    The answer is worked out again each time the page is opened, so it follows the data:
    when a register is imported again, the saved question shows the new figures.
    """

    class Kind(models.TextChoices):
        SEARCH = "search", "Search of the charity registers"
        AREA = "area", "Charity profile of an area"

    slug = models.SlugField(max_length=40, unique=True, help_text="the public address")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    params = models.JSONField(default=dict, help_text="the filters, or the area code")
    owner = models.ForeignKey(
        "organisations.User", on_delete=models.CASCADE, related_name="saved_questions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class AreaCharityCounts(models.Model):
    """One area's charity counts for its profile, worked out for every area at import time.

    Kept by `area_counts.area_counts_refresh` inside each register import's transaction, and
    read by `profile.area_profile_data` only while `data_key` still matches the data
    (see area_counts.py): otherwise the profile counts the charities itself.
    """

    scope = models.CharField(
        max_length=12, help_text="lad, ward (based in), works (area of operation) or register"
    )
    area_code = models.CharField(max_length=9, blank=True, help_text="GSS code; blank for register")
    data_key = models.JSONField(help_text="the state of the data the counts were made from")
    counts = models.JSONField()

    class Meta:
        verbose_name_plural = "area charity counts"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "area_code"], name="area_charity_counts_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.area_code}"
