"""Binary measurement: all or nothing. The panel enters 1 (yes) or 0 (no).

Scheme key ``agreement``: ``"unanimous"`` (default: a split yes/no is flagged) or
``"majority"`` (see :mod:`competition.scoring.kinds.agreement`). Rule ``binary``: the
aspect's max if a strict majority of the entries say yes, else 0.

>>> from decimal import Decimal as D
>>> from competition.scoring.model import Aspect, RuleRef
>>> aspect = Aspect("A1.1", "Glasses worn", D("1.5"), "measurement", RuleRef("binary"), method="binary")
>>> [(c.value, c.label, KIND.worth(aspect, c.value)) for c in KIND.choices(aspect)]
[('1', 'Yes', Decimal('1.50')), ('0', 'No', Decimal('0.00'))]
>>> KIND.entry_problem(aspect, D(2), 2)
'aspect A1.1 takes 1 (yes) or 0 (no), not 2'
>>> result = binary(aspect, [D(1), D(0), D(1)])  # the majority says yes, but the panel is split
>>> result.mark, result.flagged
(Decimal('1.50'), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from competition.scoring.i18n import N_, Message
from competition.scoring.kinds.agreement import MAJORITY, UNANIMOUS, PanelMeasurement
from competition.scoring.kinds.base import CHOICES, Choice, register_kind
from competition.scoring.model import MEASUREMENT, Aspect
from competition.scoring.rules import AspectResult, measurement_result, register


@register("binary", kinds=("binary",))
def binary(aspect: Aspect, entries: Sequence[Decimal]) -> AspectResult:
    """All-or-nothing measurement: the full max mark if a strict majority of entries say yes (1).

    Measurement is normally entered once by the panel in consensus; where several judges
    enter, the majority decides and a tie is not awarded (the benefit of the doubt is not
    given, as for a measurement that cannot be confirmed). A split panel is flagged unless
    the aspect's ``agreement`` is ``"majority"``.
    """
    if not entries:
        return measurement_result(aspect, entries, None)
    yes = sum(1 for e in entries if e >= 1)
    mark = aspect.max_mark if yes * 2 > len(entries) else Decimal(0)
    return measurement_result(aspect, entries, mark, flagged=KIND.disagreement(aspect, entries) is not None)


class Binary(PanelMeasurement):
    type = MEASUREMENT
    method = "binary"
    default_rule = "binary"
    widget = CHOICES
    agreement_default = UNANIMOUS
    disagreement_wording = N_("the panel entered %(entries)s")  # e.g. yes/no/no
    entry_separator = "/"
    entry_words_translated = True

    def check_agreement(self, value: object) -> tuple[object | None, str | None]:
        if value in (UNANIMOUS, MAJORITY):
            return value, None
        return None, (f'must be "{UNANIMOUS}" (a split yes/no is flagged) or "{MAJORITY}" (the majority decides, '
                      f"no flag), not {value!r}")

    def allowed(self, aspect: Aspect) -> int | None:
        return 0 if self.agreement(aspect) == UNANIMOUS else None

    def apart(self, aspect: Aspect, entries: Sequence[Decimal]) -> int:
        return 1 if len({e >= 1 for e in entries}) > 1 else 0

    def reading_order(self, entries: Sequence[Decimal]) -> tuple[Decimal, ...]:
        return tuple(sorted(entries, reverse=True))  # yes before no

    def entry_word(self, entry: Decimal) -> str:
        return N_("yes") if entry >= 1 else N_("no")

    def choices(self, aspect: Aspect) -> list[Choice]:
        return [Choice("1", N_("Yes")), Choice("0", N_("No"))]  # translated where shown

    def entry_problem(self, aspect: Aspect, value: Decimal, raw: object) -> str | None:
        if value in (0, 1):
            return None
        return Message(N_("aspect %(aspect)s takes 1 (yes) or 0 (no), not %(value)s"), aspect=aspect.id, value=raw)


KIND = register_kind(Binary())
