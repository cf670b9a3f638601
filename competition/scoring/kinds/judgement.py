"""Judgement: each judge of the panel scores 0-3 against the aspect's four descriptors.

Scheme keys: ``descriptors`` (four texts, one per score: each a non-empty string or a table
of languages ``{ en = "…", zh = "…" }``), and — as the only kind
that chooses its rule — ``rule`` / ``rule_params`` (default: the scheme's ``rule``, else
``worldskills_judgement``). The judgement rules themselves (``worldskills_judgement``,
``mean``, ``median``, ``trimmed_mean``) live in :mod:`competition.scoring.rules`, the panel
rules of judged sports (diving, gymnastics, figure skating…) in
:mod:`competition.scoring.sports`, registered when this module is imported.

>>> from decimal import Decimal as D
>>> from competition.scoring.model import Aspect, RuleRef
>>> aspect = Aspect("B1.1", "Finish", D(3), "judgement", RuleRef("worldskills_judgement"), descriptors=("a", "b", "c", "d"))
>>> [(c.value, c.label) for c in KIND.choices(aspect)]
[('0', 'a'), ('1', 'b'), ('2', 'c'), ('3', 'd')]
>>> KIND.entry_problem(aspect, D("1.5"), "1.5")
'aspect B1.1 takes a judgement score 0, 1, 2 or 3, not 1.5'
>>> KIND.worth(aspect, 2)
Decimal('2.00')
"""

from __future__ import annotations

from decimal import Decimal

from competition.scoring import sports  # noqa: F401  (registers the judged sports' rules)
from competition.scoring.i18n import N_, Message
from competition.scoring.kinds.base import CHOICES, AspectKind, AspectTable, Choice, register_kind
from competition.scoring.model import JUDGEMENT, Aspect

SCORES = (0, 1, 2, 3)


class Judgement(AspectKind):
    type = JUDGEMENT
    keys = ("descriptors",)
    chooses_rule = True
    default_rule = "worldskills_judgement"
    widget = CHOICES

    def read(self, table: AspectTable) -> dict[str, object]:
        fix = "give four descriptors, one for each score 0, 1, 2, 3"
        value = table.get("descriptors")
        if value is None:
            table.problem("descriptors", f"judgement aspects need descriptors; {fix}")
            return {"descriptors": ()}
        if not isinstance(value, list):
            table.problem("descriptors", f"must be a list of strings; {fix}")
            return {"descriptors": ()}
        if len(value) != len(SCORES):
            table.problem("descriptors", f"has {len(value)} descriptor{'s' if len(value) != 1 else ''}; {fix}")
        texts = [table.words_in("descriptors", i, text, bad=f"must be a non-empty string describing score {i}")
                 for i, text in enumerate(value)]
        return {"descriptors": tuple(text or "" for text in texts)}

    def choices(self, aspect: Aspect) -> list[Choice]:
        texts = aspect.descriptors
        return [Choice(str(score), texts[score] if score < len(texts) else "") for score in SCORES]

    def entry_problem(self, aspect: Aspect, value: Decimal, raw: object) -> str | None:
        if value in SCORES:
            return None
        return Message(N_("aspect %(aspect)s takes a judgement score 0, 1, 2 or 3, not %(value)s"), aspect=aspect.id, value=raw)


KIND = register_kind(Judgement())
