"""Import one 360Giving grants file (JSON, CSV or XLSX) as one dataset, all-or-nothing.

Every grant is checked against the 360Giving schema (as the Data Quality Tool does) and
every problem is recorded as a ValidationIssue of the run. Usable grants are imported
even when the file breaks the standard: dates like 31/03/2016, "Y"/"N", amounts with £
and commas are read, and each such change is recorded as a warning. A grant with no
identifier or no amount is refused, with the reason; a file that cannot be read at all
is refused whole, and the dataset's previous grants stay as they were.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.db import transaction

from vcsehub.grants import normalise
from vcsehub.grants.importers.checking import (
    ChecksInAnotherProcess,
    GrantChecks,
    check_in_another_process,
)
from vcsehub.grants.importers.rows import GrantRowWriter
from vcsehub.grants.models import (
    Dataset,
    Funder,
    Grant,
    GrantLocation,
    GrantPurpose,
    Publisher,
    ValidationIssue,
)
from vcsehub.grants.placing import BATCH as PLACING_BATCH
from vcsehub.grants.reading import GrantFile, read_grant_file
from vcsehub.grants.report import REJECTIONS, Report
from vcsehub.grants.selectors import LoadedStandard, standard_current
from vcsehub.sources.errors import DataError, ImportRefused
from vcsehub.sources.fetch import FetchedFile
from vcsehub.sources.importer import Importer
from vcsehub.sources.models import ImportRun
from vcsehub.sources.progress import Progress

# Grants written at a time: placing's batch, so each grant gets the place grants_place gives.
BATCH = PLACING_BATCH
REJECTION_SHORT = {
    "no-identifier": "with no Identifier",
    "no-amount": "with no Amount Awarded that is a number",
    "not-a-grant": "not grants at all",
    "duplicate-identifier": "repeating an Identifier",
}
MAX_CONVERSION_WARNINGS = 50


def dataset_identifier_for(location: str) -> str:
    """A dataset name for a file imported by hand: the file's name."""
    path = urlsplit(location).path if "://" in location else location
    return PurePosixPath(path).name or location


class GrantFileImporter(Importer):
    source_id = "360giving-file"
    batch_size = BATCH

    def __init__(
        self,
        *,
        location: str | Path,
        dataset: str | None = None,
        title: str = "",
        licence: str = "",
        licence_url: str = "",
        publisher: Publisher | None = None,
        download_url: str = "",
        access_url: str = "",
        issued: str = "",
        modified: str = "",
        progress: Progress | None = None,
        allow_shrink: bool = False,
    ) -> None:
        super().__init__(locations=[str(location)], progress=progress, allow_shrink=allow_shrink)
        self.dataset_identifier = dataset or dataset_identifier_for(str(location))
        self.dataset_fields = {
            "title": title[:500],
            "licence": licence[:200],
            "licence_url": licence_url[:500],
            "publisher": publisher,
            "download_url": download_url[:1000],
            "access_url": access_url[:1000],
            "issued": issued[:40],
            "modified": modified[:40],
        }
        self.report: Report | None = None
        self.funders: dict[str, Funder] = {}
        self.writer: GrantRowWriter | None = None
        self._fetched_path: Path | None = None

    def current_row_count(self) -> int:
        return Grant.objects.filter(dataset__identifier=self.dataset_identifier).count()

    def run(self) -> ImportRun:
        run = super().run()
        changed = False
        if not run.licence and self.dataset_fields["licence"]:
            run.licence = self.dataset_fields["licence"]
            changed = True
        if changed:
            run.save(update_fields=["licence"])
        if self.report is not None:
            self._save_issues(run)
        return run

    # -- loading ----------------------------------------------------------------------

    def load(self, files: list[FetchedFile], run: ImportRun) -> int:
        fetched = files[0]
        self._fetched_path = Path(fetched.path)
        standard = standard_current()
        grant_file = read_grant_file(fetched.path, name=fetched.name, schema=standard.schema)
        self.report = report = Report(grant_file, standard.schema)
        licence = self.dataset_fields["licence"] or _package_licence(grant_file)
        run.licence = licence[:200]
        if not licence:
            report.file_level(
                category="quality",
                severity="warning",
                code="no-licence",
                message="No licence is recorded for this file, so its grants should not be shown or shared until the publisher's licence is known.",
            )
        self._file_checks(grant_file, standard, report)
        dataset, _created = Dataset.objects.update_or_create(
            identifier=self.dataset_identifier,
            defaults={**self.dataset_fields, "licence": licence[:200]},
        )
        GrantLocation.objects.filter(grant__dataset=dataset).delete()
        GrantPurpose.objects.filter(grant__dataset=dataset).delete()  # purposes.py (h10)
        old = Grant.objects.filter(dataset=dataset)
        old._raw_delete(old.db)
        self.progress.start(f"grants in {fetched.name}", unit="grants")
        loaded = self._load_grants(grant_file, standard, report, dataset, run)
        if run.rows_read == 0:
            report.file_level(
                category="file",
                severity="error",
                code="no-grants",
                message="The file holds no grants.",
            )
            raise ImportRefused(
                "The file holds no grants, so nothing was imported",
                fix="Check it is the right file.",
                file=fetched.name,
            )
        if loaded == 0:
            reasons = {
                code: issue.count
                for (_c, code, _p, _m), issue in report.issues.items()
                if issue.category == "rejected"
            }
            why = "; ".join(
                f"{count:,} {REJECTION_SHORT[code]}" for code, count in sorted(reasons.items())
            )
            raise ImportRefused(
                f"None of the {run.rows_read:,} grants could be imported ({why}), so nothing was changed",
                fix="See the list of problems, correct the file and import it again.",
                file=fetched.name,
            )
        # Grants were placed and classified by purpose as they were written (rows.py).
        placed = self.writer.placer.finish()
        for line in placed.lines():
            self.log(line)
        dataset.last_run = run
        dataset.save(update_fields=["last_run"])
        self.log(
            f"{run.rows_read:,} grants read, {loaded:,} imported, {run.rows_rejected:,} refused; "
            f"licence: {licence or 'unknown'}"
        )
        return loaded

    def _file_checks(self, grant_file: GrantFile, standard: LoadedStandard, report: Report) -> None:
        for warning in grant_file.warnings[:MAX_CONVERSION_WARNINGS]:
            report.file_level(
                category="file", severity="warning", code="conversion", message=warning
            )
        if len(grant_file.warnings) > MAX_CONVERSION_WARNINGS:
            report.file_level(
                category="file",
                severity="warning",
                code="conversion-more",
                message=f"{len(grant_file.warnings) - MAX_CONVERSION_WARNINGS:,} more warnings from converting the spreadsheet were not listed.",
            )
        for error in standard.package_validator.errors({**grant_file.meta, "grants": [0]}):
            code, path, message = _package_message(error)
            report.file_level(
                category="schema", severity="error", code=code, message=message, path=path
            )

    def _load_grants(self, grant_file, standard, report, dataset, run) -> int:
        writer = self.writer = GrantRowWriter(dataset_id=dataset.pk, run_id=run.pk)
        seen: set[str] = set()
        loaded = 0
        checks = GrantChecks(standard)
        checker = (
            ChecksInAnotherProcess.start(checks, self._fetched_path, grant_file.name)
            if check_in_another_process(grant_file, self._fetched_path)
            else None
        )
        if checker is not None:
            report.phase = 1
        try:
            for record in grant_file.grants():
                run.rows_read += 1
                report.grant_number = record.index
                if checker is None:
                    checks.check(record, report)
                loaded += self._load_grant(record, report, run, writer, seen)
        except DataError:
            if checker is not None:
                checker.merge_partial(report, run.rows_read)
            raise
        except BaseException:
            if checker is not None:
                checker.stop()
            raise
        if checker is not None:
            checker.merge(report, run.rows_read)
        if writer.pending:
            loaded += self._flush(writer)
        return loaded

    def _load_grant(self, record, report, run, writer, seen) -> int:
        """Normalise one grant and queue it to be written; the grants written, if any."""
        result = normalise.grant(record.data)
        if not result.rejected and result.fields["identifier"] in seen:
            result.rejected = "duplicate-identifier"
            report.file_level(
                category="schema",
                severity="error",
                code="schema-duplicate-id",
                message="Non-unique id values: two or more grants have the same Identifier.",
                path="id",
            )
        if result.rejected:
            run.rows_rejected += 1
            report.add(
                category="rejected",
                severity="error",
                code=result.rejected,
                message=REJECTIONS[result.rejected],
                path="id" if result.rejected != "no-amount" else "amountAwarded",
                record=record,
                full_path="id" if result.rejected != "no-amount" else "amountAwarded",
            )
            return 0
        seen.add(result.fields["identifier"])
        for change in result.changes:
            category = (
                "privacy"
                if change.code in ("individual-postcode", "email-address", "contact-details")
                else "normalised"
            )
            report.add(
                category=category,
                severity="warning",
                code=change.code,
                message=change.message,
                path=change.path,
                record=record,
                full_path=change.path,
                value=change.value,
            )
        writer.add(result.fields, self._funder_id(result.fields), result.locations)
        if writer.pending >= BATCH:
            return self._flush(writer)
        return 0

    def _funder_id(self, fields: dict) -> int | None:
        org_id = fields["funder_org_id"]
        if not org_id:
            return None
        funder = self.funders.get(org_id)
        if funder is None:
            funder, _ = Funder.objects.get_or_create(
                org_id=org_id[:200], defaults={"name": fields["funder_name"][:500]}
            )
            self.funders[org_id] = funder
        return funder.pk

    def _flush(self, writer: GrantRowWriter) -> int:
        count = writer.flush()
        self.progress.advance(count)
        return count

    def _save_issues(self, run: ImportRun) -> None:
        rows = []
        for issue in self.report.issues.values():
            first = issue.examples[0] if issue.examples else {}
            rows.append(
                ValidationIssue(
                    run=run,
                    category=issue.category,
                    severity=issue.severity,
                    code=issue.code[:60],
                    message=issue.message,
                    path=issue.path[:300],
                    column=issue.column[:300],
                    sheet=(first.get("sheet") or "")[:100],
                    row=first.get("row"),
                    count=issue.count,
                    grants_affected=issue.grants_affected,
                    examples=issue.examples,
                )
            )
        with transaction.atomic():
            ValidationIssue.objects.filter(run=run).delete()
            ValidationIssue.objects.bulk_create(rows)


def _package_licence(grant_file: GrantFile) -> str:
    value = grant_file.meta.get("license") if isinstance(grant_file.meta, dict) else None
    return str(value)[:200] if isinstance(value, str) else ""


def _package_message(error) -> tuple[str, str, str]:
    where = "/".join(str(p) for p in error.path)
    if error.validator == "required":
        return (
            "package-required",
            str(error.value),
            f"The file's package metadata lacks {error.value!r}.",
        )
    return (
        f"package-{error.validator}",
        where,
        f"The file's package metadata field {where or '(top level)'} breaks the 360Giving package schema: {error.message}",
    )
