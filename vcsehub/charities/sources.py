"""The charity registers and the lookups that join them to places and to each other."""

from __future__ import annotations

from vcsehub.sources.registry import OGL, OGL_URL, Source, register

CCEW_TABLES = (
    "charity",
    "charity_annual_return_history",
    "charity_annual_return_parta",
    "charity_annual_return_partb",
    "charity_area_of_operation",
    "charity_classification",
    "charity_event_history",
    "charity_governing_document",
    "charity_other_names",
    "charity_other_regulators",
    "charity_policy",
    "charity_published_report",
    "charity_trustee",
)
CCEW_BASE = "https://ccewuksprdoneregsadata1.blob.core.windows.net/data"
LOOKUPS_BASE = "https://raw.githubusercontent.com/drkane/charity-lookups/master"
ODBL = "Open Database License (ODbL) 1.0"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"

CCEW = register(
    Source(
        id="ccew",
        title="Register of charities, England and Wales",
        publisher="Charity Commission for England and Wales",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(
            "Contains public sector information from the Charity Commission for England and "
            "Wales, licensed under the Open Government Licence.",
        ),
        urls=tuple(f"{CCEW_BASE}/txt/publicextract.{table}.zip" for table in CCEW_TABLES),
        format="13 zipped tab-separated text files (or the same 13 as JSON)",
        importer="vcsehub.charities.importers.ccew.CcewImporter",
        description=(
            "The full register download, refreshed daily: "
            "https://register-of-charities.charitycommission.gov.uk/register/full-register-download. "
            f"The JSON layout ({CCEW_BASE}/json/publicextract.<table>.zip) is read too. "
            "Trustees' names are never stored: the trustee table is only counted."
        ),
        local_paths=("ccew-sample/publicextract.*.zip",),
        order=40,
        tags=("charities",),
    )
)

OSCR = register(
    Source(
        id="oscr",
        title="Scottish Charity Register",
        publisher="Office of the Scottish Charity Regulator (OSCR)",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(
            "Contains public sector information from the Scottish Charity Regulator, licensed "
            "under the Open Government Licence.",
        ),
        urls=(
            "https://www.oscr.org.uk/download/charity-register",
            "https://www.oscr.org.uk/download/5-years-charity-register",
            "https://www.oscr.org.uk/download/charity-former-register",
        ),
        format="zipped CSV: current register, five years of figures, former charities",
        importer="vcsehub.charities.importers.oscr.OscrImporter",
        description="The register of current and former Scottish charities, with five years of income and spending.",
        # No real OSCR file is kept in the shared data folder, so `up` does not import it.
        local_paths=(),
        auto_import=False,
        order=41,
        tags=("charities",),
    )
)

CCNI = register(
    Source(
        id="ccni",
        title="Register of charities, Northern Ireland",
        publisher="Charity Commission for Northern Ireland",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(
            "Contains public sector information from the Charity Commission for Northern "
            "Ireland, licensed under the Open Government Licence v3.0.",
        ),
        urls=(
            "https://www.charitycommissionni.org.uk/umbraco/api/charityApi/"
            "ExportSearchResultsToCsv/?include=Linked&include=Removed",
        ),
        format="CSV (Windows-1252)",
        importer="vcsehub.charities.importers.ccni.CcniImporter",
        description="The register export, including removed and linked charities.",
        local_paths=("ccni-sample/charitydetails_test.csv",),
        order=42,
        tags=("charities",),
    )
)

AREA_LOOKUP = register(
    Source(
        id="charity-area-lookup",
        title="Charity areas of operation to GSS codes",
        publisher="David Kane (drkane/charity-lookups)",
        licence=ODBL,
        licence_url=ODBL_URL,
        attribution=(
            "Charity lookups by David Kane (github.com/drkane/charity-lookups), ODbL 1.0. "
            "Contains public sector information from the Charity Commission for England and "
            "Wales licensed under the Open Government Licence.",
        ),
        urls=(f"{LOOKUPS_BASE}/cc-aoo-gss-iso-new.csv",),
        format="CSV (UTF-8 with BOM)",
        importer="vcsehub.charities.importers.lookups.AreaLookupImporter",
        description="Joins each CCEW area of operation to its local authority, region or country code.",
        local_paths=("charity-lookups/cc-aoo-gss-iso-new.csv",),
        order=39,
        tags=("charities", "lookup"),
    )
)

DUAL_REGISTERED = register(
    Source(
        id="charity-dual-registered",
        title="Charities registered in both Scotland and England and Wales",
        publisher="David Kane (drkane/charity-lookups)",
        licence=ODBL,
        licence_url=ODBL_URL,
        attribution=(
            "Charity lookups by David Kane (github.com/drkane/charity-lookups), ODbL 1.0. "
            "Contains public sector information from the Charity Commission for England and "
            "Wales and the Scottish Charity Regulator licensed under the Open Government Licence.",
        ),
        urls=(f"{LOOKUPS_BASE}/relationships/dual-registered-uk-charities.csv",),
        format="CSV",
        importer="vcsehub.charities.importers.lookups.DualRegisteredImporter",
        description="Links each dual-registered charity's GB-SC and GB-CHC org-ids.",
        local_paths=("charity-lookups/dual-registered-uk-charities.csv",),
        order=43,
        tags=("charities", "lookup"),
    )
)
