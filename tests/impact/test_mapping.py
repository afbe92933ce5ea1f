"""Suggesting a field for each column from its title and its values; remembered choices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from vcsehub.impact.mapping import (
    MappingError,
    mapping_from,
    mapping_remember,
    mapping_suggest,
    mapping_validate,
    scale_suggest,
)

TODAY = date(2026, 1, 31)


def suggest(columns: dict, organisation=None):
    found = mapping_suggest(
        headers=list(columns),
        columns=list(columns.values()),
        organisation=organisation,
        today=TODAY,
    )
    return {s.title: s.field for s in found}


@pytest.mark.parametrize(
    ("title", "values", "field"),
    [
        ("Visit date", ["01/04/2025", "3 April 2025"], "contact_date"),
        ("Date", ["2025-04-01"], "contact_date"),
        ("Date of session", ["01/04/2025"], "contact_date"),
        ("Client ID", ["C001"], "person_ref"),
        ("Case no", ["1001"], "person_ref"),
        ("Member number", ["M1"], "person_ref"),
        ("Post code", ["B11 1AA"], "postcode"),
        ("Home postcode", ["b111aa"], "postcode"),
        ("DOB", ["02/11/1958", "14/02/1986", "30/07/1992"], "date_of_birth"),
        ("Age", ["34", "56"], "age"),
        ("Adults", ["1", "2"], "people_count"),
        ("Gender", ["Female"], "gender"),
        ("Ethnic group", ["Asian"], "ethnicity"),
        ("Referred by", ["GP"], "referral_source"),
        ("Type of support", ["Food parcel"], "service"),
        ("Score at start", ["3", "4"], "outcome_before"),
        ("Wellbeing score (end)", ["7"], "outcome_after"),
    ],
)
def test_titles_and_synonyms(title, values, field):
    assert suggest({title: values})[title] == field


def test_values_alone_suggest_dates_and_postcodes():
    found = suggest(
        {"When?": ["01/04/2025", "02/04/2025"], "Where": ["B11 1AA", "B12 0AE", "B1 1AA"]}
    )
    assert found == {"When?": "contact_date", "Where": "postcode"}


def test_a_title_whose_values_do_not_fit_is_not_suggested():
    assert suggest({"Date": ["yes", "no", "maybe"]})["Date"] == ""


def test_each_field_once_except_number_of_people():
    found = suggest(
        {"Date": ["01/04/2025"], "Visit date": ["02/04/2025"], "Adults": ["1"], "Children": ["2"]}
    )
    assert found == {
        "Date": "contact_date",
        "Visit date": "",
        "Adults": "people_count",
        "Children": "people_count",
    }


def test_personal_columns_are_never_suggested():
    found = suggest({"Full name": ["Amina Khan"], "Email": ["a@example.com"], "Notes": ["x"]})
    assert set(found.values()) == {""}


def test_validation_refuses_personal_columns_and_a_field_twice():
    columns = {"Full name": ["Amina Khan"], "Date": ["01/04/2025"], "When": ["02/04/2025"]}
    suggestions = mapping_suggest(
        headers=list(columns), columns=list(columns.values()), organisation=None, today=TODAY
    )
    with pytest.raises(MappingError, match="'Full name' looks like it holds people's names"):
        mapping_validate({"Full name": "person_ref"}, suggestions)
    with pytest.raises(MappingError, match="Both 'Date' and 'When'"):
        mapping_validate({"Date": "contact_date", "When": "contact_date"}, suggestions)
    with pytest.raises(MappingError, match="no column called 'Nope'"):
        mapping_validate({"Nope": "service"}, suggestions)
    assert mapping_validate({"Date": "contact_date", "When": ""}, suggestions) == {
        "Date": "contact_date"
    }


@pytest.mark.django_db
def test_remembered_choices_win_next_time(cast):
    columns = {"Visit date": ["01/04/2025"], "Project": ["Food"], "Team": ["Red"]}
    first = mapping_suggest(
        headers=list(columns),
        columns=list(columns.values()),
        organisation=cast.organisation,
        today=TODAY,
    )
    assert mapping_from(first) == {"Visit date": "contact_date", "Project": "service"}
    mapping_remember(
        organisation=cast.organisation,
        headers=list(columns),
        mapping={"Team": "service"},
        personal=set(),
    )
    again = suggest(columns, organisation=cast.organisation)
    assert again == {"Visit date": "", "Project": "", "Team": "service"}
    assert suggest(columns, organisation=cast.other_organisation)["Project"] == "service"


@pytest.mark.parametrize(
    ("titles", "values", "scale"),
    [
        (["Score (1-10)"], [3, 4], (1, 10)),
        (["Score out of 5"], [3, 4], (1, 5)),
        (["Before"], [3, 4, 5, 2], (1, 5)),
        (["Before"], [3, 9, 7] * 7 + [15], (1, 10)),
        (["Before"], [0, 9], (0, 10)),
        # Repeated values count as often as they come; text and numbers alike.
        (["Before"], ["3", 3, 3.0] * 7 + ["15"], (1, 5)),
        (["Before"], ["3", 3] * 9 + [15, "15"], (0, 100)),
        (["Before"], ["120", 150, 150.0, "", None, "n/a"], (120, 150)),
    ],
)
def test_the_outcome_scale(titles, values, scale):
    assert scale_suggest(titles=titles, columns=[values]) == tuple(Decimal(n) for n in scale)
