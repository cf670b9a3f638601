"""The pure scoring core: marking schemes, aggregation rules, standings and medals.

Nothing here imports Flask or SQLAlchemy. Functions take plain data (a
:class:`~competition.scoring.model.MarkingScheme` and the judges' entries) and return plain
data, so every rule can be tested with worked examples alone. Aspect kinds
(:mod:`competition.scoring.kinds`) and aggregation rules (:mod:`competition.scoring.rules`)
are registries: each kind is defined once, in its own module.
"""

from competition.scoring.kinds import KINDS, AspectKind, kind_of  # registers the kinds and their rules
from competition.scoring.model import Aspect, Criterion, MarkingScheme, RuleRef, SubCriterion
from competition.scoring.rules import RULES, AspectResult, aggregate_aspect
from competition.scoring.standings import CompetitorResult, Standing, compute_standings

__all__ = [
    "KINDS",
    "RULES",
    "Aspect",
    "AspectKind",
    "AspectResult",
    "CompetitorResult",
    "Criterion",
    "MarkingScheme",
    "RuleRef",
    "Standing",
    "SubCriterion",
    "aggregate_aspect",
    "compute_standings",
    "kind_of",
]
