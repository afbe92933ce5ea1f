"""A grants file's schema and data quality checks, in the importer's process or beside it.

The checks of each grant (schema validation, then the Data Quality Tool's checks) need
nothing from the database and decide nothing about what is written: they only add to
the file's report. So for a large JSON file they run in a second process, which reads
the file for itself, while the importer's process reads, normalises and writes the
grants. The second process sends its report back at the end and it is merged into the
importer's in the order one process checking and normalising each grant in turn would
have found the issues (Report.merge), so the report is the same either way.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import traceback
from pathlib import Path

from vcsehub.grants import quality
from vcsehub.grants.reading import GrantFile, GrantRecord, read_grant_file
from vcsehub.grants.report import Report
from vcsehub.grants.selectors import LoadedStandard
from vcsehub.sources.errors import DataError

# JSON files at least this large are checked in a second process. Below it, starting the
# process and reading the file twice cost more than they save.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024


class GrantChecks:
    """Schema validation and data quality checks of one grant at a time, into a report."""

    def __init__(self, standard: LoadedStandard) -> None:
        self.standard = standard
        self.validator = standard.grant_validator
        self.codelists = quality.codelists_current(schema=standard.schema.grant_schema)
        self.today = datetime.date.today()

    def check(self, record: GrantRecord, report: Report) -> None:
        for error in self.validator.errors(record.data, ("grants", record.index)):
            report.schema_error(error, record)
        for finding in quality.grant_findings(
            record.data,
            index=record.index,
            rows=record.rows,
            codelists=self.codelists,
            today=self.today,
        ):
            report.add(
                category="quality",
                severity=finding.severity,
                code=finding.code,
                message=finding.message,
                path=finding.path,
                record=record,
                full_path=finding.full_path,
                value=finding.value,
            )

    def check_file(self, path: Path, name: str) -> tuple[Report, int, str]:
        """Check every grant of a file: (report, grants read, what failed or '')."""
        grant_file = read_grant_file(path, name=name, schema=self.standard.schema)
        report = Report(grant_file, self.standard.schema, phase=0)
        count = 0
        try:
            for record in grant_file.grants():
                count += 1
                report.grant_number = record.index
                self.check(record, report)
        except DataError as error:
            return report, count, f"DataError: {error}"
        return report, count, ""


def check_in_another_process(grant_file: GrantFile, path: Path | None) -> bool:
    """Whether to check this file's grants in a second process (large JSON, two cores)."""
    if grant_file.format != "json" or path is None or (os.cpu_count() or 1) < 2:
        return False
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return Path(path).stat().st_size >= PARALLEL_MIN_BYTES


class ChecksInAnotherProcess:
    """A forked process checking every grant of a file; its report is merged at the end.

    The child only reads the file and checks grants: it never uses the database
    connection it inherits, and it leaves with os._exit (multiprocessing's way), so the
    connection is not closed under the importer.
    """

    def __init__(self, process, connection) -> None:
        self.process = process
        self.connection = connection
        self.finished = False

    @classmethod
    def start(cls, checks: GrantChecks, path: Path, name: str) -> ChecksInAnotherProcess:
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(
            target=_check_and_send, args=(checks, path, name, sending), daemon=True
        )
        process.start()
        sending.close()
        return cls(process, receiving)

    def _result(self) -> tuple:
        try:
            result = self.connection.recv()
        except EOFError:
            result = ("fault", None, 0, "The checking process ended without a report.")
        self.process.join()
        self.connection.close()
        self.finished = True
        return result

    def merge(self, report: Report, grants_read: int) -> None:
        """Wait for the checks of all grants_read grants and merge them into the report."""
        kind, issues, count, failure = self._result()
        if kind != "done" or failure or count != grants_read:
            raise RuntimeError(
                f"Checking the grants in a second process failed ({count:,} of "
                f"{grants_read:,} grants checked): {failure}"
            )
        report.merge(issues)

    def merge_partial(self, report: Report, grants_read: int) -> None:
        """After the file could not be read to the end: merge what the checks found in the
        grants read before, when they stopped at the same grant (they read the same file)."""
        kind, issues, count, failure = self._result()
        if kind == "done" and failure.startswith("DataError") and count == grants_read:
            report.merge(issues)

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()
        self.finished = True


def _check_and_send(checks: GrantChecks, path: Path, name: str, connection) -> None:
    try:
        report, count, failure = checks.check_file(path, name)
        connection.send(("done", report.issues, count, failure))
    except BaseException:
        connection.send(("fault", None, 0, traceback.format_exc()))
    finally:
        connection.close()
