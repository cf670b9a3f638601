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
