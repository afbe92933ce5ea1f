"""Places: postcodes, statistical and administrative areas, deprivation, population, boundaries.

Codes are ONS GSS codes (9 characters). Areas are keyed by (type, code) and, for wards,
their year, because ward codes change often. LSOA 2011 and LSOA 2021 are different area
types: never mix them.
"""

from __future__ import annotations

from django.db import models


class AreaType(models.TextChoices):
    LSOA11 = "lsoa11", "Small area (LSOA 2011)"
    LSOA21 = "lsoa21", "Small area (LSOA 2021)"
    WELSH_LSOA11 = "wlsoa11", "Welsh small area (LSOA 2011)"
    DATAZONE11 = "dz11", "Scottish data zone (2011)"
    WARD = "ward", "Ward"
    LAD = "lad", "Local authority"
    CAUTH = "cauth", "Combined authority"
    REGION = "rgn", "Region"
    COUNTRY = "ctry", "Country"


class Area(models.Model):
    """A named area with a GSS code, and the larger areas it sits in (as codes)."""

    type = models.CharField(max_length=8, choices=AreaType.choices)
    code = models.CharField(max_length=9)
    # Wards: the year of the ward boundaries (codes are reused/changed over time). 0 = not dated.
    year = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    lad_code = models.CharField(max_length=9, blank=True, db_index=True)
    cauth_code = models.CharField(max_length=9, blank=True)
    region_code = models.CharField(max_length=9, blank=True)
    country_code = models.CharField(max_length=9, blank=True)
    source_id = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["type", "code", "year"], name="area_unique_type_code_year"
            )
        ]
        indexes = [models.Index(fields=["code"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Postcode(models.Model):
    """One postcode as one source describes it. A postcode may appear in several sources
    (an official directory and a derived file); the lookup merges them, official first."""

    postcode = models.CharField(
        max_length=8, help_text="normalised: upper case, one space, e.g. 'B1 1AA'"
    )
    source_id = models.CharField(max_length=64)
    introduced = models.CharField(max_length=6, blank=True, help_text="yyyymm")
    terminated = models.CharField(max_length=6, blank=True, help_text="yyyymm; blank if live")
    lsoa11 = models.CharField(max_length=9, blank=True)
    lsoa21 = models.CharField(max_length=9, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    ward_year = models.PositiveSmallIntegerField(default=0)
    lad_code = models.CharField(max_length=9, blank=True)
    region_code = models.CharField(max_length=9, blank=True)
    country_code = models.CharField(max_length=9, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    # The directory's own IMD rank column (IoD2019 rank of the LSOA11 in NSPL), kept for checks.
    imd_rank_in_file = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "source_id"], name="postcode_unique_per_source"
            )
        ]

    def __str__(self) -> str:
        return self.postcode


class DeprivationIndex(models.TextChoices):
    IMD2019 = "imd2019", "English Indices of Deprivation 2019 (2011 areas)"
    IMD2025 = "imd2025", "English Indices of Deprivation 2025 (2021 areas)"
    WIMD2019 = "wimd2019", "Welsh Index of Multiple Deprivation 2019"
    SIMD2020 = "simd2020", "Scottish Index of Multiple Deprivation 2020"


class Deprivation(models.Model):
    """One small area's overall deprivation in one edition of one national index.

    Ranks: 1 = most deprived; ranks can tie, so rank is not a key. Deciles: 1 = most
    deprived 10% of that nation's small areas. Domain ranks/deciles/scores are in `domains`.
    """

    index = models.CharField(max_length=10, choices=DeprivationIndex.choices)
    area_code = models.CharField(max_length=9)
    rank = models.IntegerField()
    decile = models.PositiveSmallIntegerField()
    score = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    domains = models.JSONField(default=dict, blank=True)
    source_id = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["index", "area_code"], name="deprivation_unique_index_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.index} {self.area_code}: decile {self.decile}"


class Population(models.Model):
    """Residents of an area in one population edition (e.g. Census 2021, mid-2015 for IoD2019)."""

    edition = models.CharField(max_length=32, help_text="e.g. census2021, mid2015")
    area_code = models.CharField(max_length=9)
    total = models.IntegerField()
    by_age = models.JSONField(default=dict, blank=True)
    source_id = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "area_code"], name="population_unique_edition_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition} {self.area_code}: {self.total}"


class LsoaLookup(models.Model):
    """ONS best-fit LSOA 2011 → LSOA 2021 → LAD 2022 lookup (many-to-many)."""

    lsoa11 = models.CharField(max_length=9, db_index=True)
    lsoa21 = models.CharField(max_length=9, db_index=True)
    lad22 = models.CharField(max_length=9)
    source_id = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.lsoa11} → {self.lsoa21}"


class Boundary(models.Model):
    """A simplified boundary (GeoJSON geometry, WGS84) for drawing an area on a map."""

    area_type = models.CharField(max_length=8, choices=AreaType.choices)
    area_code = models.CharField(max_length=9)
    year = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200, blank=True)
    lad_code = models.CharField(max_length=9, blank=True, db_index=True)
    geometry = models.JSONField()
    source_id = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area_type", "area_code", "year"], name="boundary_unique_type_code_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_type} {self.area_code} boundary"
