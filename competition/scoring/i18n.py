"""Marking person-readable text of the scoring core for translation, without translating it.

The core imports no translation machinery (it is pure). :func:`N_` returns its argument
unchanged; it only tells ``pybabel extract`` (``-k N_``) which strings are labels. The web
layer translates them when it shows them.
"""


def N_(message: str) -> str:
    """Return ``message`` unchanged: a label to be translated where it is shown."""
    return message
