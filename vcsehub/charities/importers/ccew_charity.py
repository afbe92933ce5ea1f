"""CCEW: the charity table, read once, gives the main charities and their linked charities.

Main charities (linked_charity_number 0) are inserted as they are read. A linked charity
can come before its main charity in the file, so linked charities wait in a staging table
and are joined to their main charity by SQL once every main charity is in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.db import connection

from vcsehub.charities.classification import (
    company_number_normalise,
    income_band,
    org_id_ccew,
    search_fold,
)
from vcsehub.charities.importers import values as v
from vcsehub.charities.importers.ccew_read import Tally, ccew_built
from vcsehub.charities.importers.parallel import forked
from vcsehub.charities.models import Charity, LinkedCharity, Status
from vcsehub.charities.services import (
    bulk_layout,
    staging_table_create,
    staging_table_drop,
    table_rows_insert,
)
from vcsehub.geography.postcodes import postcode_normalise

STATUSES = {"registered": Status.REGISTERED, "removed": Status.REMOVED}
OVERDUE = {"submission overdue": True, "submission double default": True}
NOT_OVERDUE = {"submission received": False, "submission received late": False, "new": False}
CHARITY_FIELDS = (
    "org_id", "register", "registered_number", "organisation_number", "linked_number", "name",
    "other_names", "search_text", "status", "register_status", "charity_type", "date_registered",
    "date_removed", "removal_reason", "company_number", "postcode", "website", "activities",
    "latest_income", "latest_expenditure", "latest_period_end", "income_band", "accounts_overdue",
    "trustee_count", "policies", "other_regulators", "published_reports", "lsoa21", "ward_code",
    "lad_code", "region_code", "country_code", "source_id", "import_run_id", "data_date",
)  # fmt: skip
LINKED_FIELDS = (
    "organisation_number", "linked_number", "name", "status", "date_registered", "date_removed",
)  # fmt: skip
STAGE = "ccew_linked_stage"
# search_fold's steps for ASCII text, where Unicode decomposition changes nothing.
_APOSTROPHES = re.compile(r"['`]")
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    """classification.search_fold(text), quicker for ASCII text (most names)."""
    if not text.isascii():
        return search_fold(text)
    return _SPACES.sub(" ", _APOSTROPHES.sub("", text)).strip().lower()


def ccew_charities_load(*, importer, table, aux) -> int:
    """Insert the main charities and their linked charities; return how many linked ones."""
    staging_table_create(
        name=STAGE,
        columns=[
            ("seq", "integer"),
            ("main_org_id", Charity._meta.get_field("org_id")),
            ("registered", "bigint"),
            *((name, LinkedCharity._meta.get_field(name)) for name in LINKED_FIELDS),
        ],
    )
    columns, prepare = bulk_layout(model=Charity, fields=CHARITY_FIELDS)
    make = _builder(importer, aux)
    data_date_at = CHARITY_FIELDS.index("data_date")

    def messages() -> Iterator[tuple]:
        tally = Tally(table.table, table.name)
        data_date = None
        linked = 0
        for rows in ccew_built(table, make, tally=tally):
            if data_date is None and make.data_date is not None:
                data_date = make.data_date
                yield ("data_date", data_date)
            mains, stage = [], []
            for row in rows:
                if row[0] is None:
                    linked += 1
                    stage.append((linked, *row[1:]))
                else:
                    mains.append((*row[:data_date_at], data_date))
            if mains:
                yield ("rows", "charity", list(prepare(mains)))
            if stage:
                yield ("rows", "stage", stage)
        yield ("tally", tally)

    counted = [0]

    def stage_rows(rows):
        counted[0] += len(rows)
        table_rows_insert(
            table=STAGE, columns=("seq", "main_org_id", "registered", *LINKED_FIELDS), rows=rows
        )

    importer.consume(
        forked(messages, fork=importer.parallel),
        {
            "charity": lambda rows: table_rows_insert(
                table=Charity._meta.db_table, columns=columns, rows=rows
            ),
            "stage": stage_rows,
        },
    )
    _linked_join(importer, table)
    staging_table_drop(name=STAGE)
    return counted[0]


class _Make:
    """Makes the charity table's row builder; remembers the extract date of the first row."""

    def __init__(self, importer, aux) -> None:
        self.data_date = None
        self.importer, self.aux = importer, aux

    def __call__(self, text, column):
        return _build(self, self.importer, self.aux, text, column)


def _builder(importer, aux) -> _Make:
    return _Make(importer, aux)


def _build(state, importer, aux, text, column):
    (extract_at, org, registered_at, link_at, status_at, name_at, registered_on_at,
     removed_on_at, income_at, reporting_at, type_at, company_at, postcode_at, web_at,
     activities_at, expenditure_at, period_end_at) = (column[name] for name in (
        "date_of_extract", "organisation_number", "registered_charity_number",
        "linked_charity_number", "charity_registration_status", "charity_name",
        "date_of_registration", "date_of_removal", "latest_income", "charity_reporting_status",
        "charity_type", "charity_company_registration_number", "charity_contact_postcode",
        "charity_contact_web", "charity_activities", "latest_expenditure",
        "latest_acc_fin_period_end_date",
    ))  # fmt: skip
    register, source_id, run_id = importer.register, importer.source_id, importer._run.pk
    db = v.db_values(connection.vendor)
    no_reason = (None, "")

    def build(values) -> tuple:
        """(org-id, … the charity's fields) for a main charity; (None, …) for a linked one."""
        if state.data_date is None:
            state.data_date = v.iso_date_fast(values[extract_at])
        number = v.integer_fast(values[org])
        registered = v.integer_fast(values[registered_at])
        link = v.integer_fast(values[link_at])
        if number is None or registered is None or link is None:
            raise ValueError("a charity number is empty")
        status_text = text(values[status_at])
        status = STATUSES.get(status_text.lower())
        if status is None:
            raise ValueError(f"{status_text[:40]!r} is not a registration status")
        name = text(values[name_at])[:500]
        registered_on = db.date(values[registered_on_at])
        removed_on = db.date(values[removed_on_at])
        if link:
            return (None, org_id_ccew(registered), registered, number, link, name, status,
                    registered_on, removed_on)  # fmt: skip
        income = v.money_fast(values[income_at])
        reporting = text(values[reporting_at])
        others = aux.other_names.get(number, [])
        return (
            org_id_ccew(registered), register, str(registered), number, 0, name,
            [{"name": other, "type": kind} for other, kind in others],
            _fold(" ".join([name, *(other for other, _ in others)])),
            status, reporting[:80], text(values[type_at])[:200], registered_on, removed_on,
            (aux.removal_reason.get(number) or no_reason)[1][:200],
            company_number_normalise(values[company_at]),
            postcode_normalise(text(values[postcode_at]))[:8],
            v.website(values[web_at]),
            text(values[activities_at]),
            income,
            db.money(values[expenditure_at]),
            db.date(values[period_end_at]),
            income_band(income),
            OVERDUE.get(reporting.lower(), NOT_OVERDUE.get(reporting.lower())),
            aux.trustees.get(number),
            aux.policies.get(number, []),
            aux.regulators.get(number, []),
            aux.reports.get(number, []),
            "", "", "", "", "",
            source_id, run_id, None,
        )  # fmt: skip

    return build


def _linked_join(importer, table) -> None:
    """Linked charities under their main charity, in file order; the rest are logged."""
    charities, linked = Charity._meta.db_table, LinkedCharity._meta.db_table
    columns = ", ".join(LINKED_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {linked} (charity_id, {columns}) "  # noqa: S608 - our own names
            f"SELECT c.id, {', '.join('s.' + name for name in LINKED_FIELDS)} "
            f"FROM {STAGE} s JOIN {charities} c ON c.org_id = s.main_org_id ORDER BY s.seq"
        )
        cursor.execute(
            f"SELECT s.registered, s.linked_number FROM {STAGE} s "  # noqa: S608
            f"WHERE NOT EXISTS (SELECT 1 FROM {charities} c WHERE c.org_id = s.main_org_id) "
            "ORDER BY s.seq"
        )
        for registered, link in cursor.fetchall():
            importer.reject(
                importer._run,
                file=table.name,
                row=0,
                reason=f"linked charity {registered}-{link} has no main charity",
                counts=importer._rejected,
            )
