"""Docs that fail the build when they rot: settings, CLI reference and data sources."""

from __future__ import annotations

import re

import pytest

from config.env import BASE_DIR, VARIABLES
from vcsehub.common import clidocs

DOCS = BASE_DIR / "docs"


def test_every_environment_variable_is_documented():
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\|\s*`([A-Z_]+)`", text, flags=re.MULTILINE))
    missing = sorted(set(VARIABLES) - documented)
    assert not missing, (
        f"docs/settings.md has no table row for {', '.join(missing)}. "
        "Add a row `| `NAME` | type | default | meaning |` for each (see config/env.py)."
    )
    unknown = sorted(documented - set(VARIABLES))
    assert not unknown, (
        f"docs/settings.md documents variables config/env.py does not read: {unknown}"
    )


@pytest.mark.parametrize("filename", sorted(clidocs.GENERATED))
def test_generated_docs_are_up_to_date(filename):
    committed = (DOCS / filename).read_text(encoding="utf-8")
    fresh = clidocs.GENERATED[filename]()
    assert committed == fresh, (
        f"docs/{filename} is out of date with the code. Regenerate it with "
        f"`{clidocs.REGENERATE}` and commit the result."
    )


def test_cli_reference_covers_every_installed_vcsehub_command():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    installed = clidocs.installed_commands()
    assert "up" in installed
    for name in installed:
        assert f"## vcsehub {name}\n" in text


def test_data_sources_doc_lists_every_source_with_licence_and_attribution():
    from vcsehub.sources.registry import all_sources

    text = (DOCS / "data-sources.md").read_text(encoding="utf-8")
    for source in all_sources():
        section = text.split(f"\n## {source.id}\n", 1)[1].split("\n## ", 1)[0]
        assert source.title in section
        assert source.publisher in section
        assert source.licence in section
        for line in source.attribution:
            assert line in section
