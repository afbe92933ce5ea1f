"""Office of the Scottish Charity Regulator: the current register, former charities, five years.

Read per the documented columns (docs/data-charity-grants.md §3): comma-separated, quoted
UTF-8 CSV (or a zip holding one). Each file is recognised by its columns: a register file
has "Charity Status"; the five-year file has a year-end column and no status. Parsing
facts: dates dd/mm/yyyy with 01/01/1970 meaning none; "XX0 0XX" is a placeholder
postcode; "-" and "-, -" mean empty; Purposes / Beneficiaries / Activities are lists of
single-quoted items. A row whose Regulatory Type equals its Activities has shifted
columns and is left out.
"""

from __future__ import annotations

from collections.abc import Iterator

from vcsehub.charities.classification import (
    income_band,
    org_id_oscr,
    oscr_code,
    oscr_split,
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

NO_DATE = "01/01/1970"
PLACEHOLDER_POSTCODE = "XX0 0XX"
EMPTY = {"", "-", "-, -"}
REGISTER_COLUMNS = (
    "Charity Number",
    "Charity Name",
    "Registered Date",
    "Charity Status",
    "Postcode",
)
YEAR_END_COLUMNS = ("Year End", "Financial Year End")
INCOME_COLUMNS = ("Most recent year income", "Total Income", "Income")
SPENDING_COLUMNS = ("Most recent year expenditure", "Total Expenditure", "Expenditure")
KIND_COLUMNS = (("what", "Purposes"), ("who", "Beneficiaries"), ("how", "Activities"))
REMOVED_WORDS = ("removed", "ceased", "former")
CHARITY_FIELDS = (
    "org_id", "register", "registered_number", "name", "other_names", "search_text", "status",
    "register_status", "charity_type", "date_registered", "date_removed", "removal_reason",
    "postcode", "website", "activities", "latest_income", "latest_expenditure",
    "latest_period_end", "income_band", "source_id", "import_run_id", "data_date",
)  # fmt: skip


def _value(record: dict, column: str) -> str:
    text = v.text(record.get(column))
    return "" if text in EMPTY else text


def _first(record: dict, columns: tuple[str, ...]) -> str:
    for column in columns:
        if column in record:
            return _value(record, column)
    return ""


class OscrImporter(RegisterImporter):
    source_id = "oscr"
    register = Register.OSCR

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        charities: dict[str, tuple] = {}
        categories: dict[str, list] = {}
        years: dict[tuple[str, object], tuple] = {}
        rejected: dict[str, int] = {}
        data_date = run.started_at.date()
        for fetched in files:
            kind, records = self._file(fetched)
            read = 0
            for number, record in records:
                read += 1
                run.rows_read += 1
                try:
                    if kind == "register":
                        self._register_row(record, run, data_date, charities, categories, years)
                    else:
                        self._year_row(record, years)
                except ValueError as error:
                    self.reject(
                        run, file=fetched.name, row=number, reason=str(error), counts=rejected
                    )
            self.check_rejections(
                file=fetched.name, read=read, rejected=rejected.get(fetched.name, 0)
            )
        run.data_date = data_date
        register_rows_delete(register=self.register)
        loaded = rows_bulk_insert(model=Charity, fields=CHARITY_FIELDS, rows=charities.values())
        ids = charity_ids_by(register=self.register, key="org_id")
        rows_bulk_insert(
            model=Classification,
            fields=("charity_id", "kind", "code", "label"),
            rows=((ids[org], *item) for org, items in categories.items() for item in items),
        )
        rows_bulk_insert(
            model=FinancialYear,
            fields=("charity_id", "period_end", "income", "expenditure"),
            rows=((ids[org], end, *money) for (org, end), money in years.items() if org in ids),
        )
        self.finish(run)
        return loaded

    def _file(self, fetched: FetchedFile) -> tuple[str, Iterator[tuple[int, dict]]]:
        for table in read_tables(fetched.path, name=fetched.name, member="*.csv"):
            headers = set(table.headers)
            if all(column in headers for column in REGISTER_COLUMNS):
                return "register", table.records(strict=False)
            if "Charity Number" in headers and headers & set(YEAR_END_COLUMNS):
                return "years", table.records(strict=False)
            missing = [c for c in REGISTER_COLUMNS if c not in headers]
            raise DataError(
                f"This is not an OSCR register file: the columns {', '.join(missing)} are missing",
                fix="Use the charity register, five-year or former register CSV from the OSCR website.",
                file=fetched.name,
                row=table.header_row,
            )
        raise DataError(
            "The file holds no table", fix="Check it is the OSCR CSV.", file=fetched.name
        )

    def _register_row(self, record, run, data_date, charities, categories, years) -> None:
        number = _value(record, "Charity Number").upper().replace(" ", "")
        if not number.startswith("SC") or not number[2:].isdigit():
            raise ValueError(f"{number[:20]!r} is not a Scottish charity number like SC003558")
        if "Regulatory Type" in record and "Activities" in record:
            regulatory, activities = _value(record, "Regulatory Type"), _value(record, "Activities")
            if regulatory and regulatory == activities:
                raise ValueError("its columns are shifted (Regulatory Type repeats Activities)")
        name = _value(record, "Charity Name")[:500]
        if not name:
            raise ValueError("the charity name is empty")
        org_id = org_id_oscr(number)
        status_text = _value(record, "Charity Status")
        ceased = (
            v.uk_date(record.get("Ceased Date"), no_date=NO_DATE)
            if record.get("Ceased Date")
            else None
        )
        removed = ceased is not None or any(word in status_text.lower() for word in REMOVED_WORDS)
        if org_id in charities and removed:
            return  # the current register wins over the former-charities file
        known_as = _value(record, "Known As")
        others = [{"name": known_as, "type": "Known as"}] if known_as and known_as != name else []
        postcode = postcode_normalise(_value(record, "Postcode"))
        if postcode == PLACEHOLDER_POSTCODE:
            postcode = ""
        year_end = v.uk_date(_first(record, YEAR_END_COLUMNS), no_date=NO_DATE)
        income = v.money(_first(record, INCOME_COLUMNS))
        spending = v.money(_first(record, SPENDING_COLUMNS))
        charities[org_id] = (
            org_id, self.register, number, name, others,
            search_fold(" ".join([name, *(o["name"] for o in others)])),
            Status.REMOVED if removed else Status.REGISTERED,
            status_text[:80], _value(record, "Constitutional Form")[:200],
            v.uk_date(record.get("Registered Date"), no_date=NO_DATE), ceased,
            _value(record, "Reason for removal")[:200], postcode[:8],
            v.website(_value(record, "Website")), _value(record, "Objectives"),
            income, spending, year_end, income_band(income), self.source_id, run.pk, data_date,
        )  # fmt: skip
        items = []
        for kind, column in KIND_COLUMNS:
            for label in oscr_split(record.get(column) or ""):
                items.append((kind, oscr_code(kind, label), label[:300]))
        categories[org_id] = items
        if year_end is not None:
            years.setdefault((org_id, year_end), (income, spending))

    def _year_row(self, record, years) -> None:
        number = _value(record, "Charity Number").upper().replace(" ", "")
        if not number.startswith("SC"):
            raise ValueError(f"{number[:20]!r} is not a Scottish charity number like SC003558")
        year_end = v.uk_date(_first(record, YEAR_END_COLUMNS), no_date=NO_DATE)
        if year_end is None:
            raise ValueError("the year end is empty")
        years[(org_id_oscr(number), year_end)] = (
            v.money(_first(record, INCOME_COLUMNS)),
            v.money(_first(record, SPENDING_COLUMNS)),
        )
