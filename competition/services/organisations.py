"""The event's organisations and their colours.

Rule: each organisation gets the first colour of ``PALETTE`` no other organisation of the event
has, so the first twenty organisations never share a colour; after that the palette repeats,
starting again from its first colour. The palette is Kenneth Kelly's sequence of colours of
maximum contrast (Kelly, "Twenty-two colors of maximum contrast", Color Engineering 3(6), 1965),
without white and black, which boards use for text: neighbours in the list differ most, so a
small event's few organisations are far apart.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from competition.extensions import db
from competition.models import Competitor, Event, Organisation, Skill, SkillRole, TeamMember, User
from competition.services.audit import audit
from competition.services.errors import Conflict, ServiceError

PALETTE = (
    "#F3C300", "#875692", "#F38400", "#A1CAF1", "#BE0032", "#C2B280", "#848482", "#008856", "#E68FAC", "#0067A5",
    "#F99379", "#604E97", "#F6A600", "#B3446C", "#DCD300", "#882D17", "#8DB600", "#654522", "#E25822", "#2B3D26",
)


def pick_colour(used: set[str] | list[str]) -> str:
    """The first palette colour not in ``used`` (case-insensitive); the palette repeats once all are used."""
    taken = [colour.upper() for colour in used]
    for colour in PALETTE:
        if colour not in taken:
            return colour
    return PALETTE[len(taken) % len(PALETTE)]


def ensure_colours(event: Event) -> list[Organisation]:
    """Give every organisation of ``event`` without a colour one from the palette; returns those changed."""
    organisations = db.session.scalars(select(Organisation).where(Organisation.event_id == event.id).order_by(Organisation.id)).all()
    used = [o.colour for o in organisations if o.colour]
    changed = []
    for organisation in organisations:
        if not organisation.colour:
            organisation.colour = pick_colour(used)
            used.append(organisation.colour)
            changed.append(organisation)
    db.session.flush()
    return changed


ORGANISATION_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def refuse_control_characters(**fields: str) -> None:
    """A form or file may carry invisible control characters (NUL, escape…): refuse them by
    field, since PostgreSQL stores no NUL and a name with them cannot be typed or searched."""
    for field, value in fields.items():
        if value and any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise ServiceError(field, _l("Remove the control characters (such as NUL) from this field."), code="control_character")


def organisations_of(event: Event) -> list[Organisation]:
    """The event's organisations by name."""
    return list(db.session.scalars(select(Organisation).where(Organisation.event_id == event.id).order_by(Organisation.name)))


def colours_of(event_id: int) -> dict[str, str]:
    """``{name: "#rrggbb"}`` of the event's organisations that have a colour: what boards paint."""
    rows = db.session.execute(select(Organisation.name, Organisation.colour).where(Organisation.event_id == event_id))
    return {name: colour for name, colour in rows if colour}


def _checked(event: Event, code: str, name: str, colour: str, *, current: Organisation | None = None) -> tuple[str, str, str]:
    """The tidied (code, name, colour), or the first problem as a :class:`ServiceError`."""
    code, name, colour = (code or "").strip(), " ".join((name or "").split()), (colour or "").strip()
    refuse_control_characters(code=code, name=name, colour=colour)
    if not ORGANISATION_CODE.fullmatch(code):
        raise ServiceError("code", _l("Give the organisation a code of 1-40 letters, digits, '-', '_' or '.', e.g. GD or WAL."))
    if not name or len(name) > 200:
        raise ServiceError("name", _l("Give the organisation a name of at most 200 characters."))
    if colour and not COLOUR.fullmatch(colour):
        raise ServiceError("colour", _l("A colour is written #rrggbb, e.g. #0067A5; leave it empty to have one chosen."))
    others = [o for o in organisations_of(event) if current is None or o.id != current.id]
    if any(o.code.casefold() == code.casefold() for o in others):
        raise Conflict("code", _l("%(event)s already has an organisation with the code %(code)s.", event=event.name, code=code),
                       code="duplicate")
    if any(o.name.casefold() == name.casefold() for o in others):
        raise Conflict("name", _l("%(event)s already has an organisation called %(name)s.", event=event.name, name=name), code="duplicate")
    return code, name, colour.upper()


def add_organisation(event: Event, code: str, name: str, *, colour: str = "", external_id: str | None = None,
                     by: User | None) -> Organisation:
    """Register an organisation with ``event``. Without a colour it gets the first palette
    colour the event's other organisations do not have."""
    code, name, colour = _checked(event, code, name, colour)
    colour = colour or pick_colour([o.colour for o in organisations_of(event) if o.colour])
    organisation = Organisation(event_id=event.id, code=code, name=name, colour=colour, external_id=external_id or None)
    db.session.add(organisation)
    audit("organisation_added", by=by, detail=f"{event.code}: {code} {name} {colour}")
    db.session.flush()
    return organisation


def update_organisation(organisation: Organisation, *, code: str, name: str, colour: str, by: User | None) -> Organisation:
    """Change an organisation's code, name or colour (empty: a palette colour again). A new name
    is carried to the competitors, team members and people of the event who named the old one,
    since they name their organisation by its name."""
    event = db.session.get(Event, organisation.event_id)
    code, name, colour = _checked(event, code, name, colour, current=organisation)
    old = organisation.name
    if not colour:
        colour = pick_colour([o.colour for o in organisations_of(event) if o.colour and o.id != organisation.id])
    if name != old:
        skill_ids = select(Skill.id).where(Skill.event_id == event.id)
        competitor_ids = select(Competitor.id).where(Competitor.skill_id.in_(skill_ids))
        db.session.execute(update(Competitor).where(Competitor.skill_id.in_(skill_ids), Competitor.organisation == old)
                           .values(organisation=name))
        db.session.execute(update(TeamMember).where(TeamMember.competitor_id.in_(competitor_ids), TeamMember.organisation == old)
                           .values(organisation=name))
        people = select(SkillRole.user_id).where(SkillRole.skill_id.in_(skill_ids))
        db.session.execute(update(User).where(User.id.in_(people), User.organisation == old).values(organisation=name))
    detail = f"{event.code}: {organisation.code} {old} {organisation.colour} -> {code} {name} {colour}"
    organisation.code, organisation.name, organisation.colour = code, name, colour
    audit("organisation_updated", by=by, detail=detail)
    db.session.flush()
    return organisation
