"""Branch coverage of the access gate must stay at 100% (STYLE.md, example 7).

Runs tests/sharing/test_access.py under coverage.py in a child process on a throwaway
SQLite database, and fails if any line or branch of vcsehub/sharing/access.py is missed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("coverage")

ROOT = Path(__file__).resolve().parents[2]
ACCESS = ROOT / "vcsehub" / "sharing" / "access.py"
ACCESS_TESTS = ROOT / "tests" / "sharing" / "test_access.py"


def test_access_gate_has_full_branch_coverage(tmp_path):
    child_env = {
        **os.environ,
        "DATABASE_URL": "",  # SQLite in memory: no clash with this run's test database
        "VCSEHUB_DATA_HOME": str(tmp_path),
        "COVERAGE_FILE": str(tmp_path / ".coverage"),
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "run",
            "--branch",
            f"--include={ACCESS}",
            "-m",
            "pytest",
            str(ACCESS_TESTS),
            "-q",
            "-p",
            "no:cacheprovider",
            "-x",
            "--nomigrations",  # tables straight from the models: faster, same behaviour here
        ],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = subprocess.run(
        [sys.executable, "-m", "coverage", "report", "--show-missing", "--fail-under=100"],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert report.returncode == 0, (
        f"access.py is not fully covered:\n{report.stdout}{report.stderr}"
    )
    assert "100%" in report.stdout
