"""How marks and entries are written: one rule for people, one for the JSON API.

Every place that turns a mark, an entry, a step or a max into text uses one of these two
functions, so a stored ``1.50``, a listed step ``1.5`` and a judge's tap on "1.5" are the
same text everywhere (the marking form pre-selects by comparing these strings):

- :func:`plain` — as people read and write numbers: exact, without trailing zeros or an
  exponent (``1.5``, ``10``, ``0.05``, ``100``). Marking form, entries written back (form
  choices, the marks API's ``value``, discussion lists, 409 bodies), the chief expert's
  pages, scheme-file problems.
- :func:`api_decimal` — the documented JSON API format for scores: two decimals as a string
  (``"12.50"``), rounded as marks are (:func:`round_mark`).

Pure: standard library only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MARK_PLACES = Decimal("0.01")
MISSING = "–"

__all__ = ["MARK_PLACES", "MISSING", "api_decimal", "as_decimal", "plain", "round_mark"]


def as_decimal(value: object) -> Decimal:
    """``value`` as an exact Decimal: ints and strings as written, floats by their shortest
    repr (``0.1`` is ``Decimal("0.1")``, not the binary approximation)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a mark is a number, not a bool")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None


def round_mark(value: Decimal) -> Decimal:
    """Round a mark to two decimal places, half away from zero.

    >>> round_mark(Decimal("2.345")), round_mark(Decimal("0.125")), round_mark(Decimal("-0.125"))
    (Decimal('2.35'), Decimal('0.13'), Decimal('-0.13'))
    """
    return value.quantize(MARK_PLACES, rounding=ROUND_HALF_UP)


def plain(value: object, missing: str = MISSING) -> str:
    """A number as people read it: exact, no trailing zeros, never an exponent.

    ``None`` is written as ``missing`` (a dash: not marked yet).

    >>> [plain(Decimal(v)) for v in ("1.5", "1.50", "10", "10.00", "0.05", "100", "1E+1", "-0.00")]
    ['1.5', '1.5', '10', '10', '0.05', '100', '10', '0']
    >>> plain(3), plain(0.1), plain("2.50"), plain(None)
    ('3', '0.1', '2.5', '–')
    """
    if value is None:
        return missing
    number = as_decimal(value)
    if not number.is_finite():
        return str(number)
    if number.is_zero():
        return "0"
    return format(number.normalize(), "f")


def api_decimal(value: object) -> str:
    """A score as the JSON API writes it: a string with exactly two decimals.

    >>> [api_decimal(Decimal(v)) for v in ("12.5", "10", "1E+1", "0.05", "100", "2.345", "-0")]
    ['12.50', '10.00', '10.00', '0.05', '100.00', '2.35', '0.00']
    """
    number = round_mark(as_decimal(value))
    return format(abs(number) if number.is_zero() else number, "f")
