"""Aggregation rules: how the entries of a panel of judges become one aspect mark.

Every rule is registered by name in :data:`RULES` (:func:`register`) with the aspect kinds
it may mark and a check of its own parameters, and called as
``rule(aspect, entries, **params) -> AspectResult``. ``entries`` are the judges' entries for
one competitor and one aspect, as :class:`~decimal.Decimal` (see
:mod:`competition.scoring.kinds` for what a judge enters per aspect kind). Scheme files are
checked against this registry alone: a rule's name, the kinds it marks, the parameters its
signature takes and what its ``check`` says about their values.

Rounding is explicit: every aspect mark is rounded once, to two decimal places, half away
from zero (:func:`~competition.scoring.numbers.round_mark`), and computed in
:class:`~decimal.Decimal` until then, so there is no binary float noise. Totals add rounded
aspect marks, so a total always equals the sum of the marks that a competitor can see.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from competition.scoring.model import JUDGEMENT, Aspect
from competition.scoring.numbers import round_mark
from competition.scoring.scales import Scale


@dataclass(frozen=True)
class AspectResult:
    """The outcome for one aspect of one competitor.

    ``mark`` is ``None`` when no judge has entered anything yet. ``complete`` is true when
    the whole panel has entered (or, for measurement aspects, at least one consensus entry
    exists). ``flagged`` is true when the panel's spread exceeds the aspect's tolerance
    (judgement aspects), or when measurement entries disagree more than the aspect's
    ``agreement`` allows; ``spread`` is max - min of the entries.
    """

    aspect_id: str
    mark: Decimal | None
    entries: int
    complete: bool
    flagged: bool = False
    spread: Decimal = Decimal(0)


RuleFunction = Callable[..., AspectResult]


@dataclass(frozen=True)
class RuleProblem:
    """Something wrong with a rule's parameters in a scheme.

    ``param`` names the parameter at fault (``None``: the parameters as a whole, e.g. one
    missing); ``panel_size`` is true when the values are fine alone but not for the panel
    (the problem then belongs where the panel size or the parameters are set).
    """

    message: str
    param: str | None = None
    panel_size: bool = False


ParamCheck = Callable[[Mapping[str, object], int], list[RuleProblem]]


class Rule:
    """A registered aggregation rule, called as ``rule(aspect, entries, **params)``.

    ``kinds`` names the aspect kinds it may mark (see :mod:`competition.scoring.kinds`).
    ``params`` maps its keyword parameters to their defaults (``inspect.Parameter.empty``:
    required), read from the function's signature; ``None`` when it takes any
    (``**params``). ``check(params, panel_size)`` is the rule's own check of the values,
    given the parameters with their defaults filled in. ``scale`` is the judging scale of
    the rule's own rule book (a judged sport's), which an aspect gets unless it declares one.
    """

    def __init__(self, name: str, func: RuleFunction, kinds: tuple[str, ...], check: ParamCheck | None = None,
                 scale: Scale | None = None):
        self.name = name
        self.func = func
        self.kinds = tuple(kinds)
        self.check = check
        self.scale = scale
        self.params = _keyword_params(func)
        functools.update_wrapper(self, func)

    def __call__(self, aspect: Aspect, entries: Sequence[Decimal], **params: object) -> AspectResult:
        return self.func(aspect, entries, **params)

    def __repr__(self) -> str:
        return f"<Rule {self.name!r} for {', '.join(self.kinds)}>"

    def problems(self, params: Mapping[str, object], panel_size: int) -> list[RuleProblem]:
        """Every problem with ``params`` (as written in a scheme) for a panel of ``panel_size``.

        >>> [p.message for p in RULES["median"].problems({"low": 1}, 3)]
        ["rule 'median' takes no parameter 'low'; allowed: none"]
        >>> [(p.param, p.panel_size) for p in RULES["trimmed_mean"].problems({"high": 2}, 3)]
        [(None, True)]
        """
        found = []
        if self.params is not None:
            for key in params:
                if key not in self.params:
                    allowed = ", ".join(self.params) or "none"
                    found.append(RuleProblem(f"rule {self.name!r} takes no parameter {key!r}; allowed: {allowed}", key))
            for key, default in self.params.items():
                if default is inspect.Parameter.empty and key not in params:
                    found.append(RuleProblem(f"rule {self.name!r} needs parameter {key!r}; add it to rule_params"))
        if self.check is not None:
            defaults = {k: v for k, v in (self.params or {}).items() if v is not inspect.Parameter.empty}
            found.extend(self.check({**defaults, **params}, panel_size))
        return found


def _keyword_params(func: RuleFunction) -> dict[str, object] | None:
    params = list(inspect.signature(func).parameters.values())[2:]  # after (aspect, entries)
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    return {p.name: p.default for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


RULES: dict[str, Rule] = {}


def register(name: str, *, kinds: tuple[str, ...], check: ParamCheck | None = None,
             scale: Scale | None = None) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as rule ``name`` for aspects of ``kinds``; ``check``
    validates its parameter values, ``scale`` is its rule book's judging scale (see
    :class:`Rule`). The function is returned unchanged."""

    def wrap(func: RuleFunction) -> RuleFunction:
        RULES[name] = Rule(name, func, kinds, check, scale)
        return func

    return wrap


def rules_for(kind: str) -> list[str]:
    """The names of the rules that may mark aspects of ``kind``, sorted.

    >>> rules_for("judgement")  # doctest: +NORMALIZE_WHITESPACE
    ['diving', 'diving_synchro', 'fig_execution', 'ijru_closest_pair', 'isu_goe',
     'isu_trimmed_mean', 'mean', 'median', 'ski_jumping_style', 'trimmed_mean',
     'worldskills_judgement']
    """
    return sorted(name for name, rule in RULES.items() if kind in rule.kinds)


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def lower_median(values: Sequence[Decimal]) -> Decimal:
    """The middle value, the lower of the two middle ones for an even count: always one of
    ``values`` (a listed step, a count a judge entered)."""
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def _judgement_result(aspect: Aspect, entries: Sequence[Decimal], score: Decimal | None) -> AspectResult:
    """``score`` is the panel's raw aggregate on the aspect's scale; the mark is its scaled
    share of the aspect's max, max × (score − scale min) / (scale max − scale min) — on the
    default 0–3 scale max × score / 3, on a points scale the points themselves."""
    if not entries or score is None:
        return AspectResult(aspect.id, None, 0, False)
    spread = max(entries) - min(entries)
    return AspectResult(
        aspect_id=aspect.id,
        mark=round_mark(aspect.max_mark * aspect.scale.share(score)),
        entries=len(entries),
        complete=len(entries) >= aspect.panel_size,
        flagged=spread > aspect.tolerance,
        spread=spread,
    )


@register("mean", kinds=(JUDGEMENT,))
def mean(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """Arithmetic mean of the panel: mark = max x share of mean(scores) on the aspect's
    scale (max x mean / 3 on the default 0-3 scale).

    The plain judgement rule; flags the aspect when max(scores) - min(scores) exceeds the
    aspect's tolerance.

    >>> from decimal import Decimal as D
    >>> from competition.scoring.model import Aspect, RuleRef
    >>> a = Aspect("X1", "", D(2), "judgement", RuleRef("mean"))
    >>> mean(a, [D(1), D(2), D(2)]).mark
    Decimal('1.11')

    On a scale of 1 to 5 the mean 4 is three quarters of the way up: 2 x 3/4 = 1.5.

    >>> from competition.scoring.scales import Scale
    >>> mean(Aspect("X2", "", D(2), "judgement", RuleRef("mean"), scale=Scale(D(1), D(5))), [D(3), D(4), D(5)]).mark
    Decimal('1.50')
    """
    return _judgement_result(aspect, entries, _mean(entries) if entries else None)


@register("median", kinds=(JUDGEMENT,))
def median(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """Median of the panel: mark = max x share of median(scores) on the scale (/ 3 on 0-3).

    With an even number of entries the median is the mean of the two middle scores.
    Robust to one outlying judge in a panel of three.
    """
    return _judgement_result(aspect, entries, _median(entries) if entries else None)


def trimming_check(rule: str) -> ParamCheck:
    """The check of a rule that drops ``high`` and ``low`` scores: both whole numbers of scores,
    and at least one score must remain (the message names ``rule``)."""

    def check(params: Mapping[str, object], panel_size: int) -> list[RuleProblem]:
        found, trim = [], {}
        for key in ("high", "low"):
            value = params.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                trim[key] = value
            else:
                found.append(RuleProblem(f"must be a whole number of scores to drop, 0 or more, not {value!r}", key))
        if len(trim) == 2 and trim["high"] + trim["low"] >= panel_size:
            dropped = trim["high"] + trim["low"]
            message = f"{rule} drops high + low = {dropped} scores, which must be fewer than panel_size {panel_size}"
            found.append(RuleProblem(message, panel_size=True))
        return found

    return check


@register("trimmed_mean", kinds=(JUDGEMENT,), check=trimming_check("trimmed_mean"))
def trimmed_mean(aspect: Aspect, entries: Sequence[Decimal], high: int = 1, low: int = 1) -> AspectResult:
    """Drop the ``high`` highest and ``low`` lowest scores, then mark = max x share of
    mean(rest) on the scale (max x mean / 3 on 0-3; on a points scale the mean itself).

    With ``high=1, low=1`` and five judges this is the rule of Chinese national vocational
    skills competitions (去掉一个最高分和一个最低分, the remaining scores averaged). While
    fewer entries are present than would leave one score after trimming (a panel still
    marking), the plain mean of the entries is used; the result is then incomplete anyway.
    The spread flag looks at all entries, before trimming.
    """
    if not entries:
        return _judgement_result(aspect, entries, None)
    ordered = sorted(entries)
    kept = ordered[low : len(ordered) - high] if len(ordered) - high - low >= 1 else ordered
    return _judgement_result(aspect, entries, _mean(kept))


@register("worldskills_judgement", kinds=(JUDGEMENT,))
def worldskills_judgement(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """WorldSkills judgement marking: mark = max x mean(scores) / 3.

    Each of (usually) three judges scores 0-3 against the aspect's four descriptors; the
    aspect mark is the share of the maximum given by the mean score. Per the WorldSkills
    Competition Rules the judges' scores must lie within one point of each other: when the
    spread exceeds the tolerance (1 by default) the aspect is flagged for the panel to
    re-score or for the chief expert to resolve before sign-off.

    On another scale it is the mean on that scale (max x (mean - min) / (max - min)), and
    the tolerance stays in the scale's own points: the spread of the raw entries. The
    default 1 keeps its WorldSkills meaning on any whole-point scale — neighbouring levels
    are fine, two levels apart are flagged — but is a different share of the range (1 of 3
    on 0-3, 1 of 10 on 0-10); on a fine scale (0-10 in tenths) a scheme sets the tolerance it
    means, e.g. ``tolerance = 1.5``.
    """
    return mean(aspect, entries)


def measurement_result(aspect: Aspect, entries: Sequence[Decimal], mark: Decimal | None, *,
                       flagged: bool = False) -> AspectResult:
    """The result of a measurement rule: ``mark`` kept within 0 and max and rounded; complete
    with one (consensus) entry; ``flagged`` when the rule found the entries further apart than
    the aspect allows (see :mod:`competition.scoring.kinds.agreement`). ``mark`` None:
    nothing entered yet."""
    if mark is None:
        return AspectResult(aspect.id, None, 0, False)
    mark = min(max(mark, Decimal(0)), aspect.max_mark)
    spread = max(entries) - min(entries)
    return AspectResult(aspect.id, round_mark(mark), len(entries), True, flagged, spread)


def aggregate_aspect(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """Apply the aspect's rule (with its parameters) to the judges' entries.

    The measurement rules are registered by their kinds (:mod:`competition.scoring.kinds`),
    which importing :mod:`competition.scoring` loads."""
    rule = RULES[aspect.rule.name]
    return rule(aspect, [Decimal(e) for e in entries], **dict(aspect.rule.params))
