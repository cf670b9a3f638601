<<<<<<< HEAD
"""Marking person-readable text for translation without translating it here.

The scoring core is pure (no Flask, no Babel): a label it defines is wrapped in :func:`N_`,
which returns it unchanged, so the message extractor finds it and the layers that show it
translate it at the time it is shown.
"""


def N_(message: str) -> str:
    """Mark ``message`` for extraction; return it unchanged.

    >>> N_("Diving")
    'Diving'
    """
    return message
=======
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
>>>>>>> i18n-judge
