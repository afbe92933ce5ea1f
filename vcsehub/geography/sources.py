"""The geography open-data sources: postcode directories, area codes, deprivation, population, boundaries.

Official download addresses are configuration: give another with `--source URL|PATH`.
Sources whose publisher gives no fixed file address, or only a file in another layout
than the importer reads, have no `urls`: `vcsehub up` imports them only from a data
folder (`--data-dir`), and their description says how to get the file and import it.
The ONS postcode products (NSPL, ONSPD) move to a new address with every release; the
addresses below are the latest known ONS Open Geography Portal items. `local_paths` are
globs inside a data folder laid out like shared/data (VCSEHUB_DATA_DIR).

`order` makes lookups load before what uses them: area codes (10) → LSOA lookup (20) →
deprivation and population (30s) → postcode directories (50s) → boundaries (60s).
"""

from __future__ import annotations

from vcsehub.sources.registry import (
    OGL,
    OGL_ATTRIBUTION,
    OGL_URL,
    ONS_POSTCODE_ATTRIBUTION,
    Source,
    register,
)

ONS = "Office for National Statistics"
MHCLG = "Ministry of Housing, Communities and Local Government"
ONS_SOURCE_LINE = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0"
)
IMPORTERS = "vcsehub.geography.importers"
LSOA_LOOKUP_PAGE = (
    "https://geoportal.statistics.gov.uk/datasets/ons::lsoa-2011-to-lsoa-2021-to-local-"
    "authority-district-2022-lookup-for-england-and-wales-version-2/about"
)
LAD_BOUNDARIES_QUERY = (
    "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
    "Local_Authority_Districts_May_2024_Boundaries_UK_BUC/FeatureServer/0/query"
    "?where=LAD24CD%20LIKE%20%27E%25%27&outFields=LAD24CD,LAD24NM&outSR=4326&f=geojson"
)


def ons_postcode_lines(year: int) -> tuple[str, ...]:
    """The three lines every use of an ONS postcode product must show, for its data year."""
    return tuple(line.format(year=year) for line in ONS_POSTCODE_ATTRIBUTION)


def boundary_lines(year: int) -> tuple[str, ...]:
    return (ONS_SOURCE_LINE, f"Contains OS data © Crown copyright and database right {year}")


AREA_CODES = register(
    Source(
        id="ons-area-codes",
        title="Area codes and names: local authorities, combined authorities, regions, countries, wards",
        publisher=f"{ONS} (compiled by David Kane, geo-lookups)",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(ONS_SOURCE_LINE,),
        urls=tuple(
            f"https://raw.githubusercontent.com/drkane/geo-lookups/master/{name}"
            for name in (
                "la_all_codes.csv",
                "cauth_all_codes.csv",
                "rgn_all_codes.csv",
                "ctry_all_codes.csv",
                "ward_all_codes.csv",
            )
        ),
        format="csv",
        importer=f"{IMPORTERS}.area_codes.AreaCodesImporter",
        description=(
            "GSS codes and names of every UK local authority district since 2011 (with the "
            "current district each old one became), combined authorities, regions, countries "
            "and wards (tagged with the year of their ward boundaries)."
        ),
        local_paths=(
            "geography-lookups/drkane_la_all_codes.csv",
            "geography-lookups/drkane_cauth_all_codes.csv",
            "geography-lookups/drkane_rgn_all_codes.csv",
            "geography-lookups/drkane_ctry_all_codes.csv",
            "geography-lookups/drkane_ward_all_codes.csv",
        ),
        order=10,
        tags=("geography", "lookup"),
    )
)

LSOA_LOOKUP = register(
    Source(
        id="ons-lsoa11-lsoa21-lookup",
        title="LSOA (2011) to LSOA (2021) to Local Authority District (2022) lookup, England and Wales",
        publisher=ONS,
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(ONS_SOURCE_LINE,),
        # The Open Geography Portal gives this table no fixed file address: see description.
        urls=(),
        format="csv",
        importer=f"{IMPORTERS}.lsoa_lookup.LsoaLookupImporter",
        description=(
            "Best-fit, many-to-many lookup between 2011 and 2021 small areas, with their "
            "names and local authority. Also gives the names of every LSOA in England and "
            "Wales. The ONS Open Geography Portal has no fixed address for the file, so "
            "`vcsehub up` does not fetch it. Download the CSV from "
            f"{LSOA_LOOKUP_PAGE} (Download, then CSV); it is read as published (LSOA11CD, "
            "LSOA11NM, LSOA21CD, LSOA21NM, LAD22CD). Then run "
            "`vcsehub import ons-lsoa11-lsoa21-lookup --source PATH`."
        ),
        local_paths=("geography-lookups/LSOA11_LSOA21_LAD22_EW_LU_v2.csv",),
        order=20,
        tags=("geography", "lookup"),
    )
)

IOD2019 = register(
    Source(
        id="iod2019",
        title="English Indices of Deprivation 2019 (2011 small areas)",
        publisher=MHCLG,
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(OGL_ATTRIBUTION,),
        urls=(
            "https://assets.publishing.service.gov.uk/media/5dc407b440f0b6379a7acc8d/File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv",
        ),
        format="csv",
        importer=f"{IMPORTERS}.iod2019.Iod2019Importer",
        description=(
            "Rank and decile of every LSOA (2011) in England on the Index of Multiple "
            "Deprivation and its seven domains, with the mid-2015 population denominators. "
            "Reads the official File 7, or Files 1, 2 and 6 (and the IMD score file)."
        ),
        local_paths=(
            "iod2019-england/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv",
            "iod2019-england/File_2_-_IoD2019_Domains_of_Deprivation.csv",
            "iod2019-england/File_6_-_IoD2019_Population_Denominators.csv",
            "iod2019-england/imd2019_score_decile_lsoa11_opendatacommunities.csv",
        ),
        order=30,
        tags=("deprivation",),
    )
)

IOD2025 = register(
    Source(
        id="iod2025",
        title="English Indices of Deprivation 2025 (2021 small areas)",
        publisher=MHCLG,
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(OGL_ATTRIBUTION,),
        urls=(
            "https://assets.publishing.service.gov.uk/media/68ff5daabcb10f6bf9bef911/File_7_IoD2025_All_Ranks_Scores_Deciles_Population_Denominators.csv",
        ),
        format="csv",
        importer=f"{IMPORTERS}.iod2025.Iod2025Importer",
        description=(
            "Rank, decile and score of every LSOA (2021) in England on the Index of Multiple "
            "Deprivation and its seven domains. Ranks are out of 33,755, so never compare "
            "them with 2019 ranks."
        ),
        local_paths=("iod2025-england/imd2025_lsoa21_england_all_domains.csv",),
        order=31,
        tags=("deprivation",),
    )
)

WIMD2019 = register(
    Source(
        id="wimd2019",
        title="Welsh Index of Multiple Deprivation 2019",
        publisher="Welsh Government",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(OGL_ATTRIBUTION,),
        urls=(),
        format="csv",
        importer=f"{IMPORTERS}.wimd2019.Wimd2019Importer",
        description=(
            "Rank, decile and score of every Welsh LSOA (2011). A separate national index: "
            "never pool it with the English IMD. The Welsh Government publishes it as a "
            "spreadsheet in another layout "
            "(https://www.gov.wales/welsh-index-multiple-deprivation-full-index-update-ranks-2019), "
            "so `vcsehub up` does not import it. To load it, save a CSV with one row per "
            "Welsh LSOA and the columns lsoa11_code, IMD_rank and IMD_decile (columns per "
            "domain such as Income_rank, Income_decile and Income_score are kept too), as in "
            "the imd2019_wales_lsoa11 table of the humaniverse/IMD R package. Then run "
            "`vcsehub import wimd2019 --source PATH`."
        ),
        local_paths=("deprivation-wales-scotland/wimd2019_lsoa11_wales.csv",),
        order=32,
        tags=("deprivation",),
    )
)

SIMD2020 = register(
    Source(
        id="simd2020",
        title="Scottish Index of Multiple Deprivation 2020",
        publisher="Scottish Government",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(OGL_ATTRIBUTION,),
        urls=(),
        format="csv",
        importer=f"{IMPORTERS}.simd2020.Simd2020Importer",
        description=(
            "Rank and decile of every Scottish data zone (2011). A separate national index: "
            "never pool it with the English IMD. The Scottish Government publishes it as a "
            "spreadsheet in another layout "
            "(https://www.gov.scot/collections/scottish-index-of-multiple-deprivation-2020), "
            "so `vcsehub up` does not import it. To load it, save a CSV with one row per "
            "data zone and the columns dz11_code, IMD_rank and IMD_decile (columns per "
            "domain such as Income_rank and Income_decile are kept too), as in the "
            "imd2020_scotland_dz11 table of the humaniverse/IMD R package. Then run "
            "`vcsehub import simd2020 --source PATH`."
        ),
        local_paths=("deprivation-wales-scotland/simd2020_dz11_scotland.csv",),
        order=33,
        tags=("deprivation",),
    )
)

CENSUS2021_POPULATION = register(
    Source(
        id="census2021-population",
        title="Census 2021 usual residents by LSOA (2021) and age",
        publisher=ONS,
        licence=OGL,
        licence_url=OGL_URL,
        attribution=(ONS_SOURCE_LINE,),
        urls=(),
        format="csv",
        importer=f"{IMPORTERS}.census2021_population.Census2021PopulationImporter",
        description=(
            "Usual residents of every LSOA (2021) in England and Wales on Census Day 2021, "
            "in six age bands. ONS adds small random changes to protect privacy, so sums "
            "of bands can differ slightly from published totals. ONS gives it through "
            "'Create a custom dataset' (https://www.ons.gov.uk/datasets/create), one row per "
            "LSOA and age band, so `vcsehub up` does not import it. To load it, choose usual "
            "residents by Lower layer Super Output Areas and Age (6 categories), and save a "
            "CSV with one row per LSOA: the columns lsoa21_code, lsoa21_name and one column "
            "per band named as ONS names it ('Aged 15 years and under' … 'Aged 65 years and "
            "over'). Then run `vcsehub import census2021-population --source PATH`."
        ),
        local_paths=("population-census2021-lsoa/census2021_usual_residents_lsoa21_by_age6.csv",),
        order=34,
        tags=("population",),
    )
)

NSPL = register(
    Source(
        id="nspl",
        title="National Statistics Postcode Lookup (NSPL)",
        publisher=ONS,
        licence=OGL,
        licence_url=OGL_URL,
        attribution=ons_postcode_lines(2021),
        # Latest NSPL item URL known to us; ONS gives each release a new address, so pass
        # the current one with --source (the importer reads the zip or its CSVs).
        urls=(
            "https://www.arcgis.com/sharing/rest/content/items/80592949bebd4390b2cbe29159a75ef4/data",
        ),
        format="zip",
        importer=f"{IMPORTERS}.postcode_directory.NsplImporter",
        description=(
            "Every UK postcode, live and terminated, with its small areas (LSOA), ward, local "
            "authority, region, country and location. The local copy is the November 2021 "
            "release for the TF and HR postcode areas."
        ),
        local_paths=("postcodes-nspl-nov2021-tf-hr/NSPL_NOV_2021_UK_*.csv",),
        order=50,
        tags=("postcodes", "official"),
    )
)

ONSPD = register(
    Source(
        id="onspd",
        title="ONS Postcode Directory (ONSPD), November 2025",
        publisher=ONS,
        licence=OGL,
        licence_url=OGL_URL,
        attribution=ons_postcode_lines(2025),
        # ONSPD November 2025 on the ONS Open Geography Portal; a new release has a new
        # address: pass it with --source.
        urls=(
            "https://www.arcgis.com/sharing/rest/content/items/3635ca7f69df4733af27caf86473ffa1/data",
        ),
        format="zip",
        importer=f"{IMPORTERS}.postcode_directory.OnspdImporter",
        description=(
            "Every UK postcode with its areas and grid reference. The local copy keeps only "
            "postcode, local authority (2025) and grid reference for the B, CV, DY, WS and WV "
            "postcode areas, live and terminated mixed."
        ),
        local_paths=("postcodes-onspd-nov2025-wm-areas/onspd_nov2025_*_pcd_lad25_grid.csv",),
        order=51,
        tags=("postcodes", "official"),
    )
)

DERIVED_WMCA = register(
    Source(
        id="postcodes-derived-lsoa-wmca",
        title="Postcode to LSOA and ward for the West Midlands metropolitan districts (derived, not official)",
        publisher="VCSE Hub project, from ONS postcode directory and ONS boundaries",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=ons_postcode_lines(2025)
        + (
            "LSOA and ward assignment derived by the VCSE Hub project by point-in-polygon, "
            "not published by ONS.",
        ),
        urls=(),
        format="csv",
        importer=f"{IMPORTERS}.postcode_directory.DerivedPostcodesImporter",
        description=(
            "Made by the VCSE Hub project: each postcode's grid reference placed in ONS "
            "boundaries. About 1 postcode in 300 lands in a neighbouring LSOA. Good for demos "
            "and maps, not ground truth; the official directory is used first wherever loaded."
        ),
        local_paths=("postcodes-derived-lsoa-wmca/derived_pcd_lsoa_ward_*.csv",),
        order=52,
        derived=True,
        tags=("postcodes", "derived"),
    )
)

BOUNDARIES_WMCA = register(
    Source(
        id="boundaries-wmca",
        title="LSOA and ward boundaries, West Midlands Combined Authority and Telford and Wrekin",
        publisher=f"{ONS} (generalised clipped boundaries, split by area by David Kane, geo-lookups)",
        licence=OGL,
        licence_url=OGL_URL,
        attribution=boundary_lines(2025),
        urls=tuple(
            f"https://raw.githubusercontent.com/drkane/geo-lookups/master/boundaries/{layer}/{area}.geojson"
            for layer in ("lsoa11", "lsoa", "ward")
            for area in ("E47000007", "E06000020")
        ),
        format="geojson",
        importer=f"{IMPORTERS}.boundaries.WmcaBoundariesImporter",
        description=(
            "Outlines of LSOAs (2011 and 2021) and wards (2025), simplified for web maps."
        ),
        local_paths=(
            "boundaries-wmca-drkane/lsoa11_*.geojson",
            "boundaries-wmca-drkane/lsoa_*.geojson",
            "boundaries-wmca-drkane/ward_*.geojson",
        ),
        order=60,
        tags=("boundaries",),
    )
)

BOUNDARIES_LAD = register(
    Source(
        id="boundaries-england-lad",
        title="Local authority district boundaries, England, May 2024 (ultra generalised)",
        publisher=ONS,
        licence=OGL,
        licence_url=OGL_URL,
        attribution=boundary_lines(2024),
        urls=(),
        format="geojson",
        importer=f"{IMPORTERS}.boundaries.LadBoundariesImporter",
        description=(
            "Outlines of England's 296 districts for a light national map. The local copy has "
            "names but no codes, so districts are matched to codes by name. ONS publishes the "
            "outlines of every UK district with codes (LAD24CD, LAD24NM), which are read too, "
            "but from a page with no fixed file address "
            "(https://geoportal.statistics.gov.uk/datasets/ons::local-authority-districts-may-2024-boundaries-uk-buc-2/about), "
            "so `vcsehub up` does not fetch it. Download the GeoJSON of the English districts "
            f"from the portal's feature service ({LAD_BOUNDARIES_QUERY}) or from that page, "
            "then run `vcsehub import boundaries-england-lad --source PATH`."
        ),
        local_paths=(
            "boundaries-england-lad-may2024-buc/lad_may2024_england_buc_names_only.geojson",
        ),
        order=61,
        tags=("boundaries",),
    )
)
