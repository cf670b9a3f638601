"""Boards: publish after commit, versions, reconnect, embargo on every channel, the reveal ceremony."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy

from competition.extensions import db
from competition.models.events import EMBARGOED, LIVE, REVEAL
from competition.services import effects
from competition.services.boards import reveal_step, set_display_mode
from competition.services.marking import MarkingError
from tests.conftest import socket_client
from tests.factories import committed, mark, mark_panel, tiny_event

SCORE_KEYS = {"total", "rank", "criteria", "modules", "module_scores", "standardised", "medal"}


@pytest.fixture
def setup(app, tmp_path):
    return tiny_event(tmp_path)


def watcher(app, **watch):
    client = socket_client(app)
    state = client.emit("watch", watch, callback=True)
    client.get_received()
    return client, state


def events(client, name):
    return [message["args"][0] for message in client.get_received() if message["name"] == name]


def score_keys(data) -> set[str]:
    """Keys that carry a score or a rank in any competitor row of ``data`` (found at any depth)."""
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("standings", "leaders") and isinstance(value, list):
                found |= {k for row in value for k in row if k in SCORE_KEYS}
            else:
                found |= score_keys(value)
    elif isinstance(data, list):
        for item in data:
            found |= score_keys(item)
    return found


def test_committed_mark_reaches_skill_and_event_rooms_with_a_new_version(app, setup):
    skill_board, state = watcher(app, event="test", skill="tiny")
    overview, ov_state = watcher(app, event="test")
    assert state["skill"] == "tiny" and ov_state["skills"][0]["skill"] == "tiny"
    t1 = setup["skill"].competitors[0]
    mark(setup["judges"][0], t1, "A1.1", 1)
    mark(setup["judges"][0], t1, "B1.2", 3)
    pushed = events(skill_board, "standings")
    assert [p["version"] for p in pushed] == [state["version"] + 1, state["version"] + 2]
    assert pushed[-1]["standings"][0]["code"] == "T-01" and pushed[-1]["standings"][0]["total"] == "5.00"
    summaries = events(overview, "overview")
    assert [s["version"] for s in summaries] == [p["version"] for p in pushed]
    assert summaries[-1]["leaders"][0]["total"] == "5.00"


def test_rolled_back_mark_emits_nothing(app, setup):
    client, state = watcher(app, event="test", skill="tiny")
    t1 = setup["skill"].competitors[0]
    mark(setup["judges"][0], t1, "A1.1", 1, commit=False)
    db.session.rollback()
    effects.commit()  # the next transaction commits: nothing of the rolled-back one may go out with it
    assert client.get_received() == []
    assert client.emit("watch", {"event": "test", "skill": "tiny"}, callback=True)["version"] == state["version"]


def test_failed_commit_emits_nothing(app, setup):
    """The session's commit really fails (the database refuses it after the flush), and the
    next transaction commits: nothing the failed one recorded goes out, then or later."""
    client, state = watcher(app, event="test", skill="tiny")

    def database_went_away(connection):
        raise RuntimeError("database went away")

    sqlalchemy.event.listen(db.engine, "commit", database_went_away)
    try:
        with pytest.raises(RuntimeError, match="database went away"):
            mark(setup["judges"][0], setup["skill"].competitors[0], "A1.1", 1)
    finally:
        sqlalchemy.event.remove(db.engine, "commit", database_went_away)
    effects.rollback()
    effects.commit()
    assert client.get_received() == []
    assert client.emit("watch", {"event": "test", "skill": "tiny"}, callback=True)["version"] == state["version"]


def test_rejected_mark_emits_nothing(app, setup):
    client, state = watcher(app, event="test", skill="tiny")
    with pytest.raises(MarkingError):
        mark(setup["judges"][0], setup["skill"].competitors[0], "A1.1", 7)
    effects.commit()  # as the no-script form commits the other aspects of a post when one is refused
    assert client.get_received() == []
    assert client.emit("watch", {"event": "test", "skill": "tiny"}, callback=True)["version"] == state["version"]


def test_reconnect_gets_full_current_state(app, setup):
    client, before = watcher(app, event="test", skill="tiny")
    client.disconnect()
    t1, t2, _ = setup["skill"].competitors
    mark_panel(setup["judges"], t2, "B1.1", [3, 3, 3])  # while the board is away
    mark(setup["judges"][0], t1, "B1.2", 3)
    again, after = watcher(app, event="test", skill="tiny")
    assert after["version"] == before["version"] + 4
    totals = {r["code"]: r["total"] for r in after["standings"]}
    assert totals == {"T-01": "3.00", "T-02": "3.00", "T-03": "0.00"}
    mark(setup["judges"][1], t1, "A1.1", 1)  # and deltas keep coming on the new connection
    assert [p["version"] for p in events(again, "standings")] == [after["version"] + 1]


def test_watch_rejects_unknown_names(app, setup):
    client = socket_client(app)
    assert "error" in client.emit("watch", {"event": "nope"}, callback=True)
    assert "error" in client.emit("watch", {"event": "test", "skill": "nope"}, callback=True)
    assert "error" in client.emit("watch", "junk", callback=True)


def test_embargoed_skill_leaks_no_score_through_any_channel(app, client, setup):
    t1 = setup["skill"].competitors[0]
    mark_panel(setup["judges"], t1, "B1.1", [2, 2, 2])  # 2.00
    committed(set_display_mode, setup["skill"], EMBARGOED, by=setup["organiser"])
    board, state = watcher(app, event="test", skill="tiny")
    overview, ov_state = watcher(app, event="test")
    mark(setup["judges"][0], t1, "B1.2", "1.5")  # 3.50 now, published while embargoed
    channels = {
        "watch reply": state,
        "overview reply": ov_state,
        "pushed standings": events(board, "standings"),
        "pushed overview": events(overview, "overview"),
        "JSON API": client.get("/api/v1/events/test/skills/tiny/standings").get_json(),
    }
    assert channels["pushed standings"] and channels["pushed overview"]
    for name, data in channels.items():
        assert score_keys(data) == set(), name
        assert not re.search(r"\b(2\.00|3\.50)\b", json.dumps(data)), name
    assert channels["pushed standings"][-1]["standings"][0]["progress"] == 0.5
    for url in ("/board/test/tiny", "/board/test", "/"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"\b(2\.00|3\.50)\b", page), url
        assert '"total"' not in page and '"rank"' not in page, url


def test_switching_modes_is_published_and_restores_scores(app, setup):
    mark_panel(setup["judges"], setup["skill"].competitors[0], "B1.1", [3, 3, 3])
    board, state = watcher(app, event="test", skill="tiny")
    committed(set_display_mode, setup["skill"], EMBARGOED, by=setup["organiser"])
    committed(set_display_mode, setup["skill"], LIVE, by=setup["organiser"])
    pushed = events(board, "standings")
    assert [p["mode"] for p in pushed] == [EMBARGOED, LIVE]
    assert pushed[1]["version"] > pushed[0]["version"] > state["version"]
    assert pushed[1]["standings"][0]["total"] == "3.00"


def test_reveal_ceremony_reveals_from_last_place_to_first(app, client, setup):
    judges, organiser, skill = setup["judges"], setup["organiser"], setup["skill"]
    t1, t2, t3 = skill.competitors
    mark_panel(judges, t1, "B1.1", [1, 1, 1])  # 1.00 -> third
    mark_panel(judges, t2, "B1.1", [3, 3, 3])  # 3.00 -> first
    mark_panel(judges, t3, "B1.1", [2, 2, 2])  # 2.00 -> second
    for competitor in (t1, t2, t3):  # the other aspects 0 each: complete, so ranked
        for aspect, value in (("A1.1", 0), ("A1.2", 4), ("B1.2", "0")):
            mark_panel(judges[:1], competitor, aspect, [value])
    committed(set_display_mode, skill, REVEAL, by=organiser)
    board, state = watcher(app, event="test", skill="tiny")
    assert state["standings"] == [] and state["reveal"] == {"started": False, "revealed": 0, "hidden": 3, "done": False, "in_marking": 0}
    api = client.get("/api/v1/events/test/skills/tiny/standings").get_json()
    assert api["standings"] == [] and score_keys(api) == set()
    page = client.get("/board/test/tiny").get_data(as_text=True)
    assert not re.search(r"\b[123]\.00\b", page)

    assert committed(reveal_step, skill, "start", by=organiser, reason="Rehearsal before sign-off") == 0
    shown = []
    for _ in range(4):  # one step more than there are places: it stays at all revealed, and tells no board
        committed(reveal_step, skill, "next", by=organiser)
    for payload in events(board, "standings"):
        shown.append([r["code"] for r in payload["standings"]])
    assert shown == [[], ["T-01"], ["T-03", "T-01"], ["T-02", "T-03", "T-01"]]
    assert committed(reveal_step, skill, "back", by=organiser) == 2
    assert [r["code"] for r in events(board, "standings")[-1]["standings"]] == ["T-03", "T-01"]
    assert client.get("/api/v1/events/test/skills/tiny/standings").get_json()["reveal"]["hidden"] == 1


def test_reveal_needs_reveal_mode_and_an_organiser(app, setup):
    from competition.services.errors import ServiceError

    with pytest.raises(ServiceError) as refused:
        committed(reveal_step, setup["skill"], "next", by=setup["organiser"])
    assert refused.value.status == 409 and refused.value.field == "mode"
    with pytest.raises(ServiceError) as refused:
        committed(set_display_mode, setup["skill"], REVEAL, by=setup["judges"][0])
    assert refused.value.status == 403
    with pytest.raises(ServiceError) as refused:
        committed(set_display_mode, setup["skill"], "secret", by=setup["organiser"])
    assert refused.value.status == 400 and refused.value.field == "mode"


def login(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def test_control_page_is_for_organisers_only(app, client, setup):
    assert client.get("/board-control/test").status_code == 302
    login(client, setup["judges"][0])
    assert client.get("/board-control/test").status_code == 403
    assert client.post("/board-control/test/tiny/mode", data={"mode": "embargoed"}).status_code == 403
    login(client, setup["organiser"])
    assert client.get("/board-control/test").status_code == 200


def test_remote_control_drives_the_boards(app, client, setup):
    login(client, setup["organiser"])
    board, _ = watcher(app, event="test", skill="tiny")
    response = client.post("/board-control/test/tiny/mode", data={"mode": "reveal"}, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.get_json()["mode"] == "reveal"
    response = client.post("/board-control/test/tiny/reveal", data={"action": "start", "reason": "Rehearsal before sign-off"},
                           follow_redirects=True)
    # Nobody is completely marked: every competitor is in marking, so the ceremony has no place.
    page = response.get_data(as_text=True)
    assert "0 of 0 places revealed" in page and "3 competitors are still in marking" in page
    assert client.post("/board-control/test/tiny/reveal", data={"action": "sideways"}).status_code == 302
    assert [p["reveal"]["started"] for p in events(board, "standings")] == [False, True]


def test_state_changes_need_the_csrf_token(app, client, setup):
    app.config["WTF_CSRF_ENABLED"] = True
    login(client, setup["organiser"])
    assert client.post("/board-control/test/tiny/mode", data={"mode": "embargoed"}).status_code == 400
    page = client.get("/board-control/test").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/board-control/test/tiny/mode", data={"mode": "embargoed", "csrf_token": token}).status_code == 302
    assert setup["skill"].display_mode == EMBARGOED


def test_board_pages_render_and_escape_user_text(app, client, tmp_path):
    setup = tiny_event(tmp_path, competitors=(("T-01", "</script><script>alert(1)</script>", "Org <b>"),))
    mark_panel(setup["judges"], setup["skill"].competitors[0], "B1.1", [3, 3, 3])
    for url in ("/board/test/tiny", "/board/test"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "Org <b>" not in page
        assert "vendor/socket.io.min.js" in page
    assert client.get("/board/nope").status_code == 404
    assert client.get("/board/test/nope").status_code == 404


def test_sign_off_that_locks_and_the_unlock_reach_the_boards(app, setup):
    from competition.services.judging import sign_off
    from competition.services.locking import unlock_competitor

    judges, (t1, t2, t3) = setup["judges"], setup["skill"].competitors
    for competitor in (t1, t2, t3):
        mark(judges[0], competitor, "A1.1", 1)
        mark(judges[0], competitor, "A1.2", 0)
        mark_panel(judges, competitor, "B1.1", [2, 2, 2])
        mark(judges[0], competitor, "B1.2", 3)
    board, state = watcher(app, event="test", skill="tiny")
    assert state["provisional"] is True
    for competitor in (t1, t2):
        for judge in judges:
            committed(sign_off, judge, competitor)
    for judge in judges[:2]:
        committed(sign_off, judge, t3)
    partial = events(board, "standings")  # one publish per lock: T-01, T-02; T-03 is still open
    assert len(partial) == 2 and all(p["provisional"] for p in partial)
    assert [row["locked"] for row in sorted(partial[-1]["standings"], key=lambda r: r["code"])] == [True, True, False]
    committed(sign_off, judges[2], t3)  # the last signature locks the last competitor: results are final
    final = events(board, "standings")[-1]
    assert final["provisional"] is False and all(row["locked"] for row in final["standings"])
    committed(unlock_competitor, t3, by=setup["chief"], reason="Measurement B1.2 re-checked on appeal")
    reopened = events(board, "standings")[-1]
    assert reopened["provisional"] is True and reopened["version"] > final["version"]
