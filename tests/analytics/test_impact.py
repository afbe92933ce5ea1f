"""Impact figures on small made-up records, checked against hand calculations."""

from datetime import date
from decimal import Decimal

import pytest

from vcsehub.analytics import impact as fig


def row(
    when,
    person,
    *,
    status="found",
    lsoa21="",
    ward="",
    lad="",
    d25=None,
    d19=None,
    age="",
    gender="",
    ethnicity="",
    disability="",
    before=None,
    after=None,
    order=0,
):
    return fig.VisitRow(
        contact_date=when,
        person_key=person,
        age_band=age,
        gender=gender,
        ethnicity=ethnicity,
        disability=disability,
        outcome_before=None if before is None else Decimal(before),
        outcome_after=None if after is None else Decimal(after),
        postcode_status=status,
        lsoa11="E01000001" if status == "found" else "",
        lsoa21=lsoa21,
        ward_code=ward,
        lad_code=lad,
        imd2019_decile=d19,
        imd2025_decile=d25,
        order=order,
    )


D = date
B = "E08000025"  # Birmingham
S = "E08000028"  # Sandwell

# Person a: 3 contacts; lived in decile 1 (ward W1), then moved to decile 3 (ward W2);
#   last row's postcode is invalid, so their most recent *known* area is the May one.
# Person b: 1 contact, no postcode.
# Person c: 7 contacts, Sandwell, decile 2; gender recorded only on the first row.
# Person d: 2 contacts, found postcode outside England (no IoD2025 decile).
# One row with no person reference (a contact only), and one of c's rows has no date.
ROWS = [
    row(
        D(2025, 4, 3),
        "a",
        lsoa21="L1",
        ward="W1",
        lad=B,
        d25=1,
        d19=1,
        gender="Female",
        age="25-34",
        before=3,
    ),
    row(D(2025, 5, 10), "a", lsoa21="L2", ward="W2", lad=B, d25=3, d19=2),
    row(D(2025, 6, 1), "a", status="invalid", after=7, gender="Non-binary"),
    row(D(2025, 4, 20), "b", status="missing", gender="Male", age="5-15", before=5, after=5),
    *[
        row(
            D(2025, 4, day),
            "c",
            lsoa21="L3",
            ward="W3",
            lad=S,
            d25=2,
            d19=2,
            gender="Female" if day == 1 else "",
            age="75+",
            order=day,
        )
        for day in (1, 2, 3, 4, 5, 6)
    ],
    row(None, "c", lsoa21="L3", ward="W3", lad=S, d25=2, d19=2, before=8, after=6),
    row(D(2025, 5, 1), "d", lsoa21="W01", ward="WW", lad="W06000015", d25=None, d19=None, after=4),
    row(D(2025, 6, 7), "d", status="not_found", disability="Yes"),
    row(D(2025, 5, 5), "", lsoa21="L1", ward="W1", lad=B, d25=1, d19=1),
]


@pytest.fixture
def people():
    return fig.people_from_rows(ROWS)


def test_people_and_contacts(people):
    # 14 rows; 4 distinct references (a, b, c, d); 1 row with no reference.
    assert people.contacts == 14
    assert people.count == 4
    assert people.contacts_without_person == 1
    assert people.unit == "people"
    assert {k: p.contacts for k, p in people.people.items()} == {"a": 3, "b": 1, "c": 7, "d": 2}


def test_by_month(people):
    months, undated = fig.by_month(ROWS, unit="people")
    # April: a(1) b(1) c(6) = 8 contacts, 3 people. May: a, d, no-ref = 3 contacts, 2 people.
    # June: a, d = 2 contacts, 2 people. c's undated row is left out.
    assert [(m.month, m.people, m.contacts) for m in months] == [
        (D(2025, 4, 1), 3, 8),
        (D(2025, 5, 1), 2, 3),
        (D(2025, 6, 1), 2, 2),
    ]
    assert undated == 1


def test_by_month_fills_empty_months_in_a_chosen_period():
    months, _ = fig.by_month(ROWS, unit="people", first=D(2025, 3, 15), last=D(2025, 7, 1))
    assert [(m.month.month, m.contacts) for m in months] == [(3, 0), (4, 8), (5, 3), (6, 2), (7, 0)]


def test_repeat_use(people):
    # a: 3 (2–5), b: 1 (once), c: 7 (6+), d: 2 (2–5)
    assert fig.repeat_use(people) == {"Once": 1, "2 to 5 times": 2, "6 times or more": 1}


def test_deprivation_uses_each_persons_most_recent_known_area(people):
    reach = fig.deprivation_reach(people, edition_key="imd2025")
    # a → May row (decile 3); b → no postcode; c → decile 2; d → found but no decile.
    # The no-reference row (decile 1) is a contact only: not counted.
    assert reach.counts == {1: 0, 2: 1, 3: 1, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0}
    assert (reach.n, reach.no_postcode, reach.no_decile) == (2, 1, 1)
    assert reach.by_lad == {B: 1, S: 1}
    older = fig.deprivation_reach(people, edition_key="imd2019")
    assert older.counts[2] == 2 and older.decile_1_2 == 2


def test_baseline_share_weights_each_local_authority_by_people():
    # Birmingham: 100 residents, 30 in decile 1, 20 in decile 2 → 30%, 50%.
    # Sandwell: 200 residents, 20 in decile 1, 0 in decile 2 → 10%, 10%.
    # Weights 3 and 1: (3×30 + 1×10) / 4 = 25%; (3×50 + 1×10) / 4 = 40%.
    baseline = fig.baseline_share(
        weights={B: 3, S: 1, "E0NOTHING": 2},
        populations={B: {1: 30, 2: 20, 5: 50}, S: {1: 20, 7: 180}},
        places=1,
    )
    assert baseline.share_1 == Decimal("25.0")
    assert baseline.share_1_2 == Decimal("40.0")
    assert baseline.lads_used == (B, S)
    assert baseline.lads_missing == ("E0NOTHING",)
    assert baseline.population == 300
    empty = fig.baseline_share(weights={}, populations={})
    assert empty.share_1 is None


def test_where_people_live(people):
    where = fig.where_people_live(people)
    assert where.by_lad == {B: 1, S: 1, "W06000015": 1}
    assert where.by_ward == {"W2": 1, "W3": 1, "WW": 1}
    assert where.no_postcode == 1
    assert where.n == 3


def test_who_takes_the_most_recent_recorded_value(people):
    # a's last gender is Non-binary; c's only recorded gender is Female.
    assert fig.who(people, field_name="gender") == ({"Female": 1, "Male": 1, "Non-binary": 1}, 1)
    assert fig.who(people, field_name="age_band") == ({"5-15": 1, "25-34": 1, "75+": 1}, 1)
    assert fig.who(people, field_name="disability") == ({"Yes": 1}, 3)
    with pytest.raises(ValueError):
        fig.who(people, field_name="name")


def test_outcomes(people):
    result = fig.outcomes(people)
    # a: 3 → 7 (+4), b: 5 → 5 (0), c: 8 → 6 (−2), d: after only.
    assert sorted(result.changes) == [Decimal(-2), Decimal(0), Decimal(4)]
    assert (result.improved, result.same, result.worse) == (1, 1, 1)
    assert (result.one_score_only, result.no_scores, result.n) == (1, 0, 3)


def test_rows_without_any_person_reference_count_contacts():
    rows = [row(D(2025, 4, 1), "", lsoa21="L1", ward="W1", lad=B, d25=1) for _ in range(3)]
    people = fig.people_from_rows(rows)
    assert people.unit == "contacts"
    assert people.count == 3
    assert people.contacts_without_person == 0
    months, _ = fig.by_month(rows, unit="contacts")
    assert months[0].people == 3


def test_data_quality():
    uploads = [
        fig.UploadSummary("a.xlsx", 120, 100, 15, 5, {"no usable date": 10, "empty row": 5}),
        fig.UploadSummary("b.csv", 50, 48, 2, 0, {"no usable date": 2}),
    ]
    dq = fig.data_quality(uploads, ROWS)
    assert (dq.rows_read, dq.rows_stored, dq.rows_excluded, dq.rows_duplicate) == (170, 148, 17, 5)
    assert dq.excluded_reasons == {"no usable date": 12, "empty row": 5}
    assert dq.postcode_status == {
        "postcode found": 11,  # a 2, c 7, d 1, the no-reference row 1
        "postcode not valid": 1,
        "no postcode given": 1,
        "postcode not found in the directory": 1,
    }
    assert (dq.undated, dq.without_person, dq.uploads) == (1, 1, 2)
