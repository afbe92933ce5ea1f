"""Disclosure control: primary and secondary suppression, shares and averages."""

from decimal import Decimal

import pytest
from django.test import override_settings

from vcsehub.analytics.disclosure import (
    SafeCount,
    Status,
    min_display_count,
    safe_count,
    safe_mean,
    safe_share,
    safe_share_of_hidden,
    suppress,
)


def shown(result):
    return {k: (v.value if v.shown else v.display) for k, v in result.items()}


def test_row_12_3_9_with_total_hides_the_3_and_the_next_smallest():
    result = suppress(
        {"a": 12, "b": 3, "c": 9, "total": 24}, [("total", ["a", "b", "c"])], threshold=5
    )
    assert shown(result) == {"a": 12, "b": "fewer than 5", "c": "not shown", "total": 24}
    assert result["b"].status is Status.SMALL and result["c"].status is Status.HIDDEN


def test_two_small_cells_that_together_reach_the_minimum_need_nothing_more():
    result = suppress(
        {"a": 12, "b": 3, "c": 2, "total": 17}, [("total", ["a", "b", "c"])], threshold=5
    )
    assert shown(result) == {"a": 12, "b": "fewer than 5", "c": "fewer than 5", "total": 17}


def test_two_small_cells_adding_to_fewer_than_the_minimum_hide_a_third():
    # 1 + 2 = 3 would tell that 3 people are in b and c together.
    result = suppress(
        {"a": 40, "b": 1, "c": 2, "d": 7, "total": 50},
        [("total", ["a", "b", "c", "d"])],
        threshold=5,
    )
    assert shown(result) == {
        "a": 40,
        "b": "fewer than 5",
        "c": "fewer than 5",
        "d": "not shown",
        "total": 50,
    }


def test_zeros_are_shown_and_never_chosen_to_hide_a_small_cell():
    result = suppress(
        {"a": 0, "b": 3, "c": 20, "total": 23}, [("total", ["a", "b", "c"])], threshold=5
    )
    assert shown(result) == {"a": 0, "b": "fewer than 5", "c": "not shown", "total": 23}


def test_a_small_total_hides_everything_in_it():
    result = suppress({"a": 3, "b": 1, "total": 4}, [("total", ["a", "b"])], threshold=5)
    assert shown(result) == {"a": "fewer than 5", "b": "fewer than 5", "total": "fewer than 5"}


def test_nested_tables_wards_inside_local_authorities():
    # Ward w2 (3 people) is small: in its local authority one more ward is hidden (w1, 6).
    # Local authority L2 (4) is small: L1 (9) is hidden too, so L1's wards hide one more.
    values = {"w1": 6, "w2": 3, "w3": 20, "L1": 9, "L3": 20, "L2": 4, "w4": 4, "n": 33}
    relations = [
        ("L1", ["w1", "w2"]),
        ("L3", ["w3"]),
        ("L2", ["w4"]),
        ("n", ["L1", "L3", "L2"]),
    ]
    result = suppress(values, relations, threshold=5)
    assert shown(result) == {
        "w1": "not shown",
        "w2": "fewer than 5",
        "w3": 20,
        "L1": "not shown",
        "L3": 20,
        "L2": "fewer than 5",
        "w4": "fewer than 5",
        "n": 33,
    }


def test_a_hidden_total_needs_a_hidden_cell():
    # L1 (10) is hidden to protect L2 (2); its only ward would give it away.
    values = {"w1": 10, "L1": 10, "L2": 2, "w2": 2, "L3": 30, "w3": 30, "n": 42}
    relations = [("L1", ["w1"]), ("L2", ["w2"]), ("L3", ["w3"]), ("n", ["L1", "L2", "L3"])]
    result = suppress(values, relations, threshold=5)
    assert result["L1"].status is Status.HIDDEN
    assert result["w1"].status is Status.HIDDEN
    assert shown(result)["L3"] == 30


def test_cells_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError, match="add up to 5, not 6"):
        suppress({"a": 2, "b": 3, "t": 6}, [("t", ["a", "b"])], threshold=5)


def test_no_secondary_suppression_when_nothing_is_small():
    result = suppress({"a": 5, "b": 6, "t": 11}, [("t", ["a", "b"])], threshold=5)
    assert shown(result) == {"a": 5, "b": 6, "t": 11}


def test_hidden_counts_carry_no_value():
    result = suppress({"a": 12, "b": 3, "c": 9, "t": 24}, [("t", ["a", "b", "c"])], threshold=5)
    assert result["b"].as_dict() == {
        "value": None,
        "display": "fewer than 5",
        "suppressed": "primary",
    }
    assert result["c"].as_dict() == {
        "value": None,
        "display": "not shown",
        "suppressed": "secondary",
    }
    assert SafeCount.from_dict(result["c"].as_dict(), threshold=5) == result["c"]
    assert result["b"].short == "<5" and result["c"].short == "*"


def test_single_counts_and_missing():
    assert safe_count(None, threshold=5).display == "no data"
    assert safe_count(0, threshold=5).display == "0"
    assert safe_count(4, threshold=5).display == "fewer than 5"
    assert safe_count(1240, threshold=5).display == "1,240"
    with pytest.raises(ValueError):
        safe_count(-1, threshold=5)


def test_shares_of_hidden_counts_are_hidden():
    total = safe_count(40, threshold=5)
    assert safe_share(safe_count(10, threshold=5), total).display == "25%"
    assert safe_share(safe_count(3, threshold=5), total).display == "not shown"
    assert safe_share(safe_count(10, threshold=5), safe_count(0, threshold=5)).display == "no data"
    assert safe_share(safe_count(1, threshold=5), safe_count(3, threshold=5)).value is None
    assert (
        safe_share(safe_count(1, threshold=1), safe_count(3, threshold=1), places=1).display
        == "33.3%"
    )


def test_averages_need_the_minimum_number_of_people():
    four = [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]
    assert safe_mean(four, threshold=5).value is None
    assert safe_mean(four, threshold=5).display == "not shown: fewer than 5 people"
    five = [*four, Decimal("-2.5")]
    # (1 + 2 + 3 + 4 - 2.5) / 5 = 7.5 / 5 = 1.5
    assert safe_mean(five, threshold=5).value == Decimal("1.5")
    assert safe_mean(five, threshold=5).display == "+1.5"
    assert safe_mean([], threshold=5).display == "no data"


def test_minimum_comes_from_settings(settings):
    assert min_display_count() == 5
    with override_settings(MIN_DISPLAY_COUNT=10):
        assert min_display_count() == 10
        assert safe_count(9, threshold=min_display_count()).display == "fewer than 10"
    with override_settings(MIN_DISPLAY_COUNT=0), pytest.raises(ValueError):
        min_display_count()


def test_a_figures_n_is_hidden_last():
    # All 30 = 26 with a gender + 4 without: with "n" last, nothing else can hide the 4,
    # so n goes; with another missing reason to hide, n stays.
    result = suppress(
        {"n": 26, "none": 4, "all": 30}, [("all", ["n", "none"])], threshold=5, last=["n"]
    )
    assert shown(result) == {"n": "not shown", "none": "fewer than 5", "all": 30}
    values = {"n": 9, "one": 3, "none": 18, "all": 30}
    result = suppress(values, [("all", ["n", "one", "none"])], threshold=5, last=["n"])
    assert shown(result) == {"n": 9, "one": "fewer than 5", "none": "not shown", "all": 30}
    result = suppress(values, [("all", ["n", "one", "none"])], threshold=5)
    assert shown(result)["n"] == "not shown"  # without `last`, the smaller 9 would go


def test_a_share_of_a_hidden_n_is_shown_only_when_it_cannot_narrow_n_down():
    hidden = suppress({"n": 1196, "none": 4, "all": 1200}, [("all", ["n", "none"])], threshold=5)[
        "n"
    ]
    assert hidden.status is Status.HIDDEN
    # 300 of 1,192 to 1,200 reads 25% whichever it is (400 would not: 34% to 33%).
    assert safe_share_of_hidden(safe_count(300, threshold=5), hidden, 1196).display == "25%"
    # 17 of 22 to 30 reads 77% down to 57%: it would tell.
    small = suppress({"n": 26, "none": 4, "all": 30}, [("all", ["n", "none"])], threshold=5)["n"]
    assert safe_share_of_hidden(safe_count(17, threshold=5), small, 26).display == "not shown"
    # A shown denominator: an ordinary share; a hidden numerator: not shown.
    assert (
        safe_share_of_hidden(safe_count(5, threshold=5), safe_count(20, threshold=5), 20).display
        == "25%"
    )
    assert safe_share_of_hidden(safe_count(3, threshold=5), hidden, 1196).display == "not shown"
    assert safe_share_of_hidden(safe_count(400, threshold=5), hidden, 1196).display == "not shown"
