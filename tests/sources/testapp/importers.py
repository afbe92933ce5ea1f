"""An importer of widgets CSVs, with a switch to fail part-way, for the all-or-nothing tests."""

from __future__ import annotations

from typing import ClassVar

from tests.sources.testapp.models import Widget
from vcsehub.sources.importer import Importer
from vcsehub.sources.readers import read_tables


class InjectedFailure(RuntimeError):
    pass


class WidgetImporter(Importer):
    source_id = "test-widgets"
    batch_size = 2  # small, so a failure comes after some rows were written
    # Tests set these to make the import fail after this many rows.
    fail_after: ClassVar[int | None] = None
    fail_with: ClassVar[type[BaseException]] = InjectedFailure

    def current_row_count(self) -> int:
        return Widget.objects.count()

    def load(self, files, run) -> int:
        return self.replace_rows(Widget, self._widgets(files, run))

    def _widgets(self, files, run):
        for fetched in files:
            for table in read_tables(fetched.path, name=fetched.name):
                self.progress.start(f"reading {table.name}")
                for _number, record in table.records():
                    run.rows_read += 1
                    if self.fail_after is not None and run.rows_read > self.fail_after:
                        raise self.fail_with(f"injected failure after {self.fail_after} rows")
                    values = {key.lower(): value for key, value in record.items()}
                    yield Widget(
                        name=values["name"], town=values["town"], amount=int(values["amount"])
                    )
