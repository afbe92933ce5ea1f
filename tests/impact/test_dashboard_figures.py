"""dashboard_figures on the hand-made dataset (tests/impact/dashboard_data.py): every
figure checked against a hand calculation, and no count below 5 anywhere in it."""

import json
from datetime import date

import pytest

from tests.impact.dashboard_data import make_small_dataset
from tests.organisations.people import make_cast
from vcsehub.impact.dashboard import Period, dashboard_figures


@pytest.fixture
def dataset(db):
    cast = make_cast()
    return make_small_dataset(cast.organisation)


@pytest.fixture
def figures(dataset):
    return dashboard_figures(dataset)


def display(rows, key="count"):
    return {r["label"]: r[key]["display"] for r in rows}


def test_reach(figures):
    reach = figures["figures"]["reach"]
    # 12 + 3 + 9 + 6 people; contacts 12 + 6 + 54 + 6 + 2.
    assert reach["people"] == {"value": 30, "display": "30", "suppressed": None}
    assert reach["contacts"]["value"] == 80
    assert figures["summary"] == (
        "Between April 2025 and September 2025 you supported 30 people over 80 contacts."
    )
    assert reach["excluded"] == [
        {
            "reason": "rows with no person reference: counted as contacts only",
            "count": {"value": None, "display": "fewer than 5", "suppressed": "primary"},
        }
    ]
    assert figures["unit"] == "people"
    assert figures["period"]["label"] == "April 2025 to September 2025"


def test_by_month(figures):
    rows = figures["figures"]["by_month"]["rows"]
    # April: 12 + 3 + 9 + 2 no-reference = 26 contacts, 24 people; May: 3 + 9;
    # June: 9 + 6; July to September: 9.
    assert [(r["label"], r["people"]["value"], r["contacts"]["value"]) for r in rows] == [
        ("April 2025", 24, 26),
        ("May 2025", 12, 12),
        ("June 2025", 15, 15),
        ("July 2025", 9, 9),
        ("August 2025", 9, 9),
        ("September 2025", 9, 9),
    ]
    assert figures["figures"]["by_month"]["total"]["contacts"]["value"] == 80


def test_repeat_use_is_the_12_3_9_row(figures):
    fig = figures["figures"]["repeat_use"]
    # Once: 12 (a) + 6 (d) = 18; 2–5 times: 3 (b); 6 or more: 9 (c). Total 30.
    assert display(fig["rows"]) == {
        "Once": "18",
        "2 to 5 times": "fewer than 5",
        "6 times or more": "not shown",
    }
    assert display(fig["rows"], "share") == {
        "Once": "60%",
        "2 to 5 times": "not shown",
        "6 times or more": "not shown",
    }
    assert fig["total"]["count"]["value"] == 30


def test_deprivation(figures):
    dep = figures["figures"]["deprivation"]
    # People with an area: 12 (decile 1) + 3 (decile 3) + 9 (decile 5) = 24.
    assert dep["n"]["value"] == 24
    assert dep["value"]["decile_1"] == {"value": 50.0, "display": "50%"}
    assert dep["value"]["deciles_1_2"] == {"value": 50.0, "display": "50%"}
    rows = display(dep["rows"])
    assert rows["1 (most deprived 10%)"] == "12"
    assert rows["3"] == "fewer than 5"
    assert rows["5"] == "not shown"
    assert rows["2"] == "0"
    assert dep["missing"] == [
        {"reason": "no usable postcode", "count": {"value": 6, "display": "6", "suppressed": None}}
    ]
    assert dep["edition"] == "IoD2025, 2021 areas"
    # No geography is loaded: no baseline, said as "no data", never 0.
    assert dep["comparison"][0]["baseline"] == {"value": None, "display": "no data"}
    assert dep["baseline"]["local_authorities_missing"] == 1


def test_where(figures):
    where = figures["figures"]["where"]
    assert display(where["wards"]) == {"WA": "12", "WB": "fewer than 5", "WC": "not shown"}
    assert display(where["local_authorities"]) == {"L1": "24"}
    assert where["missing"][0]["count"]["value"] == 6


def test_who(figures):
    tables = {t["field"]: t for t in figures["figures"]["who"]["tables"]}
    assert list(tables) == ["gender"]
    gender = tables["gender"]
    # Female: 12 (a) + 5 (c); Male: 3 (b) + 6 (d); 4 of c have none. All 30 people are
    # shown in the reach figure, so the 26 with a gender is hidden (30 − 26 would give the
    # 4 away), and so one group: the smaller, Male. The shares would narrow the hidden 26
    # down (17 of 22 to 30 reads 77% to 57%), so they are not shown either.
    assert display(gender["rows"]) == {"Female": "17", "Male": "not shown"}
    assert gender["n"]["display"] == "not shown"
    assert display(gender["rows"], "share") == {"Female": "not shown", "Male": "not shown"}
    assert gender["missing"][0]["count"]["display"] == "fewer than 5"


def test_outcomes(figures):
    out = figures["figures"]["outcomes"]
    # 9 people with both: +3 ×5, 0 ×2, −2 ×2 → improved 5, same 2, worse 2;
    # average (15 + 0 − 4) / 9 = 1.22 → +1.2. Same and worse (2 + 2 = 4) are hidden,
    # so improved is hidden too.
    assert out["n"]["value"] == 9
    assert display(out["rows"]) == {
        "Improved": "not shown",
        "Stayed the same": "fewer than 5",
        "Got worse": "fewer than 5",
    }
    assert out["average_change"]["value"] == 1.2
    assert out["average_change"]["display"] == "+1.2"
    # Of all 30 people, 3 have one score only (small) and 18 have none: the 18 is hidden
    # rather than the 9, so 30 − 9 cannot give the 3 away.
    assert [(m["reason"], m["count"]["display"]) for m in out["missing"]] == [
        ("only one of the two scores recorded", "fewer than 5"),
        ("no scores recorded", "not shown"),
    ]
    assert out["average_change"]["n"]["value"] == 9


def test_data_quality(figures):
    dq = figures["figures"]["data_quality"]
    assert display(dq["rows"]) == {
        "Rows read from your files": "90",
        "Rows stored": "80",
        "Rows left out (see why below)": "not shown",
        "Rows already stored from an earlier file (not stored twice)": "fewer than 5",
    }
    # 90 = 80 + 7 + 3: the 3 repeats are small, so the 7 left out is hidden too, and with
    # it its only reason.
    assert dq["excluded"] == [
        {
            "reason": "no usable date",
            "count": {"value": None, "display": "not shown", "suppressed": "secondary"},
        }
    ]
    contacts = display(dq["contacts"])
    # 72 found; 6 invalid; 2 with no postcode (small) → the 6 is hidden too.
    assert contacts["Contacts counted in these figures"] == "80"
    assert contacts["Contacts: postcode found"] == "72"
    assert contacts["Contacts: no postcode given"] == "fewer than 5"
    assert contacts["Contacts: postcode not valid"] == "not shown"


def test_period_filter(dataset):
    figures = dashboard_figures(dataset, period=Period(date(2025, 6, 1), date(2025, 9, 30)))
    reach = figures["figures"]["reach"]
    # June to September: c (9 people, 36 contacts) and d (6 people, 6 contacts).
    assert reach["people"]["value"] == 15
    assert reach["contacts"]["value"] == 42
    assert figures["period"]["label"] == "1 June 2025 to 30 September 2025"
    assert figures["summary"].startswith(
        "Between 1 June 2025 and 30 September 2025 you supported 15"
    )


def test_older_edition(dataset):
    figures = dashboard_figures(dataset, edition="imd2019")
    assert figures["figures"]["deprivation"]["edition"] == "IoD2019, 2011 areas"
    with pytest.raises(ValueError):
        dashboard_figures(dataset, edition="imd1999")


def count_cells(value):
    """Every count cell ({value, display, suppressed}) anywhere in the figures."""
    if isinstance(value, dict):
        if set(value) == {"value", "display", "suppressed"}:
            yield value
        for item in value.values():
            yield from count_cells(item)
    elif isinstance(value, list):
        for item in value:
            yield from count_cells(item)


def test_no_count_below_five_anywhere_and_it_is_json(figures):
    json.dumps(figures)  # JSON-ready
    cells = list(count_cells(figures))
    assert len(cells) > 40
    for cell in cells:
        if cell["suppressed"]:
            assert cell["value"] is None
        else:
            assert cell["value"] is None or cell["value"] == 0 or cell["value"] >= 5, cell


def test_minimum_is_a_setting(dataset, settings):
    settings.MIN_DISPLAY_COUNT = 10
    figures = dashboard_figures(dataset)
    assert figures["min_display_count"] == 10
    assert display(figures["figures"]["where"]["wards"])["WC"] == "fewer than 10"
    for cell in count_cells(figures):
        assert cell["value"] is None or cell["value"] == 0 or cell["value"] >= 10


def test_figures_are_cached_until_the_records_change(dataset, django_assert_max_num_queries):
    from vcsehub.impact.models import Record

    first = dashboard_figures(dataset)
    with django_assert_max_num_queries(3):  # the cache key only
        assert dashboard_figures(dataset) == first
    extra = Record.objects.filter(dataset=dataset).first()
    extra.pk = None
    extra.fingerprint = "f" * 64
    extra.person_key = "new-person"
    extra.save()
    assert dashboard_figures(dataset)["figures"]["reach"]["people"]["value"] == 31


def test_records_are_read_with_each_value_as_the_orm_gives_it(dataset):
    from vcsehub.analytics.impact import VisitRow
    from vcsehub.impact.dashboard.common import ROW_FIELDS, dataset_rows
    from vcsehub.impact.models import Record

    rows, undated = dataset_rows(dataset, Period())
    expected = [
        VisitRow(*values)
        for values in Record.objects.filter(dataset=dataset).values_list(*ROW_FIELDS)
    ]
    # In no particular order (the figures sort them), so compared by record id.
    assert sorted(rows, key=lambda r: r.order) == sorted(expected, key=lambda r: r.order)
    assert undated == 0
    assert any(row.outcome_before is not None for row in rows)
    assert all(type(row.contact_date) is date for row in rows if row.contact_date is not None)


def test_people_are_described_by_every_who_field():
    # people_from_rows spells the fields out (it runs once per record): a new field must
    # be added there too.
    from vcsehub.analytics.impact import WHO_FIELDS, VisitRow, people_from_rows

    assert list(WHO_FIELDS) == ["age_band", "gender", "ethnicity", "disability"]
    row = VisitRow(
        date(2025, 4, 1),
        "p",
        "16-24",
        "Female",
        "White",
        "No",
        *[None] * 2,
        "",
        *[""] * 4,
        None,
        None,
    )
    assert people_from_rows([row]).people["p"].attributes == dict(
        zip(WHO_FIELDS, ["16-24", "Female", "White", "No"], strict=True)
    )
