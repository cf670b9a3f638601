"""Judging scales on the marking form and through the marks API: a fine scale (0–10 in tenths)
is a keypad whose number input posts without JavaScript, a scale of eleven whole points is
eleven buttons, and every entry is checked against the scale on the server."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from competition.extensions import db
from competition.models import Mark
from tests.factories import TINY_SCHEME
from tests.judging import judging_event, sign_in

FINISH = 'descriptors = ["poor", "industry standard", "above standard", "excellent"]'
SCALES = TINY_SCHEME.replace(FINISH, "scale = { min = 0, max = 10, step = 0.1 }").replace(
    'id = "B1.2"\ndescription = "Deburring"\ntype = "measurement"\nmethod = "stepped"\nsteps = [0, 1.5, 3]\nmax = 3',
    'id = "B1.2"\ndescription = "Deburring"\ntype = "judgement"\nscale = { min = 0, max = 10 }\nmax = 3',
)


def test_a_fine_scale_is_a_keypad_and_posts_without_javascript(app, client, tmp_path):
    setup = judging_event(tmp_path, scheme=SCALES)
    sign_in(client, "judge1")
    page = client.get("/judge/test/tiny/T-02/B").get_data(as_text=True)
    assert 'data-aspect="B1.1" data-kind="judgement" data-widget="keypad"' in page
    assert '<div class="keypad" data-min="0" data-max="10" data-step="0.1">' in page
    assert 'type="number" inputmode="decimal" name="a_B1_1"' in page and 'min="0" max="10" step="0.1"' in page
    assert "From 0 to 10 in steps of 0.1" in page
    # Eleven whole points: eleven buttons.
    assert 'data-aspect="B1.2" data-kind="judgement" data-widget="choices"' in page
    assert page.count('name="a_B1_2"') == 11 and '<span class="choice-num">10</span>' in page
    assert 'class="choices choices-judgement levels-11"' in page

    response = client.post("/judge/test/tiny/T-02/B", data={"a_B1_1": " 8.7 ", "a_B1_1_base": "0", "a_B1_1_key": "keypad-0001",
                                                            "a_B1_2": "7", "a_B1_2_base": "0", "a_B1_2_key": "keypad-0002"})
    assert response.status_code == 302
    stored = dict(db.session.execute(select(Mark.aspect_id, Mark.value)).all())
    assert stored == {"B1.1": Decimal("8.7"), "B1.2": Decimal(7)}
    page = client.get("/judge/test/tiny/T-02/B").get_data(as_text=True)
    assert 'value="8.7">' in page and 'data-value="8.7"' in page

    # Off the step or off the scale: the form says which aspect and what it takes.
    refused = client.post("/judge/test/tiny/T-02/B", data={"a_B1_1": "8.75", "a_B1_1_base": "1", "a_B1_1_key": "keypad-0003"})
    assert refused.status_code == 422
    assert "aspect B1.1 takes a score from 0 to 10 in steps of 0.1, not 8.75" in refused.get_data(as_text=True)
    t2 = setup["skill"].competitors[1]
    body = {"competitor_id": t2.id, "aspect": "B1.2", "value": 11, "idempotency_key": "keypad-0004", "base_version": 1}
    api = client.post("/api/v1/marks", json=body)
    assert api.status_code == 422
    assert api.get_json()["error"] == {**api.get_json()["error"], "field": "value", "code": "invalid_value",
                                       "message": "aspect B1.2 takes a whole score from 0 to 10, not 11"}
    assert db.session.scalar(select(Mark.value).where(Mark.aspect_id == "B1.1")) == Decimal("8.7")


def test_the_scale_message_reads_in_chinese_on_the_form(app, client, tmp_path):
    judging_event(tmp_path, scheme=SCALES)
    sign_in(client, "judge1")
    data = {"a_B1_1": "10.1", "a_B1_1_base": "0", "a_B1_1_key": "keypad-zh-1"}
    page = client.post("/judge/test/tiny/T-02/B", data=data, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "评分项 B1.1" in page or "B1.1" in page
    assert "0.1" in page and "takes a score" not in page
