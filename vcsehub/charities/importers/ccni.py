"""Charity Commission for Northern Ireland: the register export CSV (Windows-1252).

One row per charity. The What/Who/How columns are comma-joined lists whose items can
hold commas, so they are matched against the known CCNI category lists
(classification.ccni_split). Of the address, only the postcode at its end is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from vcsehub.charities.classification import (
    ccni_code,
    ccni_split,
    company_number_normalise,
    income_band,
    org_id_ccni,
    search_fold,
)
from vcsehub.charities.importers import values as v
from vcsehub.charities.importers.base import RegisterImporter
from vcsehub.charities.models import Charity, Classification, FinancialYear, Register, Status
from vcsehub.charities.services import charity_ids_by, register_rows_delete, rows_bulk_insert
from vcsehub.geography.postcodes import postcode_normalise
from vcsehub.sources.errors import DataError
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.models import ImportRun
from vcsehub.sources.readers import read_tables

REQUIRED = (
    "Reg charity number",
    "Charity name",
    "Date registered",
    "Status",
    "Total income",
    "Total spending",
    "Public address",
    "Website",
    "Company number",
    "What the charity does",
    "Who the charity helps",
    "How the charity works",
    "Charitable purposes",
    "Other name",
    "Type of governing document",
    "Financial period start",
    "Financial period end",
    "Employed staff",
    "UK and Ireland volunteers",
)
KIND_COLUMNS = (
    ("what", "What the charity does"),
    ("who", "Who the charity helps"),
    ("how", "How the charity works"),
)
NO_NAME = {"", "none", "n/a", "-"}
_POSTCODE_AT_END = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2})\W*$", re.IGNORECASE)
CHARITY_FIELDS = (
    "org_id", "register", "registered_number", "name", "other_names", "search_text", "status",
    "register_status", "charity_type", "date_registered", "company_number", "postcode", "website",
    "activities", "latest_income", "latest_expenditure", "latest_period_end", "income_band",
    "accounts_overdue", "source_id", "import_run_id", "data_date",
)  # fmt: skip


class CcniImporter(RegisterImporter):
    source_id = "ccni"
    register = Register.CCNI

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        fetched = files[0]
        charities: dict[str, tuple] = {}
        extras: dict[str, tuple[list, tuple | None]] = {}
        rejected: dict[str, int] = {}
        data_date = run.started_at.date()
        for number, record in self._records(fetched):
            run.rows_read += 1
            try:
                row, categories, year = self._parse(record, run_id=run.pk, data_date=data_date)
            except ValueError as error:
                self.reject(run, file=fetched.name, row=number, reason=str(error), counts=rejected)
                continue
            if row[0] in charities:
                self.reject(
                    run,
                    file=fetched.name,
                    row=number,
                    reason=f"{row[0]} is listed twice",
                    counts=rejected,
                )
                continue
            charities[row[0]] = row
            extras[row[0]] = (categories, year)
        self.check_rejections(
            file=fetched.name, read=run.rows_read, rejected=sum(rejected.values())
        )
        run.data_date = data_date
        register_rows_delete(register=self.register)
        loaded = rows_bulk_insert(model=Charity, fields=CHARITY_FIELDS, rows=charities.values())
        ids = charity_ids_by(register=self.register, key="org_id")
        rows_bulk_insert(
            model=Classification,
            fields=("charity_id", "kind", "code", "label"),
            rows=(
                (ids[org], *item) for org, (categories, _) in extras.items() for item in categories
            ),
        )
        rows_bulk_insert(
            model=FinancialYear,
            fields=(
                "charity_id",
                "period_start",
                "period_end",
                "income",
                "expenditure",
                "employees",
                "volunteers",
            ),
            rows=((ids[org], *year) for org, (_, year) in extras.items() if year is not None),
        )
        self.finish(run)
        return loaded

    def _records(self, fetched: FetchedFile) -> Iterator[tuple[int, dict]]:
        for table in read_tables(fetched.path, name=fetched.name, format="csv"):
            missing = [column for column in REQUIRED if column not in table.headers]
            if missing:
                raise DataError(
                    f"This is not the CCNI register export: {len(missing)} expected columns are "
                    f"missing ({', '.join(missing[:4])})",
                    fix="Export the register again from the Charity Commission for Northern Ireland website.",
                    file=fetched.name,
                    row=table.header_row,
                )
            if table.encoding and table.encoding.lower().replace("-", "") not in {
                "cp1252", "windows1252", "utf8", "utf8sig", "ascii", "latin1", "iso88591",
            }:  # fmt: skip
                raise DataError(
                    f"The file is in the {table.encoding} encoding, but the CCNI export is Windows-1252",
                    fix="Use the file exactly as downloaded, or save it as CSV (UTF-8).",
                    file=fetched.name,
                )
            yield from table.records(strict=False)
            return

    def _parse(self, record: dict, *, run_id: int, data_date) -> tuple[tuple, list, tuple | None]:
        number = v.integer(record.get("Reg charity number"))
        if number is None:
            raise ValueError("the charity number is empty")
        name = v.text(record.get("Charity name"))[:500]
        if not name:
            raise ValueError("the charity name is empty")
        status_text = v.text(record.get("Status"))
        removed = status_text.lower() == "removed"
        overdue = None
        if status_text.lower().startswith("overdue"):
            overdue = True
        elif status_text.lower().startswith("received"):
            overdue = False
        other = v.text(record.get("Other name"))
        others = [] if other.lower() in NO_NAME else [{"name": other, "type": "Other name"}]
        address = v.text(record.get("Public address"))
        match = _POSTCODE_AT_END.search(address)
        postcode = postcode_normalise(match.group(1)) if match else ""
        period_end = v.long_date(record.get("Financial period end"))
        # Income with no financial period is a charity that has not reported yet: no figure.
        income = v.money(record.get("Total income")) if period_end else None
        spending = v.money(record.get("Total spending")) if period_end else None
        categories = []
        for kind, column in KIND_COLUMNS:
            items, unknown = ccni_split(kind, v.text(record.get(column)))
            for label in items:
                categories.append((kind, ccni_code(kind, label), label))
            for label in unknown:
                self.log(
                    f"charity {number}: {label[:60]!r} is not a known CCNI category; kept as it is"
                )
                categories.append((kind, f"NI-{kind.upper()}-OTHER", label[:300]))
        year = None
        if period_end:
            year = (
                v.long_date(record.get("Financial period start")),
                period_end,
                income,
                spending,
                v.integer(record.get("Employed staff")),
                v.integer(record.get("UK and Ireland volunteers")),
            )
        row = (
            org_id_ccni(number),
            self.register,
            str(number),
            name,
            others,
            search_fold(" ".join([name, *(o["name"] for o in others)])),
            Status.REMOVED if removed else Status.REGISTERED,
            status_text[:80],
            v.text(record.get("Type of governing document"))[:200],
            v.uk_date(record.get("Date registered")),
            company_number_normalise(record.get("Company number"), default_prefix="NI"),
            postcode[:8],
            v.website(record.get("Website")),
            v.text(record.get("Charitable purposes")),
            income,
            spending,
            period_end,
            income_band(income),
            overdue,
            self.source_id,
            run_id,
            data_date,
        )
        return row, categories, year
