"""`derivable_groups`: which small groups shown counts give away, by exact arithmetic."""

from vcsehub.analytics.disclosure import derivable_groups

# People seen in period A only (a), in both (ab), in B only (b), in neither (n).
ATOMS = {"a": 10, "ab": 11, "b": 4, "n": 0}
ALL, A, B = {"a", "ab", "b", "n"}, {"a", "ab"}, {"ab", "b"}
FAMILY = [list(ATOMS)]


def test_the_whole_minus_one_period():
    # 25 - 21 = the 4 people seen in B only (nobody is in neither: that atom is dropped).
    assert derivable_groups([ALL, A], ATOMS, FAMILY, threshold=5) == [frozenset({"b"})]


def test_nothing_when_the_small_count_is_not_a_difference():
    assert derivable_groups([ALL], ATOMS, FAMILY, threshold=5) == []
    assert derivable_groups([A, B], ATOMS, FAMILY, threshold=5) == []


def test_a_sum_of_differences_and_a_small_overlap():
    atoms = {"a": 9, "ab": 2, "b": 8, "n": 0}
    # A + B - ALL = the 2 people seen in both.
    assert derivable_groups([ALL, A, B], atoms, FAMILY, threshold=5) == [frozenset({"ab"})]


def test_a_group_never_mixes_families():
    atoms = {"p": 3, "c": 3}
    found = derivable_groups([{"p", "c"}, {"p"}], atoms, [["p"], ["c"]], threshold=5)
    assert found == [frozenset({"p"}), frozenset({"c"})]
    assert derivable_groups([{"p", "c"}], atoms, [["p"], ["c"]], threshold=5) == []
