"""``podium event create|list`` and ``podium skill add``: a whole event scripted, every problem printed, exit 1 with nothing written."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from sqlalchemy import func, select

from competition.cli import main
from competition.extensions import db
from competition.models import Event, Skill
from tests.cis_workbooks import GOOD_ROWS, cis_workbook
from tests.factories import TINY_SCHEME


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_whole_event_scripted(app, tmp_path):
    result = run("event", "create", "wsc2026", "--name", "WorldSkills 2026", "--place", "Shanghai", "--starts", "2026-09-14",
                 "--ends", "2026-09-17", "--language", "zh", "--public-url", "https://results.example.org")
    assert result.exit_code == 0, result.output
    assert "event wsc2026 created" in result.output
    event = db.session.scalar(select(Event))
    assert (event.starts_on, event.language, event.public_url) == (dt.date(2026, 9, 14), "zh", "https://results.example.org")

    assert run("skill", "add", "--event", "wsc2026", "--scheme", "cnc-milling", "--panel-size", "4").exit_code == 0
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(TINY_SCHEME, encoding="utf-8")
    result = run("skill", "add", "--event", "wsc2026", "--scheme", str(tiny), "--code", "tiny", "--anonymised", "--encrypted")
    assert result.exit_code == 0, result.output
    sheet = tmp_path / "robotics.xlsx"
    sheet.write_bytes(cis_workbook())
    result = run("skill", "add", "--event", "wsc2026", "--scheme", str(sheet), "--name", "Robotics")
    assert result.exit_code == 0, result.output
    skills = {s.code: s for s in db.session.scalars(select(Skill))}
    assert set(skills) == {"cnc-milling", "tiny", "robotics"}
    assert skills["cnc-milling"].scheme.panel_size == 4
    assert skills["tiny"].anonymised and skills["tiny"].encrypted
    assert skills["robotics"].name == "Robotics" and len(skills["robotics"].scheme.aspects) == 4

    listing = run("event", "list")
    assert listing.exit_code == 0 and "wsc2026" in listing.output and "3 skills" in listing.output


def test_event_create_prints_every_problem_and_exits_1(app):
    result = run("event", "create", "bad code", "--name", " ", "--language", "fr", "--public-url", "ftp:/x")
    assert result.exit_code == 1
    for field in ("code:", "name:", "language:", "public_url:"):
        assert field in result.output
    assert run("event", "create", "e1", "--name", "E", "--starts", "14.9.2026").exit_code == 1
    assert _count(Event) == 0
    assert run("event", "create", "e1", "--name", "E").exit_code == 0
    again = run("event", "create", "e1", "--name", "E")
    assert again.exit_code == 1 and "already an event" in again.output
    local = run("event", "create", "e2", "--name", "E", "--public-url", "http://127.0.0.1:5000")
    assert local.exit_code == 0 and "only from this computer" in local.output


def test_skill_add_refuses_bad_input_with_every_problem(app, tmp_path):
    assert run("event", "create", "e1", "--name", "E").exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(TINY_SCHEME.replace('rule = "worldskills_judgement"', 'rule = "nope"').replace("max = 2\ndeduction_step",
                                                                                                 "max = -2\ndeduction_step"))
    result = run("skill", "add", "--event", "e1", "--scheme", str(bad))
    assert result.exit_code == 1
    assert "bad.toml:" in result.output and "scheme.rule" in result.output and ".max: must be greater than 0" in result.output
    sheet = tmp_path / "bad.xlsx"
    rows = list(GOOD_ROWS)
    rows[1] = (None, None, None, "X", "Safety glasses", None, None, None, 1, "lots")
    sheet.write_bytes(cis_workbook(rows))
    result = run("skill", "add", "--event", "e1", "--scheme", str(sheet))
    assert result.exit_code == 1 and "column D: aspect type" in result.output and "column J: max mark: not a number" in result.output
    assert run("skill", "add", "--event", "e1", "--scheme", "no-such-scheme").exit_code == 1
    assert run("skill", "add", "--event", "nope", "--scheme", "cnc-milling").exit_code == 1
    result = run("skill", "add", "--event", "e1", "--scheme", "cn-electrical-installation", "--panel-size", "2")
    assert result.exit_code == 1 and "panel_size:" in result.output
    assert _count(Skill) == 0
