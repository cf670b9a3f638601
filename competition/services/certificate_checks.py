"""What an organiser must confirm before a batch of certificates is printed.

Two things on a printed certificate cannot be taken back: the address in its QR code, and the
certificates it replaces. So before printing, :func:`check_print` names
- the address the QR codes will open, when the event has no public address of its own or the
  address is one only this computer reaches (phones scanning the certificate would fail);
- every certificate already handed out that printing would revoke as superseded (its number,
  holder and what it says), because the result, the holder's details or the settings changed.
The organiser confirms by sending back exactly what was shown (``confirm_address`` and
``confirm_superseded``); anything that changed in between is asked again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from competition.models import Certificate, Competitor, Event
from competition.services.certificates import public_address, superseded
from competition.services.setup import is_local_address


@dataclass
class PrintCheck:
    address: str
    address_warning: object | None = None  # a lazy message, or None when the address is fine
    superseded: list[Certificate] = field(default_factory=list)

    @property
    def superseded_numbers(self) -> str:
        return ",".join(c.number for c in self.superseded)

    def confirmed(self, *, address: str | None, numbers: str | None) -> bool:
        """True when nothing needs confirming, or the organiser confirmed exactly this."""
        address_ok = self.address_warning is None or (address or "").rstrip("/") == self.address
        superseded_ok = not self.superseded or (numbers or "") == self.superseded_numbers
        return address_ok and superseded_ok

    def as_json(self) -> dict:
        return {
            "address": self.address,
            "address_warning": str(self.address_warning) if self.address_warning is not None else None,
            "superseded": [{"number": c.number, "name": c.competitor_name, "competitor": c.competitor.code,
                            "issued_at": c.issued_at.isoformat() if c.issued_at else None} for c in self.superseded],
        }


def address_warning(event: Event) -> object | None:
    """Why the address printed in QR codes needs a look, or None: the event has no public
    address (the server's is used), or the address only this computer can reach."""
    address = public_address(event)
    if is_local_address(address):
        return _l("The QR codes would open %(url)s, which only this computer can reach: phones scanning a certificate will not "
                  "reach it. Set the event's public address before printing.", url=address)
    if not event.public_url:
        return _l("This event has no public address: the QR codes would open the server's default address %(url)s. Check that "
                  "phones can reach it, or set the event's public address.", url=address)
    return None


def check_print(event: Event, competitors: list[Competitor]) -> PrintCheck:
    return PrintCheck(address=public_address(event), address_warning=address_warning(event), superseded=superseded(competitors))


