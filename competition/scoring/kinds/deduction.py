"""Deduction measurement: the panel counts the deductions found; mark = max - N x step, floored at 0.

Scheme keys: ``deduction_step`` (required: the mark taken off per deduction, above 0 and at
most max) and ``max_deductions`` (optional: the most a judge may count; by default as many
as take the mark to 0), and ``agreement`` (optional: the largest difference between the
judges' counts settled without a flag, default 0; see
:mod:`competition.scoring.kinds.agreement`). Rule ``deduction``: the lower median of the
entered counts.

>>> from decimal import Decimal as D
>>> from competition.scoring.model import Aspect, RuleRef
>>> aspect = Aspect("A1.3", "Holes", D(2), "measurement", RuleRef("deduction"), method="deduction", deduction_step=D("0.5"))
>>> KIND.limit(aspect), [KIND.worth(aspect, n) for n in KIND.entries(aspect)]
(4, [Decimal('2.00'), Decimal('1.50'), Decimal('1.00'), Decimal('0.50'), Decimal('0.00')])
>>> KIND.entry_problem(aspect, D(5), 5)
'aspect A1.3 takes a whole number of deductions from 0 to 4, not 5'
>>> result = deduction(aspect, [D(2), D(0), D(1)])  # lower median 1: 2 - 0.5; counts 2 apart
>>> result.mark, result.flagged
(Decimal('1.50'), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal

from competition.scoring.i18n import N_, Message
from competition.scoring.kinds.agreement import PanelMeasurement
from competition.scoring.kinds.base import COUNTER, AspectTable, register_kind
from competition.scoring.model import MEASUREMENT, Aspect
from competition.scoring.numbers import plain
from competition.scoring.rules import AspectResult, lower_median, measurement_result, register


@register("deduction", kinds=("deduction",))
def deduction(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """Deduction marking: mark = max - N x step, floored at 0.

    A judge enters N, the number of deductions found (e.g. dimensions out of tolerance).
    Where several judges enter, the lower median of N is used, so the result is one that a
    judge actually entered and, between two middle counts, the competitor gets the fewer.
    Counts further apart than the aspect's ``agreement`` (default 0) flag the aspect.
    """
    if not entries:
        return measurement_result(aspect, entries, None)
    step = aspect.deduction_step or Decimal(0)
    mark = aspect.max_mark - lower_median(entries) * step
    return measurement_result(aspect, entries, mark, flagged=KIND.disagreement(aspect, entries) is not None)


class Deduction(PanelMeasurement):
    type = MEASUREMENT
    method = "deduction"
    keys = ("deduction_step", "max_deductions")
    default_rule = "deduction"
    widget = COUNTER
    agreement_unit = "deductions"
    disagreement_wording = N_("deduction counts %(entries)s differ by more than %(allowed)s")

    def read(self, table: AspectTable) -> dict[str, object]:
        step = table.number("deduction_step", places=True)
        if "deduction_step" not in table:
            fix = "the mark taken off per deduction, e.g. deduction_step = 0.5"
            table.problem("deduction_step", f"deduction aspects need deduction_step, {fix}")
        elif step is not None and (step <= 0 or (table.max_mark is not None and step > table.max_mark)):
            table.problem("deduction_step", f"must be greater than 0 and at most max, not {plain(step)}")
        return {"deduction_step": step, "max_deductions": table.integer("max_deductions", 1), **self.read_agreement(table)}

    def limit(self, aspect: Aspect) -> int | None:
        """``max_deductions``, else as many deductions as take the mark to 0."""
        if aspect.max_deductions is not None:
            return aspect.max_deductions
        if aspect.deduction_step:
            return int((aspect.max_mark / aspect.deduction_step).to_integral_value(rounding=ROUND_CEILING))
        return None

    def entry_problem(self, aspect: Aspect, value: Decimal, raw: object) -> str | None:
        limit = self.limit(aspect)
        if value == value.to_integral_value() and value >= 0 and (limit is None or value <= limit):
            return None
        return Message(N_("aspect %(aspect)s takes a whole number of deductions from 0 to %(limit)s, not %(value)s"), aspect=aspect.id,
                       limit=limit, value=raw)


KIND = register_kind(Deduction())
