"""Worked examples and properties of ranking by placings (competition.scoring.placings).

No published Skating System mark sheet could be retrieved to reproduce here (the
scrutineering books with worked examples, e.g. A. Dawson's "The Skating System", were not
available as text); the Skating System examples below are constructed by hand from the text
of rules 5 to 11 and the counts are shown. The Borda example is the textbook one.
"""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.scoring.placings import METHODS, borda, borda_points, skating_system, skating_system_summary


def sheet(*judges):
    """Judges' placings from strings such as "W X Z Y" (1st, 2nd, 3rd, ...)."""
    return {f"J{i}": {c: place for place, c in enumerate(order.split(), start=1)} for i, order in enumerate(judges, start=1)}


def places(ranking):
    return {c: float(p) for c, p in ranking}


class TestSkatingSystemOneDance:
    def test_rule_5_majority_of_first_places(self):
        # 5 judges, majority 3. Column "1st": 11 has 1,1,1 from J1, J2, J4 -> 1st. Column "1st-2nd":
        # 12 has 2,1,2,1 (4) -> 2nd. Column "1st-3rd": 13 has all five -> 3rd; 14 4th.
        marks = sheet("11 12 13 14", "11 13 12 14", "12 11 13 14", "11 12 13 14", "12 13 11 14")
        assert skating_system(marks) == [("11", D(1)), ("12", D(2)), ("13", D(3)), ("14", D(4))]

    def test_rule_6_greater_majority(self):
        # 3 judges, majority 2. No one has two 1sts. Column "1st-2nd": a has 1,2,2 (3), b has 2,1 (2):
        # both a majority; the greater (a, 3) takes 1st, b 2nd; c 3rd.
        marks = sheet("a b c", "b a c", "c a b")
        assert skating_system(marks) == [("a", D(1)), ("b", D(2)), ("c", D(3))]

    def test_rule_7a_lower_total_and_rule_8_shared_places(self):
        # 5 judges. P: 2 1 2 3 4, Q: 1 2 3 1 3, R: 3 4 1 4 2, S: 4 3 4 2 1.
        # Column 1: no one has three 1sts. Column 1-2: P has 2,1,2 (3, total 5), Q has 1,2,1 (3,
        # total 4): equal majorities, Q's lower total takes 1st (7a), P 2nd.
        # Column 1-3: R 3,1,2 (3, total 6) and S 3,2,1 (3, total 6); column 1-4: both 5 marks, total
        # 14: equal to the last place, so they share 3rd and 4th: 3.5 each (rule 8).
        marks = sheet("Q P R S", "P Q S R", "R P Q S", "Q S P R", "S R Q P")
        assert places(skating_system(marks)) == {"Q": 1, "P": 2, "R": 3.5, "S": 3.5}

    def test_rule_7b_next_place_included(self):
        # 5 judges. W: 1 1 1 4 2 -> three 1sts, 1st. Column 1-2: X 2,2,1 (3, total 5) and Y 2,2,1
        # (3, total 5): equal. Column 1-3 for those two: X 2,2,3,1 (4), Y still 3 -> X 2nd, Y 3rd.
        # Z: 3 3 4 3 3 -> 4th.
        marks = sheet("W X Z Y", "W X Z Y", "W Y X Z", "X Y Z W", "Y W Z X")
        assert skating_system(marks) == [("W", D(1)), ("X", D(2)), ("Y", D(3)), ("Z", D(4))]

    def test_a_judge_must_place_everyone_once(self):
        with pytest.raises(ValueError, match="1 to 3"):
            skating_system({"J1": {"a": 1, "b": 1, "c": 3}})
        with pytest.raises(ValueError, match="same competitors"):
            skating_system({"J1": {"a": 1, "b": 2}, "J2": {"a": 1, "c": 2}})


class TestSkatingSystemSummary:
    def test_rule_9_lowest_total_of_places(self):
        waltz = sheet("a b c", "a b c", "b a c")  # a 1st, b 2nd, c 3rd
        tango = sheet("c a b", "c a b", "a c b")  # c 1st (two 1sts), a 2nd, b 3rd
        # totals: a 1 + 2 = 3, b 2 + 3 = 5, c 3 + 1 = 4
        assert skating_system_summary({"waltz": waltz, "tango": tango}) == [("a", D(1)), ("c", D(2)), ("b", D(3))]

    def test_rule_10_more_dances_won_at_the_place_under_review(self):
        # dances (three identical judges each): a 1 1 1, b 2 2 4, c 3 3 2, d 4 4 3. Totals a 3,
        # b 8, c 8, d 11. 2nd under review: b was 2nd or higher in two dances, c in one -> b 2nd.
        same = "a b c d"
        dances = {"D1": sheet(same, same, same), "D2": sheet(same, same, same), "D3": sheet(*["a c d b"] * 3)}
        assert skating_system_summary(dances) == [("a", D(1)), ("b", D(2)), ("c", D(3)), ("d", D(4))]

    def test_rule_11_all_marks_as_one_dance(self):
        # waltz: a 1 1 2 -> 1st, b 2nd, c 3rd; tango: b 1 1 3 -> 1st, a 2 2 1 -> 2nd, c 3rd.
        # Totals a 3, b 3. Rule 10 for 1st: each won one dance with a 1 -> equal. Rule 11: the six
        # marks as one dance, majority 4: column 1: a 1,1,1 (3), b 1,1,1 (3) - none; column 1-2:
        # a 1,1,2,2,2,1 (6), b 2,2,1,1,1 (5) -> a 1st, b 2nd.
        waltz = sheet("a b c", "a b c", "b a c")
        tango = sheet("b a c", "b a c", "a c b")
        assert skating_system_summary({"waltz": waltz, "tango": tango}) == [("a", D(1)), ("b", D(2)), ("c", D(3))]


class TestBorda:
    def test_tennessee_capital(self):
        # The textbook example (Wikipedia, "Borda count": the Tennessee capital election): 100
        # voters - 42 Memphis > Nashville > Chattanooga > Knoxville, 26 N > C > K > M, 15 C > K > N > M,
        # 17 K > C > N > M. Points (n - i): Memphis 126, Nashville 194, Chattanooga 173, Knoxville 107.
        groups = [(42, "M N C K"), (26, "N C K M"), (15, "C K N M"), (17, "K C N M")]
        ballots = {}
        for g, (voters, order) in enumerate(groups):
            for v in range(voters):
                ballots[(g, v)] = {c: place for place, c in enumerate(order.split(), start=1)}
        assert borda_points(ballots) == {"M": 126, "N": 194, "C": 173, "K": 107}
        assert borda(ballots) == [("N", D(1)), ("C", D(2)), ("M", D(3)), ("K", D(4))]

    def test_equal_points_share_the_better_place(self):
        assert borda(sheet("a b c", "b a c")) == [("a", D(1)), ("b", D(1)), ("c", D(3))]


def test_methods_are_named_with_labels():
    assert set(METHODS) == {"skating_system", "borda"}
    assert all(callable(f) and label for f, label in METHODS.values())


# -- properties ------------------------------------------------------------------------------

COMPETITORS = ["a", "b", "c", "d", "e"]


@st.composite
def placings(draw, judges=st.integers(1, 7), competitors=st.integers(2, 5)):
    n = draw(competitors)
    names = COMPETITORS[:n]
    return {f"J{j}": dict(zip(draw(st.permutations(names)), range(1, n + 1), strict=True)) for j in range(draw(judges))}


@given(st.sampled_from(sorted(METHODS)), placings(), st.randoms())
def test_judge_order_does_not_matter(method, marks, rnd):
    judges = list(marks)
    rnd.shuffle(judges)
    assert METHODS[method][0]({j: marks[j] for j in judges}) == METHODS[method][0](marks)


@given(placings())
def test_skating_system_places_everyone_once_within_bounds(marks):
    ranking = skating_system(marks)
    n = len(ranking)
    assert sorted(c for c, _ in ranking) == sorted(next(iter(marks.values())))
    assert all(1 <= p <= n for _, p in ranking)
    assert sum(p for _, p in ranking) == D(n * (n + 1)) / 2  # shared places are means


@given(placings())
def test_unanimous_judges_decide(marks):
    first = next(iter(marks.values()))
    same = {j: first for j in marks}
    expected = sorted(((c, D(p)) for c, p in first.items()), key=lambda item: item[1])
    assert skating_system(same) == expected == borda(same)


@given(placings(), st.data())
def test_majority_of_first_places_wins(marks, data):
    winner = data.draw(st.sampled_from(sorted(next(iter(marks.values())))))
    majority = len(marks) // 2 + 1
    firsts = sum(1 for m in marks.values() if m[winner] == 1)
    if firsts >= majority:
        assert skating_system(marks)[0] == (winner, D(1))


@given(placings(), st.data())
def test_borda_raising_a_competitor_never_lowers_their_place(marks, data):
    judge = data.draw(st.sampled_from(sorted(marks)))
    order = sorted(marks[judge], key=marks[judge].get)
    i = data.draw(st.integers(1, len(order) - 1))
    raised = dict(marks)
    swapped = order[: i - 1] + [order[i], order[i - 1]] + order[i + 1 :]
    raised[judge] = {c: p for p, c in enumerate(swapped, start=1)}
    before, after = dict(borda(marks)), dict(borda(raised))
    assert after[order[i]] <= before[order[i]]
