"""The 360Giving sources: the Data Standard (schema), the publisher registry, and any grants file.

Each grants file keeps its own licence (most are CC BY 4.0; some OGL, CC BY-SA, CC0):
the registry says which, and each file's ImportRun records it. `local_paths` are globs
inside a data folder laid out like shared/data (VCSEHUB_DATA_DIR).
"""

from __future__ import annotations

from vcsehub.sources.registry import Source, register

IMPORTERS = "vcsehub.grants.importers"
CC_BY = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/"
SCHEMA_URL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/"

STANDARD = register(
    Source(
        id="360giving-standard",
        title="360Giving Data Standard 1.4.3: grant and package schemas",
        publisher="360Giving",
        licence=CC_BY,
        licence_url=CC_BY_URL,
        attribution=(
            "360Giving Data Standard, © 360Giving, licensed under CC BY 4.0 (github.com/ThreeSixtyGiving/standard).",
        ),
        urls=(f"{SCHEMA_URL}360-giving-schema.json", f"{SCHEMA_URL}360-giving-package-schema.json"),
        local_paths=(
            "360giving-standard/schema-1.4.3/360-giving-schema.json",
            "360giving-standard/schema-1.4.3/360-giving-package-schema.json",
        ),
        format="json",
        importer=f"{IMPORTERS}.standard.StandardImporter",
        description="The JSON Schemas every 360Giving grants file is checked against.",
        order=15,
        tags=("grants",),
    )
)

REGISTRY = register(
    Source(
        id="360giving-registry",
        title="360Giving Data Registry: every publisher's grants files",
        publisher="360Giving",
        licence=CC_BY,
        licence_url=CC_BY_URL,
        attribution=(
            "Publisher list from the 360Giving Data Registry (registry.threesixtygiving.org).",
        ),
        urls=("https://registry.threesixtygiving.org/data.json",),
        local_paths=("360giving-grants/registry/data_original.json",),
        format="json",
        importer=f"{IMPORTERS}.registry.RegistryImporter",
        description=(
            "The list of 360Giving publishers and the address and licence of each of their "
            "files. Importing it then imports every listed file, each as its own run with its own licence."
        ),
        auto_import=False,
        order=80,
        tags=("grants",),
    )
)

GRANTS_FILE = register(
    Source(
        id="360giving-file",
        title="A 360Giving grants file (JSON, CSV or XLSX)",
        publisher="The file's publisher (see each import run)",
        licence="The file's own licence (see each import run)",
        licence_url="https://www.threesixtygiving.org/data/",
        attribution=("Grants data published by each funder under its own licence, via 360Giving.",),
        urls=(),
        format="json, csv or xlsx",
        importer=f"{IMPORTERS}.threesixtygiving.GrantFileImporter",
        description=(
            "One funder's grants, checked against the 360Giving schema like the 360Giving Data "
            "Quality Tool, then imported with each problem reported by sheet, row and column."
        ),
        auto_import=False,
        order=85,
        tags=("grants",),
    )
)
