"""Aspect kinds, each defined once: one module per kind, registered in :data:`KINDS`.

See :mod:`competition.scoring.kinds.base` for what a kind declares. To add a kind, write one
module here (the kind and its rule) and one partial ``templates/judge/kinds/<name>.html``,
and import the module below; the import order is the order kinds are listed in scheme-file
problems ("use one of: binary, stepped, deduction").
"""

# Registration order: the order in which scheme-file problems list types and methods.
# isort: off
from competition.scoring.kinds import judgement  # noqa: F401
from competition.scoring.kinds import binary  # noqa: F401
from competition.scoring.kinds import stepped  # noqa: F401
from competition.scoring.kinds import deduction  # noqa: F401
from competition.scoring.kinds import points  # noqa: F401
# isort: on

from competition.scoring.kinds.base import (
    CHOICES,
    COUNTER,
    KEYPAD,
    KINDS,
    AspectKind,
    AspectTable,
    Choice,
    kind_for,
    kind_of,
    methods,
    register_kind,
    type_keys,
    types,
)

__all__ = [
    "CHOICES",
    "COUNTER",
    "KEYPAD",
    "KINDS",
    "AspectKind",
    "AspectTable",
    "Choice",
    "kind_for",
    "kind_of",
    "methods",
    "register_kind",
    "type_keys",
    "types",
]
