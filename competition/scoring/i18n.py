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


class Message(str):
    """A message for people with its placeholders filled in, which still knows its ``template``
    (marked with :func:`N_`) and ``params``, so the web layer can show it translated:
    ``gettext(message.template, **message.params)``. As a string it reads in English."""

    template: str
    params: dict

    def __new__(cls, template: str, **params: object) -> Message:
        message = super().__new__(cls, template % params if params else template)
        message.template, message.params = template, params
        return message
