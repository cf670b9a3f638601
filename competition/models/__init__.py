"""SQLAlchemy models, one module per area."""

from competition.models.boards import BoardState  # noqa: F401  (boards: version, reveal)
from competition.models.events import Competitor, Event, Skill
from competition.models.marking import Mark, MarkRevision
from competition.models.people import SkillRole, User

__all__ = ["Competitor", "Event", "Mark", "MarkRevision", "Skill", "SkillRole", "User"]
