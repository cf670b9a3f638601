"""The console's panel, draw and results pages; what judges and spectators see of an encrypted skill."""

from __future__ import annotations

from sqlalchemy import select

from competition.extensions import db
from competition.models import AuditEntry, SkillRole
from competition.models.marking import utcnow
from competition.services.draws import run_draw
from competition.services.setup import add_user
from tests.factories import cheap_passwords, committed
from tests.judging import PASSWORDS, judging_event, sign_in

NAMES = ("王芳", "Anna Schmidt", "Owen Jones")
CODES = ("T-01", "T-02", "T-03")
ORGANISATIONS = ("Guangdong", "Bavaria", "Wales")


def _lock_all(skill):
    for competitor in skill.competitors:
        competitor.locked_at = utcnow()


def test_the_panel_page_shows_a_conflict_before_saving_and_saves_only_when_confirmed(app, client, tmp_path):
    setup = judging_event(tmp_path)
    with cheap_passwords():
        guangdong = add_user("gd2", "Second Guangdong Judge", "pw", organisation="Guangdong")
    db.session.commit()
    sign_in(client, "organiser")
    page = client.get("/console/events/test/skills/tiny/panel").get_data(as_text=True)
    row = page[page.index("Second Guangdong Judge"):]
    row = row[: row.index("</tr>")]
    assert "Conflict" in row and "T-01" in row and 'name="confirmed"' in row
    refused = client.post("/console/events/test/skills/tiny/panel", data={"user_id": guangdong.id, "role": "judge"},
                          follow_redirects=True)
    assert "Confirm the assignment" in refused.get_data(as_text=True)
    assert db.session.scalar(select(SkillRole).where(SkillRole.user_id == guangdong.id)) is None
    client.post("/console/events/test/skills/tiny/panel", data={"user_id": guangdong.id, "role": "judge", "confirmed": "1"})
    assert db.session.scalar(select(SkillRole.role).where(SkillRole.user_id == guangdong.id)) == "judge"
    assert "Judge Of CNC" in page  # another skill's judge is a candidate too
    assert setup["skill"].code == "tiny"


def test_removing_a_judge_with_marks_is_refused_on_the_page(app, client, tmp_path):
    from tests.factories import mark

    setup = judging_event(tmp_path)
    judge = setup["judges"][0]
    mark(judge, setup["skill"].competitors[1], "A1.1", 1, base_version=0)
    sign_in(client, "organiser")
    answer = client.post(f"/console/events/test/skills/tiny/panel/{judge.id}/remove", follow_redirects=True)
    assert "stays on its panel" in answer.get_data(as_text=True)
    assert judge.role_in(setup["skill"].id) == "judge"


def test_a_draw_from_the_page_is_recorded_and_reproduced(app, client, tmp_path):
    setup = judging_event(tmp_path)
    sign_in(client, "organiser")
    answer = client.post("/console/events/test/skills/tiny/draw", data={"kind": "workstations", "seed": "on stage 7 4 1"},
                         follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "on stage 7 4 1" in page and "Reproduced" in page
    assert all(c.workstation for c in setup["skill"].competitors)
    overview = client.get("/console/events/test/skills/tiny/draw").get_data(as_text=True)
    assert "on stage 7 4 1" in overview
    assert client.get("/console/events/test/panels").status_code == 200


def test_judges_and_chief_experts_cannot_use_the_console(app, client, tmp_path):
    judging_event(tmp_path)
    for person in ("judge1", "chief"):
        sign_in(client, person)
        assert client.post("/console/events/test/skills/tiny/results/lock").status_code == 403
        assert client.post("/console/events/test/skills/tiny/results/publish", data={"confirmed": "1"}).status_code == 403
        assert client.post("/console/events/test/skills/tiny/draw", data={"kind": "numbers"}).status_code == 403
        client.post("/sign-out")


def test_the_chief_expert_submits_the_results_a_judge_cannot(app, client, tmp_path):
    setup = judging_event(tmp_path)
    skill = setup["skill"]
    sign_in(client, "judge1")
    assert client.post("/chief/test/tiny/results").status_code == 403
    client.post("/sign-out")
    sign_in(client, "chief")
    page = client.post("/chief/test/tiny/results", follow_redirects=True).get_data(as_text=True)
    assert "Not every competitor is signed off and locked yet: T-01, T-02, T-03." in page
    _lock_all(skill)
    db.session.commit()
    page = client.get("/chief/test/tiny/").get_data(as_text=True)
    assert "Submit results" in page
    client.post("/chief/test/tiny/results")
    assert skill.results_locked_at is not None


def test_the_organiser_locks_and_publishes_and_the_home_page_says_official(app, client, tmp_path):
    setup = judging_event(tmp_path)
    skill = setup["skill"]
    _lock_all(skill)
    db.session.commit()
    sign_in(client, "organiser")
    assert ">Official</span>" not in client.get("/").get_data(as_text=True)
    client.post("/console/events/test/skills/tiny/results/lock")
    assert skill.results_locked_at is not None
    client.post("/console/events/test/skills/tiny/results/publish")  # not confirmed: nothing happens
    assert skill.results_published_at is None
    client.post("/console/events/test/skills/tiny/results/publish", data={"confirmed": "1"})
    assert skill.results_published_at is not None
    assert ">Official</span>" in client.get("/").get_data(as_text=True)
    assert client.get("/api/v1/events/test/skills/tiny/standings").get_json()["official"] is True
    refused = client.post("/console/events/test/skills/tiny/results/unlock", data={"reason": "too late now"}, follow_redirects=True)
    assert "can no longer be unlocked" in refused.get_data(as_text=True)


def _encrypted(tmp_path):
    setup = judging_event(tmp_path)
    setup["skill"].encrypted = True
    # The chief expert's pages name the judges; this judge's name would otherwise carry T-01's organisation.
    setup["conflicted"].display_name = "Judge Four"
    committed(run_draw, setup["skill"], "encryption", by=setup["organiser"], seed="sealed envelope")
    return setup


def _hides_everyone(text: str) -> None:
    for secret in NAMES + CODES + ORGANISATIONS:
        assert secret not in text, secret


def test_a_judge_of_an_encrypted_skill_sees_only_encrypted_numbers_in_pages_and_api(app, client, tmp_path):
    setup = _encrypted(tmp_path)
    skill = setup["skill"]
    bavaria = next(c for c in skill.competitors if c.code == "T-02")
    number = bavaria.encrypted_code
    sign_in(client, "judge1")
    listing = client.get("/judge/test/tiny/").get_data(as_text=True)
    _hides_everyone(listing)
    assert all(c.encrypted_code in listing for c in skill.competitors)
    assert client.get("/judge/test/tiny/T-02/A").status_code == 404  # the real code finds nothing
    form = client.get(f"/judge/test/tiny/{number}/A")
    assert form.status_code == 200
    _hides_everyone(form.get_data(as_text=True))
    state = client.get(f"/api/v1/events/test/skills/tiny/competitors/{number}/form")
    _hides_everyone(state.get_data(as_text=True))
    assert state.get_json()["competitor"] == {"id": bavaria.id, "code": number, "name": None}
    posted = client.post("/api/v1/marks", json={"competitor_id": bavaria.id, "aspect": "A1.1", "value": 1, "idempotency_key": "enc-1",
                                                "base_version": 0})
    assert posted.status_code == 201 and posted.get_json()["competitor"] == number
    _hides_everyone(posted.get_data(as_text=True))
    by_code = client.post("/api/v1/marks", json={"event": "test", "skill": "tiny", "competitor": number, "aspect": "A1.2",
                                                 "value": 0, "idempotency_key": "enc-2", "base_version": 0})
    assert by_code.status_code == 201
    refused = client.post("/api/v1/sign-offs", json={"competitor_id": bavaria.id})
    assert refused.status_code == 409
    _hides_everyone(refused.get_data(as_text=True))


def test_the_chief_expert_and_spectators_see_encrypted_numbers_until_the_results_are_locked(app, client, tmp_path):
    setup = _encrypted(tmp_path)
    skill = setup["skill"]
    sign_in(client, "chief")
    overview = client.get("/chief/test/tiny/").get_data(as_text=True)
    _hides_everyone(overview)
    number = skill.competitors[0].encrypted_code
    _hides_everyone(client.get(f"/chief/test/tiny/{number}").get_data(as_text=True))
    client.post("/sign-out")
    _hides_everyone(client.get("/api/v1/events/test/skills/tiny/standings").get_data(as_text=True))
    home = client.get("/").get_data(as_text=True)
    for secret in NAMES + CODES:
        assert secret not in home
    _lock_all(skill)
    db.session.commit()
    sign_in(client, "chief")
    client.post("/chief/test/tiny/results")
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "identities_joined")) is not None
    joined = client.get("/judge/test/tiny/").get_data(as_text=True)
    assert all(name in joined for name in NAMES)
    standings = client.get("/api/v1/events/test/skills/tiny/standings").get_json()
    assert sorted(r["code"] for r in standings["standings"]) == list(CODES)


def test_organisers_see_who_is_behind_each_encrypted_number(app, client, tmp_path):
    setup = _encrypted(tmp_path)
    sign_in(client, "organiser")
    page = client.get("/console/events/test/skills/tiny/draw").get_data(as_text=True)
    assert all(c.encrypted_code in page and c.name in page for c in setup["skill"].competitors)
    assert PASSWORDS["organiser"]


def test_the_chief_expert_button_adds_a_chief_expert_once_the_old_one_is_removed(app, client, tmp_path):
    setup = judging_event(tmp_path)
    skill, newcomer = setup["skill"], setup["judges"][0]
    sign_in(client, "organiser")
    page = client.get("/console/events/test/skills/tiny/panel").get_data(as_text=True)
    assert "Add as chief expert" not in page  # the skill has one
    client.post(f"/console/events/test/skills/tiny/panel/{setup['chief'].id}/remove")
    assert setup["chief"].role_in(skill.id) is None
    client.post(f"/console/events/test/skills/tiny/panel/{newcomer.id}/remove")
    page = client.get("/console/events/test/skills/tiny/panel").get_data(as_text=True)
    assert "Add as chief expert" in page and "The skill has no chief expert yet." in page
    client.post("/console/events/test/skills/tiny/panel?role=chief_expert", data={"user_id": newcomer.id})
    assert newcomer.role_in(skill.id) == "chief_expert"
