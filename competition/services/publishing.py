"""Publishing a skill's state to its boards. Called by services after they committed."""

from __future__ import annotations

from competition.models import Skill
from competition.realtime import publish, skill_room
from competition.services.results import public_standings_payload


def publish_skill(skill: Skill) -> None:
    publish(skill_room(skill.code), "standings", public_standings_payload(skill))
