"""Checking one judge's entry against an aspect, before it is stored.

What an aspect takes is its kind's to say (:meth:`~competition.scoring.kinds.AspectKind.entry_problem`);
this module parses the number and raises :class:`EntryError` with the kind's message.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from competition.scoring.i18n import N_, Message
from competition.scoring.kinds import kind_of
from competition.scoring.model import Aspect
from competition.scoring.numbers import plain


class EntryError(ValueError):
    """An entry that the aspect cannot take; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def entry_text(value: Decimal) -> str:
    """An entry as people read it (:func:`competition.scoring.numbers.plain`): 10, not 10.00
    or 1E+1; 1.5, not 1.50 — the same text as the form's choices."""
    return plain(value)


def parse_entry(aspect: Aspect, raw: object) -> Decimal:
    """Return the entry as a Decimal if the aspect accepts it, else raise :class:`EntryError`.

    Per kind (see :mod:`competition.scoring.kinds`): judgement a whole score 0-3; binary 0
    (no) or 1 (yes); stepped one of the listed steps; deduction a whole number of deductions
    from 0 up to ``max_deductions`` (or up to the number that takes the mark to 0).
    """
    if isinstance(raw, bool) or raw is None:
        raise EntryError("value", Message(N_("must be a number")))
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise EntryError("value", Message(N_("%(value)s is not a number"), value=repr(raw))) from None
    if not value.is_finite():
        raise EntryError("value", Message(N_("must be a finite number")))
    problem = kind_of(aspect).entry_problem(aspect, value, raw)
    if problem:
        raise EntryError("value", problem)
    return value.normalize() if value == value.to_integral_value() else value


def entry_to_mark(aspect: Aspect, value: Decimal) -> Decimal:
    """What one entry alone would be worth, e.g. to show a judge the resulting mark."""
    return kind_of(aspect).worth(aspect, value)
