"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config.env import env

# Tests and CI read real public data from shared/data; never copied into the repo.


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    path = Path(env("VCSEHUB_SHARED_DATA")).resolve()
    if not (path / "README.md").is_file():
        message = (
            f"The shared data folder was not found at {path}. Set VCSEHUB_SHARED_DATA to the "
            "folder holding shared/data (see README.md)."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.fail(message)
    return path
