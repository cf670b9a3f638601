"""The standings through the real service path: a database (SQLite, in a temporary folder), the
models, ``record_mark`` and the readers the boards and the API use. Run by
:mod:`bench.standings` in the process of the implementation being timed."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from unittest import mock

JUDGE_ORGANISATION = "Bench judges"


def _ms(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build(folder: Path, skill_of, skills: int, judges: int) -> Path:
    """An event of ``skills`` skills (``skill_of(n)`` gives skill n's scheme text, entries and
    organisations), ``judges`` judges assigned to each, every entry written with bulk inserts."""
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from competition.extensions import db
    from competition.models import Competitor, Mark, Skill
    from competition.models.people import JUDGE
    from competition.services import effects
    from competition.services.setup import add_user, assign, create_event

    database = folder / "bench.sqlite"
    app = _app(database)
    cheap = lambda password, **_: generate_password_hash(password, method="pbkdf2:sha256:1")  # noqa: E731
    with app.app_context(), mock.patch("competition.models.people.generate_password_hash", cheap):
        db.create_all()
        event = create_event("bench", "Bench Championship")
        people = [add_user(f"judge-{j}", f"Judge {j}", "bench", organisation=JUDGE_ORGANISATION) for j in range(judges)]
        for n in range(skills):
            scheme_text, entries, organisations = skill_of(n)
            skill = Skill(event=event, code=f"bench-{n:03d}", name=f"Bench {n}", scheme_source="bench.toml", scheme_text=scheme_text)
            db.session.add(skill)
            for code in entries:
                competitor = Competitor(code=code, name=f"Competitor {code}", organisation=organisations[code])
                skill.competitors.append(competitor)
            db.session.flush()
            ids = {c.code: c.id for c in skill.competitors}
            for person in people:
                assign(person, skill, JUDGE)
            rows = [
                {"skill_id": skill.id, "competitor_id": ids[code], "judge_id": people[j].id, "aspect_id": aspect, "value": value,
                 "version": 1}
                for code, sheet in entries.items() for aspect, values in sheet.items() for j, value in enumerate(values)
            ]
            db.session.execute(insert(Mark), rows)
            effects.commit()
        db.session.remove()
        db.engine.dispose()  # the last connection closed: the write-ahead log is folded into the file copied next
    return database


def _app(database: Path):
    from competition import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "REDIS_URL": None,
                       "BOARD_PUBLISH_SYNC": False, "WTF_CSRF_ENABLED": False})


def measure(database: Path, repeat: int, marks: int) -> dict:
    """Time, on the database ``build`` made: the first read of one skill's standings, one new
    mark then its standings (and its board payload), and the event overview."""
    import random
    from decimal import Decimal

    from sqlalchemy import select

    from competition.extensions import db
    from competition.models import Event, Mark, Skill, User
    from competition.services import effects
    from competition.services.marking import record_mark
    from competition.services.standings import board_payload, event_overview, skill_standings

    app = _app(database)
    out = {}
    with app.app_context():
        skill = db.session.scalar(select(Skill).order_by(Skill.code))
        out["service_first_read"] = _timed_first_read(app, skill, repeat)
        judges = db.session.scalars(select(User).where(User.organisation == JUDGE_ORGANISATION).order_by(User.id)).all()
        aspects = [a.id for a in skill.scheme.aspects if a.kind == "judgement"]
        competitors = list(skill.competitors)
        rng = random.Random(3)
        skill_standings(skill)  # held from here on (where the implementation holds anything)
        writes, reads, payloads = [], [], []
        for n in range(marks):
            judge, competitor, aspect = judges[0], rng.choice(competitors), rng.choice(aspects)
            version = db.session.scalar(select(Mark.version).where(Mark.judge_id == judge.id, Mark.competitor_id == competitor.id,
                                                                   Mark.aspect_id == aspect)) or 0
            start = time.perf_counter()
            record_mark(judge=judge, competitor_id=competitor.id, aspect_id=aspect, value=Decimal(rng.randrange(4)),
                        idempotency_key=f"bench-{n}-{rng.random()}", base_version=version)
            effects.commit()
            written = time.perf_counter()
            skill_standings(skill)
            read = time.perf_counter()
            board_payload(skill)
            done = time.perf_counter()
            writes.append((written - start) * 1000)
            reads.append((read - written) * 1000)
            payloads.append((done - read) * 1000)
        out["service_mark_write"] = statistics.median(writes)
        out["service_mark_standings"] = statistics.median(reads)
        out["service_mark_payload"] = statistics.median(payloads)
        event = db.session.scalar(select(Event))
        out["service_skills"] = len(event.skills)
        event_overview(event)  # every skill read once (held from here on, where anything is held)
        db.session.remove()
        out["service_event"] = _ms(lambda: _overview(app), max(1, repeat // 3))
        db.engine.dispose()
    return out


def _overview(app) -> None:
    from sqlalchemy import select

    from competition.extensions import db
    from competition.models import Event
    from competition.services.standings import event_overview

    with app.app_context():
        event_overview(db.session.scalar(select(Event)))
        db.session.remove()


def _timed_first_read(app, skill, repeat: int) -> float:
    """The standings of a skill read from nothing held (every mark read and ranked)."""
    from competition.services.standings import skill_standings

    def first():
        app.extensions.pop("podium.live_standings", None)
        skill_standings(skill)

    return _ms(first, max(1, repeat // 2))
