"""Teams end to end: a team skill's competitors are teams of 2-4 members; judges mark the team,
the standings and boards show it with its members, and every member gets a certificate.

Worked example (the tiny scheme, total 10, with ``team_size = { min = 2, max = 3 }``):

    team                 members                                      A1.1 A1.2  B1.1   B1.2  total
    T-01 Dragons         王芳, 李明 (Guangdong)                         1    0    3,3,3  3     2+2+3+3   = 10
    T-02 Northern Lights Anna Schmidt (Bavaria), Owen Jones (Wales)     1    0    0,0,0  1.5   2+2+0+1.5 = 5.5
    T-03 Maple           Chloé Martin, Liam Roy, Zoe Chen (Ontario)     0    4    1,1,1  0     0+0+1+0   = 1

A1.2 deducts 0.5 per hole (4 × 0.5 = 2, all of its max). The WorldSkills Scale: median 5.5 → 700;
population sd of (10, 5.5, 1) = √((4.5² + 0 + 4.5²) / 3) = √13.5 = 3.6742; 10 → 700 + 100 × 4.5 /
3.6742 = 822.47 → 822; 1 → 578. Gold, silver, bronze by rank. Certificates: 2 + 2 + 3 = 7, one
per member, numbered TEST-00001… in team and member order.
"""

from __future__ import annotations

import io
import subprocess

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from competition.certificates.tokens import verify_url
from competition.cli import main
from competition.extensions import db
from competition.models import Certificate, TeamMember
from competition.models.people import JUDGE
from competition.services import certificates as certificates_service
from competition.services.access import conflicted
from competition.services.errors import Conflict, ServiceError
from competition.services.locking import lock_competitor
from competition.services.setup import add_team, add_user, assign
from competition.services.standings import board_payload, skill_standings
from tests.certificates.helpers import need_cjk_font, need_tool
from tests.factories import TINY_SCHEME, committed, mark_panel, tiny_event

TEAM_SCHEME = TINY_SCHEME.replace('version = "1"\n', 'version = "1"\nteam_size = { min = 2, max = 3 }\n')
TEAMS = (
    ("T-01", "Dragons", [("王芳", "Guangdong"), ("李明", "Guangdong")]),
    ("T-02", "Northern Lights", [("Anna Schmidt", "Bavaria"), ("Owen Jones", "Wales")]),
    ("T-03", "Maple", [("Chloé Martin", "Ontario"), ("Liam Roy", "Ontario"), ("Zoe Chen", "Ontario")]),
)
MARKS = {"T-01": (1, 0, 3, "3"), "T-02": (1, 0, 0, "1.5"), "T-03": (0, 4, 1, "0")}  # A1.1, A1.2, B1.1 (×3), B1.2


def team_event(tmp_path, *, lock: bool = True) -> dict:
    setup = tiny_event(tmp_path, competitors=(), scheme=TEAM_SCHEME)
    skill = setup["skill"]
    setup["teams"] = {code: committed(add_team, skill, code, name, members) for code, name, members in TEAMS}
    judges = setup["judges"]
    for code, team in setup["teams"].items():
        a11, a12, b11, b12 = MARKS[code]
        mark_panel(judges[:1], team, "A1.1", [a11])
        mark_panel(judges[:1], team, "A1.2", [a12])
        mark_panel(judges, team, "B1.1", [b11] * 3)
        mark_panel(judges[:1], team, "B1.2", [b12])
        if lock:
            lock_competitor(team)
    db.session.commit()
    return setup


def test_add_team_stores_the_members_in_order_with_the_teams_organisation(app, tmp_path):
    setup = tiny_event(tmp_path, competitors=(), scheme=TEAM_SCHEME)
    skill = setup["skill"]
    mixed = committed(add_team, skill, "T-02", " Northern  Lights ", [{"name": "Anna Schmidt", "organisation": "Bavaria"},
                                                                       {"name": " Owen  Jones ", "organisation": "Wales"}])
    assert (mixed.name, mixed.organisation) == ("Northern Lights", "Bavaria / Wales")  # several: joined
    assert [(m.position, m.name, m.organisation) for m in mixed.members] == [(1, "Anna Schmidt", "Bavaria"), (2, "Owen Jones", "Wales")]
    given = committed(add_team, skill, "T-03", "Maple", [("Chloé Martin", ""), ("Liam Roy", "")], organisation="Ontario")
    assert [m.organisation for m in given.members] == ["Ontario", "Ontario"]  # a member without one gets the team's
    assert db.session.scalar(select(TeamMember.name).where(TeamMember.competitor_id == given.id, TeamMember.position == 2)) == "Liam Roy"


@pytest.mark.parametrize(("members", "field", "message"), [
    ([("Solo", "X")], "members", "A team in Tiny Skill has 2 to 3 members, not 1."),
    ([("A", ""), ("B", ""), ("C", ""), ("D", "")], "members", "A team in Tiny Skill has 2 to 3 members, not 4."),
    ([("A", ""), ("  ", "")], "members[1].name", "Give member 2 a name of at most 200 characters."),
    ([("A", "x" * 201), ("B", "")], "members[0].organisation", "The organisation of member 1 is longer than 200 characters."),
])
def test_a_team_of_the_wrong_size_or_without_names_is_refused_naming_the_field(app, tmp_path, members, field, message):
    setup = tiny_event(tmp_path, competitors=(), scheme=TEAM_SCHEME)
    with pytest.raises(ServiceError) as refused:
        add_team(setup["skill"], "T-01", "Team", members)
    assert refused.value.field == field and str(refused.value.message) == message
    assert setup["skill"].competitors == [] and db.session.scalar(select(TeamMember.id)) is None


def test_an_individual_skill_refuses_a_team(app, tmp_path):
    setup = tiny_event(tmp_path)  # the tiny scheme sets no team_size
    with pytest.raises(ServiceError) as refused:
        add_team(setup["skill"], "T-09", "Pair", [("A", ""), ("B", "")])
    assert refused.value.field == "members" and "not per team" in str(refused.value.message)


def test_a_taken_code_is_a_conflict(app, tmp_path):
    setup = tiny_event(tmp_path, competitors=(), scheme=TEAM_SCHEME)
    committed(add_team, setup["skill"], "T-01", "Dragons", [("A", ""), ("B", "")])
    with pytest.raises(Conflict) as refused:
        add_team(setup["skill"], "T-01", "Tigers", [("C", ""), ("D", "")])
    assert refused.value.field == "code" and refused.value.status == 409


def test_a_judge_from_any_members_organisation_has_a_conflict(app, tmp_path):
    setup = team_event(tmp_path, lock=False)
    welsh = add_user("judge-wales", "Judge Wales", "pw", organisation="wales")
    assign(welsh, setup["skill"], JUDGE)
    committed(lambda: None)
    assert conflicted(welsh, setup["teams"]["T-02"])  # Owen Jones's organisation, case aside
    assert not conflicted(welsh, setup["teams"]["T-01"])


def test_marks_standings_board_payload_and_a_certificate_per_member(app, tmp_path):
    setup = team_event(tmp_path)
    skill = setup["skill"]

    standings = {s.competitor: s for s in skill_standings(skill)}
    assert [(c, str(standings[c].result.total), standings[c].rank, standings[c].medal, standings[c].standardised)
            for c in ("T-01", "T-02", "T-03")] == [("T-01", "10.00", 1, "gold", 822), ("T-02", "5.50", 2, "silver", 700),
                                                   ("T-03", "1.00", 3, "bronze", 578)]

    payload = board_payload(skill)
    assert payload["teams"] is True
    rows = {r["code"]: r for r in payload["standings"]}
    assert rows["T-01"]["name"] == "Dragons" and rows["T-01"]["organisation"] == "Guangdong"
    assert rows["T-02"]["members"] == [{"name": "Anna Schmidt", "organisation": "Bavaria"}, {"name": "Owen Jones", "organisation": "Wales"}]
    assert [m["name"] for m in rows["T-03"]["members"]] == ["Chloé Martin", "Liam Roy", "Zoe Chen"]

    certificates = certificates_service.issue(list(skill.competitors))
    assert [(c.competitor.code, c.member_position, c.competitor_name, c.team_name, c.result) for c in certificates] == [
        ("T-01", 1, "王芳", "Dragons", "gold"), ("T-01", 2, "李明", "Dragons", "gold"),
        ("T-02", 1, "Anna Schmidt", "Northern Lights", "silver"), ("T-02", 2, "Owen Jones", "Northern Lights", "silver"),
        ("T-03", 1, "Chloé Martin", "Maple", "bronze"), ("T-03", 2, "Liam Roy", "Maple", "bronze"),
        ("T-03", 3, "Zoe Chen", "Maple", "bronze"),
    ]
    assert [c.number for c in certificates] == [f"TEST-{n:05d}" for n in range(1, 8)]
    assert certificates[3].organisation == "Wales"  # the member's own organisation
    db.session.commit()
    again = certificates_service.issue(list(skill.competitors))  # reprinting reuses every member's certificate
    assert [c.number for c in again] == [c.number for c in certificates]


def test_a_renamed_member_gets_a_new_certificate_and_the_old_one_is_revoked(app, tmp_path):
    setup = team_event(tmp_path)
    dragons = setup["teams"]["T-01"]
    first = {c.member_position: c.number for c in certificates_service.issue([dragons])}
    dragons.members[1].name = "李明明"
    db.session.commit()
    second = {c.member_position: c.number for c in certificates_service.issue([dragons])}
    assert second[1] == first[1] and second[2] == "TEST-00003"  # numbering stays unique across the event
    old = db.session.scalar(select(Certificate).where(Certificate.number == first[2]))
    assert old.revoked and "TEST-00003" in old.revoked_reason


def test_a_team_batch_prints_one_page_per_member_and_reads_back(app, tmp_path):
    need_cjk_font()
    pdftotext = need_tool("pdftotext")
    setup = team_event(tmp_path)
    pdf = tmp_path / "teams.pdf"
    with pdf.open("wb") as out:
        assert certificates_service.print_certificates(setup["event"], out, skill=setup["skill"]) == 7
    db.session.commit()
    pages = [subprocess.run([pdftotext, "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], check=True, capture_output=True,
                            text=True).stdout for n in range(1, 8)]
    assert "王芳" in pages[0] and "member of the team Dragons" in pages[0] and "GOLD MEDAL" in pages[0]
    assert "李明" in pages[1] and "Dragons" in pages[1] and "TEST-00002" in pages[1]
    assert "Owen Jones" in pages[3] and "member of the team Northern Lights" in pages[3] and "Wales" in pages[3]
    assert "SILVER MEDAL" in pages[3]
    assert "Zoe Chen" in pages[6] and "Maple" in pages[6] and "BRONZE MEDAL" in pages[6]

    certificates_service.save_settings(setup["event"], language="zh", layout="auto", organiser_name="组委会")
    out = io.BytesIO()
    certificates_service.print_certificates(setup["event"], out, competitor=setup["teams"]["T-01"])
    zh = tmp_path / "zh.pdf"
    zh.write_bytes(out.getvalue())
    text = subprocess.run([pdftotext, "-layout", str(zh), "-"], check=True, capture_output=True, text=True).stdout
    assert "参赛队：Dragons" in text and "王芳" in text and "李明" in text


def test_the_verify_page_shows_the_member_and_the_team(app, client, tmp_path):
    setup = team_event(tmp_path)
    certificates = certificates_service.issue([setup["teams"]["T-02"]])
    db.session.commit()
    owen = certificates[1]
    path = verify_url("http://x", owen.number, app.config["SECRET_KEY"]).removeprefix("http://x")
    html = client.get(path).get_data(as_text=True)
    assert "Genuine certificate" in html and "Owen Jones" in html and "Member of the team Northern Lights" in html
    assert "Wales" in html and owen.number in html
    chinese = client.get(path, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "参赛队：Northern Lights" in chinese


def test_judges_see_each_team_with_its_members(app, client, tmp_path):
    setup = team_event(tmp_path, lock=False)
    with client.session_transaction() as session:
        session["_user_id"] = str(setup["judges"][0].id)
        session["_fresh"] = True
    listing = client.get("/judge/test/tiny/").get_data(as_text=True)
    assert "Dragons" in listing and "王芳 · 李明" in listing and "Anna Schmidt (Bavaria) · Owen Jones (Wales)" in listing
    form = client.get("/judge/test/tiny/T-03/A").get_data(as_text=True)
    assert "Maple" in form and "Chloé Martin · Liam Roy · Zoe Chen" in form
    chinese = client.get("/judge/test/tiny/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "王芳、李明" in chinese and "Anna Schmidt（Bavaria）、Owen Jones（Wales）" in chinese


def test_check_scheme_reports_a_bad_team_size_with_file_and_line(tmp_path):
    bad = tmp_path / "team.toml"
    bad.write_text(TINY_SCHEME.replace('version = "1"\n', 'version = "1"\nteam_size = { min = 2, max = 6 }\n'), encoding="utf-8")
    result = CliRunner().invoke(main, ["check-scheme", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:5: scheme.team_size.max: must be a whole number between 2 and 4, not 6" in result.output


def test_anonymised_team_skills_show_no_members(app, tmp_path):
    setup = team_event(tmp_path, lock=False)
    setup["skill"].anonymised = True
    db.session.commit()
    assert all(r["members"] == [] and r["name"] is None for r in board_payload(setup["skill"])["standings"])
