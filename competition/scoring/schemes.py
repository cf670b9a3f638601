"""Load and validate marking schemes from TOML files (``scoring_schemes/*.toml``).

A scheme file has one ``[scheme]`` table (code, name, version, optional expected ``total``,
default ``panel_size``, ``rule``, ``rule_params``, ``tolerance`` and ``scale`` for judgement aspects,
``tie_break``, ``competence_threshold``, ``medallion_threshold``, ``scale_points_per_sd``,
``languages``, ``team_size`` for a team skill, and an optional ``[scheme.awards]`` table naming
the award rule of :mod:`competition.scoring.awards` with its settings) and ``[[criterion]]`` /
``[[criterion.sub]]`` / ``[[criterion.sub.aspect]]`` tables; the shipped files in
``scoring_schemes/`` show every field. An aspect's ``type`` (and ``method``) name its kind
in :mod:`competition.scoring.kinds` — judgement aspects (four descriptors, scores 0-3 unless
the scheme or the aspect declares another ``scale``, :mod:`competition.scoring.scales`)
follow the WorldSkills marking-scheme model; measurement aspects are ``binary``,
``stepped`` or ``deduction`` — and the kind reads and checks its own keys; rules and their
parameters are checked by :mod:`competition.scoring.rules`. Nothing here is specific to
one kind or one rule. Numbers become :class:`~decimal.Decimal` via ``str()``, so ``0.1`` is
exactly ``Decimal("0.1")``.

Modules (模块) group criteria: ``[[module]]`` tables with ``id``, ``name``, ``criteria``
(the ids of its criteria; with modules, every criterion belongs to exactly one), an optional
``marking_day`` (the default of its criteria) and ``weight``: either every module has a
weight — a share above 0 and at most 1, the shares adding up to exactly 1 — and the total is
the weighted sum of the modules' shares out of ``total`` (default 100; then ``total`` is not
the sum of the max marks), or none has and the total stays the raw sum (see
:func:`competition.scoring.standings.competitor_result`). ``tie_break`` may name modules
too, or be ``"modules_reverse"``: the modules compared from the last to the first.

Text a person reads — the scheme's ``name``, criterion and sub-criterion names (the names
of the units of competence on a certificate), aspect descriptions and judgement
descriptors — is either a plain string, the same in every language, or a table of
languages, ``name = { en = "Safe working", zh = "安全操作" }`` (one or both of ``en`` and
``zh``); both become :class:`~competition.scoring.text.Text`. A table with another key, an
empty table or string, or a value that is not a string is a problem like any other.

A scheme may declare the languages its text is written in: ``languages = ["en", "zh"]``
in ``[scheme]``. Then every text must give each declared language:

- a table must have a key for each;
- a plain string counts as every language when the scheme declares only one, or when it
  has nothing to translate — no letter other than capitals, as in a code or an
  abbreviation ("PLC", "GB 7947", "A-01"); otherwise it counts as the one language its
  script shows (Chinese characters: ``zh``; lower-case Latin words: ``en``), and a string
  mixing both ("电气安装 Electrical Installation") gives neither on its own.

A missing language is a warning by default — the scheme loads, and
:attr:`~competition.scoring.model.MarkingScheme.language_gaps` lists each gap as a
:class:`SchemeProblem` — and a problem with ``strict_languages=True``, as ``podium
check-scheme`` checks a file. A scheme that declares no languages is not checked.

Validation collects every problem in a file before raising :class:`SchemeError`; each
:class:`SchemeProblem` names the file, the line, the field path (e.g.
``criterion[1].sub[0].aspect[2].max``) and the fix.

Pure: standard library only.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from competition.scoring import kinds
from competition.scoring._toml_limits import limit_problem, too_large
from competition.scoring._toml_lines import FieldChecker, SchemeProblem, index_lines, line_of
from competition.scoring.awards import AWARD_RULES, DEFAULT_AWARD_RULE
from competition.scoring.kinds.agreement import PanelMeasurement
from competition.scoring.model import Aspect, Criterion, MarkingScheme, Module, RuleRef, SubCriterion
from competition.scoring.numbers import plain
from competition.scoring.rules import RULES, RuleProblem, rules_for
from competition.scoring.scales import read_scale
from competition.scoring.text import TEXT_LANGUAGES

SCHEME_KEYS = (
    "code", "name", "version", "total", "panel_size", "rule", "rule_params", "tolerance", "scale",
    "tie_break", "competence_threshold", "medallion_threshold", "scale_points_per_sd", "awards", "languages",
    "team_size",
    "measurement_agreement",
)  # fmt: skip
CRITERION_KEYS = ("id", "name", "marking_day", "sub")
MODULE_KEYS = ("id", "name", "weight", "marking_day", "criteria")
TIE_BREAK_MODULES = {"modules": False, "modules_reverse": True}  # tie_break = "…": the modules, reversed or not
SUB_KEYS = ("id", "name", "aspect")
ASPECT_KEYS = ("id", "description", "type", "max", "panel_size", "tolerance")  # every kind's; the rest are the kinds'
CODE_PATTERN = re.compile(r"[a-z0-9-]+")
TEAM_SIZES = (2, 4)  # a team has 2 to 4 members (issue 11); a scheme's team_size lies within


__all__ = ["SchemeError", "SchemeProblem", "load_all", "load_scheme", "parse_scheme"]


class SchemeError(ValueError):
    """A scheme file failed to load; ``problems`` lists every problem found, in line order."""

    def __init__(self, problems: list[SchemeProblem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def load_scheme(path: str | Path, *, strict_languages: bool = False) -> MarkingScheme:
    """Read, parse and validate the scheme file at ``path`` (UTF-8 TOML, with or without a byte-order mark)."""
    try:
        if problem := too_large(Path(path).stat().st_size, str(path)):  # before reading it all
            raise SchemeError([problem])
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemeError([SchemeProblem(str(path), 0, "file", f"cannot read the file: {exc}")]) from exc
    return parse_scheme(text, str(path), strict_languages=strict_languages)


def parse_scheme(text: str, filename: str = "<scheme>", *, strict_languages: bool = False) -> MarkingScheme:
    """Parse and validate scheme ``text``; raise :class:`SchemeError` listing every problem.

    With ``strict_languages``, a language the scheme declares but a text does not give is a
    problem too; otherwise it is listed in the scheme's ``language_gaps``. A leading byte-order
    mark (Windows editors write one) is not part of the TOML."""
    text = text.removeprefix("\ufeff")
    if problem := limit_problem(text, filename):
        raise SchemeError([problem])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeError([_syntax_problem(exc, text, filename)]) from exc
    return _Checker(filename, index_lines(text), strict_languages=strict_languages).scheme(data)


def load_all(directory: str | Path) -> dict[str, MarkingScheme]:
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
        self.keys(data, "", ("scheme", "criterion", "module"), "the file")
        head = data.get("scheme")
        if not isinstance(head, dict):
            self.add("scheme", "required table is missing; add a [scheme] table with code, name and version")
            head = {}
        self.keys(head, "scheme", SCHEME_KEYS, "[scheme]")
        self.languages = self.scheme_languages(head.get("languages"))
        code = self.text(head, "scheme", "code", example="cnc-milling")
        if code is not None and not CODE_PATTERN.fullmatch(code):
            self.add("scheme.code", f'{code!r} must use only a-z, 0-9 and "-", e.g. code = "cnc-milling"')
        name = self.words(head, "scheme", "name", example="CNC Milling")
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
        points_per_sd = self.integer(head, "scheme", "scale_points_per_sd", 1)
        awards = self.awards(head)
        team_size = self.team_size(head.get("team_size"))
        rule = self.scheme_rule(head, panel_size)

        scale = read_scale(self, head["scale"], "scheme.scale") if "scale" in head else None
        defaults = {"panel_size": panel_size, "tolerance": tolerance if tolerance is not None else Decimal(1), "rule": rule,
                    "inherited": {"scale": scale} if "scale" in head else {},
                    "agreements": self.measurement_agreement(head)}  # None: declared with problems
        seen: dict[str, dict[str, str]] = {"criterion": {}, "sub-criterion": {}, "aspect": {}}
        criteria = tuple(
            self.criterion(c, f"criterion[{i}]", defaults, seen)
            for i, c in enumerate(self.tables(data, "", "criterion", "criterion"))
        )
        modules = self.modules(data.get("module"), criteria)
        criteria = _with_module_days(criteria, modules)
        module_tables = data.get("module")
        weighted = isinstance(module_tables, list) and any(isinstance(t, dict) and "weight" in t for t in module_tables)
        tie_break = self.tie_break(head.get("tie_break"), [c.id for c in criteria], [m.id for m in modules])
        max_marks_valid = not any(p.field.endswith(".max") for p in self.problems)
        actual = sum((c.max_mark for c in criteria), Decimal(0))
        if weighted and total is not None and total <= 0:
            self.add("scheme.total", f"must be greater than 0, not {plain(total)}: what the weighted total is out of, e.g. total = 100")
        if total is not None and criteria and max_marks_valid and total != actual and not weighted:
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
            scale_points_per_sd=points_per_sd if points_per_sd is not None else 100,
            awards=awards,
            modules=modules,
            weighted_max=total if weighted and total is not None else Decimal(100),
            team_size=team_size,
            source=self.filename,
            languages=self.languages,
            language_gaps=tuple(sorted(self.gaps, key=lambda p: p.line)),
        )

    def scheme_languages(self, value: object) -> tuple[str, ...]:
        """The declared ``languages``: codes from :data:`TEXT_LANGUAGES`, each once."""
        if value is None:
            return ()
        example = 'e.g. languages = ["en", "zh"]'
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.add("scheme.languages", f"must be a list of language codes, {example}")
            return ()
        for i, language in enumerate(value):
            if language not in TEXT_LANGUAGES:
                self.add(f"scheme.languages[{i}]", f"{language!r} is not a language of scheme text; use en (English) or zh (Chinese)")
            elif value.index(language) != i:
                self.add(f"scheme.languages[{i}]", f"{language!r} is listed twice; list each language once")
        return tuple(dict.fromkeys(v for v in value if v in TEXT_LANGUAGES))

    def scheme_rule(self, head: dict, panel_size: int) -> RuleRef:
        name = head.get("rule", _default_scheme_rule())
        params = head.get("rule_params", {})
        if not isinstance(name, str) or name not in _scheme_rules():
            self.add("scheme.rule", _unknown_rule(name, _scheme_rules()))
        elif not isinstance(params, dict):
            self.add("scheme.rule_params", "must be a table, e.g. rule_params = { high = 1, low = 1 }")
        else:
            at_panel = "scheme.rule_params" if "rule_params" in head else "scheme.panel_size"
            for problem in RULES[name].problems(params, panel_size):
                self.add(at_panel if problem.panel_size else _params_path("scheme", problem), problem.message)
        return RuleRef(str(name), MappingProxyType(dict(params) if isinstance(params, dict) else {}))

    def measurement_agreement(self, head: dict) -> dict[str, object]:
        """``measurement_agreement``: how far measurement entries may differ, by method — the
        default of each measurement aspect's ``agreement`` (see
        :mod:`competition.scoring.kinds.agreement`)."""
        table = head.get("measurement_agreement")
        if table is None:
            return {}
        agreeing = {k.name: k for k in kinds.KINDS.values() if isinstance(k, PanelMeasurement)}
        if not isinstance(table, dict):
            example = ", ".join(f"{name} = {_setting(kind.agreement_default)}" for name, kind in agreeing.items())
            self.add("scheme.measurement_agreement", f"must be a table by method, e.g. measurement_agreement = {{ {example} }}")
            return {}
        found = {}
        for key, value in table.items():
            kind = agreeing.get(key)
            if kind is None:
                self.unknown(key, "scheme.measurement_agreement", tuple(agreeing), "measurement_agreement")
                continue
            setting, problem = kind.check_agreement(value)
            if problem:
                self.add(f"scheme.measurement_agreement.{key}", problem)
            else:
                found[key] = setting
        return found

    def awards(self, head: dict) -> RuleRef:
        """The award rule of ``[scheme.awards]`` (default: worldskills) with its checked settings."""
        table = head.get("awards")
        if table is None:
            return RuleRef(DEFAULT_AWARD_RULE)
        if not isinstance(table, dict):
            self.add("scheme.awards", f'must be a table: [scheme.awards] with rule = one of {_either(sorted(AWARD_RULES))}')
            return RuleRef(DEFAULT_AWARD_RULE)
        name = table.get("rule", DEFAULT_AWARD_RULE)
        if not isinstance(name, str) or name not in AWARD_RULES:
            self.add("scheme.awards.rule", _unknown_rule(name, sorted(AWARD_RULES)))
            return RuleRef(DEFAULT_AWARD_RULE)
        params, problems = AWARD_RULES[name].read(table)
        for problem in problems:
            self.add(f"scheme.awards.{problem.field}", problem.message)
        return RuleRef(name, MappingProxyType(params))

    def team_size(self, value: object) -> tuple[int, int] | None:
        """``team_size = { min = 2, max = 4 }`` (or ``team_size = 2``: exactly two): the members of
        each team, within :data:`TEAM_SIZES`. Absent: competitors are individuals."""
        if value is None:
            return None
        low, high = TEAM_SIZES
        example = f"e.g. team_size = {{ min = {low}, max = {high} }}"
        if isinstance(value, dict):
            self.keys(value, "scheme.team_size", ("min", "max"), "team_size")
            for key in ("min", "max"):
                if key not in value:
                    self.add("scheme.team_size", f"{key} is missing; give both, {example}")
            smallest = self.integer(value, "scheme.team_size", "min", low, high)
            largest = self.integer(value, "scheme.team_size", "max", low, high)
        elif isinstance(value, int) and not isinstance(value, bool):
            smallest = largest = self.integer({"team_size": value}, "scheme", "team_size", low, high)
        else:
            self.add("scheme.team_size", f"must be a table of members per team, {example}, or a whole number")
            return None
        if smallest is None or largest is None:
            return None
        if smallest > largest:
            self.add("scheme.team_size", f"min ({smallest}) is more than max ({largest}); a team may have min to max members")
            return None
        return smallest, largest

    def tie_break(self, value: object, criterion_ids: list[str], module_ids: list[str]) -> tuple[str, ...]:
        """Criterion and module ids in the order they break ties; ``"modules_reverse"`` names the
        modules from last to first, ``"modules"`` in their order."""
        if value is None:
            return ()
        if isinstance(value, str) and value in TIE_BREAK_MODULES:
            if not module_ids:
                fix = "add [[module]] tables or list criterion ids"
                self.add("scheme.tie_break", f"{value!r} compares modules, but the scheme has none; {fix}")
                return ()
            return tuple(reversed(module_ids)) if TIE_BREAK_MODULES[value] else tuple(module_ids)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            example = 'e.g. tie_break = ["C", "A"]' + (', or tie_break = "modules_reverse"' if module_ids else "")
            self.add("scheme.tie_break", f"must be a list of criterion{' or module' if module_ids else ''} ids, {example}")
            return ()
        known = criterion_ids + module_ids
        what = "criterion or module" if module_ids else "criterion"
        for i, ident in enumerate(value):
            if ident not in known:
                self.add(f"scheme.tie_break[{i}]", f"unknown {what} id {ident!r}; use one of: {', '.join(known)}")
            elif value.index(ident) != i:
                listed = "module" if ident in module_ids else "criterion"
                self.add(f"scheme.tie_break[{i}]", f"{listed} {ident!r} is listed twice; list each {listed} once")
        return tuple(value)

    def modules(self, value: object, criteria: tuple[Criterion, ...]) -> tuple[Module, ...]:
        """The ``[[module]]`` tables: each groups criteria (every criterion in exactly one
        module) and, in a weighted scheme, carries its share of the total; the weights of all
        modules add up to exactly 1. None at all: the scheme has no modules."""
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add("module", "must be an array of tables: write [[module]] (double brackets)")
            return ()
        criterion_ids = [c.id for c in criteria]
        owner: dict[str, str] = {}  # criterion id -> the module that has it
        seen: dict[str, str] = {}
        modules = []
        for i, table in enumerate(value):
            path = f"module[{i}]"
            self.keys(table, path, MODULE_KEYS, "[[module]]")
            ident = self.text(table, path, "id", example=f"M{i + 1}")
            self.unique(seen, ident, path, "module")
            if ident is not None and ident in criterion_ids:
                self.add(f"{path}.id", f"{ident!r} is already a criterion id; give the module an id of its own, e.g. M{i + 1}")
            name = self.words(table, path, "name", example="Practical task")
            day = self.text(table, path, "marking_day", required=False, example="C1")
            weight = self.number(table, path, "weight")
            if weight is not None and not 0 < weight <= 1:
                hint = f", e.g. weight = {plain(weight / 100)} for {plain(weight)} %" if 1 < weight <= 100 else ""
                self.add(f"{path}.weight", f"{plain(weight)} must be a share above 0 and at most 1{hint}")
                weight = None
            members = self.module_criteria(table.get("criteria"), path, criterion_ids, owner, ident or "")
            modules.append(Module(ident or "", name or "", members, weight, day))
        self.module_weights(value, modules)
        for i, criterion in enumerate(criteria):
            if criterion.id and criterion.id not in owner:
                names = ", ".join(m.id for m in modules if m.id)
                self.add(f"criterion[{i}].id", f"criterion {criterion.id!r} is in no module; add it to the criteria of one of: {names}")
        return tuple(modules)

    def module_criteria(self, value: object, path: str, known: list[str], owner: dict[str, str], module: str) -> tuple[str, ...]:
        if value is None:
            self.add(f"{path}.criteria", 'required field is missing; list the module\'s criterion ids, e.g. criteria = ["A", "B"]')
            return ()
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.add(f"{path}.criteria", 'must be a non-empty list of criterion ids, e.g. criteria = ["A", "B"]')
            return ()
        for j, ident in enumerate(value):
            field = f"{path}.criteria[{j}]"
            if ident not in known:
                self.add(field, f"unknown criterion id {ident!r}; use one of: {', '.join(known)}")
            elif ident in owner:
                where = "this module" if owner[ident] == module else f"module {owner[ident]!r}"
                self.add(field, f"criterion {ident!r} is already in {where}; put each criterion in one module")
            else:
                owner[ident] = module
        return tuple(dict.fromkeys(v for v in value if v in known))

    def module_weights(self, tables: list[dict], modules: list[Module]) -> None:
        """Every module has a weight or none has; weights add up to exactly 1 (100 %)."""
        given = [i for i, t in enumerate(tables) if "weight" in t]
        if not given:
            return
        for i, table in enumerate(tables):
            if "weight" not in table:
                self.add(f"module[{i}].weight", "required when other modules have a weight: give every module its share, or none")
        if len(given) == len(tables) and all(m.weight is not None for m in modules):
            added = sum((m.weight for m in modules if m.weight is not None), Decimal(0))
            if added != 1:
                shares = " + ".join(plain(m.weight) for m in modules if m.weight is not None)
                self.add(f"module[{given[-1]}].weight", f"the weights add up to {shares} = {plain(added)}; they must add up to 1 (100 %)")

    def criterion(self, table: dict, path: str, defaults: dict, seen: dict) -> Criterion:
        self.keys(table, path, CRITERION_KEYS, "[[criterion]]")
        ident = self.text(table, path, "id", example="A")
        self.unique(seen["criterion"], ident, path, "criterion")
        name = self.words(table, path, "name", example="Work organisation and management")
        marking_day = self.text(table, path, "marking_day", required=False, example="C1")
        subs = []
        for i, sub in enumerate(self.tables(table, path, "sub", "criterion.sub")):
            sub_path = f"{path}.sub[{i}]"
            self.keys(sub, sub_path, SUB_KEYS, "[[criterion.sub]]")
            sub_id = self.text(sub, sub_path, "id", example="A1")
            self.unique(seen["sub-criterion"], sub_id, sub_path, "sub-criterion")
            sub_name = self.words(sub, sub_path, "name", example="Health and safety")
            aspects = tuple(
                self.aspect(a, f"{sub_path}.aspect[{j}]", defaults, seen, ident or "", sub_id or "")
                for j, a in enumerate(self.tables(sub, sub_path, "aspect", "criterion.sub.aspect"))
            )
            subs.append(SubCriterion(sub_id or "", sub_name or "", aspects))
        return Criterion(ident or "", name or "", tuple(subs), marking_day)

    def aspect(self, table: dict, path: str, defaults: dict, seen: dict, criterion_id: str, sub_id: str) -> Aspect:
        known_types = kinds.types()
        aspect_type = self.text(table, path, "type", example=known_types[0])
        if aspect_type is not None and aspect_type not in known_types:
            self.add(f"{path}.type", f"{aspect_type!r} is not a type; use {_either(known_types)}")
            aspect_type = None
        kind = self.kind(table, path, aspect_type)
        self.aspect_keys(table, path, aspect_type, kind)
        ident = self.text(table, path, "id", example="A1.1")
        self.unique(seen["aspect"], ident, path, "aspect")
        description = self.words(table, path, "description", example="Safety glasses worn throughout")
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
        if kind is None:
            return Aspect(kind=aspect_type or "", rule=RuleRef(""), **fields)
        if kind.chooses_rule:
            rule = self.aspect_rule(table, path, kind, defaults["rule"], fields["panel_size"])
        else:
            rule = RuleRef(kind.default_rule)
        valid_max = max_mark if max_mark is not None and max_mark > 0 else None
        own = kind.read(kinds.AspectTable(self, table, path, valid_max, rule, defaults["inherited"], defaults["agreements"]))
        return Aspect(kind=kind.type, method=kind.method, rule=rule, **fields, **own)

    def kind(self, table: dict, path: str, aspect_type: str | None) -> kinds.AspectKind | None:
        """The registered kind the aspect's ``type`` (and ``method``) name, or None."""
        if aspect_type is None:
            return None
        methods = kinds.methods(aspect_type)
        if not methods:
            return kinds.kind_for(aspect_type, None)
        method = table.get("method")
        if not isinstance(method, str) or method not in methods:
            choices = ", ".join(methods)
            if method is None:
                self.add(f"{path}.method", f"{aspect_type} aspects need method; add method = one of {choices}")
            else:
                self.add(f"{path}.method", f"unknown method {method!r}; use one of: {choices}")
            return None
        return kinds.kind_for(aspect_type, method)

    def aspect_keys(self, table: dict, path: str, aspect_type: str | None, kind: kinds.AspectKind | None) -> None:
        """Keys of the aspect's type (of every type while the type is unknown) are allowed;
        a key of another kind of the same type or of another type gets a fix of its own."""
        own = kinds.type_keys(aspect_type) if aspect_type else ()
        every = tuple(dict.fromkeys(k for t in kinds.types() for k in kinds.type_keys(t)))
        allowed = ASPECT_KEYS + (own if aspect_type else every)
        for key in table:
            if key not in allowed:
                owners = [t for t in kinds.types() if key in kinds.type_keys(t)]
                if owners:
                    self.add(f"{path}.{key}", f"applies only to {' or '.join(owners)} aspects; remove it")
                else:
                    self.unknown(key, path, allowed, "[[criterion.sub.aspect]]")
            elif kind is not None and key in own and key != "method" and key not in kind.scheme_keys:
                self.add(f"{path}.{key}", f"{kind.name} aspects take no {key}; remove it or change the method")

    def aspect_rule(self, table: dict, path: str, kind: kinds.AspectKind, scheme_rule: RuleRef, panel_size: int) -> RuleRef:
        """An aspect inherits the scheme's rule (if its kind may use it, else the kind's default
        rule); its params too unless it names another rule."""
        known = rules_for(kind.name)
        default = scheme_rule if scheme_rule.name in known else RuleRef(kind.default_rule)
        name = table.get("rule", default.name)
        if "rule_params" in table:
            params = table["rule_params"]
        else:
            params = dict(default.params) if name == default.name else {}
        if not isinstance(name, str) or name not in known:
            if "rule" in table:
                self.add(f"{path}.rule", _unknown_rule(name, known))
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


def _with_module_days(criteria: tuple[Criterion, ...], modules: tuple[Module, ...]) -> tuple[Criterion, ...]:
    """A criterion without a ``marking_day`` takes its module's."""
    day = {c: m.marking_day for m in modules if m.marking_day for c in m.criteria}
    return tuple(dataclasses.replace(c, marking_day=day[c.id]) if c.marking_day is None and c.id in day else c for c in criteria)


def _scheme_rules() -> list[str]:
    """The rules a scheme may name as its default: those of the kinds that choose a rule."""
    return sorted({name for kind in kinds.KINDS.values() if kind.chooses_rule for name in rules_for(kind.name)})


def _default_scheme_rule() -> str:
    return next(kind.default_rule for kind in kinds.KINDS.values() if kind.chooses_rule)


def _unknown_rule(name: object, known: list[str]) -> str:
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown rule {name!r}; {hint}use one of: {', '.join(known)}"


def _setting(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def _either(names: list[str]) -> str:
    quoted = [f'"{n}"' for n in names]
    return " or ".join(quoted) if len(quoted) <= 2 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _params_path(table: str, problem: RuleProblem) -> str:
    return f"{table}.rule_params.{problem.param}" if problem.param else f"{table}.rule_params"
