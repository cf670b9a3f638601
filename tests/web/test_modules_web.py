"""A scheme with modules and a theory part: the points kind on the marking form and through
the marks API, and module subtotals and weighted scores in the standings payload."""

from __future__ import annotations

import re

from sqlalchemy import select

from competition.extensions import db
from competition.models import Mark
from competition.services.standings import standings_payload
from tests.factories import TINY_SCHEME, mark
from tests.judging import judging_event, sign_in

# The tiny skill (A and B, 5 points each: the practical, 80 %) plus a theory test T out of 20 (20 %).
THEORY = """
[[criterion]]
id = "T"
name = { en = "Theory", zh = "理论" }

[[criterion.sub]]
id = "T1"
name = "Written test"

[[criterion.sub.aspect]]
id = "T1.1"
description = "Theory test score"
type = "measurement"
method = "points"
max = 20

[[module]]
id = "M1"
name = { en = "Theory test", zh = "理论考试" }
criteria = ["T"]
weight = 0.2

[[module]]
id = "M2"
name = { en = "Practical", zh = "实操" }
criteria = ["A", "B"]
weight = 0.8
"""
SCHEME = TINY_SCHEME.replace("total = 10", "total = 100").replace('tie_break = ["B"]', 'tie_break = "modules_reverse"') + THEORY


def test_the_theory_part_is_entered_on_a_counter_and_weighted_into_the_total(app, client, tmp_path):
    setup = judging_event(tmp_path, scheme=SCHEME)
    sign_in(client, "judge1")
    page = client.get("/judge/test/tiny/T-02/T").get_data(as_text=True)
    assert 'data-aspect="T1.1" data-kind="points" data-widget="counter"' in page
    assert re.search(r'name="a_T1_1" min="0" max="20"', page)
    assert 'aria-label="One point more"' in page

    response = client.post("/judge/test/tiny/T-02/T", data={"a_T1_1": "17", "a_T1_1_base": "0", "a_T1_1_key": "theory-0001"})
    assert response.status_code == 302
    assert db.session.scalar(select(Mark.value).where(Mark.aspect_id == "T1.1")) == 17

    t2 = setup["skill"].competitors[1]
    body = {"competitor_id": t2.id, "aspect": "T1.1", "value": 21, "idempotency_key": "theory-0002", "base_version": 1}
    refused = client.post("/api/v1/marks", json=body)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == "aspect T1.1 takes a whole number of points from 0 to 20, not 21"

    # T-02's practical: A1.1 yes (2), A1.2 no deductions (2), B1.2 step 1.5 -> 5.5 of 10 so far.
    judge = setup["judges"][0]
    for aspect, value in (("A1.1", 1), ("A1.2", 0), ("B1.2", "1.5")):
        mark(judge, t2, aspect, value)
    payload = standings_payload(setup["skill"])
    assert payload["max"] == "100.00"
    assert [(m["id"], m["names"], m["criteria"], m["max"], m["weight"]) for m in payload["modules"]] == [
        ("M1", {"en": "Theory test", "zh": "理论考试"}, ["T"], "20.00", "0.2"),
        ("M2", {"en": "Practical", "zh": "实操"}, ["A", "B"], "10.00", "0.8"),
    ]
    row = next(r for r in payload["standings"] if r["code"] == "T-02")
    # theory 0.2 x 17/20 x 100 = 17.00; practical 0.8 x 5.5/10 x 100 = 44.00; B1.1 (judgement) is unmarked
    assert row["modules"] == {"M1": "17.00", "M2": "5.50"}
    assert row["module_scores"] == {"M1": "17.00", "M2": "44.00"}
    assert row["total"] == "61.00" and row["in_marking"] is True


def test_the_points_counter_reads_in_chinese(app, client, tmp_path):
    judging_event(tmp_path, scheme=SCHEME)
    sign_in(client, "judge1")
    client.post("/language", data={"language": "zh", "next": "/"})
    page = client.get("/judge/test/tiny/T-02/T", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'aria-label="加 1 分"' in page and '<span class="counter-label">分数</span>' in page
