"""Import the 360Giving Data Standard's JSON Schemas (grant and package) that files are checked against."""

from __future__ import annotations

import json
import re

from vcsehub.grants.models import StandardDocument
from vcsehub.grants.schema import GrantSchema
from vcsehub.grants.selectors import GRANT_SCHEMA, PACKAGE_SCHEMA
from vcsehub.grants.validation import SchemaValidator
from vcsehub.sources.errors import DataError
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun

_VERSION = re.compile(r"/(\d+\.\d+(?:\.\d+)?)/")


class StandardImporter(Importer):
    source_id = "360giving-standard"

    def current_row_count(self) -> int:
        return StandardDocument.objects.count()

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        documents: dict[str, dict] = {}
        for fetched in files:
            try:
                content = json.loads(fetched.path.read_text(encoding="utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise DataError(
                    f"The schema file is not valid JSON ({error})", file=fetched.name
                ) from None
            run.rows_read += 1
            if not isinstance(content, dict):
                raise DataError("The schema file is not a JSON Schema", file=fetched.name)
            title = str(content.get("title", ""))
            name = PACKAGE_SCHEMA if "grants" in content.get("properties", {}) else GRANT_SCHEMA
            if name == GRANT_SCHEMA and "Standard" not in title:
                raise DataError(
                    f"{fetched.name} is not the 360Giving grant schema (its title is {title!r})",
                    file=fetched.name,
                )
            documents[name] = content
        if set(documents) != {GRANT_SCHEMA, PACKAGE_SCHEMA}:
            raise DataError(
                "Both 360Giving schemas are needed: the grant schema and the package schema",
                fix="Give both files (360-giving-schema.json and 360-giving-package-schema.json).",
            )
        # Refuse a schema this validator cannot compile, before replacing the loaded one.
        SchemaValidator(documents[GRANT_SCHEMA])
        GrantSchema(documents[GRANT_SCHEMA], documents[PACKAGE_SCHEMA])
        match = _VERSION.search(str(documents[GRANT_SCHEMA].get("$id", "")))
        version = match.group(1) if match else ""
        objects = [
            StandardDocument(name=name, version=version, content=content, run=run)
            for name, content in documents.items()
        ]
        self.log(f"360Giving schema version {version or 'unknown'}")
        return self.replace_rows(StandardDocument, objects)
