"""Checking one judge's entry against an aspect, before it is stored."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from competition.scoring.model import BINARY, DEDUCTION, JUDGEMENT_SCORES, STEPPED, Aspect
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

    Judgement: a whole score 0-3. Binary: 0 (no) or 1 (yes). Stepped: one of the listed
    steps. Deduction: a whole number of deductions from 0 up to ``max_deductions`` (or up to
    the number that takes the mark to 0).
    """
    if isinstance(raw, bool) or raw is None:
        raise EntryError("value", "must be a number")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise EntryError("value", f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise EntryError("value", "must be a finite number")
    if aspect.is_judgement:
        if value not in [Decimal(s) for s in JUDGEMENT_SCORES]:
            raise EntryError("value", f"aspect {aspect.id} takes a judgement score 0, 1, 2 or 3, not {raw}")
    elif aspect.method == BINARY:
        if value not in (Decimal(0), Decimal(1)):
            raise EntryError("value", f"aspect {aspect.id} takes 1 (yes) or 0 (no), not {raw}")
    elif aspect.method == STEPPED:
        if value not in aspect.steps:
            listed = ", ".join(str(s) for s in aspect.steps)
            raise EntryError("value", f"aspect {aspect.id} takes one of {listed}, not {raw}")
    elif aspect.method == DEDUCTION:
        limit = aspect.max_deductions
        if limit is None and aspect.deduction_step:
            limit = int(-(-aspect.max_mark // aspect.deduction_step))
        if value != value.to_integral_value() or value < 0 or (limit is not None and value > limit):
            raise EntryError("value", f"aspect {aspect.id} takes a whole number of deductions from 0 to {limit}, not {raw}")
    return value.normalize() if value == value.to_integral_value() else value


def entry_to_mark(aspect: Aspect, value: Decimal) -> Decimal:
    """What one entry alone would be worth, e.g. to show a judge the resulting mark."""
    from competition.scoring.rules import aggregate_aspect

    return aggregate_aspect(aspect, [value]).mark or Decimal(0)
