"""A certificate's QR code opens the event's public address when it has one, else the server's configured one."""

from __future__ import annotations

from competition.services import certificates as service
from tests.certificates.helpers import final_event


def test_the_qr_address_is_the_events_public_address(app, tmp_path):
    setup = final_event(tmp_path)
    certificate = service.issue([setup["by_code"]["T-01"]])[0]
    setup["event"].public_url = ""
    assert service.certificate_data(certificate).verify_url.startswith(app.config["PUBLIC_URL"].rstrip("/") + "/verify/")
    setup["event"].public_url = "https://results.example.org"
    assert service.certificate_data(certificate).verify_url.startswith("https://results.example.org/verify/")
    explicit = service.certificate_data(certificate, public_url="https://other.example.org")
    assert explicit.verify_url.startswith("https://other.example.org/verify/")
