"""Loading and validating marking-scheme files (competition.scoring.schemes)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from competition.scoring import rules
from competition.scoring._toml_lines import index_lines, line_of
from competition.scoring.model import JUDGEMENT, MEASUREMENT, RuleRef
from competition.scoring.schemes import (
    SchemeError,
    SchemeProblem,
    load_all,
    load_scheme,
    parse_scheme,
)
from competition.shipped import shipped_folder

SHIPPED_SCHEMES_DIR = shipped_folder("scoring_schemes")
SHIPPED = sorted(SHIPPED_SCHEMES_DIR.glob("*.toml"))

# A small valid scheme; the tests below break one line of it at a time. Line numbers matter.
BASE = """\
[scheme]
code = "test-skill"
name = "Test Skill"
version = "1"
total = 5
panel_size = 3
rule = "worldskills_judgement"
tie_break = ["A"]

[[criterion]]
id = "A"
name = "Criterion A"

[[criterion.sub]]
id = "A1"
name = "Sub-criterion A1"

[[criterion.sub.aspect]]
id = "A1.1"
description = "Measured"
type = "measurement"
method = "binary"
max = 2

[[criterion.sub.aspect]]
id = "A1.2"
description = "Judged"
type = "judgement"
max = 3
descriptors = ["poor", "meets", "exceeds", "excellent"]
"""
ASPECT_1 = "criterion[0].sub[0].aspect[0]"
ASPECT_2 = "criterion[0].sub[0].aspect[1]"


def edit(text: str, line: int, new: str | None) -> str:
    """Replace (or, with ``None``, delete) 1-based ``line`` of ``text``."""
    lines = text.splitlines()
    assert lines[line - 1], "editing an empty line: line numbers in the test are off"
    if new is None:
        del lines[line - 1]
    else:
        lines[line - 1] = new
    return "\n".join(lines) + "\n"


def problems(tmp_path: Path, text: str) -> tuple[Path, list[str]]:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        load_scheme(path)
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return path, str(caught.value).splitlines()


def known_rules() -> str:
    return ", ".join(rules.rules_for(JUDGEMENT))


# -- the shipped schemes ---------------------------------------------------------------------


def test_there_are_shipped_schemes():
    assert {p.stem for p in SHIPPED} >= {"cnc-milling", "port-logistics", "cn-electrical-installation", "cn-industrial-robotics",
                                         "mechatronics"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scheme_loads_and_totals_100(path):
    scheme = load_scheme(path)
    assert scheme.code == path.stem
    assert scheme.source == str(path)
    assert scheme.total_max == Decimal(100) == scheme.expected_total  # a weighted scheme's total is what it is out of
    assert len(scheme.aspects) >= 15
    assert {a.kind for a in scheme.aspects} == {JUDGEMENT, MEASUREMENT}
    for criterion in scheme.criteria:
        for sub in criterion.sub_criteria:
            for aspect in sub.aspects:
                assert (aspect.criterion_id, aspect.sub_criterion_id) == (criterion.id, sub.id)
                assert aspect.max_mark > 0 and aspect.description
                if aspect.is_judgement:
                    assert aspect.rule.name in rules.rules_for(JUDGEMENT)
                    assert len(aspect.descriptors) == 4 or not aspect.scale.is_default  # required on 0-3 only
                else:
                    assert aspect.rule == RuleRef(aspect.method)
                assert aspect.rule.name in rules.RULES
    assert set(scheme.tie_break) <= {c.id for c in scheme.criteria} | {m.id for m in scheme.modules}


def test_load_all_returns_every_shipped_scheme_by_code():
    schemes = load_all(SHIPPED_SCHEMES_DIR)
    assert set(schemes) == {p.stem for p in SHIPPED}
    cn = schemes["cn-electrical-installation"]
    assert cn.panel_size == 5
    assert cn.rule.name == "trimmed_mean" and dict(cn.rule.params) == {"high": 1, "low": 1}
    assert all(a.panel_size == 5 for a in cn.aspects)
    assert schemes["cnc-milling"].rule == RuleRef("worldskills_judgement")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_line_index_finds_every_field_of_shipped_files(path):
    text = path.read_text(encoding="utf-8")
    lines = index_lines(text)
    source = text.splitlines()

    def walk(value, field):
        if isinstance(value, dict) and value and set(value) <= {"en", "zh"}:  # a text in both languages
            assert field in lines, field
            line = source[lines[field] - 1]
            assert line.lstrip().startswith(field.rsplit(".", 1)[-1] if not field.endswith("]") else "{"), field
            for language in value:
                assert lines[f"{field}.{language}"] == lines[field], field
        elif isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{field}.{key}" if field else key)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, inner in enumerate(value):
                walk(inner, f"{field}[{i}]")
        else:
            assert field in lines, field
            key, line = field.rsplit(".", 1)[-1], source[lines[field] - 1]
            # a key of an inline table (scale = { min = 0, … }) is on its table's line
            assert line.lstrip().startswith(key) or f" {key} = " in line, field

    walk(tomllib.loads(text), "")


# -- problem reports -------------------------------------------------------------------------


def test_problem_format():
    problem = SchemeProblem("a.toml", 7, "scheme.rule", "unknown rule 'x'")
    assert str(problem) == "a.toml:7: scheme.rule: unknown rule 'x'"
    error = SchemeError([problem, SchemeProblem("a.toml", 9, "toml", "bad")])
    assert str(error) == "a.toml:7: scheme.rule: unknown rule 'x'\na.toml:9: toml: bad"


def test_base_scheme_is_valid():
    scheme = parse_scheme(BASE, "base.toml")
    assert scheme.max_mark == 5 and scheme.source == "base.toml"


def test_unknown_rule(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 7, 'rule = "trimed_mean"'))
    assert found == [
        f"{path}:7: scheme.rule: unknown rule 'trimed_mean'; did you mean 'trimmed_mean'? use one of: {known_rules()}"
    ]


def test_unknown_rule_on_an_aspect(tmp_path):
    path, found = problems(tmp_path, BASE + 'rule = "average"\n')
    assert found == [f"{path}:31: {ASPECT_2}.rule: unknown rule 'average'; use one of: {known_rules()}"]


def test_totals_that_do_not_add_up(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 5, "total = 6"))
    assert found == [f"{path}:5: scheme.total: total is 6 but the aspect max marks add up to 5; correct `total` or the max marks"]


def test_duplicate_aspect_id(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 26, 'id = "A1.1"'))
    assert found == [
        f"{path}:26: {ASPECT_2}.id: duplicate aspect id 'A1.1' (first used on line 19); give each aspect a unique id"
    ]


def test_judgement_without_descriptors(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 30, None))
    assert found == [
        f"{path}:25: {ASPECT_2}.descriptors: judgement aspects need descriptors; "
        "give four descriptors, one for each score 0, 1, 2, 3"
    ]


def test_judgement_with_three_descriptors_and_an_empty_one(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 30, 'descriptors = ["poor", "", "excellent"]'))
    assert found == [
        f"{path}:30: {ASPECT_2}.descriptors: has 3 descriptors; give four descriptors, one for each score 0, 1, 2, 3",
        f"{path}:30: {ASPECT_2}.descriptors[1]: must be a non-empty string describing score 1",
    ]


def test_max_given_as_a_string(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 23, 'max = "1.5"'))
    assert found == [f"{path}:23: {ASPECT_1}.max: must be a number, not a string: write max = 1.5 without quotes"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("max = 0", "must be greater than 0, not 0"),
        ("max = -1.5", "must be greater than 0, not -1.5"),
        ("max = 1.125", "1.125 has more than 2 decimal places; marks are kept to 0.01"),
        ("max = true", "must be a number, not bool True"),
    ],
)
def test_bad_max(tmp_path, line, message):
    path, found = problems(tmp_path, edit(BASE, 23, line))
    assert found == [f"{path}:23: {ASPECT_1}.max: {message}"]


def test_toml_syntax_error(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 12, 'name = "Criterion A'))
    assert found == [f"{path}:12: toml: Illegal character '\\n' (column 20); fix the TOML syntax"]


def test_toml_syntax_error_at_end_of_document(tmp_path):
    path, found = problems(tmp_path, BASE + "rule_params = {")
    assert len(found) == 1 and found[0].startswith(f"{path}:31: toml: ")


def test_unknown_key_is_a_typo_of_a_required_one(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 23, "maxx = 2"))
    assert found == [
        f"{path}:18: {ASPECT_1}.max: required field is missing; add max = <number>",
        f"{path}:23: {ASPECT_1}.maxx: unknown key in [[criterion.sub.aspect]]; did you mean 'max'? "
        "allowed: id, description, type, max, panel_size, tolerance, method, agreement, steps, deduction_step, max_deductions",
    ]


def test_unknown_keys_in_scheme_and_criterion(tmp_path):
    text = edit(edit(BASE, 6, "panelsize = 3"), 12, 'title = "Criterion A"')
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:6: scheme.panelsize: unknown key in [scheme]; did you mean 'panel_size'? allowed: code, name, version, "
        "total, panel_size, rule, rule_params, tolerance, scale, tie_break, competence_threshold, medallion_threshold, "
        "scale_points_per_sd, awards, languages, team_size, measurement_agreement",
        f'{path}:10: criterion[0].name: required field is missing; add name = "Work organisation and management"',
        f"{path}:12: criterion[0].title: unknown key in [[criterion]]; allowed: id, name, marking_day, sub",
    ]


def test_every_problem_is_reported_at_once_in_line_order(tmp_path):
    text = BASE.replace('rule = "worldskills_judgement"', 'rule = "nope"')
    text = text.replace('tie_break = ["A"]', 'tie_break = ["A", "Z"]')
    text = text.replace('id = "A1.2"', 'id = "A1.1"').replace("max = 2", 'max = "2"')
    text = text.replace('"poor", "meets", ', "")
    path, found = problems(tmp_path, text)
    assert [line.split(": ", 2)[:2] for line in found] == [
        [f"{path}:7", "scheme.rule"],
        [f"{path}:8", "scheme.tie_break[1]"],
        [f"{path}:23", f"{ASPECT_1}.max"],
        [f"{path}:26", f"{ASPECT_2}.id"],
        [f"{path}:30", f"{ASPECT_2}.descriptors"],
    ]
    assert found[1].endswith("unknown criterion id 'Z'; use one of: A")


def test_missing_scheme_table_and_criteria(tmp_path):
    path, found = problems(tmp_path, "# nothing here\n")
    assert found == [
        f"{path}:1: scheme: required table is missing; add a [scheme] table with code, name and version",
        f'{path}:1: scheme.code: required field is missing; add code = "cnc-milling"',
        f'{path}:1: scheme.name: required field is missing; add name = "CNC Milling"',
        f'{path}:1: scheme.version: required field is missing; add version = "2026.1"',
        f"{path}:1: criterion: required; add at least one [[criterion]] table",
    ]


def test_scheme_field_checks(tmp_path):
    text = edit(edit(edit(BASE, 2, 'code = "Test Skill"'), 4, "version = 2026.1"), 6, "panel_size = 10")
    path, found = problems(tmp_path, text)
    assert found == [
        f"""{path}:2: scheme.code: 'Test Skill' must use only a-z, 0-9 and "-", e.g. code = "cnc-milling\"""",
        f'{path}:4: scheme.version: must be a non-empty string, e.g. version = "2026.1"',
        f"{path}:6: scheme.panel_size: must be a whole number between 1 and 9, not 10",
    ]


def test_criterion_written_as_a_single_table(tmp_path):
    text = BASE.replace("[[criterion]]", "[criterion]").split("[[criterion.sub]]")[0]
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:8: scheme.tie_break[0]: unknown criterion id 'A'; use one of: ",
        f"{path}:10: criterion: must be an array of tables: write [[criterion]] (double brackets)",
    ]


# -- measurement methods ---------------------------------------------------------------------


def test_stepped_aspect_checks(tmp_path):
    text = edit(BASE, 22, 'method = "stepped"') + ""
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:18: {ASPECT_1}.steps: stepped aspects need steps, the marks a judge may give from 0 to max, "
        "e.g. steps = [0, 0.5, 1.0]"
    ]
    for steps, message in [
        ("[0.5, 1, 2]", "must start at 0, not 0.5"),
        ("[0, 1, 1, 2]", "must be strictly ascending, e.g. steps = [0, 0.5, 1.0]"),
        ("[0, 1, 1.5]", "last step 1.5 must equal max 2"),
    ]:
        path, found = problems(tmp_path, edit(text, 23, f"max = 2\nsteps = {steps}"))
        assert found == [f"{path}:24: {ASPECT_1}.steps: {message}"]


def test_binary_aspect_must_not_have_steps(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 23, "max = 2\nsteps = [0, 2]"))
    assert found == [f"{path}:24: {ASPECT_1}.steps: binary aspects take no steps; remove it or change the method"]


def test_deduction_aspect_checks(tmp_path):
    text = edit(BASE, 22, 'method = "deduction"')
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:18: {ASPECT_1}.deduction_step: deduction aspects need deduction_step, "
        "the mark taken off per deduction, e.g. deduction_step = 0.5"
    ]
    path, found = problems(tmp_path, edit(text, 23, "max = 2\ndeduction_step = 0\nmax_deductions = 0"))
    assert found == [
        f"{path}:24: {ASPECT_1}.deduction_step: must be greater than 0 and at most max, not 0",
        f"{path}:25: {ASPECT_1}.max_deductions: must be a whole number 1 or more, not 0",
    ]
    scheme = parse_scheme(edit(text, 23, "max = 2\ndeduction_step = 0.5\nmax_deductions = 3"))
    aspect = scheme.aspect("A1.1")
    assert (aspect.rule, aspect.deduction_step, aspect.max_deductions) == (RuleRef("deduction"), Decimal("0.5"), 3)


def test_unknown_method_and_type(tmp_path):
    path, found = problems(tmp_path, edit(edit(BASE, 22, 'method = "pass-fail"'), 28, 'type = "opinion"'))
    assert found == [
        f"{path}:22: {ASPECT_1}.method: unknown method 'pass-fail'; use one of: binary, stepped, deduction, points",
        f"""{path}:28: {ASPECT_2}.type: 'opinion' is not a type; use "judgement" or "measurement\"""",
    ]


def test_method_of_the_wrong_type(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 22, 'method = ["binary"]'))
    assert found == [f"{path}:22: {ASPECT_1}.method: unknown method ['binary']; use one of: binary, stepped, deduction, points"]


def test_keys_of_the_other_kind_are_rejected(tmp_path):
    path, found = problems(tmp_path, edit(BASE, 30, 'method = "binary"\n' + BASE.splitlines()[29]))
    assert found == [f"{path}:30: {ASPECT_2}.method: applies only to measurement aspects; remove it"]


# -- rules, inheritance and numbers ----------------------------------------------------------

INHERITANCE = """\
[scheme]
code = "five-judges"
name = "Five judges"
version = "1"
panel_size = 5
rule = "trimmed_mean"
tolerance = 1.5
rule_params = {{ high = 1, low = 1 }}

[[criterion]]
id = "A"
name = "A"

[[criterion.sub]]
id = "A1"
name = "A1"

[[criterion.sub.aspect]]
id = "inherits"
{judged}

[[criterion.sub.aspect]]
id = "own-params"
rule_params = {{ high = 0, low = 1 }}
{judged}

[[criterion.sub.aspect]]
id = "other-rule"
rule = "median"
{judged}

[[criterion.sub.aspect]]
id = "three-judges"
panel_size = 3
tolerance = 1
{judged}

[[criterion.sub.aspect]]
id = "measured"
description = "Measured"
type = "measurement"
method = "binary"
max = 1
"""
JUDGED = 'description = "Judged"\ntype = "judgement"\nmax = 3\ndescriptors = ["0", "1", "2", "3"]'


def test_rule_panel_and_tolerance_are_inherited_or_overridden():
    scheme = parse_scheme(INHERITANCE.format(judged=JUDGED))
    trimmed = RuleRef("trimmed_mean", {"high": 1, "low": 1})
    assert scheme.rule == trimmed and scheme.panel_size == 5 and scheme.tolerance == Decimal("1.5")
    inherits, own, other, three, measured = scheme.aspects
    assert (inherits.rule, inherits.panel_size, inherits.tolerance) == (trimmed, 5, Decimal("1.5"))
    assert own.rule == RuleRef("trimmed_mean", {"high": 0, "low": 1})
    assert other.rule == RuleRef("median") and dict(other.rule.params) == {}
    assert (three.rule, three.panel_size, three.tolerance) == (trimmed, 3, Decimal(1))
    assert (measured.rule, measured.panel_size, measured.tolerance) == (RuleRef("binary"), 5, Decimal("1.5"))
    assert measured.descriptors == () and inherits.descriptors == ("0", "1", "2", "3")
    assert scheme.expected_total is None and scheme.tie_break == ()
    assert (scheme.competence_threshold, scheme.medallion_threshold) == (Decimal("0.6"), 700)


def test_scheme_rule_params_are_checked(tmp_path):
    text = INHERITANCE.format(judged=JUDGED)
    text = text.replace("rule_params = { high = 1, low = 1 }", "rule_params = { high = 1, low = -1, hihg = 2 }")
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:8: scheme.rule_params.hihg: rule 'trimmed_mean' takes no parameter 'hihg'; allowed: high, low",
        f"{path}:8: scheme.rule_params.low: must be a whole number of scores to drop, 0 or more, not -1",
    ]


def test_aspect_rule_params_are_checked(tmp_path):
    text = INHERITANCE.format(judged=JUDGED)
    text = text.replace("panel_size = 3\n", "panel_size = 2\n")
    text = text.replace('rule = "median"', 'rule = "median"\nrule_params = { low = 1 }')
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:36: criterion[0].sub[0].aspect[2].rule_params.low: rule 'median' takes no parameter 'low'; allowed: none",
        f"{path}:44: criterion[0].sub[0].aspect[3].panel_size: "
        "trimmed_mean drops high + low = 2 scores, which must be fewer than panel_size 2",
    ]


def test_trimmed_mean_needs_a_score_left_for_the_whole_scheme(tmp_path):
    text = INHERITANCE.format(judged=JUDGED).replace("panel_size = 5", "panel_size = 2")
    path, found = problems(tmp_path, text)
    assert found[0] == (
        f"{path}:8: scheme.rule_params: trimmed_mean drops high + low = 2 scores, which must be fewer than panel_size 2"
    )


def test_numbers_become_exact_decimals():
    text = BASE.replace("total = 5", "total = 0.3").replace("max = 2", "max = 0.1").replace("max = 3", "max = 0.2")
    text = text.replace('method = "binary"', 'method = "stepped"\nsteps = [0, 0.05, 0.1]')
    scheme = parse_scheme(text.replace('version = "1"', 'version = "1"\ncompetence_threshold = 0.55'))
    stepped, judged = scheme.aspects
    assert stepped.max_mark == Decimal("0.1") and stepped.steps == (Decimal(0), Decimal("0.05"), Decimal("0.1"))
    assert judged.max_mark == Decimal("0.2")
    assert scheme.max_mark == Decimal("0.3") == scheme.expected_total  # 0.1 + 0.2 != 0.3 in floats
    assert scheme.competence_threshold == Decimal("0.55")
    assert all(isinstance(s, Decimal) for s in stepped.steps)


def test_a_registered_rule_is_known_to_schemes_with_its_own_parameter_check(tmp_path):
    """schemes.py holds no rule names or parameters: a rule registered with its check is
    accepted, its parameters are checked by its signature and its check, at the right lines."""

    def at_least(params, panel_size):
        if params["judges"] > panel_size:
            return [rules.RuleProblem(f"needs {params['judges']} judges, more than panel_size {panel_size}", panel_size=True)]
        return []

    def top_judges(aspect, entries, judges: int = 2):
        """Mean of the ``judges`` highest scores (a rule registered only for this test)."""
        return rules.mean(aspect, sorted(entries)[-judges:])

    rules.register("top_judges", kinds=(JUDGEMENT,), check=at_least)(top_judges)
    try:
        text = INHERITANCE.format(judged=JUDGED).replace('rule = "median"', 'rule = "top_judges"\nrule_params = { judges = 4 }')
        scheme = parse_scheme(text)
        assert scheme.aspect("other-rule").rule == RuleRef("top_judges", {"judges": 4})
        assert "top_judges" in known_rules()
        path, found = problems(tmp_path, text.replace("judges = 4", "judges = 6, best = 1"))
        assert found == [
            f"{path}:36: criterion[0].sub[0].aspect[2].rule_params.best: rule 'top_judges' takes no parameter 'best'; allowed: judges",
            f"{path}:36: criterion[0].sub[0].aspect[2].rule_params: needs 6 judges, more than panel_size 5",
        ]
    finally:
        del rules.RULES["top_judges"]
    path, found = problems(tmp_path, edit(BASE, 7, 'rule = "binary"'))
    assert found == [f"{path}:7: scheme.rule: unknown rule 'binary'; use one of: {known_rules()}"]
    assert known_rules().startswith("diving, diving_synchro, fig_execution")


# -- files and folders -----------------------------------------------------------------------


def test_unreadable_file(tmp_path):
    missing = tmp_path / "missing.toml"
    with pytest.raises(SchemeError) as caught:
        load_scheme(missing)
    assert str(caught.value).startswith(f"{missing}:0: file: cannot read the file: ")


def test_load_all_reports_duplicate_codes_and_bad_files(tmp_path):
    (tmp_path / "a.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "b.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "c.toml").write_text(edit(BASE, 5, "total = 4"), encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        load_all(tmp_path)
    assert [f"{p.file}:{p.line}: {p.field}" for p in caught.value.problems] == [
        f"{tmp_path / 'b.toml'}:2: scheme.code",
        f"{tmp_path / 'c.toml'}:5: scheme.total",
    ]
    assert load_all(tmp_path / "empty-folder-that-does-not-exist") == {}


def test_line_of_falls_back_to_the_enclosing_table():
    lines = index_lines(BASE)
    assert line_of(lines, f"{ASPECT_2}.max") == 29
    assert line_of(lines, f"{ASPECT_2}.steps") == 25
    assert line_of(lines, "scheme.tie_break[3]") == 8
    assert line_of(lines, "nowhere") == 1


# -- award rules ([scheme.awards]) -----------------------------------------------------------


def with_awards(table: str) -> str:
    """BASE with an awards table after [scheme] (its header on line 10)."""
    return BASE.replace('tie_break = ["A"]\n', 'tie_break = ["A"]\n\n' + table, 1)


def test_award_rule_defaults_to_worldskills_and_the_scale_to_100_points():
    scheme = parse_scheme(BASE)
    assert scheme.awards == RuleRef("worldskills") and scheme.scale_points_per_sd == 100


def test_award_rules_and_their_settings_are_read():
    scheme = parse_scheme(BASE.replace("tie_break", "scale_points_per_sd = 80\ntie_break"))
    assert scheme.scale_points_per_sd == 80
    scheme = parse_scheme(with_awards('[scheme.awards]\nrule = "prize_bands"\nshares = [0.1, 0.2, 0.3]\n'))
    assert scheme.awards.name == "prize_bands"
    assert scheme.awards.params["shares"] == (Decimal("0.1"), Decimal("0.2"), Decimal("0.3"))
    scheme = parse_scheme(with_awards('[scheme.awards]\nrule = "thresholds"\n'
                                      '[[scheme.awards.level]]\nname = "pass"\nat = 0.5\n'
                                      '[[scheme.awards.level]]\nname = "merit"\nat = 0.75\n'))
    assert scheme.awards.params["levels"] == (("pass", Decimal("0.5")), ("merit", Decimal("0.75")))
    scheme = parse_scheme(with_awards('[scheme.awards]\nrule = "worldskills"\nbest_of_nation = false\n'))
    assert scheme.awards == RuleRef("worldskills", {"best_of_nation": False})


def test_unknown_award_rule(tmp_path):
    path, found = problems(tmp_path, with_awards('[scheme.awards]\nrule = "prize_band"\n'))
    assert found == [
        f"{path}:11: scheme.awards.rule: unknown rule 'prize_band'; did you mean 'prize_bands'? "
        "use one of: prize_bands, thresholds, worldskills"
    ]


def test_bad_prize_shares(tmp_path):
    path, found = problems(tmp_path, with_awards('[scheme.awards]\nrule = "prize_bands"\nshares = [0.1, 0, 1.5, 0.2]\n'))
    assert found == [f"{path}:12: scheme.awards.shares: must be a list of 1 to 3 shares of the field, e.g. shares = [0.1, 0.2, 0.3]"]
    path, found = problems(tmp_path, with_awards('[scheme.awards]\nrule = "prize_bands"\nshares = [0.1, 0, "30%"]\n'))
    assert found == [
        f"{path}:12: scheme.awards.shares[1]: 0 must be a share above 0 and at most 1, e.g. 0.1 for 10 %",
        f"{path}:12: scheme.awards.shares[2]: '30%' must be a share above 0 and at most 1, e.g. 0.1 for 10 %",
    ]
    path, found = problems(tmp_path, with_awards('[scheme.awards]\nrule = "prize_bands"\nshares = [0.3, 0.4, 0.35]\n'))
    assert found == [f"{path}:12: scheme.awards.shares: the shares add up to 105 %, more than 100 % of the competitors"]


def test_bad_award_settings_and_scale(tmp_path):
    text = with_awards('[scheme.awards]\nrule = "worldskills"\nshares = [0.1]\nbest_of_nation = "yes"\n')
    path, found = problems(tmp_path, text.replace("tie_break", "scale_points_per_sd = 0\ntie_break"))
    assert found == [
        f"{path}:8: scheme.scale_points_per_sd: must be a whole number 1 or more, not 0",
        f"{path}:13: scheme.awards.shares: award rule 'worldskills' takes no setting 'shares'; allowed: rule, best_of_nation",
        f"{path}:14: scheme.awards.best_of_nation: must be true or false, not 'yes'",
    ]


def test_thresholds_must_increase(tmp_path):
    text = with_awards('[scheme.awards]\nrule = "thresholds"\n'
                       '[[scheme.awards.level]]\nname = "merit"\nat = 0.7\n'  # lines 12-14
                       '[[scheme.awards.level]]\nname = "pass"\nat = 0.5\n'  # lines 15-17
                       '[[scheme.awards.level]]\nname = "merit"\nat = 1.2\ncolour = "red"\n')  # lines 18-21
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:17: scheme.awards.level[1].at: 0.5 must be higher than the level before (0.7); list levels from lowest to highest",
        f"{path}:19: scheme.awards.level[2].name: level 'merit' is listed twice; name each level once",
        f"{path}:20: scheme.awards.level[2].at: 1.2 must be a share of the maximum total above 0 and at most 1, e.g. at = 0.7",
        f"{path}:21: scheme.awards.level[2].colour: unknown key in [[scheme.awards.level]]; allowed: name, at",
    ]


def test_awards_must_be_a_table(tmp_path):
    path, found = problems(tmp_path, BASE.replace("tie_break", 'awards = "worldskills"\ntie_break'))
    choices = '"prize_bands", "thresholds" or "worldskills"'
    assert found == [f"{path}:8: scheme.awards: must be a table: [scheme.awards] with rule = one of {choices}"]
