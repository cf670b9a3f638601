"""The first organiser of a new installation comes from the command line, and can then sign in."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from competition.cli import main
from competition.extensions import db
from competition.models import User


def test_the_first_organiser_is_added_from_the_command_line_and_signs_in(app, client):
    result = CliRunner().invoke(main, ["user", "add", "olivia", "--name", "Olivia Grant", "--organiser", "--password", "a long secret"])
    assert result.exit_code == 0, result.output
    olivia = db.session.scalar(select(User).where(User.username == "olivia"))
    assert olivia.is_organiser and olivia.check_password("a long secret")
    response = client.post("/sign-in", data={"username": "olivia", "password": "a long secret"})
    assert response.status_code == 302
    assert client.get("/console/").status_code == 200


def test_a_short_password_or_a_taken_user_name_is_refused_and_nothing_is_written(app):
    short = CliRunner().invoke(main, ["user", "add", "olivia", "--name", "Olivia", "--password", "short"])
    assert short.exit_code == 1 and "password" in short.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    CliRunner().invoke(main, ["user", "add", "olivia", "--name", "Olivia", "--password", "a long secret"])
    again = CliRunner().invoke(main, ["user", "add", "olivia", "--name", "Other", "--password", "a long secret"])
    assert again.exit_code == 1 and "username" in again.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_password_is_reset_from_the_command_line(app):
    CliRunner().invoke(main, ["user", "add", "olivia", "--name", "Olivia", "--password", "a long secret"])
    result = CliRunner().invoke(main, ["user", "password", "olivia", "--password", "another long one"])
    assert result.exit_code == 0
    assert db.session.scalar(select(User).where(User.username == "olivia")).check_password("another long one")
    missing = CliRunner().invoke(main, ["user", "password", "nobody", "--password", "another long one"])
    assert missing.exit_code == 1 and "no account" in missing.output
