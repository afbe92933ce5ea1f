"""Purpose keyword rules: whole words, exclusions, matched words stored, doc kept current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vcsehub.grants.models import GrantPurpose
from vcsehub.grants.purposes import RULES, purposes_markdown, purposes_match
from vcsehub.grants.services import grant_file_import, standard_import

DOC = Path(__file__).resolve().parents[2] / "docs" / "grant-purposes.md"


def test_the_purposes_document_is_current():
    assert DOC.read_text(encoding="utf-8") == purposes_markdown(), (
        "docs/grant-purposes.md is out of date: write purposes_markdown() to it."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "New website and IT equipment",
            {"digital": ["website", "it equipment"], "equipment": ["equipment"]},
        ),
        (
            "Capacity building for the village hall",
            {"capacity": ["capacity building"], "buildings": ["village hall"]},
        ),
        ("Support for adults with learning disabilities", {}),
        ("Itself a cooperative", {}),
        ("Core costs, unrestricted", {"core": ["core costs", "unrestricted"]}),
        ("Running a TRAINING course", {"training": ["training", "course"]}),
        ("Team building and building confidence", {}),
        ("Refurbishment of the kitchen", {"buildings": ["refurbishment", "kitchen"]}),
        ("Wi-Fi and e-learning", {"digital": ["wi-fi", "e-learning"]}),
        ("core\\ncosts of the wider project", {}),
        ("core\ncosts", {"core": ["core costs"]}),
    ],
)
def test_rules_match_whole_words_and_respect_exclusions(text, expected):
    assert purposes_match(text) == expected


def test_every_rule_word_matches_itself_and_no_exclusion_of_another_rule_hides_it():
    for rule in RULES:
        for word in rule.words:
            assert word.lower() in purposes_match(f"A grant for {word} here").get(rule.code, [])


def test_real_file_purposes_are_stored_with_matched_words(db, shared_data_dir):
    standard_import(data_dir=shared_data_dir)
    path = shared_data_dir / "360giving-grants/grantnav-test-data/a002400000OiDBQAA3.json"
    run = grant_file_import(location=path, dataset="lloyds")
    assert run.status == "succeeded", run.error
    expected: dict[str, dict[str, list[str]]] = {}
    for g in json.loads(path.read_text())["grants"]:
        found = purposes_match(f"{g.get('title', '')}\n{g.get('description', '')}")
        if found:
            expected[g["id"]] = found
    stored: dict[str, dict[str, list[str]]] = {}
    for identifier, purpose, words in GrantPurpose.objects.filter(grant__run=run).values_list(
        "grant__identifier", "purpose", "words"
    ):
        stored.setdefault(identifier, {})[purpose] = words
    assert stored == expected
    counts = {rule.code: 0 for rule in RULES}
    for found in stored.values():
        for code in found:
            counts[code] += 1
    assert counts == {
        "digital": 95,
        "capacity": 136,
        "training": 1049,
        "core": 454,
        "equipment": 71,
        "buildings": 137,
    }
    one = (
        GrantPurpose.objects.get(
            grant__run=run, grant__identifier="360G-LBFEW-114001", purpose="core"
        )
        if GrantPurpose.objects.filter(
            grant__run=run, grant__identifier="360G-LBFEW-114001", purpose="core"
        ).exists()
        else None
    )
    assert one is None or one.words
