"""Points: one entry of the points themselves, from 0 to the aspect's max, entered once.

For a part marked elsewhere and entered (or imported) as a number, e.g. a theory test whose
score joins the practical as a weighted module (:class:`~competition.scoring.model.Module`).
The entry is the mark: a whole number of points from 0 to ``max`` (so ``max`` is whole),
taken on the marking form's counter or sent through the marks API. No scheme keys of its
own. Rule ``points``: the lower median of the entries — normally the one entry; where
several people entered, one of the values entered, the lower of the middle two.

>>> from decimal import Decimal as D
>>> from competition.scoring.model import Aspect, RuleRef
>>> aspect = Aspect("T1", "Theory test", D(20), "measurement", RuleRef("points"), method="points")
>>> KIND.limit(aspect), KIND.worth(aspect, 17)
(20, Decimal('17.00'))
>>> KIND.entry_problem(aspect, D("17.5"), "17.5")
'aspect T1 takes a whole number of points from 0 to 20, not 17.5'
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from competition.scoring.i18n import N_, Message
from competition.scoring.kinds.base import COUNTER, AspectKind, AspectTable, register_kind
from competition.scoring.model import MEASUREMENT, Aspect
from competition.scoring.numbers import plain
from competition.scoring.rules import AspectResult, lower_median, measurement_result, register


@register("points", kinds=("points",))
def points(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """The points entered are the mark (the lower median if more than one was entered)."""
    if not entries:
        return measurement_result(aspect, entries, None)
    return measurement_result(aspect, entries, lower_median(entries))


class Points(AspectKind):
    type = MEASUREMENT
    method = "points"
    default_rule = "points"
    widget = COUNTER

    def read(self, table: AspectTable) -> dict[str, object]:
        if table.max_mark is not None and table.max_mark != table.max_mark.to_integral_value():
            table.problem("max", f"points aspects take whole points, so max must be a whole number, not {plain(table.max_mark)}")
        return {}

    def limit(self, aspect: Aspect) -> int | None:
        return int(aspect.max_mark)

    def entry_problem(self, aspect: Aspect, value: Decimal, raw: object) -> str | None:
        limit = self.limit(aspect)
        if value == value.to_integral_value() and 0 <= value <= aspect.max_mark:
            return None
        return Message(N_("aspect %(aspect)s takes a whole number of points from 0 to %(limit)s, not %(value)s"), aspect=aspect.id,
                       limit=limit, value=raw)


KIND = register_kind(Points())
