"""The judge's competitor list: its order, each row's states, the filter and the way on to the
next competitor at the same criterion.

A row's states are what the judge can still do about that competitor, so the list, its
summary line and its filter say the same thing as the sign-off on the form:

- ``to-mark``: an aspect still needs this judge's mark;
- ``flagged``: an aspect the judge sees is flagged (the panel disagrees) and the chief expert
  has not let it stand — it blocks sign-off until it is re-marked or overridden;
- ``ready``: nothing stands in the way of signing off (``sign_off_problems`` is empty), and
  the judge has not signed yet;
- ``signed``: the judge signed off, or the whole panel did and the marks are locked.

A competitor may be both ``to-mark`` and ``flagged``; a competitor with a flag is never
``ready``. A competitor of the judge's own organisation, or one still waiting for the
encryption draw, has no state: it is not theirs to mark.
"""

from __future__ import annotations

from flask_login import current_user

from competition.models import Competitor, Skill
from competition.services.access import conflicted, shown_code

LIST_STATES = ("to-mark", "flagged", "ready", "signed")


def in_list_order(skill: Skill) -> list[Competitor]:
    """The skill's competitors in the order the judge's list shows them: by the code the judge
    sees, those without one (before the encryption draw) last."""
    return sorted(skill.competitors, key=lambda c: (shown_code(current_user, c) == "", shown_code(current_user, c)))


def row_states(*, markable: bool, todo: int, flagged: int, signed: bool, ready: bool) -> set[str]:
    """The states of one row of the list (see the module's docstring)."""
    if not markable:
        return set()
    states = set()
    if signed:
        states.add("signed")
    elif ready:
        states.add("ready")
    if todo:
        states.add("to-mark")
    if flagged:
        states.add("flagged")
    return states


def matches(row: dict, query: str) -> bool:
    """True when the row's code, name, organisation or a team member's name contains ``query``
    (ignoring case); an empty query matches every row. Only what the judge may see is searched."""
    if not query:
        return True
    words = [row["code"], row["name"], row["organisation"], *(m.name for m in row["members"])]
    return query.casefold() in " ".join(w for w in words if w).casefold()


def next_competitor(skill: Skill, competitor: Competitor) -> Competitor | None:
    """The next competitor after ``competitor`` in the list that this judge may mark (a code shown,
    no conflict of interest, not locked), or None at the end of the list."""
    order = in_list_order(skill)
    after = order[order.index(competitor) + 1:] if competitor in order else []
    for other in after:
        if shown_code(current_user, other) and not other.locked and not conflicted(current_user, other):
            return other
    return None
