"""Item 13: the session cookie's flags, and sessions that end on the server: a cookie copied
before signing out, or before a new password, no longer signs anyone in."""

from __future__ import annotations

from competition import create_app
from competition.extensions import db
from competition.models import User
from competition.services import accounts
from competition.services.effects import commit
from tests.conftest import SCHEMES, IsolatedClient
from tests.judging import PASSWORDS, judging_event, sign_in


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replayed(app, value: str):
    """A fresh browser holding only a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def set_cookie_header(client, username: str) -> str:
    response = client.post("/sign-in", data={"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 302
    return next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))


def test_the_session_cookie_is_httponly_and_samesite_lax(app, client, tmp_path):
    judging_event(tmp_path)
    header = set_cookie_header(client, "judge1")
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Secure" not in header  # the tests' public address is http://


def another_app(app, **settings):
    """A second app on the test's database, with other settings."""
    other = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "REDIS_URL": None, "WTF_CSRF_ENABLED": False, "SCHEMES_DIR": str(SCHEMES), "RATELIMIT_ENABLED": False,
                        **settings})
    other.test_client_class = IsolatedClient
    return other


def test_the_session_cookie_is_secure_when_podium_is_served_over_https(app, tmp_path):
    judging_event(tmp_path)
    served_over_https = another_app(app, PUBLIC_URL="https://podium.example.org", SESSION_COOKIE_SECURE=None)
    assert served_over_https.config["SESSION_COOKIE_SECURE"] is True and served_over_https.config["REMEMBER_COOKIE_SECURE"] is True
    header = set_cookie_header(another_app(app, SESSION_COOKIE_SECURE=True).test_client(), "judge1")
    assert "Secure" in header and "SameSite=Lax" in header and "HttpOnly" in header
    assert another_app(app, PUBLIC_URL="https://podium.example.org", SESSION_COOKIE_SECURE=False).config["SESSION_COOKIE_SECURE"] is False


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(app, client, tmp_path):
    judging_event(tmp_path)
    sign_in(client, "judge1")
    copy = session_cookie(client)
    assert replayed(app, copy).get("/judge/test/tiny/").status_code == 200
    assert client.post("/sign-out").status_code == 302
    assert replayed(app, copy).get("/judge/test/tiny/").status_code == 302  # sent to sign in
    # Signing in again works, with a new cookie.
    sign_in(client, "judge1")
    assert client.get("/judge/test/tiny/").status_code == 200


def test_a_new_password_ends_the_persons_other_sessions(app, client, tmp_path):
    setup = judging_event(tmp_path)
    tablet = app.test_client()
    sign_in(tablet, "judge1")
    assert tablet.get("/judge/test/tiny/").status_code == 200
    # The organiser sets a new password in the console (another session).
    sign_in(client, "organiser")
    response = client.post(f"/console/events/test/people/accounts/{setup['judges'][0].id}/password",
                           data={"password": "a-new-password-1", "confirmation": "a-new-password-1"})
    assert response.status_code == 302
    assert tablet.get("/judge/test/tiny/").status_code == 302
    # The service ends sessions wherever the password is set (the command line too).
    sign_in(tablet, "judge2")
    accounts.set_password(db.session.get(User, setup["judges"][1].id), "another-password-2", "another-password-2", by=None)
    commit()
    assert tablet.get("/judge/test/tiny/").status_code == 302


def test_an_organiser_who_changes_their_own_password_stays_signed_in(app, client, tmp_path):
    setup = judging_event(tmp_path)
    sign_in(client, "organiser")
    response = client.post(f"/console/events/test/people/accounts/{setup['organiser'].id}/password",
                           data={"password": "a-new-password-1", "confirmation": "a-new-password-1"})
    assert response.status_code == 302
    assert client.get("/console/").status_code == 200


def test_a_cookie_from_before_session_generations_still_works_until_the_first_sign_out(app, client, tmp_path):
    """Sessions of the release before keep working after the upgrade (they store the bare id)."""
    setup = judging_event(tmp_path)
    judge = setup["judges"][0]
    judge.session_generation = 0
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(judge.id)
        session["_fresh"] = True
    assert client.get("/judge/test/tiny/").status_code == 200
    other = app.test_client()
    sign_in(other, "judge1")
    other.post("/sign-out")
    assert client.get("/judge/test/tiny/").status_code == 302
