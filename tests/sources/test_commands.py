"""`vcsehub import` and `vcsehub imports`, tested by what they print."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from tests.sources.conftest import FIXTURES
from vcsehub.sources.models import ImportRun

pytestmark = pytest.mark.django_db


def run_command(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_list_shows_each_source_and_whether_it_is_loaded(widget_importer):
    out = run_command("import", "--list")
    assert re.search(r"^test-widgets\s+Test widgets\s+\(not loaded yet\)$", out, re.MULTILINE), out
    run_command("import", "test-widgets", "--source", str(FIXTURES / "widgets_4.csv"))
    out = run_command("import", "--list")
    assert re.search(
        r"^test-widgets\s+Test widgets\s+\(loaded \d{4}-\d\d-\d\d \d\d:\d\d, 4 rows\)$",
        out,
        re.MULTILINE,
    ), out


def test_a_successful_import_prints_a_summary(widget_importer):
    out = run_command("import", "test-widgets", "--source", str(FIXTURES / "widgets_4.csv"))
    assert re.fullmatch(r"test-widgets: succeeded — 4 rows loaded, 0 rejected, \d+\.\d s\n", out), (
        out
    )


def test_data_dir_option(widget_importer):
    out = run_command("import", "test-widgets", "--data-dir", str(FIXTURES))
    assert out.startswith("test-widgets: succeeded — 4 rows loaded")


def test_a_failed_import_prints_why_and_exits_with_an_error(widget_importer):
    run_command("import", "test-widgets", "--source", str(FIXTURES / "widgets_4.csv"))
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import",
            "test-widgets",
            "--source",
            str(FIXTURES / "widgets_1.csv"),
            stdout=out,
            stderr=StringIO(),
        )
    assert out.getvalue().startswith(
        "test-widgets: failed: This import would cut the data from 4 rows to 1"
    )
    assert "The previous data is unchanged" in str(caught.value)
    assert caught.value.returncode == 1
    out = run_command(
        "import", "test-widgets", "--source", str(FIXTURES / "widgets_1.csv"), "--allow-shrink"
    )
    assert out.startswith("test-widgets: succeeded — 1 row loaded, 0 rejected")


def test_unknown_source_and_no_source(widget_importer):
    with pytest.raises(CommandError, match="There is no source called 'nope'"):
        run_command("import", "nope")
    with pytest.raises(CommandError, match="Say which source to import"):
        run_command("import")
    with pytest.raises(CommandError, match="nothing matches"):
        run_command("import", "test-widgets", "--data-dir", str(FIXTURES / "no-such-folder"))


def test_help_has_examples():
    command = load_command_class("vcsehub.sources", "import")
    text = command.create_parser("vcsehub", "import").format_help()
    assert "vcsehub import --list" in text
    assert "--source PATH_OR_URL" in text
    assert "--allow-shrink" in text


def test_imports_lists_recent_runs_with_errors(widget_importer):
    run_command("import", "test-widgets", "--source", str(FIXTURES / "widgets_4.csv"))
    with pytest.raises(CommandError):
        run_command("import", "test-widgets", "--source", str(FIXTURES / "widgets_header_only.csv"))
    ImportRun.objects.create(source_id="other-source")
    lines = run_command("imports").splitlines()
    assert lines[0].split() == [
        "run",
        "source",
        "status",
        "read",
        "loaded",
        "rejected",
        "started",
        "duration",
    ]
    assert lines[1].split()[1:3] == ["other-source", "running"]
    assert lines[1].split()[-1] == "—"
    failed = lines[2].split()
    assert failed[1:6] == ["test-widgets", "failed", "0", "0", "0"]
    assert lines[3].startswith("    error: The file held no rows that could be loaded")
    succeeded = lines[4].split()
    assert succeeded[1:6] == ["test-widgets", "succeeded", "4", "4", "0"]
    assert succeeded[-1] == "s" and re.fullmatch(r"\d+\.\d", succeeded[-2])

    only = run_command("imports", "--source", "test-widgets", "--limit", "1").splitlines()
    assert len(only) == 3  # header, the failed run, its error
    assert "other-source" not in "\n".join(only)


def test_imports_when_there_are_none():
    # Other modules load shared reference data once per session; this test is about none.
    ImportRun.objects.all().delete()
    assert run_command("imports") == "No import runs yet.\n"
    assert run_command("imports", "--source", "ccew") == "No import runs of ccew yet.\n"
