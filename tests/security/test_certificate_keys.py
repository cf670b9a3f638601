"""Certificates are signed with keys of their own: rotating the session key (SECRET_KEY) or the
certificate keys leaves every printed certificate verifying."""

from __future__ import annotations

from urllib.parse import urlsplit

from click.testing import CliRunner

from competition.certificates.tokens import make_token
from competition.cli import main as podium
from competition.services import certificates as service
from tests.certificates.helpers import final_event

LEGACY = "legacy"


def keyring():
    from competition.services.certificate_keys import keyring

    return keyring()


def _printed_token(tmp_path) -> tuple[dict, str]:
    setup = final_event(tmp_path)
    cert = service.issue([setup["by_code"]["T-01"]])[0]
    return setup, urlsplit(service.certificate_data(cert).verify_url).path.rsplit("/", 1)[1]


def test_rotating_the_session_key_keeps_printed_certificates_genuine(app, client, tmp_path):
    _, token = _printed_token(tmp_path)
    assert service.verify(token).status == service.GENUINE
    app.config["SECRET_KEY"] = "a-new-session-key-after-a-leak"
    assert service.verify(token).status == service.GENUINE
    page = client.get(f"/verify/{token}")
    assert page.status_code == 200 and "Genuine certificate" in page.get_data(as_text=True)


def test_the_qr_token_names_its_key_and_is_not_signed_with_the_session_key(app, tmp_path):
    _, token = _printed_token(tmp_path)
    number, kid, _ = token.split(".")
    assert kid == keyring().signing[0] and kid != LEGACY
    assert token != make_token(number, app.config["SECRET_KEY"])


def test_rotating_the_certificate_keys_keeps_old_certificates_verifying(app, client, tmp_path):
    setup, old = _printed_token(tmp_path)
    before = keyring().signing[0]
    result = CliRunner().invoke(podium, ["certificate-keys", "rotate"])
    assert result.exit_code == 0, result.output
    after = keyring().signing[0]
    assert after != before and before in keyring().ids
    cert = service.current_certificate(setup["by_code"]["T-01"])
    new = urlsplit(service.certificate_data(cert).verify_url).path.rsplit("/", 1)[1]
    assert new.split(".")[1] == after
    for token in (old, new):
        assert client.get(f"/verify/{token}").status_code == 200
    listed = CliRunner().invoke(podium, ["certificate-keys", "list"])
    assert listed.exit_code == 0 and after in listed.output and before in listed.output
    assert keyring().signing[1] not in listed.output, "the list never shows a secret"


def test_a_token_naming_an_unknown_or_another_key_is_not_genuine(app, client, tmp_path):
    _, token = _printed_token(tmp_path)
    number, kid, signature = token.split(".")
    for forged in (f"{number}.other.{signature}", f"{number}.{LEGACY}.{signature}", f"{number}.{kid}", f"{number}..{signature}",
                   f"{number}.{kid}.{signature}.x", make_token(number, "guessed-secret")):
        assert service.verify(forged).status == service.NOT_GENUINE, forged
        assert client.get(f"/verify/{forged}").status_code == 404


def test_certificates_printed_with_the_old_session_key_still_verify(app, tmp_path):
    """Before keys were separate, tokens were <number>.<signature> under SECRET_KEY: the key file
    keeps that key as 'legacy' when it is first made."""
    setup = final_event(tmp_path)
    cert = service.issue([setup["by_code"]["T-02"]])[0]
    legacy_token = make_token(cert.number, app.config["SECRET_KEY"])
    assert service.verify(legacy_token).status == service.GENUINE
    app.config["SECRET_KEY"] = "rotated"
    assert service.verify(legacy_token).status == service.GENUINE


def test_keys_from_the_environment_setting_sign_and_verify(app, tmp_path):
    setup = final_event(tmp_path)
    cert = service.issue([setup["by_code"]["T-01"]])[0]
    app.config["CERTIFICATE_KEYS"] = "old:" + "o" * 32
    old = urlsplit(service.certificate_data(cert).verify_url).path.rsplit("/", 1)[1]
    app.config["CERTIFICATE_KEYS"] = "new:" + "n" * 32 + ",old:" + "o" * 32
    assert service.verify(old).status == service.GENUINE
    assert ".new." in service.certificate_data(cert).verify_url
    result = CliRunner().invoke(podium, ["certificate-keys", "rotate"])
    assert result.exit_code == 1 and "PODIUM_CERTIFICATE_KEYS" in result.output


def test_the_key_file_is_created_for_its_owner_only_and_survives_a_rotation(app, tmp_path):
    from competition.certificates.keys import ensure_file, load_file, parse
    from competition.services.certificate_keys import key_file

    path = tmp_path / "fresh" / "certificate_keys"
    assert ensure_file(path, "old-session-key")
    assert path.stat().st_mode & 0o777 == 0o600
    ring = load_file(path)
    assert ring.secret(LEGACY) == "old-session-key" and len(ring.signing[1]) >= 32
    assert key_file(app).stat().st_mode & 0o777 == 0o600
    CliRunner().invoke(podium, ["certificate-keys", "rotate"])
    assert key_file(app).stat().st_mode & 0o777 == 0o600
    assert parse("a:" + "x" * 16).ids == ("a",)
