"""SQLAlchemy models, one module per area."""

from competition.models.boards import BoardState  # noqa: F401  (boards: version, reveal)
from competition.models.certificates import Certificate, CertificateBatch, CertificateBatchPart, CertificateSettings  # noqa: F401
from competition.models.console import Draw, Job, Organisation, SignInLink
from competition.models.events import Competitor, Event, Skill, TeamMember
from competition.models.judging import (
    ApiToken,
    AspectDiscussion,
    AuditEntry,
    FormPresence,
    MarkingWindow,
    SignOff,
    VarianceOverride,
)
from competition.models.marking import Mark, MarkRevision
from competition.models.people import SkillRole, User

__all__ = ["Competitor", "Event", "Mark", "MarkRevision", "Skill", "SkillRole", "TeamMember", "User"]
# Judging (sign-in tokens, sign-off, variance, windows, audit).
__all__ += ["ApiToken", "AspectDiscussion", "AuditEntry", "FormPresence", "MarkingWindow", "SignOff", "VarianceOverride"]
# Set-up and running an event.
__all__ += ["Draw", "Job", "Organisation", "SignInLink"]
