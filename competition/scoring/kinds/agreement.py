"""Measurement disagreement: how far a panel's measurement entries may differ before the
aspect is flagged.

Measurement is normally entered once, by the panel in consensus. Where several judges enter,
the aspect's rule still settles the mark (the majority for yes/no, the lower median of
deduction counts and steps), but entries further apart than the aspect allows *flag* the
aspect, like judgement variance: the panel and the chief expert see it at once, and it blocks
sign-off until the entries are re-entered or the chief expert overrides it with a reason.

What the panel must agree on is the aspect's ``agreement`` (or the scheme's
``measurement_agreement = { binary = …, deduction = …, stepped = … }``, by kind):

- ``binary``: ``"unanimous"`` (the default: any split yes/no is flagged) or ``"majority"``
  (the majority settles it without a flag, a tie is not awarded — Podium's behaviour before
  flags existed);
- ``deduction``: the largest difference between the counts that is settled without a flag,
  a whole number (default 0: the counts must be equal);
- ``stepped``: the most steps apart the entries may be, a whole number (default 0: the same
  step), counted along the aspect's ``steps`` (0, 1.5, 3: 0 and 3 are two steps apart).

The default flags any disagreement: the safe choice for a real competition, where a
measurement entered differently by two judges means one of them measured something else.

Pure: standard library only.

>>> from decimal import Decimal as D
>>> from competition.scoring.kinds import kind_of
>>> from competition.scoring.model import Aspect, RuleRef
>>> glasses = Aspect("A1.1", "Glasses worn", D(1), "measurement", RuleRef("binary"), method="binary")
>>> kind_of(glasses).disagreement(glasses, [D(0), D(1), D(0)])
Disagreement(kind='binary', entries=(Decimal('1'), Decimal('0'), Decimal('0')), apart=1, allowed=0)
>>> kind_of(glasses).describe(kind_of(glasses).disagreement(glasses, [D(0), D(1), D(0)]))
'the panel entered yes/no/no'
>>> kind_of(glasses).disagreement(glasses, [D(1), D(1)]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from competition.scoring.i18n import N_, Message
from competition.scoring.kinds.base import AspectKind, AspectTable
from competition.scoring.model import Aspect
from competition.scoring.numbers import plain

AGREEMENT = "agreement"  # the aspect key, and the key of Aspect.settings that holds its value
UNANIMOUS, MAJORITY = "unanimous", "majority"


@dataclass(frozen=True)
class Disagreement:
    """Measurement entries further apart than the aspect allows.

    ``entries`` are the panel's entries in the order people read them (yes before no; counts
    and steps ascending), whatever order the judges entered them in; ``apart`` is how far
    apart they are in the kind's unit (binary: 1 for a split; deduction: counts; stepped:
    steps) and ``allowed`` the most the aspect allows (binary unanimous: 0).
    """

    kind: str
    entries: tuple[Decimal, ...]
    apart: int
    allowed: int


class PanelMeasurement(AspectKind):
    """A measurement kind whose entries by several judges are checked for agreement.

    A kind sets :attr:`agreement_default` and, if its setting is not a whole number of its
    units, overrides :meth:`check_agreement` and :meth:`allowed`; it overrides :meth:`apart`
    to say how far apart entries are. Its ``read`` includes :meth:`read_agreement`.
    """

    agreement_default: object = 0
    agreement_unit = "units"  # what a whole-number setting counts, for problems
    # What a flag says (translated where shown): %(entries)s are the entries' words joined by
    # entry_separator, %(allowed)s the most the aspect allows.
    disagreement_wording = N_("the entries %(entries)s differ by more than %(allowed)s")
    entry_separator = ", "
    entry_words_translated = False  # entry_word() gives words to translate (yes, no), not numbers

    @property
    def scheme_keys(self) -> tuple[str, ...]:
        return super().scheme_keys + (AGREEMENT,)

    # -- scheme files --------------------------------------------------------------------

    def check_agreement(self, value: object) -> tuple[object | None, str | None]:
        """``(setting, None)`` for a valid ``agreement`` value, else ``(None, problem)``."""
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value, None
        return None, f"must be a whole number of {self.agreement_unit}, 0 or more (0: the entries must agree), not {value!r}"

    def read_agreement(self, table: AspectTable) -> dict[str, object]:
        """The aspect's ``agreement``, else the scheme's for this kind, else the kind's default,
        as ``{"settings": {"agreement": …}}`` for :meth:`read`."""
        if AGREEMENT in table:
            value, problem = self.check_agreement(table.get(AGREEMENT))
            if problem:
                table.problem(AGREEMENT, problem)
        else:
            value = table.agreements.get(self.name)
        return {"settings": {AGREEMENT: self.agreement_default if value is None else value}}

    def read(self, table: AspectTable) -> dict[str, object]:
        return self.read_agreement(table)

    # -- entries -------------------------------------------------------------------------

    def agreement(self, aspect: Aspect) -> object:
        """The aspect's setting (the kind's default for an aspect built without one)."""
        return aspect.settings.get(AGREEMENT, self.agreement_default)

    def allowed(self, aspect: Aspect) -> int | None:
        """The most the entries may be apart without a flag (None: never flagged)."""
        value = self.agreement(aspect)
        return value if isinstance(value, int) else None

    def apart(self, aspect: Aspect, entries: Sequence[Decimal]) -> int:
        """How far apart ``entries`` are, in the kind's unit (0: they agree)."""
        return int(max(entries) - min(entries)) if entries else 0

    def reading_order(self, entries: Sequence[Decimal]) -> tuple[Decimal, ...]:
        return tuple(sorted(entries))

    def entry_word(self, entry: Decimal) -> str:
        """An entry as a flag shows it (a number as people read it; binary: yes or no)."""
        return plain(entry)

    def describe(self, disagreement: Disagreement) -> Message:
        """What disagrees, in English (the web layer words it in the reader's language from
        :attr:`disagreement_wording` and :meth:`entry_word`)."""
        entries = self.entry_separator.join(self.entry_word(e) for e in disagreement.entries)
        return Message(self.disagreement_wording, entries=entries, allowed=disagreement.allowed)

    def disagreement(self, aspect: Aspect, entries: Sequence[Decimal]) -> Disagreement | None:
        allowed = self.allowed(aspect)
        if allowed is None or len(entries) < 2:
            return None
        apart = self.apart(aspect, entries)
        if apart <= allowed:
            return None
        return Disagreement(self.name, self.reading_order(entries), apart, allowed)
