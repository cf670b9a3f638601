"""``podium draw run`` and ``podium draw check``."""

from __future__ import annotations

import json

from click.testing import CliRunner

from competition.cli import main
from competition.extensions import db
from competition.models import Draw
from tests.judging import judging_event


def test_a_draw_from_the_command_line_prints_the_numbers_and_checks(app, tmp_path):
    setup = judging_event(tmp_path)
    result = CliRunner().invoke(main, ["draw", "run", "workstations", "--event", "test", "--skill", "tiny", "--by", "organiser",
                                       "--seed", "hall 3"])
    assert result.exit_code == 0, result.output
    assert "seed 'hall 3'" in result.output and "Anna Schmidt" in result.output
    db.session.expire_all()
    assert all(c.workstation for c in setup["skill"].competitors)
    checked = CliRunner().invoke(main, ["draw", "check", "--event", "test", "--skill", "tiny"])
    assert checked.exit_code == 0 and "reproduced" in checked.output


def test_a_refused_draw_exits_1_with_the_reason_and_a_tampered_one_fails_the_check(app, tmp_path):
    judging_event(tmp_path)
    refused = CliRunner().invoke(main, ["draw", "run", "encryption", "--event", "test", "--skill", "tiny", "--by", "organiser"])
    assert refused.exit_code == 1 and "not encrypted" in refused.output
    not_organiser = CliRunner().invoke(main, ["draw", "run", "numbers", "--event", "test", "--skill", "tiny", "--by", "judge1"])
    assert not_organiser.exit_code == 1 and "Only organisers" in not_organiser.output
    CliRunner().invoke(main, ["draw", "run", "numbers", "--event", "test", "--skill", "tiny", "--by", "organiser", "--seed", "s"])
    record = db.session.query(Draw).one()
    result = json.loads(record.result)
    a, b = sorted(result)[:2]
    result[a], result[b] = result[b], result[a]
    record.result = json.dumps(result)
    db.session.commit()
    checked = CliRunner().invoke(main, ["draw", "check", "--event", "test", "--skill", "tiny"])
    assert checked.exit_code == 1 and "NOT reproduced (2 competitors differ)" in checked.output
