"""Publishing a skill's state to its boards. Called by services after they committed."""

from __future__ import annotations

from competition.models import Skill
from competition.realtime import event_room, publish, skill_room
from competition.services.boards import board_payload, skill_summary


def publish_skill(skill: Skill) -> None:
    """Send the skill's full public state (with its version) to its board and its event's overview.

    Full state each time, not deltas: a board that missed a message is whole again with the next.
    """
    payload = board_payload(skill)
    publish(skill_room(skill.code), "standings", payload)
    publish(event_room(skill.event_id), "overview", skill_summary(payload))
