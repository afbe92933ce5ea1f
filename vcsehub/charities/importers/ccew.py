"""Charity Commission for England and Wales: the 13-table register extract, as one import run.

One `Charity` per main charity (linked_charity_number 0), with its linked charities,
other names, classifications, areas of operation, up to five financial years (annual
return history + Part A + Part B), policies, other regulators, published reports and the
number of trustees. Trustees' names are never stored: the trustee table is only counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date

from vcsehub.charities.classification import (
    company_number_normalise,
    income_band,
    org_id_ccew,
    search_fold,
)
from vcsehub.charities.importers import values as v
from vcsehub.charities.importers.base import RegisterImporter
from vcsehub.charities.importers.ccew_files import CcewTable, ccew_rows, ccew_table_open
from vcsehub.charities.importers.ccew_years import ccew_years_load
from vcsehub.charities.models import (
    AreaLookup,
    AreaOfOperation,
    Charity,
    Classification,
    LinkedCharity,
    Register,
    Status,
)
from vcsehub.charities.services import charity_ids_by, register_rows_delete, rows_bulk_insert
from vcsehub.charities.sources import CCEW_TABLES
from vcsehub.geography.postcodes import postcode_normalise
from vcsehub.sources.errors import DataError
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.models import ImportRun

STATUSES = {"registered": Status.REGISTERED, "removed": Status.REMOVED}
OVERDUE = {"submission overdue": True, "submission double default": True}
NOT_OVERDUE = {"submission received": False, "submission received late": False, "new": False}
KINDS = {"what": "what", "who": "who", "how": "how"}
CHARITY_FIELDS = (
    "org_id", "register", "registered_number", "organisation_number", "linked_number", "name",
    "other_names", "search_text", "status", "register_status", "charity_type", "date_registered",
    "date_removed", "removal_reason", "company_number", "postcode", "website", "activities",
    "latest_income", "latest_expenditure", "latest_period_end", "income_band", "accounts_overdue",
    "trustee_count", "policies", "other_regulators", "published_reports", "lsoa21", "ward_code",
    "lad_code", "region_code", "country_code", "source_id", "import_run_id", "data_date",
)  # fmt: skip


class CcewImporter(RegisterImporter):
    source_id = "ccew"
    register = Register.CCEW

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        tables = self._tables(files)
        self.table_counts: dict[str, int] = {}
        self._rejected: dict[str, int] = {}
        self._run = run
        self.data_date: date | None = None

        aux = self._read_aux(tables)
        register_rows_delete(register=self.register)
        self._load_charities(tables["charity"], aux)
        del aux
        by_number = charity_ids_by(register=self.register, key="registered_number")
        linked = self._load_linked(tables["charity"], by_number)
        del by_number
        ids = charity_ids_by(register=self.register, key="organisation_number")
        loaded = len(ids)
        self._load_classifications(tables["charity_classification"], ids)
        self._load_areas(tables["charity_area_of_operation"], ids)
        ccew_years_load(importer=self, tables=tables, ids=ids)
        run.data_date = self.data_date
        for table in CCEW_TABLES:
            self.log(f"{table}: {self.table_counts[table]:,} rows read")
        self.log(f"{loaded:,} charities, {linked:,} linked charities")
        self.finish(run)
        return loaded

    # -- files -------------------------------------------------------------------------

    def _tables(self, files: list[FetchedFile]) -> dict[str, CcewTable]:
        tables: dict[str, CcewTable] = {}
        for fetched in files:
            table = ccew_table_open(fetched.path, name=fetched.name)
            if table.table in tables:
                raise DataError(
                    f"The {table.table} table was given twice",
                    fix="Give each of the 13 publicextract files once.",
                    file=fetched.name,
                )
            tables[table.table] = table
        missing = [t for t in CCEW_TABLES if t not in tables]
        if missing:
            raise DataError(
                f"{len(missing)} of the 13 register extract tables are missing: {', '.join(missing)}",
                fix="Download all 13 publicextract.<table>.zip files and import them together.",
            )
        return tables

    def _rows(self, table: CcewTable, parse: Callable[[list[str], dict[str, int]], None]) -> None:
        """Read a table, handing each good row to `parse`; rows it cannot read are left out."""
        for _ in self._drain(table, parse, []):
            pass

    # -- pass 1: small facts kept per organisation number ---------------------------------

    def _read_aux(self, tables: dict[str, CcewTable]) -> dict[str, dict]:
        aux: dict[str, dict] = {
            "removal_reason": {},
            "other_names": defaultdict(list),
            "policies": defaultdict(list),
            "regulators": defaultdict(list),
            "reports": defaultdict(list),
            "trustees": defaultdict(int),
        }
        interned: dict[str, str] = {}

        def org(values, index) -> int:
            number = v.integer(values[index["organisation_number"]])
            if number is None:
                raise ValueError("organisation_number is empty")
            return number

        def event(values, index):
            number = org(values, index)
            when = v.iso_date(values[index["date_of_event"]])
            if v.text(values[index["event_type"]]).lower() == "removed":
                reason = v.text(values[index["reason"]])
                previous = aux["removal_reason"].get(number)
                if previous is None or (when and previous[0] and when >= previous[0]):
                    aux["removal_reason"][number] = (when, reason)

        def other_name(values, index):
            name = v.text(values[index["charity_name"]])
            kind = v.text(values[index["charity_name_type"]])
            aux["other_names"][org(values, index)].append((name, interned.setdefault(kind, kind)))

        def policy(values, index):
            name = v.text(values[index["policy_name"]])
            aux["policies"][org(values, index)].append(interned.setdefault(name, name))

        def regulator(values, index):
            name = v.text(values[index["regulator_name"]])
            aux["regulators"][org(values, index)].append(interned.setdefault(name, name))

        def report(values, index):
            published = v.iso_date(values[index["date_published"]])
            aux["reports"][org(values, index)].append(
                {
                    "name": v.text(values[index["report_name"]]),
                    "url": v.text(values[index["report_location"]]),
                    "date": published.isoformat() if published else None,
                }
            )

        def trustee(values, index):
            # Only counted. The trustee's name is never read into memory or stored.
            aux["trustees"][org(values, index)] += 1

        def governing(values, index):
            org(values, index)

        self._rows(tables["charity_event_history"], event)
        self._rows(tables["charity_other_names"], other_name)
        self._rows(tables["charity_policy"], policy)
        self._rows(tables["charity_other_regulators"], regulator)
        self._rows(tables["charity_published_report"], report)
        self._rows(tables["charity_trustee"], trustee)
        self._rows(tables["charity_governing_document"], governing)
        return aux

    # -- pass 2: the charities ----------------------------------------------------------

    def _load_charities(self, table: CcewTable, aux: dict[str, dict]) -> int:
        """Insert the main charities; return how many linked charities the table holds."""
        linked = [0]
        run = self._run

        def charity_rows() -> Iterator[tuple]:
            pending: list[tuple] = []

            def parse(values, index):
                if self.data_date is None:
                    self.data_date = v.iso_date(values[index["date_of_extract"]])
                number = v.integer(values[index["organisation_number"]])
                registered = v.integer(values[index["registered_charity_number"]])
                link = v.integer(values[index["linked_charity_number"]])
                if number is None or registered is None or link is None:
                    raise ValueError("a charity number is empty")
                status_text = v.text(values[index["charity_registration_status"]])
                status = STATUSES.get(status_text.lower())
                if status is None:
                    raise ValueError(f"{status_text[:40]!r} is not a registration status")
                name = v.text(values[index["charity_name"]])[:500]
                registered_on = v.iso_date(values[index["date_of_registration"]])
                removed_on = v.iso_date(values[index["date_of_removal"]])
                if link:
                    linked[0] += 1
                    return
                income = v.money(values[index["latest_income"]])
                reporting = v.text(values[index["charity_reporting_status"]])
                others = aux["other_names"].get(number, [])
                trustees = aux["trustees"].get(number)
                pending.append(
                    (
                        org_id_ccew(registered),
                        self.register,
                        str(registered),
                        number,
                        0,
                        name,
                        [{"name": other, "type": kind} for other, kind in others],
                        search_fold(" ".join([name, *(other for other, _ in others)])),
                        status,
                        reporting[:80],
                        v.text(values[index["charity_type"]])[:200],
                        registered_on,
                        removed_on,
                        (aux["removal_reason"].get(number) or (None, ""))[1][:200],
                        company_number_normalise(
                            values[index["charity_company_registration_number"]]
                        ),
                        postcode_normalise(v.text(values[index["charity_contact_postcode"]]))[:8],
                        v.website(values[index["charity_contact_web"]]),
                        v.text(values[index["charity_activities"]]),
                        income,
                        v.money(values[index["latest_expenditure"]]),
                        v.iso_date(values[index["latest_acc_fin_period_end_date"]]),
                        income_band(income),
                        OVERDUE.get(reporting.lower(), NOT_OVERDUE.get(reporting.lower())),
                        trustees,
                        aux["policies"].get(number, []),
                        aux["regulators"].get(number, []),
                        aux["reports"].get(number, []),
                        "",
                        "",
                        "",
                        "",
                        "",
                        self.source_id,
                        run.pk,
                        None,
                    )
                )

            yield from self._drain(table, parse, pending)

        data_date_position = CHARITY_FIELDS.index("data_date")

        def dated(rows: Iterator[tuple]) -> Iterator[tuple]:
            for row in rows:
                yield (*row[:data_date_position], self.data_date)

        rows_bulk_insert(model=Charity, fields=CHARITY_FIELDS, rows=dated(charity_rows()))
        return linked[0]

    def _load_linked(self, table: CcewTable, by_number: dict[str, int]) -> int:
        """Second reading of the charity table: the linked charities, under their main charity."""

        def rows() -> Iterator[tuple]:
            pending: list[tuple] = []

            def parse(values, index):
                link = v.integer(values[index["linked_charity_number"]])
                if not link:
                    return
                registered = v.integer(values[index["registered_charity_number"]])
                charity_id = by_number.get(str(registered))
                if charity_id is None:
                    self.reject(
                        self._run,
                        file=table.name,
                        row=0,
                        reason=f"linked charity {registered}-{link} has no main charity",
                        counts=self._rejected,
                    )
                    return
                status = STATUSES[v.text(values[index["charity_registration_status"]]).lower()]
                pending.append(
                    (
                        charity_id,
                        v.integer(values[index["organisation_number"]]),
                        link,
                        v.text(values[index["charity_name"]])[:500],
                        status,
                        v.iso_date(values[index["date_of_registration"]]),
                        v.iso_date(values[index["date_of_removal"]]),
                    )
                )

            yield from self._drain(table, parse, pending, count=False)

        return rows_bulk_insert(
            model=LinkedCharity,
            fields=(
                "charity_id",
                "organisation_number",
                "linked_number",
                "name",
                "status",
                "date_registered",
                "date_removed",
            ),  # fmt: skip
            rows=rows(),
        )

    # -- pass 3: rows that hang off a charity -----------------------------------------------

    def _load_classifications(self, table: CcewTable, ids: dict[int, int]) -> None:
        last: list = [None, set()]

        def rows() -> Iterator[tuple]:
            pending: list[tuple] = []

            def parse(values, index):
                charity_id = ids.get(v.integer(values[index["organisation_number"]]))
                if charity_id is None:
                    return  # a linked charity's classification: kept with the main charity's
                kind_text = v.text(values[index["classification_type"]])
                kind = KINDS.get(kind_text.lower())
                code = v.integer(values[index["classification_code"]])
                if kind is None or code is None:
                    raise ValueError(f"{kind_text[:20]!r} {code} is not a classification")
                if last[0] != charity_id:
                    last[0], last[1] = charity_id, set()
                if (kind, code) in last[1]:
                    return
                last[1].add((kind, code))
                label = v.text(values[index["classification_description"]])[:300]
                pending.append((charity_id, kind, str(code), label))

            yield from self._drain(table, parse, pending)

        rows_bulk_insert(
            model=Classification, fields=("charity_id", "kind", "code", "label"), rows=rows()
        )

    def _load_areas(self, table: CcewTable, ids: dict[int, int]) -> None:
        lookup = {
            (area_type.lower(), description.lower()): (gss, iso)
            for area_type, description, gss, iso in AreaLookup.objects.values_list(
                "area_type", "description", "gss_code", "iso_code"
            )
        }

        def rows() -> Iterator[tuple]:
            pending: list[tuple] = []

            def parse(values, index):
                charity_id = ids.get(v.integer(values[index["organisation_number"]]))
                if charity_id is None:
                    return
                area_type = v.text(values[index["geographic_area_type"]])[:40]
                description = v.text(values[index["geographic_area_description"]])[:200]
                gss, iso = lookup.get((area_type.lower(), description.lower()), ("", ""))
                pending.append(
                    (
                        charity_id,
                        area_type,
                        description,
                        v.text(values[index["parent_geographic_area_type"]])[:40],
                        v.text(values[index["parent_geographic_area_description"]])[:200],
                        gss,
                        iso,
                    )
                )

            yield from self._drain(table, parse, pending)

        rows_bulk_insert(
            model=AreaOfOperation,
            fields=(
                "charity_id",
                "area_type",
                "description",
                "parent_type",
                "parent_description",
                "gss_code",
                "iso_code",
            ),  # fmt: skip
            rows=rows(),
        )

    def _drain(
        self, table: CcewTable, parse, pending: list[tuple], *, count: bool = True
    ) -> Iterator[tuple]:
        """Read a table, yielding what `parse` appends to `pending` as it goes.

        Rows that cannot be read are left out and logged. `count=False` for a second
        reading of a table, so its rows are not counted twice.
        """
        index = {column: i for i, column in enumerate(table.columns)}
        read = rejected = 0
        example = ""
        for number, values, problem in ccew_rows(table):
            read += 1
            if values is not None:
                try:
                    parse(values, index)
                except ValueError as error:
                    values, problem = None, str(error)
            if values is None and count:
                rejected += 1
                example = example or f"row {number} {problem}"
                self.reject(
                    self._run, file=table.name, row=number, reason=problem, counts=self._rejected
                )
            if pending:
                yield from pending
                pending.clear()
        if not count:
            return
        self._run.rows_read += read
        self.table_counts[table.table] = read
        self.check_rejections(file=table.name, read=read, rejected=rejected, example=example)
