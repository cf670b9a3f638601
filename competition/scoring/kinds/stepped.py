"""Stepped measurement: the panel enters one of the listed part marks.

Scheme key ``steps``: at least two marks, from 0, strictly ascending, the last equal to the
aspect's max, each with at most two decimals; ``agreement`` (optional): the most steps apart
the judges' entries may be without a flag, default 0 (see
:mod:`competition.scoring.kinds.agreement`). Rule ``stepped``: the lower median of the
entered steps (always a listed step).

>>> from decimal import Decimal as D
>>> from competition.scoring.model import Aspect, RuleRef
>>> aspect = Aspect("A1.2", "Clean", D(3), "measurement", RuleRef("stepped"), method="stepped", steps=(D(0), D("1.5"), D("3.0")))
>>> [(c.value, c.label) for c in KIND.choices(aspect)]
[('0', '0'), ('1.5', '1.5'), ('3', '3')]
>>> KIND.entry_problem(aspect, D("1.50"), "1.50") is None, KIND.entry_problem(aspect, D(2), "2")
(True, 'aspect A1.2 takes one of 0, 1.5, 3, not 2')
>>> KIND.apart(aspect, [D(3), D(0)]), stepped(aspect, [D(3), D("1.5")]).flagged
(2, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from competition.scoring.i18n import N_
from competition.scoring.kinds.agreement import PanelMeasurement
from competition.scoring.kinds.base import CHOICES, AspectTable, Choice, register_kind
from competition.scoring.model import MEASUREMENT, Aspect
from competition.scoring.numbers import plain
from competition.scoring.rules import AspectResult, lower_median, measurement_result, register


@register("stepped", kinds=("stepped",))
def stepped(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """Part marks from a listed set: the lower median of the entered steps.

    The lower median is always one of the listed steps (no averaging between steps), and
    a single consensus entry is taken as it is. Entries more steps apart than the aspect's
    ``agreement`` (default 0) flag the aspect.
    """
    if not entries:
        return measurement_result(aspect, entries, None)
    return measurement_result(aspect, entries, lower_median(entries), flagged=KIND.disagreement(aspect, entries) is not None)


class Stepped(PanelMeasurement):
    type = MEASUREMENT
    method = "stepped"
    keys = ("steps",)
    default_rule = "stepped"
    widget = CHOICES
    agreement_unit = "steps"
    disagreement_wording = N_("steps %(entries)s are more than %(allowed)s apart")

    def read(self, table: AspectTable) -> dict[str, object]:
        value = table.get("steps")
        if not isinstance(value, list) or len(value) < 2:
            table.problem("steps", "stepped aspects need steps, the marks a judge may give from 0 to max, e.g. steps = [0, 0.5, 1.0]")
            return {"steps": (), **self.read_agreement(table)}
        numbers = [table.number_in("steps", i, v, places=True) for i, v in enumerate(value)]
        if any(n is None for n in numbers):
            return {"steps": (), **self.read_agreement(table)}
        steps = tuple(n for n in numbers if n is not None)
        if steps[0] != 0:
            table.problem("steps", f"must start at 0, not {plain(steps[0])}")
        if any(b <= a for a, b in zip(steps, steps[1:], strict=False)):
            table.problem("steps", "must be strictly ascending, e.g. steps = [0, 0.5, 1.0]")
        if table.max_mark is not None and steps[-1] != table.max_mark:
            table.problem("steps", f"last step {plain(steps[-1])} must equal max {plain(table.max_mark)}")
        return {"steps": steps, **self.read_agreement(table)}

    def choices(self, aspect: Aspect) -> list[Choice]:
        return [Choice(plain(step), plain(step)) for step in aspect.steps]

    def apart(self, aspect: Aspect, entries: Sequence[Decimal]) -> int:
        """Steps apart along the aspect's ``steps`` (an entry between two steps, which a form
        never sends, counts as the step above the ones below it)."""
        def position(entry: Decimal) -> int:
            return sum(1 for step in aspect.steps if step < entry)

        return position(max(entries)) - position(min(entries)) if entries else 0


KIND = register_kind(Stepped())
