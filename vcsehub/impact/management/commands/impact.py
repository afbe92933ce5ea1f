"""`vcsehub impact upload`: upload a spreadsheet to an organisation's dataset. Thin front to services."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vcsehub.impact import services
from vcsehub.impact.checks import ERROR
from vcsehub.impact.mapping import MappingError
from vcsehub.impact.models import Dataset
from vcsehub.organisations.models import Organisation
from vcsehub.sources.errors import DataError

EPILOG = """\
examples:
  vcsehub impact upload visits.xlsx --org sparkbrook-food-bank --dataset "Food bank visits"
  vcsehub impact upload visits.csv --org sparkbrook-food-bank --mapping mapping.json --yes

What is saved:
  The file is read and checked, and the check report is printed. Without --yes the rows
  are saved only when no check found an error (an error means some rows cannot be used:
  no date, an unreadable date, a date in the future, an empty row); otherwise nothing is
  saved and the command fails, so you can fix the file. With --yes the rows are saved
  anyway and the rows with errors are left out. Warnings (a bad postcode, a score outside
  the scale) never stop the save: the value is left out and the row is kept. The last
  line printed is the dataset id, for the API: GET /api/v1/datasets/<id>/dashboard.

--dataset NAME adds the file to the organisation's dataset of that name (rows already in
it are skipped), or starts a new dataset with that name. Without it, the dataset is
named after the file.

--mapping FILE is a JSON object of column title to field, e.g.
  {"Visit date": "contact_date", "Client ID": "person_ref", "Post code": "postcode",
   "_scale": [1, 10]}
Fields: contact_date, person_ref, postcode, age, date_of_birth, gender, ethnicity,
disability, service, referral_source, people_count, outcome_before, outcome_after.
Columns not named are not stored. "_scale" (optional) is the outcome score scale. Without
--mapping the suggested mapping is used. Columns holding names, emails, phone numbers,
notes and the like are never stored, whatever the mapping says.
"""


class Command(BaseCommand):
    help = (
        "Upload a spreadsheet of an organisation's own records (see: vcsehub impact upload --help)."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("epilog", EPILOG)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        upload = actions.add_parser(
            "upload",
            help="read, check and save a CSV or Excel file",
            description="Read, check and save a CSV or Excel (.xlsx) file of records.",
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        upload.add_argument("file", metavar="FILE", help="the CSV or .xlsx file")
        upload.add_argument(
            "--org", required=True, metavar="SLUG", help="the organisation's short name"
        )
        upload.add_argument("--dataset", metavar="NAME", help="dataset to add to, or to start")
        upload.add_argument("--mapping", metavar="JSON_FILE", help="column choices (see below)")
        upload.add_argument(
            "--sheet", metavar="NAME", default="", help="sheet of a workbook to read"
        )
        upload.add_argument(
            "--yes",
            action="store_true",
            help="save even when some rows have errors (they are left out)",
        )

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation with the short name {options['org']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        name = options["dataset"] or path.stem
        dataset = Dataset.objects.filter(organisation=organisation, name__iexact=name).first()
        mapping, scale = (
            self._mapping(Path(options["mapping"])) if options["mapping"] else (None, None)
        )
        try:
            upload = services.upload_create(
                organisation=organisation,
                user=None,
                source=path,
                name=path.name,
                dataset=dataset,
                dataset_name=name,
                sheet=options["sheet"],
            )
        except (DataError, ValidationError) as error:
            raise CommandError(_message(error)) from None
        if mapping is not None:
            try:
                upload = services.upload_remap(upload=upload, mapping=mapping, scale=scale)
            except (DataError, MappingError) as error:
                services.upload_discard(upload=upload)
                raise CommandError(_message(error)) from None
        self._report(upload)
        errors = sum(r["count"] for r in upload.report if r["severity"] == ERROR)
        if errors and not options["yes"]:
            services.upload_discard(upload=upload)
            raise CommandError(
                f"Nothing was saved: {upload.rows_excluded:,} rows have errors. Fix the file, or "
                "run again with --yes to save the other rows."
            )
        try:
            upload = services.upload_confirm(upload=upload, user=None)
        except DataError as error:
            raise CommandError(_message(error)) from None
        self.stdout.write(
            f"Saved {upload.rows_stored:,} rows to {upload.dataset.name!r} "
            f"({upload.rows_excluded:,} left out, {upload.rows_duplicate:,} repeats stored once)."
        )
        self.stdout.write(f"dataset {upload.dataset.pk}")

    def _mapping(self, path: Path):
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as error:
            raise CommandError(
                f"The mapping file {path} could not be read as JSON ({error})."
            ) from None
        if not isinstance(data, dict):
            raise CommandError("The mapping file must hold a JSON object: column title to field.")
        scale = data.pop("_scale", None)
        if scale is not None:
            try:
                low, high = (Decimal(str(n)) for n in scale)
            except (TypeError, ValueError, InvalidOperation):
                raise CommandError('"_scale" must be two numbers, e.g. [1, 10].') from None
            scale = (low, high)
        return {str(k): str(v or "") for k, v in data.items()}, scale

    def _report(self, upload) -> None:
        out = self.stdout
        out.write(f"{upload.original_name}: {upload.rows_read:,} rows read")
        out.write("Columns: " + ", ".join(f"{t} -> {f}" for t, f in upload.mapping.items()))
        for result in upload.report:
            out.write(
                f"[{result['severity']}] {result['title']} ({result['count']:,}): {result['message']}"
            )
        out.write(
            f"Would store {upload.rows_stored:,} rows; {upload.rows_excluded:,} have errors; "
            f"{upload.rows_duplicate:,} are repeats."
        )


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
