"""Modules (模块) and weights: subtotals, weighted totals, tie-breaks by module, the points kind,
and the problems `podium check-scheme` reports. Every expected number is worked out by hand in
the comments."""

from __future__ import annotations

import random
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.scoring.entries import EntryError, parse_entry
from competition.scoring.schemes import SchemeError, load_scheme, parse_scheme
from competition.scoring.standings import competitor_result, compute_standings


def scheme_text(criteria: dict[str, int], modules: list[tuple[str, list[str], str | None]], *, total: int | None = None,
                tie_break: str = "") -> str:
    """A scheme of one ``points`` aspect per criterion (criterion id -> max) and ``modules``
    (id, criterion ids, weight or None)."""
    head = ['[scheme]', 'code = "modular"', 'name = "Modular"', 'version = "1"']
    if total is not None:
        head.append(f"total = {total}")
    if tie_break:
        head.append(f"tie_break = {tie_break}")
    parts = ["\n".join(head)]
    for cid, top in criteria.items():
        parts.append(
            f'[[criterion]]\nid = "{cid}"\nname = "Criterion {cid}"\n\n[[criterion.sub]]\nid = "{cid}1"\nname = "Part {cid}1"\n\n'
            f'[[criterion.sub.aspect]]\nid = "{cid}1.1"\ndescription = "Points"\ntype = "measurement"\nmethod = "points"\nmax = {top}'
        )
    for mid, members, weight in modules:
        listed = ", ".join(f'"{c}"' for c in members)
        parts.append(f'[[module]]\nid = "{mid}"\nname = "Module {mid}"\ncriteria = [{listed}]' + (f"\nweight = {weight}" if weight else ""))
    return "\n\n".join(parts) + "\n"


def entries(**points: int | str) -> dict[str, list[D]]:
    """{criterion id: points} -> the entries of the criterion's one aspect."""
    return {f"{cid}1.1": [D(str(value))] for cid, value in points.items()}


# A theory test (T, out of 50) worth 20 % and a practical (A and B, out of 30 each) worth 80 %,
# the total out of 100.
THEORY_AND_PRACTICAL = scheme_text({"T": 50, "A": 30, "B": 30}, [("M1", ["T"], "0.2"), ("M2", ["A", "B"], "0.8")], total=100)


def test_a_weighted_total_worked_by_hand():
    scheme = parse_scheme(THEORY_AND_PRACTICAL)
    assert scheme.weighted and scheme.total_max == 100 and scheme.max_mark == 110
    assert [scheme.module_max(m) for m in scheme.modules] == [50, 60]
    result = competitor_result(scheme, "C-01", entries(T=43, A=25, B=22))
    # theory: 0.2 x 43/50 x 100 = 17.20; practical 25 + 22 = 47 of 60: 0.8 x 47/60 x 100 = 62.666… -> 62.67
    assert dict(result.modules) == {"M1": D(43), "M2": D(47)}
    assert dict(result.module_scores) == {"M1": D("17.20"), "M2": D("62.67")}
    assert result.total == D("79.87")  # 17.20 + 62.67: the module scores as shown, added
    assert dict(result.criteria) == {"T": 43, "A": 25, "B": 22}  # criteria stay raw (certificates)


def test_rounding_happens_once_per_module_half_away_from_zero():
    # two modules out of 3 points each, 0.5 and 0.5, out of 100: 1 of 3 -> 0.5 x 1/3 x 100 = 16.666… -> 16.67;
    # 2 of 3 -> 33.333… -> 33.33. Total 50.00 (the unrounded sum 50 agrees).
    scheme = parse_scheme(scheme_text({"A": 3, "B": 3}, [("M1", ["A"], "0.5"), ("M2", ["B"], "0.5")]))
    result = competitor_result(scheme, "C-01", entries(A=1, B=2))
    assert dict(result.module_scores) == {"M1": D("16.67"), "M2": D("33.33")} and result.total == D("50.00")
    # 0.125 of the total: weight 0.25 x 1/2 x 100 = 12.5 exactly; weight 0.75 x 1/8 x 100 = 9.375 -> 9.38 (half up)
    scheme = parse_scheme(scheme_text({"A": 2, "B": 8}, [("M1", ["A"], "0.25"), ("M2", ["B"], "0.75")]))
    result = competitor_result(scheme, "C-01", entries(A=1, B=1))
    assert dict(result.module_scores) == {"M1": D("12.50"), "M2": D("9.38")} and result.total == D("21.88")


def test_the_scheme_total_sets_what_a_weighted_total_is_out_of():
    # out of 200: theory 0.3 x 40/50 x 200 = 48; practical 0.7 x 30/60 x 200 = 70; total 118
    text = scheme_text({"T": 50, "A": 30, "B": 30}, [("M1", ["T"], "0.3"), ("M2", ["A", "B"], "0.7")], total=200)
    scheme = parse_scheme(text)
    assert scheme.total_max == 200
    assert competitor_result(scheme, "C-01", entries(T=40, A=15, B=15)).total == D("118.00")
    # without `total`, out of 100: 24 + 35 = 59
    scheme = parse_scheme(text.replace("total = 200\n", ""))
    assert scheme.total_max == 100 and competitor_result(scheme, "C-01", entries(T=40, A=15, B=15)).total == D("59.00")


def test_modules_without_weights_only_group_the_criteria():
    scheme = parse_scheme(scheme_text({"A": 10, "B": 10, "C": 10}, [("M1", ["A", "B"], None), ("M2", ["C"], None)], total=30))
    assert not scheme.weighted and scheme.total_max == 30
    result = competitor_result(scheme, "C-01", entries(A=7, B=5, C=9))
    assert result.total == 21 and dict(result.modules) == {"M1": 12, "M2": 9} == dict(result.module_scores)


def test_a_scheme_without_modules_works_as_before():
    scheme = parse_scheme(scheme_text({"A": 10, "B": 10}, []))
    assert scheme.modules == () and not scheme.weighted and scheme.total_max == 20
    result = competitor_result(scheme, "C-01", entries(A=7, B=5))
    assert result.total == 12 and dict(result.modules) == {} == dict(result.module_scores)


def test_a_module_marking_day_is_the_default_of_its_criteria():
    text = scheme_text({"A": 10, "B": 10}, [("M1", ["A"], None), ("M2", ["B"], None)])
    text = text.replace('criteria = ["A"]', 'criteria = ["A"]\nmarking_day = "C1"')
    text = text.replace('criteria = ["B"]', 'criteria = ["B"]\nmarking_day = "C2"')
    text = text.replace('name = "Criterion B"', 'name = "Criterion B"\nmarking_day = "C3"')  # its own day wins
    scheme = parse_scheme(text)
    assert [(c.id, c.marking_day) for c in scheme.criteria] == [("A", "C1"), ("B", "C3")]
    assert [m.marking_day for m in scheme.modules] == ["C1", "C2"]


def test_module_names_may_be_bilingual():
    text = THEORY_AND_PRACTICAL.replace('name = "Module M1"', 'name = { en = "Theory test", zh = "理论考试" }')
    module = parse_scheme(text).modules[0]
    assert module.name == "Theory test" and module.name.translations == {"en": "Theory test", "zh": "理论考试"}


# -- tie-breaks by module -------------------------------------------------------------------------

THREE_MODULES = scheme_text({"A": 10, "B": 10, "C": 10}, [("M1", ["A"], None), ("M2", ["B"], None), ("M3", ["C"], None)],
                            tie_break='"modules_reverse"')
# Four competitors, every total 20:
TIED = {
    "P": entries(A=8, B=6, C=6),
    "Q": entries(A=6, B=8, C=6),
    "R": entries(A=7, B=6, C=7),
    "S": entries(A=6, B=8, C=6),
}


def ranks(rows) -> dict[str, int]:
    return {row.competitor: row.rank for row in rows}


def test_ties_are_broken_by_module_scores_in_reverse_order():
    scheme = parse_scheme(THREE_MODULES)
    assert scheme.tie_break == ("M3", "M2", "M1")
    # M3 (C) first: R has 7, the others 6 -> R 1st. Then M2 (B): Q and S 8, P 6 -> Q and S share 2nd,
    # P 4th. Q and S are equal in every module, so they share the rank ("1224").
    rows = compute_standings(scheme, TIED)
    assert ranks(rows) == {"R": 1, "Q": 2, "S": 2, "P": 4}
    assert [row.competitor for row in rows] == ["R", "Q", "S", "P"]


def test_modules_in_their_own_order_and_named_modules_break_ties_differently():
    forward = parse_scheme(THREE_MODULES.replace('"modules_reverse"', '"modules"'))
    assert forward.tie_break == ("M1", "M2", "M3")
    # M1 (A) first: P 8, R 7, Q and S 6 -> P, R, then Q and S (equal in B and C too)
    assert ranks(compute_standings(forward, TIED)) == {"P": 1, "R": 2, "Q": 3, "S": 3}
    named = parse_scheme(THREE_MODULES.replace('"modules_reverse"', '["M2", "C"]'))  # a module, then a criterion
    # M2 (B): Q and S 8, P and R 6; then C: R 7 over P 6
    assert ranks(compute_standings(named, TIED)) == {"Q": 1, "S": 1, "R": 3, "P": 4}


def test_weighted_totals_that_tie_are_broken_by_the_last_module_first():
    # 0.5 / 0.5 of 100: X theory 6/10 -> 30, practical 8/10 -> 40; Y theory 8 -> 40, practical 6 -> 30; both 70.
    text = scheme_text({"T": 10, "P": 10}, [("M1", ["T"], "0.5"), ("M2", ["P"], "0.5")], tie_break='"modules_reverse"')
    rows = compute_standings(parse_scheme(text), {"X": entries(T=6, P=8), "Y": entries(T=8, P=6)})
    assert [(r.competitor, r.result.total, r.rank) for r in rows] == [("X", D("70.00"), 1), ("Y", D("70.00"), 2)]


def test_the_source_rule_practical_before_theory():
    # 理论知识 30 % + 操作技能 70 %; "先比较操作技能成绩 … 再比较理论知识成绩" (source: README, "Modules").
    # X: theory 80 -> 24.00, practical 60 -> 42.00: 66.00. Y: theory 45 -> 13.50, practical 75 -> 52.50: 66.00.
    text = scheme_text({"T": 100, "P": 100}, [("M1", ["T"], "0.3"), ("M2", ["P"], "0.7")], tie_break='"modules_reverse"')
    rows = compute_standings(parse_scheme(text), {"X": entries(T=80, P=60), "Y": entries(T=45, P=75)})
    assert [(r.competitor, r.result.total, r.rank) for r in rows] == [("Y", D("66.00"), 1), ("X", D("66.00"), 2)]


# -- properties -----------------------------------------------------------------------------------

@st.composite
def weighted_schemes(draw):
    """A weighted scheme of 1-4 modules (one criterion each, max 1-40) with weights in whole
    per cent adding up to 100, and one competitor's points in each."""
    n = draw(st.integers(1, 4))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=n - 1, max_size=n - 1, unique=True)))
    percents = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    tops = draw(st.lists(st.integers(1, 40), min_size=n, max_size=n))
    got = [draw(st.integers(0, top)) for top in tops]
    ids = [chr(ord("A") + i) for i in range(n)]
    text = scheme_text(dict(zip(ids, tops, strict=True)),
                       [(f"M{i + 1}", [cid], str(D(p) / 100)) for i, (cid, p) in enumerate(zip(ids, percents, strict=True))])
    return parse_scheme(text), dict(zip(ids, got, strict=True)), percents, tops


@settings(max_examples=60, deadline=None)
@given(weighted_schemes())
def test_a_weighted_total_is_the_weights_share_of_each_module_within_rounding(case):
    scheme, got, percents, tops = case
    result = competitor_result(scheme, "C", entries(**got))
    exact = sum(D(p) / 100 * D(g) / D(t) * 100 for p, g, t in zip(percents, got.values(), tops, strict=True))
    assert abs(result.total - exact) <= D("0.005") * len(tops)
    assert 0 <= result.total <= 100


@settings(max_examples=60, deadline=None)
@given(weighted_schemes(), st.integers(0, 10))
def test_every_module_at_the_same_share_gives_that_share_of_the_total(case, tenths):
    # linear: with every module at share f of its max, the total is f x 100 whatever the weights
    scheme, _, _, _ = case
    full = {m.criteria[0]: scheme.module_max(m) for m in scheme.modules}
    if any(top * tenths % 10 for top in full.values()):
        return  # f x max must be whole points
    result = competitor_result(scheme, "C", entries(**{c: top * tenths // 10 for c, top in full.items()}))
    assert abs(result.total - D(tenths) * 10) <= D("0.005") * len(full)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 20), min_size=2, max_size=4), st.data())
def test_weights_equal_to_the_raw_shares_give_the_raw_total(tops, data):
    # weight_m = max_m / sum(max) and total = sum(max): weight x subtotal / max x total = subtotal
    whole = sum(tops)
    ids = [chr(ord("A") + i) for i in range(len(tops))]
    shares = [D(t) / D(whole) for t in tops]
    if any(s != s.quantize(D("0.0001")) for s in shares):
        return  # a weight must be written exactly
    text = scheme_text(dict(zip(ids, tops, strict=True)),
                       [(f"M{i}", [c], str(s)) for i, (c, s) in enumerate(zip(ids, shares, strict=True))], total=whole)
    got = {c: data.draw(st.integers(0, t)) for c, t in zip(ids, tops, strict=True)}
    result = competitor_result(parse_scheme(text), "C", entries(**got))
    assert result.total == sum(got.values())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(0, 10)), min_size=1, max_size=8), st.randoms())
def test_the_order_competitors_are_given_in_does_not_matter(points, rnd):
    scheme = parse_scheme(THREE_MODULES)
    field = {f"C-{i:02}": entries(A=a, B=b, C=c) for i, (a, b, c) in enumerate(points)}
    shuffled = list(field.items())
    rnd.shuffle(shuffled)
    first = [(r.competitor, r.rank, r.result.total) for r in compute_standings(scheme, field)]
    again = [(r.competitor, r.rank, r.result.total) for r in compute_standings(scheme, dict(shuffled))]
    assert first == again


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 30), st.integers(0, 30))
def test_more_points_in_a_module_never_lower_the_weighted_total(theory, more, a, b):
    scheme = parse_scheme(THEORY_AND_PRACTICAL)
    low, high = sorted((theory, more))
    assert competitor_result(scheme, "C", entries(T=low, A=a, B=b)).total <= competitor_result(scheme, "C", entries(T=high, A=a, B=b)).total


# -- the points kind ------------------------------------------------------------------------------


def test_points_are_entered_once_as_whole_points_up_to_max():
    scheme = parse_scheme(THEORY_AND_PRACTICAL)
    theory = scheme.aspect("T1.1")
    assert parse_entry(theory, "43") == 43 and parse_entry(theory, 0) == 0 and parse_entry(theory, "50") == 50
    for raw in ("51", "-1", "42.5"):
        with pytest.raises(EntryError, match=f"aspect T1.1 takes a whole number of points from 0 to 50, not {raw}"):
            parse_entry(theory, raw)
    result = competitor_result(scheme, "C", entries(T=43))
    assert result.aspects["T1.1"].complete and result.aspects["T1.1"].mark == D("43.00")  # one entry completes it


def test_points_take_a_whole_max(tmp_path):
    text = THEORY_AND_PRACTICAL.replace("max = 50", "max = 50.5")
    found = problems(tmp_path, text)
    assert found == ["criterion[0].sub[0].aspect[0].max: points aspects take whole points, so max must be a whole number, not 50.5"]


# -- check-scheme ---------------------------------------------------------------------------------


def problems(tmp_path: Path, text: str, *, lines: bool = False) -> list[str]:
    path = tmp_path / "modular.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        load_scheme(path)
    found = [str(p) for p in caught.value.problems]
    assert all(p.startswith(f"{path}:") for p in found)
    return [p.split(": ", 1)[1] if not lines else p.removeprefix(f"{path}:") for p in found]


def line(text: str, fragment: str, start: int = 0) -> int:
    """The 1-based line number of the first line containing ``fragment`` after line ``start``."""
    return next(i for i, ln in enumerate(text.splitlines(), start=1) if i > start and fragment in ln)


def test_weights_that_do_not_add_up_to_one(tmp_path):
    text = THEORY_AND_PRACTICAL.replace("weight = 0.8", "weight = 0.7")
    found = problems(tmp_path, text, lines=True)
    at = line(text, "weight = 0.7")
    assert found == [f"{at}: module[1].weight: the weights add up to 0.2 + 0.7 = 0.9; they must add up to 1 (100 %)"]


def test_weights_written_as_per_cent_or_not_above_zero(tmp_path):
    text = THEORY_AND_PRACTICAL.replace("weight = 0.2", "weight = 20").replace("weight = 0.8", "weight = 0")
    found = problems(tmp_path, text, lines=True)
    assert found == [
        f"{line(text, 'weight = 20')}: module[0].weight: 20 must be a share above 0 and at most 1, e.g. weight = 0.2 for 20 %",
        f"{line(text, 'weight = 0')}: module[1].weight: 0 must be a share above 0 and at most 1",
    ]
    text = THEORY_AND_PRACTICAL.replace("weight = 0.8", "weight = -0.8")
    assert problems(tmp_path, text) == ["module[1].weight: -0.8 must be a share above 0 and at most 1"]


def test_a_weight_on_some_modules_only(tmp_path):
    text = THEORY_AND_PRACTICAL.replace("\nweight = 0.8", "")
    found = problems(tmp_path, text, lines=True)
    second = line(text, "[[module]]", line(text, "[[module]]"))
    assert found == [f"{second}: module[1].weight: required when other modules have a weight: give every module its share, or none"]


def test_a_criterion_in_two_modules_in_none_or_unknown(tmp_path):
    text = scheme_text({"A": 10, "B": 10, "C": 10}, [("M1", ["A", "B"], "0.5"), ("M2", ["B", "Z"], "0.5")])
    found = problems(tmp_path, text, lines=True)
    criteria_2, criterion_c = line(text, 'criteria = ["B", "Z"]'), line(text, 'id = "C"')
    assert found == [
        f"{criterion_c}: criterion[2].id: criterion 'C' is in no module; add it to the criteria of one of: M1, M2",
        f"{criteria_2}: module[1].criteria[0]: criterion 'B' is already in module 'M1'; put each criterion in one module",
        f"{criteria_2}: module[1].criteria[1]: unknown criterion id 'Z'; use one of: A, B, C",
    ]


def test_module_ids_and_criteria_lists(tmp_path):
    text = scheme_text({"A": 10, "B": 10}, [("A", ["A"], None), ("A", ["B", "B"], None)])
    text = text.replace('criteria = ["A"]', "criteria = []")
    found = problems(tmp_path, text)
    assert found == [
        "criterion[0].id: criterion 'A' is in no module; add it to the criteria of one of: A, A",
        "module[0].id: 'A' is already a criterion id; give the module an id of its own, e.g. M1",
        'module[0].criteria: must be a non-empty list of criterion ids, e.g. criteria = ["A", "B"]',
        "module[1].id: duplicate module id 'A' (first used on line 37); give each module a unique id",
        "module[1].id: 'A' is already a criterion id; give the module an id of its own, e.g. M2",
        "module[1].criteria[1]: criterion 'B' is already in this module; put each criterion in one module",
    ]


def test_tie_break_by_modules_needs_modules_and_known_ids(tmp_path):
    text = scheme_text({"A": 10}, [], tie_break='"modules_reverse"')
    assert problems(tmp_path, text) == [
        "scheme.tie_break: 'modules_reverse' compares modules, but the scheme has none; add [[module]] tables or list criterion ids"]
    text = scheme_text({"A": 10}, [("M1", ["A"], None)], tie_break='["M2"]')
    assert problems(tmp_path, text) == ["scheme.tie_break[0]: unknown criterion or module id 'M2'; use one of: A, M1"]
    text = scheme_text({"A": 10}, [("M1", ["A"], None)], tie_break='"backwards"')
    assert problems(tmp_path, text) == [
        'scheme.tie_break: must be a list of criterion or module ids, e.g. tie_break = ["C", "A"], or tie_break = "modules_reverse"']


def test_module_keys_and_a_weighted_total_above_zero(tmp_path):
    text = THEORY_AND_PRACTICAL.replace("weight = 0.2", "weight = 0.2\nshare = 0.2").replace("total = 100", "total = 0")
    assert problems(tmp_path, text) == [
        "scheme.total: must be greater than 0, not 0: what the weighted total is out of, e.g. total = 100",
        "module[0].share: unknown key in [[module]]; allowed: id, name, weight, marking_day, criteria",
    ]


def test_a_weighted_scheme_total_is_not_the_sum_of_the_max_marks(tmp_path):
    # 50 + 30 + 30 = 110 max marks, total = 100: fine when weighted, a problem when not
    assert parse_scheme(THEORY_AND_PRACTICAL).expected_total == 100
    text = THEORY_AND_PRACTICAL.replace("\nweight = 0.2", "").replace("\nweight = 0.8", "")
    assert problems(tmp_path, text) == [
        "scheme.total: total is 100 but the aspect max marks add up to 110; correct `total` or the max marks"]


def test_a_shuffled_field_keeps_its_ranks():
    scheme = parse_scheme(THREE_MODULES)
    order = list(TIED.items())
    random.Random(4).shuffle(order)
    assert ranks(compute_standings(scheme, dict(order))) == ranks(compute_standings(scheme, TIED))


def test_threshold_awards_measure_a_weighted_total_against_what_it_is_out_of():
    # out of 100 (not the 110 max marks): T 50/50 -> 20.00, A + B 39/60 -> 0.8 x 39/60 x 100 = 52.00; total 72.00 -> merit
    # (>= 70, not distinction at 85); against 110 it would be a pass (72 < 0.7 x 110 = 77).
    text = THEORY_AND_PRACTICAL.replace("total = 100\n", 'total = 100\n\n[scheme.awards]\nrule = "thresholds"\n', 1)
    rows = compute_standings(parse_scheme(text), {"X": entries(T=50, A=20, B=19)})
    assert rows[0].result.total == D("72.00") and rows[0].awards == ("merit",)
