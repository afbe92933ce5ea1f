"""Security headers on every response, and a production site that will not start without a key."""

import os
import subprocess
import sys

import pytest

from config.checks import MISSING_KEY
from config.env import BASE_DIR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/no-such-page/", "/api/v1/openapi.json"])
def test_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def _run_check(tmp_path, **extra):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VCSEHUB_DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update({"VCSEHUB_DATA_HOME": str(tmp_path), **extra})
    return subprocess.run(
        [sys.executable, "-m", "vcsehub", "check"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run_check(tmp_path, VCSEHUB_SECRET_KEY="")
    assert result.returncode != 0
    assert MISSING_KEY in result.stderr


def test_production_starts_with_a_secret_key(tmp_path):
    result = _run_check(tmp_path, VCSEHUB_SECRET_KEY="a-long-random-test-key-" + "x" * 40)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_reads_the_key_file_made_by_bin_up(tmp_path):
    (tmp_path / "secret_key").write_text("a-long-random-key-from-a-file-" + "y" * 40 + "\n")
    result = _run_check(tmp_path, VCSEHUB_SECRET_KEY="")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_an_empty_key_file_does_not_count(tmp_path):
    (tmp_path / "secret_key").write_text("\n")
    result = _run_check(tmp_path, VCSEHUB_SECRET_KEY="")
    assert result.returncode != 0
    assert MISSING_KEY in result.stderr
