"""Aggregation rules: how the entries of a panel of judges become one aspect mark.

Every rule is registered by name in :data:`RULES` and called as
``rule(aspect, entries, **params) -> AspectResult``. ``entries`` are the judges' entries for
one competitor and one aspect, as :class:`~decimal.Decimal` (see
:class:`~competition.scoring.model.Aspect` for what a judge enters per aspect kind).

Rounding is explicit: every aspect mark is rounded once, to two decimal places, half away
from zero (:func:`~competition.scoring.numbers.round_mark`), and computed in
:class:`~decimal.Decimal` until then, so there is no binary float noise. Totals add rounded aspect marks, so a total
always equals the sum of the marks that a competitor can see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from competition.scoring.model import BINARY, DEDUCTION, STEPPED, Aspect
from competition.scoring.numbers import round_mark

THREE = Decimal(3)


@dataclass(frozen=True)
class AspectResult:
    """The outcome for one aspect of one competitor.

    ``mark`` is ``None`` when no judge has entered anything yet. ``complete`` is true when
    the whole panel has entered (or, for measurement aspects, at least one consensus entry
    exists). ``flagged`` is true when the panel's spread exceeds the aspect's tolerance
    (judgement aspects only); ``spread`` is max - min of the entries.
    """

    aspect_id: str
    mark: Decimal | None
    entries: int
    complete: bool
    flagged: bool = False
    spread: Decimal = Decimal(0)


Rule = Callable[..., AspectResult]
RULES: dict[str, Rule] = {}
JUDGEMENT_RULES: set[str] = set()
MEASUREMENT_RULES: set[str] = set()


def register(name: str, *, judgement: bool) -> Callable[[Rule], Rule]:
    """Register ``func`` under ``name`` for judgement or measurement aspects."""

    def wrap(func: Rule) -> Rule:
        RULES[name] = func
        (JUDGEMENT_RULES if judgement else MEASUREMENT_RULES).add(name)
        return func

    return wrap


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def _lower_median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def _judgement_result(aspect: Aspect, entries: Sequence[Decimal], score: Decimal | None) -> AspectResult:
    if not entries or score is None:
        return AspectResult(aspect.id, None, 0, False)
    spread = max(entries) - min(entries)
    return AspectResult(
        aspect_id=aspect.id,
        mark=round_mark(aspect.max_mark * score / THREE),
        entries=len(entries),
        complete=len(entries) >= aspect.panel_size,
        flagged=spread > aspect.tolerance,
        spread=spread,
    )


@register("mean", judgement=True)
def mean(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """Arithmetic mean of the panel: mark = max x mean(scores) / 3.

    The plain judgement rule; flags the aspect when max(scores) - min(scores) exceeds the
    aspect's tolerance.

    >>> from decimal import Decimal as D
    >>> from competition.scoring.model import Aspect, RuleRef
    >>> a = Aspect("X1", "", D(2), "judgement", RuleRef("mean"))
    >>> mean(a, [D(1), D(2), D(2)]).mark
    Decimal('1.11')
    """
    return _judgement_result(aspect, entries, _mean(entries) if entries else None)


@register("median", judgement=True)
def median(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """Median of the panel: mark = max x median(scores) / 3.

    With an even number of entries the median is the mean of the two middle scores.
    Robust to one outlying judge in a panel of three.
    """
    return _judgement_result(aspect, entries, _median(entries) if entries else None)


@register("trimmed_mean", judgement=True)
def trimmed_mean(aspect: Aspect, entries: Sequence[Decimal], high: int = 1, low: int = 1) -> AspectResult:
    """Drop the ``high`` highest and ``low`` lowest scores, then mark = max x mean(rest) / 3.

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


@register("worldskills_judgement", judgement=True)
def worldskills_judgement(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """WorldSkills judgement marking: mark = max x mean(scores) / 3.

    Each of (usually) three judges scores 0-3 against the aspect's four descriptors; the
    aspect mark is the share of the maximum given by the mean score. Per the WorldSkills
    Competition Rules the judges' scores must lie within one point of each other: when the
    spread exceeds the tolerance (1 by default) the aspect is flagged for the panel to
    re-score or for the chief expert to resolve before sign-off.
    """
    return mean(aspect, entries)


def _measurement_result(aspect: Aspect, entries: Sequence[Decimal], mark: Decimal | None) -> AspectResult:
    if mark is None:
        return AspectResult(aspect.id, None, 0, False)
    mark = min(max(mark, Decimal(0)), aspect.max_mark)
    spread = max(entries) - min(entries)
    return AspectResult(aspect.id, round_mark(mark), len(entries), True, False, spread)


@register(BINARY, judgement=False)
def binary(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """All-or-nothing measurement: the full max mark if a strict majority of entries say yes (1).

    Measurement is normally entered once by the panel in consensus; where several judges
    enter, the majority decides and a tie is not awarded (the benefit of the doubt is not
    given, as for a measurement that cannot be confirmed).
    """
    if not entries:
        return _measurement_result(aspect, entries, None)
    yes = sum(1 for e in entries if e >= 1)
    return _measurement_result(aspect, entries, aspect.max_mark if yes * 2 > len(entries) else Decimal(0))


@register(STEPPED, judgement=False)
def stepped(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """Part marks from a listed set: the lower median of the entered steps.

    The lower median is always one of the listed steps (no averaging between steps), and
    a single consensus entry is taken as it is.
    """
    if not entries:
        return _measurement_result(aspect, entries, None)
    return _measurement_result(aspect, entries, _lower_median(entries))


@register(DEDUCTION, judgement=False)
def deduction(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """Deduction marking: mark = max - N x step, floored at 0.

    A judge enters N, the number of deductions found (e.g. dimensions out of tolerance).
    Where several judges enter, the lower median of N is used, so the result is one that a
    judge actually entered and, between two middle counts, the competitor gets the fewer.
    """
    if not entries:
        return _measurement_result(aspect, entries, None)
    ordered = sorted(entries)
    n = ordered[len(ordered) // 2 - (0 if len(ordered) % 2 else 1)]
    step = aspect.deduction_step or Decimal(0)
    return _measurement_result(aspect, entries, aspect.max_mark - n * step)


def aggregate_aspect(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """Apply the aspect's rule (with its parameters) to the judges' entries."""
    rule = RULES[aspect.rule.name]
    return rule(aspect, [Decimal(e) for e in entries], **dict(aspect.rule.params))
