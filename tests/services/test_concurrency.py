"""Marks, sign-offs and replays that arrive at the same moment, on a real database file.

Each request runs in a thread of its own with its own app context and session, as in a
server. A short pause is slipped into the marking service right after it has checked the
competitor (where the entry is parsed), which is where a concurrent sign-off used to slip in.
"""

from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditEntry, Competitor, Mark, MarkRevision, SignOff
from competition.services import effects
from competition.services import marking as marking_service
from competition.services.errors import ServiceError
from competition.services.judging import sign_off
from competition.services.locking import unlock_competitor
from competition.services.marking import record_mark
from tests.factories import mark, mark_panel, tiny_event


@pytest.fixture
def slow_parse(monkeypatch):
    """Make parsing an entry (done after the competitor's checks, before the write) take ``delay`` seconds."""
    delay = {"seconds": 0.0}
    parse = marking_service.parse_entry

    def slow(aspect, value):
        time.sleep(delay["seconds"])
        return parse(aspect, value)

    monkeypatch.setattr(marking_service, "parse_entry", slow)
    return delay


def _in_thread(app, results, name, work):
    def run():
        with app.app_context():
            try:
                results[name] = work()
                effects.commit()
            except ServiceError as err:
                effects.rollback()
                results[name] = err
            finally:
                db.session.remove()

    return threading.Thread(target=run, name=name)


def _fully_marked(setup, competitor):
    judges = setup["judges"]
    mark(judges[0], competitor, "A1.1", 1)
    mark(judges[0], competitor, "A1.2", 0)
    mark_panel(judges, competitor, "B1.1", [2, 2, 2])
    mark(judges[0], competitor, "B1.2", 3)


def test_a_mark_and_the_locking_sign_off_never_interleave(app, tmp_path, slow_parse):
    """Judges 1 and 2 have signed T-02; judge 1 changes a mark while judge 3 gives the last
    signature. Whatever the order, a locked competitor has every signature and no mark
    changed after its lock; a mark that lost the race is refused as locked."""
    setup = tiny_event(tmp_path)
    judges, chief = setup["judges"], setup["chief"]
    t2 = setup["skill"].competitors[1]
    _fully_marked(setup, t2)
    rng = random.Random(9)
    value = 2
    judge_ids, t2_id = [j.id for j in judges], t2.id
    User = type(judges[0])
    for trial in range(10):
        for judge in judges[:2]:
            sign_off(judge, t2)
        effects.commit()
        slow_parse["seconds"] = rng.uniform(0.05, 0.15)
        value = 3 if value == 2 else 2
        current = db.session.scalar(select(Mark.version).where(Mark.competitor_id == t2.id, Mark.judge_id == judges[0].id,
                                                               Mark.aspect_id == "B1.1"))
        results: dict = {}
        marker = _in_thread(app, results, "mark", lambda v=value, base=current, key=f"race-{trial}": record_mark(
            judge=db.session.get(User, judge_ids[0]), competitor_id=t2_id, aspect_id="B1.1", value=v, idempotency_key=key,
            base_version=base))
        signer = _in_thread(app, results, "sign", lambda: sign_off(db.session.get(User, judge_ids[2]), db.session.get(Competitor, t2_id)))
        marker.start()
        time.sleep(rng.uniform(0.01, 0.04))  # the sign-off arrives while the mark is being recorded
        signer.start()
        marker.join(10), signer.join(10)
        db.session.expire_all()

        competitor = db.session.get(Competitor, t2.id)
        signatures = set(db.session.scalars(select(SignOff.judge_id).where(SignOff.competitor_id == t2.id)))
        revision = db.session.scalar(select(MarkRevision).where(MarkRevision.idempotency_key == f"race-{trial}"))
        if competitor.locked:
            assert signatures == set(judge_ids), f"trial {trial}: locked without the whole panel's signatures"
            locked_entry = db.session.scalar(select(AuditEntry).where(AuditEntry.competitor_id == t2.id, AuditEntry.action == "locked")
                                             .order_by(AuditEntry.id.desc()))
            assert revision is None or _aware(revision.at) <= _aware(locked_entry.at), f"trial {trial}: a mark changed after the lock"
            assert revision is None and getattr(results["mark"], "code", None) == "locked", f"trial {trial}: {results}"
            unlock_competitor(competitor, by=chief, reason=f"trial {trial}: next round")
            effects.commit()
        else:
            assert revision is not None, f"trial {trial}: neither locked nor marked: {results}"
            assert judge_ids[0] not in signatures  # the changed mark withdrew judge 1's signature
        db.session.execute(SignOff.__table__.delete().where(SignOff.competitor_id == t2.id))
        effects.commit()


def _aware(moment):
    import datetime as dt

    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def test_twenty_identical_requests_at_once_all_answer_the_first_recording(app, tmp_path, slow_parse):
    """The tablet sends the same mark 20 times at once (retries on a flaky network): one is
    recorded (201), every other answer is a 200 replay of it, with its value and version."""
    setup = tiny_event(tmp_path)
    judge, t1 = setup["judges"][0], setup["skill"].competitors[0]
    from competition.services.tokens import create_token

    token = create_token(judge, "tablet")[1]
    effects.commit()
    slow_parse["seconds"] = 0.02
    body = {"competitor_id": t1.id, "aspect": "B1.1", "value": 2, "idempotency_key": "flaky-wifi-0001", "base_version": 0}
    answers: list = [None] * 20
    start = threading.Barrier(20)

    def send(i):
        client = app.test_client()
        start.wait()
        answers[i] = client.post("/api/v1/marks", json=body, headers={"Authorization": f"Bearer {token}"})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 19 + [201], [a.get_json() for a in answers if a.status_code not in (200, 201)]
    bodies = {(a.get_json()["mark_id"], a.get_json()["value"], a.get_json()["version"]) for a in answers}
    assert len(bodies) == 1 and next(iter(bodies))[1:] == ("2", 1)
    assert db.session.scalar(select(func.count(MarkRevision.id))) == 1


def test_a_replay_answers_the_value_and_version_it_recorded(app, client, tmp_path):
    """After the mark changed again, replaying the first key still answers what it recorded."""
    from tests.judging import sign_in

    setup = tiny_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    sign_in(client, "judge1")
    first = {"competitor_id": t1.id, "aspect": "B1.1", "value": 2, "idempotency_key": "first-0001", "base_version": 0}
    assert client.post("/api/v1/marks", json=first).status_code == 201
    second = {"competitor_id": t1.id, "aspect": "B1.1", "value": 3, "idempotency_key": "second-0001", "base_version": 1}
    assert client.post("/api/v1/marks", json=second).get_json()["version"] == 2
    replay = client.post("/api/v1/marks", json=first)
    assert replay.status_code == 200
    assert (replay.get_json()["value"], replay.get_json()["version"], replay.get_json()["replayed"]) == ("2", 1, True)
