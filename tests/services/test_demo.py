"""The demo event: realistic, partly marked (one skill final), with names in both scripts."""

from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Mark, MarkRevision, SkillRole, User
from competition.models.people import JUDGE
from competition.services.standings import skill_standings

FINAL_SKILL = "mechatronics"  # the demo's skill whose every competitor is locked


def test_demo_event(app, demo_event):
    skills = {s.code: s for s in demo_event.skills}
    assert set(skills) == {"cn-electrical-installation", "cnc-milling", "port-logistics", "cn-industrial-robotics", "mechatronics"}
    names = [c.name for s in demo_event.skills for c in s.competitors]
    assert len(names) == 5 * 12
    # the team skill: twelve teams of two
    assert all(len(team.members) == 2 for team in skills["mechatronics"].competitors)
    # the Chinese national-style skill: competitors with Chinese names, its judges reading Chinese
    robotics = skills["cn-industrial-robotics"]
    assert all(not c.name.isascii() for c in robotics.competitors)
    roles = select(SkillRole).where(SkillRole.skill_id == robotics.id, SkillRole.role == JUDGE)
    judges = [r.user for r in db.session.scalars(roles)]
    assert len(judges) == 5 and all(j.language == "zh" for j in judges)
    assert "王芳" in names and any(n.isascii() for n in names)
    assert len({c.organisation for s in demo_event.skills for c in s.competitors}) >= 5
    for skill in demo_event.skills:
        rows = skill_standings(skill)
        progress = [r.result.progress for r in rows]
        if skill.code == FINAL_SKILL:
            assert min(progress) == 1.0, "the final skill is wholly marked"
        else:
            assert max(progress) == 1.0 and min(progress) < 1.0, "part of the marking is done"
    marks = db.session.scalar(select(func.count(Mark.id)))
    assert marks == db.session.scalar(select(func.count(MarkRevision.id))) > 500
    # the organiser, a chief expert per skill, 5 + 3 + 3 + 5 + 3 judges
    assert db.session.scalar(select(func.count(User.id))) == 1 + 5 + 19


def test_demo_judges_never_marked_their_own_organisation(app, demo_event):
    def organisation(name):  # as the conflict rule compares them: case and spacing do not make another one
        return " ".join(name.split()).casefold()

    marks = db.session.scalars(select(Mark)).all()
    assert marks
    for mark in marks:
        assert organisation(mark.judge.organisation) != organisation(mark.competitor.organisation), mark.competitor.code


def test_demo_standings_json(app, client, demo_event):
    for skill in demo_event.skills:
        data = client.get(f"/api/v1/events/{demo_event.code}/skills/{skill.code}/standings").get_json()
        assert len(data["standings"]) == 12
        assert data["standings"][0]["rank"] == 1


def test_demo_has_a_final_skill_whose_certificates_print_and_ceremony_starts(app, demo_event):
    """Certificates and the reveal ceremony need every competitor of a skill locked: the demo
    shows both without an organiser's override."""
    from competition.models import VarianceOverride
    from competition.services.boards import REVEAL, ceremony_places, reveal_step, set_display_mode
    from competition.services.certificate_checks import check_print
    from competition.services.certificates import issue, select_competitors

    final = next(s for s in demo_event.skills if s.code == FINAL_SKILL)
    assert len(final.competitors) == 12 and all(c.locked for c in final.competitors)
    # its variance flag was resolved by the chief expert, not left standing
    overrides = db.session.scalars(select(VarianceOverride)).all()
    assert {o.competitor_id for o in overrides} & {c.id for c in final.competitors}
    # the other skills keep their partial states
    assert all(not all(c.locked for c in s.competitors) for s in demo_event.skills if s is not final)

    competitors = select_competitors(demo_event, skill=final)  # refuses while any competitor is unlocked
    assert {c.id for c in competitors} == {c.id for c in final.competitors}
    check = check_print(demo_event, competitors)
    assert not check.superseded
    organiser = db.session.scalar(select(User).where(User.username == "organiser"))
    certificates = issue(competitors, by=organiser)
    assert len(certificates) == 12 * 2  # one per member of each team of two

    set_display_mode(final, REVEAL, by=organiser)
    assert reveal_step(final, "start", by=organiser) == 0  # no reason asked: every competitor is locked
    assert ceremony_places(final) == 12
