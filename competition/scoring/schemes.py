"""Load and validate marking schemes from TOML files (``scoring_schemes/*.toml``).

A scheme file has one ``[scheme]`` table (code, name, version, optional expected ``total``,
default ``panel_size``, ``rule``, ``rule_params`` and ``tolerance`` for judgement aspects,
``tie_break``, ``competence_threshold``, ``medallion_threshold``) and ``[[criterion]]`` /
``[[criterion.sub]]`` / ``[[criterion.sub.aspect]]`` tables; the shipped files in
``scoring_schemes/`` show every field. Judgement aspects (four descriptors, scores 0-3)
follow the WorldSkills marking-scheme model; measurement aspects are ``binary``,
``stepped`` or ``deduction``. Numbers become :class:`~decimal.Decimal` via ``str()``, so
``0.1`` is exactly ``Decimal("0.1")``.

Validation collects every problem in a file before raising :class:`SchemeError`; each
:class:`SchemeProblem` names the file, the line, the field path (e.g.
``criterion[1].sub[0].aspect[2].max``) and the fix.

Pure: standard library only.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from competition.scoring._toml_lines import FieldChecker, SchemeProblem, index_lines, line_of
from competition.scoring.model import (
    JUDGEMENT,
    MEASUREMENT,
    MEASUREMENT_METHODS,
    STEPPED,
    Aspect,
    Criterion,
    MarkingScheme,
    RuleRef,
    SubCriterion,
)
from competition.scoring.numbers import plain
from competition.scoring.rules import RULES, RuleProblem, rules_for

SHIPPED_SCHEMES_DIR = Path(__file__).resolve().parents[2] / "scoring_schemes"

SCHEME_KEYS = (
    "code", "name", "version", "total", "panel_size", "rule", "rule_params", "tolerance",
    "tie_break", "competence_threshold", "medallion_threshold",
)  # fmt: skip
CRITERION_KEYS = ("id", "name", "marking_day", "sub")
SUB_KEYS = ("id", "name", "aspect")
ASPECT_KEYS = ("id", "description", "type", "max", "panel_size", "tolerance")
KIND_KEYS = {
    JUDGEMENT: ("descriptors", "rule", "rule_params"),
    MEASUREMENT: ("method", "steps", "deduction_step", "max_deductions"),
}
METHOD_KEYS = {"binary": (), "stepped": ("steps",), "deduction": ("deduction_step", "max_deductions")}
CODE_PATTERN = re.compile(r"[a-z0-9-]+")


__all__ = ["SHIPPED_SCHEMES_DIR", "SchemeError", "SchemeProblem", "load_all", "load_scheme", "parse_scheme"]


class SchemeError(ValueError):
    """A scheme file failed to load; ``problems`` lists every problem found, in line order."""

    def __init__(self, problems: list[SchemeProblem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def load_scheme(path: str | Path) -> MarkingScheme:
    """Read, parse and validate the scheme file at ``path`` (UTF-8 TOML)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemeError([SchemeProblem(str(path), 0, "file", f"cannot read the file: {exc}")]) from exc
    return parse_scheme(text, str(path))


def parse_scheme(text: str, filename: str = "<scheme>") -> MarkingScheme:
    """Parse and validate scheme ``text``; raise :class:`SchemeError` listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeError([_syntax_problem(exc, text, filename)]) from exc
    return _Checker(filename, index_lines(text)).scheme(data)


def load_all(directory: str | Path = SHIPPED_SCHEMES_DIR) -> dict[str, MarkingScheme]:
    """Load every ``*.toml`` scheme in ``directory``, keyed by scheme code (sorted by file name).

    Problems from all files (and scheme codes used by more than one file) are collected into
    one :class:`SchemeError`.
    """
    schemes: dict[str, MarkingScheme] = {}
    problems: list[SchemeProblem] = []
    for path in sorted(Path(directory).glob("*.toml")):
        try:
            scheme = load_scheme(path)
        except SchemeError as exc:
            problems.extend(exc.problems)
            continue
        if scheme.code in schemes:
            line = line_of(index_lines(path.read_text(encoding="utf-8")), "scheme.code")
            other = schemes[scheme.code].source
            message = f"code {scheme.code!r} is already used by {other}; give each scheme a unique code"
            problems.append(SchemeProblem(str(path), line, "scheme.code", message))
            continue
        schemes[scheme.code] = scheme
    if problems:
        raise SchemeError(problems)
    return schemes


def _syntax_problem(exc: tomllib.TOMLDecodeError, text: str, filename: str) -> SchemeProblem:
    message = str(exc)
    if match := re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", message, re.S):
        return SchemeProblem(filename, int(match[2]), "toml", f"{match[1]} (column {match[3]}); fix the TOML syntax")
    message = re.sub(r" \(at end of document\)$", "", message)
    last = max(1, len(text.splitlines()))
    return SchemeProblem(filename, last, "toml", f"{message} at the end of the file; fix the TOML syntax")


class _Checker(FieldChecker):
    """Walks the parsed document, records problems and builds the scheme if there are none."""

    def scheme(self, data: dict) -> MarkingScheme:
        self.keys(data, "", ("scheme", "criterion"), "the file")
        head = data.get("scheme")
        if not isinstance(head, dict):
            self.add("scheme", "required table is missing; add a [scheme] table with code, name and version")
            head = {}
        self.keys(head, "scheme", SCHEME_KEYS, "[scheme]")
        code = self.text(head, "scheme", "code", example="cnc-milling")
        if code is not None and not CODE_PATTERN.fullmatch(code):
            self.add("scheme.code", f'{code!r} must use only a-z, 0-9 and "-", e.g. code = "cnc-milling"')
        name = self.text(head, "scheme", "name", example="CNC Milling")
        version = self.text(head, "scheme", "version", example="2026.1")
        total = self.number(head, "scheme", "total", places=True)
        panel_size = self.integer(head, "scheme", "panel_size", 1, 9) or 3
        tolerance = self.number(head, "scheme", "tolerance")
        if tolerance is not None and tolerance < 0:
            self.add("scheme.tolerance", "must be 0 or more (the largest allowed spread of judgement scores)")
        competence = self.number(head, "scheme", "competence_threshold")
        if competence is not None and not 0 < competence <= 1:
            self.add("scheme.competence_threshold", f"{competence} must be a share above 0 and at most 1, e.g. 0.6")
        medallion = self.integer(head, "scheme", "medallion_threshold", 1)
        rule = self.scheme_rule(head, panel_size)

        defaults = {"panel_size": panel_size, "tolerance": tolerance if tolerance is not None else Decimal(1), "rule": rule}
        seen: dict[str, dict[str, str]] = {"criterion": {}, "sub-criterion": {}, "aspect": {}}
        criteria = tuple(
            self.criterion(c, f"criterion[{i}]", defaults, seen)
            for i, c in enumerate(self.tables(data, "", "criterion", "criterion"))
        )
        tie_break = self.tie_break(head.get("tie_break"), [c.id for c in criteria])
        max_marks_valid = not any(p.field.endswith(".max") for p in self.problems)
        actual = sum((c.max_mark for c in criteria), Decimal(0))
        if total is not None and criteria and max_marks_valid and total != actual:
            self.add(
                "scheme.total",
                f"total is {plain(total)} but the aspect max marks add up to {plain(actual)}; correct `total` or the max marks",
            )
        if self.problems:
            raise SchemeError(sorted(self.problems, key=lambda p: p.line))
        return MarkingScheme(
            code=code or "",
            name=name or "",
            version=version or "",
            criteria=criteria,
            panel_size=panel_size,
            rule=rule,
            tolerance=defaults["tolerance"],
            expected_total=total,
            tie_break=tie_break,
            competence_threshold=competence if competence is not None else Decimal("0.6"),
            medallion_threshold=medallion if medallion is not None else 700,
            source=self.filename,
        )

    def scheme_rule(self, head: dict, panel_size: int) -> RuleRef:
        name = head.get("rule", "worldskills_judgement")
        params = head.get("rule_params", {})
        if not isinstance(name, str) or name not in rules_for(JUDGEMENT):
            self.add("scheme.rule", _unknown_rule(name))
        elif not isinstance(params, dict):
            self.add("scheme.rule_params", "must be a table, e.g. rule_params = { high = 1, low = 1 }")
        else:
            at_panel = "scheme.rule_params" if "rule_params" in head else "scheme.panel_size"
            for problem in RULES[name].problems(params, panel_size):
                self.add(at_panel if problem.panel_size else _params_path("scheme", problem), problem.message)
        return RuleRef(str(name), MappingProxyType(dict(params) if isinstance(params, dict) else {}))

    def tie_break(self, value: object, criterion_ids: list[str]) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add("scheme.tie_break", 'must be a list of criterion ids, e.g. tie_break = ["C", "A"]')
            return ()
        for i, ident in enumerate(value):
            if ident not in criterion_ids:
                self.add(f"scheme.tie_break[{i}]", f"unknown criterion id {ident!r}; use one of: {', '.join(criterion_ids)}")
            elif value.index(ident) != i:
                self.add(f"scheme.tie_break[{i}]", f"criterion {ident!r} is listed twice; list each criterion once")
        return tuple(value)

    def criterion(self, table: dict, path: str, defaults: dict, seen: dict) -> Criterion:
        self.keys(table, path, CRITERION_KEYS, "[[criterion]]")
        ident = self.text(table, path, "id", example="A")
        self.unique(seen["criterion"], ident, path, "criterion")
        name = self.text(table, path, "name", example="Work organisation and management")
        marking_day = self.text(table, path, "marking_day", required=False, example="C1")
        subs = []
        for i, sub in enumerate(self.tables(table, path, "sub", "criterion.sub")):
            sub_path = f"{path}.sub[{i}]"
            self.keys(sub, sub_path, SUB_KEYS, "[[criterion.sub]]")
            sub_id = self.text(sub, sub_path, "id", example="A1")
            self.unique(seen["sub-criterion"], sub_id, sub_path, "sub-criterion")
            sub_name = self.text(sub, sub_path, "name", example="Health and safety")
            aspects = tuple(
                self.aspect(a, f"{sub_path}.aspect[{j}]", defaults, seen, ident or "", sub_id or "")
                for j, a in enumerate(self.tables(sub, sub_path, "aspect", "criterion.sub.aspect"))
            )
            subs.append(SubCriterion(sub_id or "", sub_name or "", aspects))
        return Criterion(ident or "", name or "", tuple(subs), marking_day)

    def aspect(self, table: dict, path: str, defaults: dict, seen: dict, criterion_id: str, sub_id: str) -> Aspect:
        kind = self.text(table, path, "type", example="judgement")
        if kind is not None and kind not in KIND_KEYS:
            self.add(f"{path}.type", f'{kind!r} is not a type; use "judgement" or "measurement"')
            kind = None
        method = table.get("method") if kind == MEASUREMENT else None
        if kind == MEASUREMENT and (not isinstance(method, str) or method not in METHOD_KEYS):
            self.add(f"{path}.method", _bad_method(method))
            method = None
        self.aspect_keys(table, path, kind, method)
        ident = self.text(table, path, "id", example="A1.1")
        self.unique(seen["aspect"], ident, path, "aspect")
        description = self.text(table, path, "description", example="Safety glasses worn throughout")
        max_mark = self.number(table, path, "max", required=True, places=True)
        if max_mark is not None and max_mark <= 0:
            self.add(f"{path}.max", f"must be greater than 0, not {plain(max_mark)}")
        panel_size = self.integer(table, path, "panel_size", 1, 9)
        tolerance = self.number(table, path, "tolerance")
        if tolerance is not None and tolerance < 0:
            self.add(f"{path}.tolerance", "must be 0 or more (the largest allowed spread of judgement scores)")
        fields = dict(
            id=ident or "", description=description or "", max_mark=max_mark or Decimal(0),
            panel_size=panel_size or defaults["panel_size"],
            tolerance=tolerance if tolerance is not None else defaults["tolerance"],
            criterion_id=criterion_id, sub_criterion_id=sub_id,
        )  # fmt: skip
        if kind == JUDGEMENT:
            descriptors = self.descriptors(table.get("descriptors"), f"{path}.descriptors")
            rule = self.aspect_rule(table, path, defaults["rule"], fields["panel_size"])
            return Aspect(kind=JUDGEMENT, rule=rule, descriptors=descriptors, **fields)
        steps = self.steps(table, path, max_mark) if method == STEPPED else ()
        step = max_deductions = None
        if method == "deduction":
            step = self.number(table, path, "deduction_step", places=True)
            if "deduction_step" not in table:
                fix = "the mark taken off per deduction, e.g. deduction_step = 0.5"
                self.add(f"{path}.deduction_step", f"deduction aspects need deduction_step, {fix}")
            elif step is not None and (step <= 0 or (max_mark is not None and step > max_mark)):
                self.add(f"{path}.deduction_step", f"must be greater than 0 and at most max, not {plain(step)}")
            max_deductions = self.integer(table, path, "max_deductions", 1)
        return Aspect(
            kind=kind or MEASUREMENT, rule=RuleRef(method or ""), method=method, steps=steps,
            deduction_step=step, max_deductions=max_deductions, **fields,
        )  # fmt: skip

    def aspect_keys(self, table: dict, path: str, kind: str | None, method: str | None) -> None:
        allowed = ASPECT_KEYS + (KIND_KEYS[kind] if kind else KIND_KEYS[JUDGEMENT] + KIND_KEYS[MEASUREMENT])
        for key in table:
            if key in allowed and method and key in METHOD_KEYS["deduction"] + METHOD_KEYS["stepped"]:
                if key not in METHOD_KEYS[method]:
                    self.add(f"{path}.{key}", f"{method} aspects take no {key}; remove it or change the method")
            elif key not in allowed and key in KIND_KEYS[JUDGEMENT] + KIND_KEYS[MEASUREMENT]:
                other = JUDGEMENT if kind == MEASUREMENT else MEASUREMENT
                self.add(f"{path}.{key}", f"applies only to {other} aspects; remove it")
            elif key not in allowed:
                self.unknown(key, path, allowed, "[[criterion.sub.aspect]]")

    def descriptors(self, value: object, path: str) -> tuple[str, ...]:
        fix = "give four descriptors, one for each score 0, 1, 2, 3"
        if value is None:
            self.add(path, f"judgement aspects need descriptors; {fix}")
            return ()
        if not isinstance(value, list):
            self.add(path, f"must be a list of strings; {fix}")
            return ()
        if len(value) != 4:
            self.add(path, f"has {len(value)} descriptor{'s' if len(value) != 1 else ''}; {fix}")
        for i, text in enumerate(value):
            if not isinstance(text, str) or not text.strip():
                self.add(f"{path}[{i}]", f"must be a non-empty string describing score {i}")
        return tuple(str(v) for v in value)

    def steps(self, table: dict, path: str, max_mark: Decimal | None) -> tuple[Decimal, ...]:
        field = f"{path}.steps"
        value = table.get("steps")
        if not isinstance(value, list) or len(value) < 2:
            self.add(field, "stepped aspects need steps, the marks a judge may give from 0 to max, e.g. steps = [0, 0.5, 1.0]")
            return ()
        numbers = [self.as_number(v, f"{field}[{i}]", "steps", places=True) for i, v in enumerate(value)]
        if any(n is None for n in numbers):
            return ()
        steps = tuple(n for n in numbers if n is not None)
        if steps[0] != 0:
            self.add(field, f"must start at 0, not {plain(steps[0])}")
        if any(b <= a for a, b in zip(steps, steps[1:], strict=False)):
            self.add(field, "must be strictly ascending, e.g. steps = [0, 0.5, 1.0]")
        if max_mark is not None and steps[-1] != max_mark:
            self.add(field, f"last step {plain(steps[-1])} must equal max {plain(max_mark)}")
        return steps

    def aspect_rule(self, table: dict, path: str, default: RuleRef, panel_size: int) -> RuleRef:
        """An aspect inherits the scheme's rule; its params too unless it names another rule."""
        name = table.get("rule", default.name)
        if "rule_params" in table:
            params = table["rule_params"]
        else:
            params = dict(default.params) if name == default.name else {}
        if not isinstance(name, str) or name not in rules_for(JUDGEMENT):
            if "rule" in table:
                self.add(f"{path}.rule", _unknown_rule(name))
            return RuleRef(str(name))
        if not isinstance(params, dict):
            self.add(f"{path}.rule_params", "must be a table, e.g. rule_params = { high = 1, low = 1 }")
            return RuleRef(name)
        if any(k in table for k in ("rule", "rule_params", "panel_size")):
            own_params = "rule_params" in table or name != default.name
            for problem in RULES[name].problems(params, panel_size):
                if problem.panel_size:
                    at = next(f"{path}.{k}" for k in ("rule_params", "panel_size", "rule") if k in table)
                    self.add(at, problem.message)
                elif own_params:
                    self.add(_params_path(path, problem) if "rule_params" in table else f"{path}.rule", problem.message)
        return RuleRef(name, MappingProxyType(dict(params)))


def _unknown_rule(name: object) -> str:
    known = rules_for(JUDGEMENT)
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown rule {name!r}; {hint}use one of: {', '.join(known)}"


def _bad_method(method: object) -> str:
    choices = ", ".join(MEASUREMENT_METHODS)
    if method is None:
        return f"measurement aspects need method; add method = one of {choices}"
    return f"unknown method {method!r}; use one of: {choices}"


def _params_path(table: str, problem: RuleProblem) -> str:
    return f"{table}.rule_params.{problem.param}" if problem.param else f"{table}.rule_params"
