"""Measurement entries that disagree are flagged like judgement variance: the whole panel
and the chief expert see what disagrees at once, and sign-off waits until the entries are
re-entered or the chief expert overrides the flag with a reason (in the audit trail)."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditEntry, VarianceOverride
from competition.services.judging import JudgingError, competitor_sheet, record_override, sign_off, sign_off_problems
from tests.factories import TINY_SCHEME, mark, mark_panel
from tests.judging import judging_event, sign_in

FORM = "/api/v1/events/test/skills/tiny/competitors/T-01/form"
ZH = {"Accept-Language": "zh-CN"}


def _mark_the_rest(judges, competitor, *, skip: str):
    """Every aspect but ``skip``: measurements entered once by judge 1, B1.1 by the whole panel."""
    for aspect_id, value in (("A1.1", 1), ("A1.2", 1), ("B1.2", "1.5")):
        if aspect_id != skip:
            mark(judges[0], competitor, aspect_id, value, base_version=0)
    mark_panel(judges, competitor, "B1.1", [2, 2, 2])


def test_a_split_yes_no_blocks_sign_off_until_re_entered(app, tmp_path):
    setup = judging_event(tmp_path)
    judges, t1 = setup["judges"], setup["skill"].competitors[0]
    _mark_the_rest(judges, t1, skip="A1.1")
    mark_panel(judges[:2], t1, "A1.1", [1, 0])  # yes, no: a tie is not awarded (0), and the split is flagged

    sheet = competitor_sheet(t1)
    state = sheet.aspects["A1.1"]
    assert state.flagged and state.blocking and sheet.flagged == ["A1.1"]
    assert str(state.disagreement_text) == "the panel entered yes/no"
    assert state.result.mark == 0
    # Every judge of the panel is blocked, also the one who entered nothing.
    for judge in judges:
        assert [str(p) for p in sign_off_problems(judge, sheet)] == [
            "A1.1: the panel entered yes/no; measure again and re-enter, or ask the chief expert"
        ]
    with pytest.raises(JudgingError) as refused:
        sign_off(judges[2], t1)
    assert refused.value.code == "sign_off_blocked"

    mark(judges[1], t1, "A1.1", 1, base_version=1)  # judge 2 measured again: yes
    assert not competitor_sheet(t1).aspects["A1.1"].flagged
    assert [sign_off(judge, t1) for judge in judges] == [False, False, True]
    assert t1.locked


def test_deduction_counts_apart_are_overridden_by_the_chief_expert_with_a_reason(app, tmp_path):
    setup = judging_event(tmp_path)
    judges, chief, t1 = setup["judges"], setup["chief"], setup["skill"].competitors[0]
    _mark_the_rest(judges, t1, skip="A1.2")
    mark_panel(judges, t1, "A1.2", [0, 2, 1])  # counts 0, 2, 1: lower median 1 -> 2 - 0.5 = 1.50
    state = competitor_sheet(t1).aspects["A1.2"]
    assert str(state.result.mark) == "1.50"
    assert str(state.disagreement_text) == "deduction counts 0, 1, 2 differ by more than 0"
    with pytest.raises(JudgingError):
        sign_off(judges[0], t1)
    with pytest.raises(JudgingError) as refused:
        record_override(judges[0], t1, "A1.2", "The counts stand as the panel entered them")
    assert refused.value.status == 403

    record_override(chief, t1, "A1.2", "One hole is on the limit; the lower median stands.")
    row = db.session.scalar(select(VarianceOverride).where(VarianceOverride.aspect_id == "A1.2"))
    assert row.entries == "0, 2, 1" and row.by_user_id == chief.id
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "variance_override"))
    assert (audit.detail, audit.reason) == ("A1.2: 0, 2, 1", "One hole is on the limit; the lower median stands.")
    assert [sign_off(judge, t1) for judge in judges] == [False, False, True]


def test_the_scheme_may_let_the_majority_settle_it(app, tmp_path):
    scheme = TINY_SCHEME.replace('tie_break = ["B"]\n', 'tie_break = ["B"]\nmeasurement_agreement = { binary = "majority" }\n')
    setup = judging_event(tmp_path, scheme=scheme)
    judges, t1 = setup["judges"], setup["skill"].competitors[0]
    _mark_the_rest(judges, t1, skip="A1.1")
    mark_panel(judges, t1, "A1.1", [1, 0, 1])  # settled by the majority, silently, as before flags existed
    state = competitor_sheet(t1).aspects["A1.1"]
    assert not state.flagged and state.disagreement is None and str(state.result.mark) == "2.00"
    assert [sign_off(judge, t1) for judge in judges] == [False, False, True]


def test_the_tablet_the_api_and_the_chief_expert_see_what_disagrees(app, client, tmp_path):
    setup = judging_event(tmp_path)
    judges, t1 = setup["judges"], setup["skill"].competitors[0]
    _mark_the_rest(judges, t1, skip="B1.2")
    mark_panel(judges[1:], t1, "B1.2", [3, 0])  # steps 0 and 3 of [0, 1.5, 3]: two steps apart

    # Judge 1 entered nothing on B1.2, but the flag is the panel's: they see it, and why.
    sign_in(client, "judge1")
    page = client.get("/judge/test/tiny/T-01/B").get_data(as_text=True)
    assert ("Flagged: steps 0, 3 are more than 0 apart. Measure again together and re-enter, or wait for the chief expert."
            in page)
    assert "is-flagged" in page
    page = client.get("/judge/test/tiny/T-01/B", headers=ZH).get_data(as_text=True)
    assert "有分歧：档位 0, 3 相差超过 0 档。请共同重新测量并重新评分，或等待裁判长处理。" in page

    # The JSON API shows the flag, in English whatever the language asked for.
    state = client.get(FORM, headers=ZH).get_json()
    assert state["aspects"]["B1.2"]["flagged"] is True
    assert state["aspects"]["B1.2"]["disagreement"] == {"text": "steps 0, 3 are more than 0 apart", "entries": ["0", "3"],
                                                        "allowed": 0}
    assert state["sign_off_problems"] == ["B1.2: steps 0, 3 are more than 0 apart; measure again and re-enter, or ask the chief expert"]
    assert state["aspects"]["B1.1"]["disagreement"] is None
    response = client.post("/api/v1/sign-offs", json={"competitor_id": t1.id})
    assert response.status_code == 409
    assert response.get_json()["error"]["problems"] == state["sign_off_problems"]

    # The chief expert's competitor sheet and overview, in both languages.
    chief = app.test_client()
    sign_in(chief, "chief")
    assert "steps 0, 3 are more than 0 apart" in chief.get("/chief/test/tiny/T-01").get_data(as_text=True)
    assert "档位 0, 3 相差超过 0 档" in chief.get("/chief/test/tiny/T-01", headers=ZH).get_data(as_text=True)
    overview = chief.get("/chief/test/tiny/").get_data(as_text=True)
    assert "B1.2: steps 0, 3 are more than 0 apart" in overview

    # Judge 3 measures again and enters 3 like judge 2: the flag clears for the whole panel.
    response = client.post("/api/v1/marks", json={"competitor_id": t1.id, "aspect": "B1.2", "value": 3, "base_version": 0,
                                                  "idempotency_key": "judge1-b12"})
    assert response.status_code == 201
    assert response.get_json()["flagged"] is True  # 3, 0, 3: still two steps apart
    assert response.get_json()["disagreement"]["entries"] == ["0", "3", "3"]
    mark(judges[2], t1, "B1.2", 3, base_version=1)
    state = client.get(FORM).get_json()
    assert state["aspects"]["B1.2"]["flagged"] is False and state["sign_off_problems"] == []
    response = client.post("/judge/test/tiny/T-01/sign-off", data={})
    assert response.status_code == 302  # signed off through the form


def test_a_binary_flag_on_the_tablet_says_yes_and_no_in_chinese(app, client, tmp_path):
    setup = judging_event(tmp_path)
    judges, t1 = setup["judges"], setup["skill"].competitors[0]
    mark_panel(judges, t1, "A1.1", [0, 1, 0])
    sign_in(client, "judge2")
    page = client.get("/judge/test/tiny/T-01/A", headers=ZH).get_data(as_text=True)
    assert "有分歧：裁判组录入为 是/否/否。" in page
    # What marking.js needs to word a flag that appears or changes later, in the page's language.
    wording = json.loads(re.search(r"data-flag-wording='([^']*)'", page)[1])
    assert wording["binary"] == {"note": "有分歧：%(disagreement)s。请共同重新测量并重新评分，或等待裁判长处理。",
                                 "detail": "裁判组录入为 %(entries)s", "words": {"1": "是", "0": "否"}, "separator": "/"}
    assert wording["deduction"]["detail"] == "扣分次数 %(entries)s 相差超过 %(allowed)s 次"
    assert "A1.1: the panel entered yes/no/no; measure again and re-enter, or ask the chief expert" in (
        client.get(FORM).get_json()["sign_off_problems"])

    # The chief expert overrides it on their page, with a reason: sign-off is no longer blocked by it.
    chief = app.test_client()
    sign_in(chief, "chief")
    assert "Open discussion" not in chief.get("/chief/test/tiny/T-01").get_data(as_text=True)  # the panel sees the entries already
    response = chief.post("/chief/test/tiny/T-01/override", data={"aspect": "A1.1", "reason": "Re-measured with the chief: no."})
    assert response.status_code == 303
    state = client.get(FORM).get_json()
    assert state["aspects"]["A1.1"]["overridden"] is True
    assert not any(p.startswith("A1.1") for p in state["sign_off_problems"])
    def a11_note(html: str) -> str:
        fieldset = html.split('data-aspect="A1.1"')[1].split("</fieldset>")[0]
        return re.search(r'<p class="aspect-note note-flag"[^>]*>', fieldset)[0]

    assert "hidden" not in a11_note(page)  # shown before the override…
    assert "hidden" in a11_note(client.get("/judge/test/tiny/T-01/A").get_data(as_text=True))  # …not after
