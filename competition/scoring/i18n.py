"""Marking text a person reads for translation, without translating it here.

The scoring core is pure (no Flask, no Flask-Babel): a label it produces for people, such as
a binary aspect's "Yes" / "No", is marked with :func:`N_` so that ``pybabel extract -k N_``
finds it, and the web layer or a template translates it when it shows it
(``{{ _(choice.label) }}``).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """``message`` unchanged; marks it for the catalogue."""
    return message
