"""Judgement: each judge of the panel scores the aspect on its scale, 0-3 against four
descriptors unless the scheme declares another scale (:mod:`competition.scoring.scales`).

Scheme keys: ``scale`` (the aspect's own; otherwise the scheme's ``scale``, else the scale of
the rule's rule book for a judged sport, else 0-3), ``descriptors`` (one text per level of
the scale — each a non-empty string or a table of languages ``{ en = "…", zh = "…" }`` —
required on the default 0-3 scale, optional on a declared one of at most
:data:`~competition.scoring.scales.MAX_BUTTONS` levels, where they replace the scale's own),
and — as the only kind that chooses its rule — ``rule`` / ``rule_params`` (default: the
scheme's ``rule``, else ``worldskills_judgement``). The judgement rules themselves
(``worldskills_judgement``, ``mean``, ``median``, ``trimmed_mean``) live in
:mod:`competition.scoring.rules`, the panel rules of judged sports (diving, gymnastics,
figure skating…) in :mod:`competition.scoring.sports`, registered when this module is imported.

A scale of a few levels is entered with one button per level (``choices``); a finer one
(0-10 in tenths) with a keypad (``keypad``), the value shown big and sent when confirmed.

>>> from decimal import Decimal as D
>>> from competition.scoring.model import Aspect, RuleRef
>>> from competition.scoring.scales import Scale
>>> aspect = Aspect("B1.1", "Finish", D(3), "judgement", RuleRef("worldskills_judgement"), descriptors=("a", "b", "c", "d"))
>>> [(c.value, c.label) for c in KIND.choices(aspect)]
[('0', 'a'), ('1', 'b'), ('2', 'c'), ('3', 'd')]
>>> KIND.entry_problem(aspect, D("1.5"), "1.5")
'aspect B1.1 takes a judgement score 0, 1, 2 or 3, not 1.5'
>>> KIND.worth(aspect, 2)
Decimal('2.00')
>>> fine = Aspect("B1.2", "Finish", D(5), "judgement", RuleRef("mean"), scale=Scale(D(0), D(10), D("0.1")))
>>> KIND.widget_of(fine), KIND.choices(fine), KIND.worth(fine, "8.7")
('keypad', [], Decimal('4.35'))
>>> KIND.entry_problem(fine, D("8.75"), "8.75")
'aspect B1.2 takes a score from 0 to 10 in steps of 0.1, not 8.75'
"""

from __future__ import annotations

from decimal import Decimal

from competition.scoring import sports  # noqa: F401  (registers the judged sports' rules)
from competition.scoring.i18n import N_, Message
from competition.scoring.kinds.base import CHOICES, KEYPAD, AspectKind, AspectTable, Choice, register_kind
from competition.scoring.model import JUDGEMENT, Aspect
from competition.scoring.numbers import plain
from competition.scoring.rules import RULES
from competition.scoring.scales import DEFAULT, Scale, read_descriptors, read_scale


class Judgement(AspectKind):
    type = JUDGEMENT
    keys = ("descriptors", "scale")
    chooses_rule = True
    default_rule = "worldskills_judgement"
    widget = CHOICES

    def read(self, table: AspectTable) -> dict[str, object]:
        scale, declared = self._scale(table)
        value = table.get("descriptors")
        path = f"{table.path}.descriptors"
        if scale is None:  # a declared scale with problems of its own: descriptors are not checked against it
            return {"descriptors": ()}
        if value is None:
            if not declared:
                table.problem("descriptors", "judgement aspects need descriptors; give four descriptors, one for each score 0, 1, 2, 3")
            return {"descriptors": scale.descriptors, "scale": scale}
        descriptors = read_descriptors(table.check, value, path, scale)
        return {"descriptors": descriptors or (), "scale": scale}

    def _scale(self, table: AspectTable) -> tuple[Scale | None, bool]:
        """The aspect's scale (None when the declared one has problems) and whether it was
        declared (by the aspect, the scheme or its rule's rule book) rather than the default."""
        if "scale" in table:
            scale, where = read_scale(table.check, table.get("scale"), f"{table.path}.scale"), "the aspect's"
        elif "scale" in (table.inherited or {}):
            scale, where = table.inherited["scale"], "the scheme's"
        elif table.rule is not None and table.rule.name in RULES and RULES[table.rule.name].scale is not None:
            return RULES[table.rule.name].scale, True
        else:
            return DEFAULT, False
        if scale is None or not scale.points:
            return scale, True
        if table.max_mark is None:
            return None, True
        if table.max_mark % scale.step:
            table.problem("max", f"{plain(table.max_mark)} is not a whole number of steps of {plain(scale.step)}, and the "
                                 f"aspect is judged in points from 0 to its max; change max or {where} scale step")
            return None, True
        return scale.for_max(table.max_mark), True

    def widget_of(self, aspect: Aspect) -> str:
        return CHOICES if aspect.scale.buttons else KEYPAD

    def choices(self, aspect: Aspect) -> list[Choice]:
        if not aspect.scale.buttons:
            return []
        texts = aspect.descriptors
        return [Choice(plain(value), texts[i] if i < len(texts) else "") for i, value in enumerate(aspect.scale.values())]

    def entries(self, aspect: Aspect) -> tuple[Decimal, ...]:
        return aspect.scale.values()

    def entry_problem(self, aspect: Aspect, value: Decimal, raw: object) -> str | None:
        scale = aspect.scale
        if scale.contains(value):
            return None
        if scale.is_default:
            return Message(N_("aspect %(aspect)s takes a judgement score 0, 1, 2 or 3, not %(value)s"), aspect=aspect.id, value=raw)
        low, high = plain(scale.min), plain(scale.max)
        if scale.step == 1:
            return Message(N_("aspect %(aspect)s takes a whole score from %(min)s to %(max)s, not %(value)s"),
                           aspect=aspect.id, min=low, max=high, value=raw)
        return Message(N_("aspect %(aspect)s takes a score from %(min)s to %(max)s in steps of %(step)s, not %(value)s"),
                       aspect=aspect.id, min=low, max=high, step=plain(scale.step), value=raw)


KIND = register_kind(Judgement())
