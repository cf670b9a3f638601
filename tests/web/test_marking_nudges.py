"""Open marking forms hear at once that a competitor's marks or flags changed (no scores sent)."""

from competition.services.setup import add_user
from tests.conftest import socket_client
from tests.factories import mark, mark_panel, tiny_event


def signed_in_socket(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return socket_client(app, flask_test_client=client)


def nudges(socket_client):
    return [m["args"][0] for m in socket_client.get_received() if m["name"] == "marks_changed"]


def test_judges_and_chief_are_nudged_at_once_without_scores(app, tmp_path):
    setup = tiny_event(tmp_path)
    judges, t1 = setup["judges"], setup["skill"].competitors[0]
    followers = [signed_in_socket(app, user) for user in (judges[0], setup["chief"])]
    for follower in followers:
        assert follower.emit("follow_marking", {"event": "test", "skill": "tiny"}, callback=True) == {"ok": True}
        follower.get_received()
    mark_panel(judges[1:], t1, "B1.1", [0, 3])  # a spread of 3: flagged for every judge at once
    for follower in followers:
        received = nudges(follower)
        assert received == [{"competitor_id": t1.id}] * 2


def test_outsiders_cannot_follow_marking(app, tmp_path):
    from competition.extensions import db

    setup = tiny_event(tmp_path)
    outsider = add_user("outsider", "Outsider", "pw", organisation="Elsewhere")
    db.session.commit()
    anonymous = socket_client(app)
    stranger = signed_in_socket(app, outsider)
    judge = signed_in_socket(app, setup["judges"][1])  # follows: the nudge below is really sent
    assert "error" in anonymous.emit("follow_marking", {"event": "test", "skill": "tiny"}, callback=True)
    assert "error" in stranger.emit("follow_marking", {"event": "test", "skill": "tiny"}, callback=True)
    assert judge.emit("follow_marking", {"event": "test", "skill": "tiny"}, callback=True) == {"ok": True}
    anonymous.get_received(), stranger.get_received(), judge.get_received()
    t1 = setup["skill"].competitors[0]
    mark(setup["judges"][0], t1, "A1.1", 1)
    assert nudges(judge) == [{"competitor_id": t1.id}]
    assert nudges(anonymous) == [] and nudges(stranger) == []


def test_an_organiser_reading_the_chief_experts_pages_follows_the_marking_too(app, tmp_path):
    setup = tiny_event(tmp_path)
    organiser = signed_in_socket(app, setup["organiser"])
    assert organiser.emit("follow_marking", {"event": "test", "skill": "tiny"}, callback=True) == {"ok": True}
    organiser.get_received()
    t1 = setup["skill"].competitors[0]
    mark(setup["judges"][0], t1, "A1.1", 1)
    assert nudges(organiser) == [{"competitor_id": t1.id}]
