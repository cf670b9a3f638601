"""Marking progress per skill and per judge: what each judge's form still asks of them,
sign-offs, locks, open flags, and judges who have not marked for a while."""

from __future__ import annotations

import datetime as dt

from competition.services.progress import IDLE_AFTER, skill_progress
from tests.factories import mark, mark_panel, tiny_event


def by_judge(progress):
    return {row.judge.username: row for row in progress.judges}


def test_each_judge_counts_their_own_scores_and_the_panels_measurements(app, tmp_path):
    setup = tiny_event(tmp_path)
    judges, skill = setup["judges"], setup["skill"]
    t1 = skill.competitors[0]
    mark(judges[0], t1, "B1.1", 3)  # a judgement score: judge1's own
    mark(judges[1], t1, "A1.1", 1)  # a measurement: one entry serves the whole panel
    progress = skill_progress(skill)
    rows = by_judge(progress)
    # 4 aspects x 3 competitors for each judge
    assert [rows[f"judge{i}"].expected for i in (1, 2, 3)] == [12, 12, 12]
    assert rows["judge1"].marked == 2 and rows["judge2"].marked == 1 and rows["judge3"].marked == 1
    assert progress.aspects == 12 and progress.aspects_marked == 1  # only A1.1 of T-01 is complete
    assert progress.forms == 9 and progress.signed == 0 and progress.locked == 0


def test_an_aspect_scored_too_far_apart_is_an_open_flag(app, tmp_path):
    setup = tiny_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    mark_panel(setup["judges"], t1, "B1.1", [0, 3, 3])
    flags = skill_progress(setup["skill"]).flags
    assert [(f.competitor_code, f.aspect_id) for f in flags] == [("T-01", "B1.1")]


def test_a_judge_who_has_not_marked_for_a_while_is_idle(app, tmp_path):
    setup = tiny_event(tmp_path)
    judges, skill = setup["judges"], setup["skill"]
    mark(judges[0], skill.competitors[0], "B1.1", 2)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    later = soon + IDLE_AFTER
    assert {u: r.idle for u, r in by_judge(skill_progress(skill, now=soon)).items()} == {"judge1": False, "judge2": True, "judge3": True}
    assert by_judge(skill_progress(skill, now=later))["judge1"].idle
