"""Small events built through the services, for service and web tests."""

from __future__ import annotations

import datetime as dt
import itertools
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from unittest import mock

from werkzeug.security import generate_password_hash

from competition.models import Competitor
from competition.models.people import CHIEF_EXPERT, JUDGE
from competition.services import effects
from competition.services.marking import record_mark
from competition.services.setup import add_skill_from_scheme, add_user, assign, create_event

# A tiny scheme whose results are easy to work out by hand (total 10).
TINY_SCHEME = """\
[scheme]
code = "tiny"
name = "Tiny Skill"
version = "1"
total = 10
panel_size = 3
rule = "worldskills_judgement"
tie_break = ["B"]

[[criterion]]
id = "A"
name = "Accuracy"

[[criterion.sub]]
id = "A1"
name = "Dimensions"

[[criterion.sub.aspect]]
id = "A1.1"
description = "Length 40 ±0.05"
type = "measurement"
method = "binary"
max = 2

[[criterion.sub.aspect]]
id = "A1.2"
description = "Holes: 0.5 off per hole out of position"
type = "measurement"
method = "deduction"
max = 2
deduction_step = 0.5

[[criterion]]
id = "B"
name = "Finish"

[[criterion.sub]]
id = "B1"
name = "Appearance"

[[criterion.sub.aspect]]
id = "B1.1"
description = "Surface finish"
type = "judgement"
max = 3
descriptors = ["poor", "industry standard", "above standard", "excellent"]

[[criterion.sub.aspect]]
id = "B1.2"
description = "Deburring"
type = "measurement"
method = "stepped"
steps = [0, 1.5, 3]
max = 3
"""

_keys = itertools.count()


TINY_COMPETITORS = (("T-01", "王芳", "Guangdong"), ("T-02", "Anna Schmidt", "Bavaria"), ("T-03", "Owen Jones", "Wales"))


def tiny_event(tmp_path: Path, *, competitors=TINY_COMPETITORS, scheme: str = TINY_SCHEME):
    """An event with the tiny skill (or another ``scheme``), three judges (from other
    organisations), a chief expert."""
    path = tmp_path / "tiny.toml"
    path.write_text(scheme, encoding="utf-8")
    event = create_event("test", "Test Championship", place="Hall 1", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 3))
    skill = add_skill_from_scheme(event, path)
    for code, name, org in competitors:
        skill.competitors.append(Competitor(code=code, name=name, organisation=org))
    judges = [add_user(f"judge{i}", f"Judge {i}", "pw-judge", organisation=f"Judges {i}") for i in (1, 2, 3)]
    for judge in judges:
        assign(judge, skill, JUDGE)
    chief = add_user("chief", "Chief Expert", "pw-chief", organisation="Independent")
    assign(chief, skill, CHIEF_EXPERT)
    organiser = add_user("organiser", "Organiser", "pw-organiser", organiser=True)
    effects.commit()
    return {"event": event, "skill": skill, "judges": judges, "chief": chief, "organiser": organiser}


def mark(judge, competitor, aspect_id, value, *, commit: bool = True, **kwargs):
    """Record one mark through the marking service and, as a request would, commit it (its
    boards and forms are told after the commit); ``commit=False`` leaves it to the test."""
    outcome = record_mark(
        judge=judge,
        competitor_id=competitor.id,
        aspect_id=aspect_id,
        value=value,
        idempotency_key=kwargs.pop("key", f"k-{next(_keys)}"),
        **kwargs,
    )
    if commit:
        effects.commit()
    return outcome


def mark_panel(judges, competitor, aspect_id, values):
    for judge, value in zip(judges, values):
        mark(judge, competitor, aspect_id, value)


def committed(service, *args, **kwargs):
    """Call ``service`` and commit, as the request or command around it would; returns its result."""
    result = service(*args, **kwargs)
    effects.commit()
    return result


@contextmanager
def cheap_passwords():
    """Users added meanwhile get passwords hashed with a cheap work factor (the tests that use
    it are about permissions and pages, not about password storage)."""
    with mock.patch("competition.models.people.generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1000")):
        yield
