"""Postcode normalising and format checks."""

from __future__ import annotations

import csv

import pytest

from vcsehub.geography.postcodes import (
    postcode_check,
    postcode_is_valid,
    postcode_normalise,
    postcode_well_formed,
    postcodes_well_formed,
)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("b11aa", "B1 1AA"),
        ("B1  1AA", "B1 1AA"),
        (" b1 1aa ", "B1 1AA"),
        ("B1\t1AA", "B1 1AA"),
        ("tf11aa", "TF1 1AA"),
        ("SW1A1AA", "SW1A 1AA"),
        ("ec1a 1bb", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise(typed, normalised):
    assert postcode_normalise(typed) == normalised


@pytest.mark.parametrize(
    "good",
    [
        "B1 1AA",
        "TF1 1AA",
        "B10 0AA",
        "SW1A 1AA",
        "W1A 0AX",
        "M1 1AE",
        "GIR 0AA",
        "CR2 6XH",
        "DN55 1PT",
    ],
)
def test_valid_formats(good):
    assert postcode_check(good).valid


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("B1", "too short"),
        ("hello", "format"),
        ("hello world", "too long"),
        ("B1 1AAAAA", "too long"),
        ("Q1 1AA", "format"),  # Q is never a first letter
        ("B1 1CA", "format"),  # C is never an inward letter
        ("123 456", "format"),
        ("", "No postcode"),
        ("BFPO 123", "Forces"),
    ],
)
def test_invalid_formats_say_why(bad, words):
    check = postcode_check(bad)
    assert not check.valid
    assert words in check.reason


def test_every_real_postcode_in_the_directories_is_valid(shared_data_dir):
    """The format rule must accept every postcode ONS publishes (TF, HR and the five WM areas)."""
    checked = 0
    for path in sorted(shared_data_dir.glob("postcodes-*/*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as stream:
            for row in csv.DictReader(stream):
                value = row.get("pcds") or row["pcd"]
                assert postcode_is_valid(postcode_normalise(value)), value
                checked += 1
    assert checked == 17_328 + 136_525 + 87_013


def test_batch_check_agrees_with_one_by_one():
    batch = ["B1 1AA", "tf1 1aa", "SW1A 1AA", "gir 0aa", "W1A 0AX", "B1 1AA"]
    assert postcodes_well_formed(batch) == [postcode_well_formed(t) for t in batch]
    assert postcodes_well_formed(batch) == [
        "B1 1AA",
        "TF1 1AA",
        "SW1A 1AA",
        "GIR 0AA",
        "W1A 0AX",
        "B1 1AA",
    ]


@pytest.mark.parametrize(
    "batch",
    [
        [],
        ["B1 1AA", "b11aa"],  # needs its space put back: checked one by one instead
        ["B1 1AA", "Q1 1AA"],
        ["B1 1AA", None],
        ["B1 1AA\nB2 2AA"],  # two postcodes in one text are not one postcode
        ["B1 1AA\n"],
        ["B1 1AA", " B1 1AA"],
        ["ß1 1AA"],
    ],
)
def test_batch_check_gives_up_unless_every_text_is_well_formed(batch):
    assert postcodes_well_formed(batch) is None
