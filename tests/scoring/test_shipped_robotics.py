"""The shipped Chinese national-style scheme `cn-industrial-robotics`: one competitor's weighted
total worked out by hand (theory 20 %, practical 80 %; judges on 0-10 in tenths, five of them,
highest and lowest dropped)."""

from __future__ import annotations

from decimal import Decimal as D

from competition.scoring.schemes import load_scheme
from competition.scoring.standings import competitor_result
from competition.shipped import shipped_folder

SCHEME = load_scheme(shipped_folder("scoring_schemes") / "cn-industrial-robotics.toml")


def judges(*scores: str) -> list[D]:
    return [D(s) for s in scores]


def test_the_scheme_is_set_up_as_national_competitions_are():
    assert SCHEME.weighted and SCHEME.total_max == 100
    assert [(m.id, m.weight) for m in SCHEME.modules] == [("M1", D("0.2")), ("M2", D("0.8"))]
    assert [SCHEME.module_max(m) for m in SCHEME.modules] == [100, 100]
    assert SCHEME.panel_size == 5 and SCHEME.rule.name == "trimmed_mean" and dict(SCHEME.rule.params) == {"high": 1, "low": 1}
    judged = [a for a in SCHEME.aspects if a.is_judgement]
    assert judged and all((a.scale.min, a.scale.max, a.scale.step) == (0, 10, D("0.1")) for a in judged)
    assert SCHEME.awards.name == "prize_bands"
    assert SCHEME.languages == ("en", "zh")


def test_one_competitors_weighted_total_by_hand():
    entries = {
        "T1.1": [D(86)],                                     # theory: 86 of 100
        # A, professional conduct and safety (max 15)
        "A1.1": [D(1)],                                      # binary, yes: 3
        "A1.2": [D(1)],                                      # one deduction of 1: 4 - 1 = 3
        "A2.1": judges("7.5", "8.0", "8.2", "6.0", "9.1"),   # drop 9.1 and 6.0: (7.5 + 8.0 + 8.2) / 3 = 7.9; 4 x 7.9/10 = 3.16
        "A2.2": judges("6.0", "6.0", "6.0", "6.0", "6.0"),   # 4 x 6/10 = 2.40        A: 3 + 3 + 3.16 + 2.40 = 11.56
        # B, installation (max 35)
        "B1.1": [D("2.5")],                                  # stepped: 2.5
        "B1.2": [D(2)],                                      # two deductions of 1.5: 6 - 3 = 3
        "B1.3": judges("8.0", "8.5", "7.0", "9.0", "8.0"),   # drop 9.0 and 7.0: 24.5 / 3; 6 x 24.5/30 = 4.90
        "B2.1": [D(0)],                                      # binary, no: 0
        "B2.2": [D(0)],                                      # no deduction: 6
        "B2.3": judges("7.0", "7.0", "7.0", "7.0", "7.0"),   # 8 x 7/10 = 5.60        B: 2.5 + 3 + 4.9 + 0 + 6 + 5.6 = 22.00
        # C, programming and operation (max 50)
        "C1.1": [D(4)],                                      # stepped: 4
        "C1.2": judges("9.0", "9.0", "9.0", "9.0", "9.0"),   # 8 x 9/10 = 7.20
        "C2.1": [D(1)],                                      # binary, yes: 5
        "C2.2": [D(6)],                                      # stepped: 6
        "C2.3": judges("7.3", "7.1", "7.2", "7.0", "7.4"),   # drop 7.4 and 7.0: 21.6 / 3 = 7.2; 5 x 7.2/10 = 3.60
        "C3.1": [D(3)],                                      # three deductions of 1: 10 - 3 = 7
        "C3.2": [D(1)],                                      # binary, yes: 4
        "C3.3": judges("5.5", "5.5", "5.5", "5.5", "5.5"),   # 6 x 5.5/10 = 3.30
        # C: 4 + 7.2 + 5 + 6 + 3.6 + 7 + 4 + 3.3 = 40.10
    }
    result = competitor_result(SCHEME, "D-01", entries)
    assert result.progress == 1.0
    assert dict(result.criteria) == {"T": D(86), "A": D("11.56"), "B": D("22.00"), "C": D("40.10")}
    # practical subtotal: 11.56 + 22.00 + 40.10 = 73.66 of 100
    assert dict(result.modules) == {"M1": D(86), "M2": D("73.66")}
    # theory 0.2 x 86/100 x 100 = 17.20; practical 0.8 x 73.66/100 x 100 = 58.928 -> 58.93
    assert dict(result.module_scores) == {"M1": D("17.20"), "M2": D("58.93")}
    assert result.total == D("76.13")  # 17.20 + 58.93
