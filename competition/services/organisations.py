"""The event's organisations and their colours.

Rule: each organisation gets the first colour of ``PALETTE`` no other organisation of the event
has, so the first twenty organisations never share a colour; after that the palette repeats,
starting again from its first colour. The palette is Kenneth Kelly's sequence of colours of
maximum contrast (Kelly, "Twenty-two colors of maximum contrast", Color Engineering 3(6), 1965),
without white and black, which boards use for text: neighbours in the list differ most, so a
small event's few organisations are far apart.
"""

from __future__ import annotations

from sqlalchemy import select

from competition.extensions import db
from competition.models import Event, Organisation

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
