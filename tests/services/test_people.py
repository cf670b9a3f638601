"""People and accounts: organisations and their colours, competitors and teams, accounts,
passwords and one-time sign-in links."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditEntry, Competitor, Organisation, SignInLink, TeamMember, User
from competition.models.marking import utcnow
from competition.services import accounts
from competition.services.competitors import add_competitor, remove_competitor, update_competitor
from competition.services.errors import ServiceError
from competition.services.organisations import PALETTE, add_organisation, update_organisation
from competition.services.setup import add_skill_from_scheme
from competition.services.standings import board_payload, event_overview
from tests.conftest import SCHEMES
from tests.factories import cheap_passwords, committed, mark, tiny_event


@pytest.fixture
def setup(app, tmp_path):
    with cheap_passwords():
        setup = tiny_event(tmp_path)
    for code, name in (("GD", "Guangdong"), ("BY", "Bavaria"), ("WAL", "Wales")):
        committed(add_organisation, setup["event"], code, name, by=setup["organiser"])
    return setup


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


# -- organisations ------------------------------------------------------------------------

def test_demo_organisations_get_distinct_colours_and_boards_carry_them(app, demo_event):
    organisations = db.session.scalars(select(Organisation).where(Organisation.event_id == demo_event.id)).all()
    competing = {c.organisation for s in demo_event.skills for c in s.competitors}
    assert competing <= {o.name for o in organisations}, "every competing organisation is registered"
    colours = [o.colour for o in organisations]
    assert len(set(colours)) == len(colours) and set(colours) <= set(PALETTE)
    skill = next(s for s in demo_event.skills if s.code == "cnc-milling")
    payload = board_payload(skill)
    shown = {r["organisation"] for r in payload["standings"]}
    assert payload["organisations"] == {o.name: o.colour for o in organisations if o.name in shown}
    # Ontario and Singapore (and Wales and Shanghai) no longer look alike
    by_name = {o.name: o.colour for o in organisations}
    assert by_name["Ontario"] != by_name["Singapore"] and by_name["Wales"] != by_name["Shanghai 上海"]
    overview = event_overview(demo_event)
    assert all(s["organisations"] for s in overview["skills"] if not s["organisations_withheld"])
    # the anonymised skill (port-logistics) shows spectators no organisation, nor its colour
    assert [s["skill"] for s in overview["skills"] if s["organisations_withheld"]] == ["port-logistics"]
    assert all(not s["organisations"] for s in overview["skills"] if s["organisations_withheld"])


def test_an_organisation_gets_the_first_free_colour_and_a_chosen_one_is_kept(setup):
    event = setup["event"]
    colours = [o.colour for o in db.session.scalars(select(Organisation).order_by(Organisation.id))]
    assert colours == list(PALETTE[:3])
    chosen = committed(add_organisation, event, "ON", "Ontario", colour="#0067a5", by=setup["organiser"])
    assert chosen.colour == "#0067A5"
    assert committed(add_organisation, event, "SG", "Singapore", by=setup["organiser"]).colour == PALETTE[3]
    assert audit_count("organisation_added") == 5


@pytest.mark.parametrize("code, name, colour, field", [
    ("", "Ontario", "", "code"), ("O N", "Ontario", "", "code"), ("ON", "", "", "name"), ("ON", "x" * 201, "", "name"),
    ("ON", "Ontario", "red", "colour"), ("gd", "Ontario", "", "code"), ("ON", "guangdong", "", "name"),
    ("ON", "Onta\x00rio", "", "name"),
])
def test_a_bad_organisation_is_refused_and_nothing_is_written(setup, code, name, colour, field):
    before = db.session.scalar(select(func.count(Organisation.id)))
    with pytest.raises(ServiceError) as refused:
        add_organisation(setup["event"], code, name, colour=colour, by=setup["organiser"])
    assert refused.value.field == field
    assert db.session.scalar(select(func.count(Organisation.id))) == before


def test_renaming_an_organisation_carries_the_name_to_its_competitors(setup):
    guangdong = db.session.scalar(select(Organisation).where(Organisation.code == "GD"))
    committed(update_organisation, guangdong, code="GD", name="Guangdong 广东", colour="#E68FAC", by=setup["organiser"])
    assert guangdong.colour == "#E68FAC"
    assert db.session.scalar(select(Competitor.organisation).where(Competitor.code == "T-01")) == "Guangdong 广东"
    assert audit_count("organisation_updated") == 1


# -- competitors and teams ----------------------------------------------------------------

def test_a_competitor_is_added_edited_and_removed_while_unmarked(setup):
    skill, organiser = setup["skill"], setup["organiser"]
    competitor = committed(add_competitor, skill, code="T-04", name="李娜", organisation="Guangdong", entry_number="J-104", by=organiser)
    assert (competitor.organisation, competitor.entry_number) == ("Guangdong", "J-104")
    committed(update_competitor, competitor, code="T-05", name="李娜", organisation="Wales", entry_number="", by=organiser)
    assert (competitor.code, competitor.organisation, competitor.entry_number) == ("T-05", "Wales", None)
    committed(remove_competitor, competitor, by=organiser)
    assert db.session.scalar(select(Competitor.id).where(Competitor.code == "T-05")) is None
    assert [audit_count(a) for a in ("competitor_added", "competitor_updated", "competitor_removed")] == [1, 1, 1]


def test_a_marked_competitor_cannot_be_removed(setup):
    competitor = setup["skill"].competitors[0]
    mark(setup["judges"][1], competitor, "A1.1", 1)
    with pytest.raises(ServiceError) as refused:
        remove_competitor(competitor, by=setup["organiser"])
    assert refused.value.status == 409 and refused.value.code == "has_marks"
    assert db.session.get(Competitor, competitor.id) is not None


@pytest.mark.parametrize("changes, field", [
    ({"code": ""}, "code"), ({"code": "T-02"}, "code"), ({"name": " "}, "name"), ({"organisation": "Atlantis"}, "organisation"),
    ({"entry_number": "x" * 21}, "entry_number"),
])
def test_a_bad_competitor_is_refused(setup, changes, field):
    values = {"code": "T-09", "name": "New One", "organisation": "Bavaria", "entry_number": ""} | changes
    with pytest.raises(ServiceError) as refused:
        add_competitor(setup["skill"], **values, by=setup["organiser"])
    assert refused.value.field == field
    assert db.session.scalar(select(func.count(Competitor.id))) == 3


def test_a_team_has_as_many_members_as_its_scheme_says_from_the_events_organisations(setup):
    skill = add_skill_from_scheme(setup["event"], SCHEMES / "mechatronics.toml")
    organiser = setup["organiser"]
    with pytest.raises(ServiceError) as refused:
        add_competitor(skill, code="E-01", name="Solo", organisation="Wales", members=[{"name": "Owen", "organisation": ""}], by=organiser)
    assert refused.value.field == "members"
    with pytest.raises(ServiceError) as refused:
        add_competitor(skill, code="E-01", name="Duo", organisation="Wales",
                       members=[{"name": "Owen", "organisation": ""}, {"name": "Rhys", "organisation": "Atlantis"}], by=organiser)
    assert refused.value.field == "members[1].organisation"
    team = committed(add_competitor, skill, code="E-01", name="Wales Tech", organisation="Wales", entry_number="7",
                     members=[{"name": "Owen", "organisation": ""}, {"name": "Rhys", "organisation": "Bavaria"},
                              {"name": "", "organisation": ""}],
                     by=organiser)
    assert [(m.name, m.organisation) for m in team.members] == [("Owen", "Wales"), ("Rhys", "Bavaria")]
    committed(update_competitor, team, code="E-01", name="Wales Tech", organisation="Wales", entry_number="7",
              members=[{"name": "Cerys", "organisation": ""}, {"name": "Megan", "organisation": "Bavaria"}], by=organiser)
    assert [(m.name, m.organisation) for m in team.members] == [("Cerys", "Wales"), ("Megan", "Bavaria")]
    assert db.session.scalar(select(func.count(TeamMember.id))) == 2


# -- accounts, passwords, links -----------------------------------------------------------

def test_a_person_is_added_without_a_password_and_edited(setup):
    organiser = setup["organiser"]
    person = committed(accounts.add_person, "judge-x", "高志远", organisation="Hubei 湖北", language="zh", by=organiser)
    assert person.password_hash == "" and not person.check_password("")
    committed(accounts.update_person, person, username="judge-x1", display_name="高志远", organisation="Hubei", language="",
              organiser=True, by=organiser)
    assert (person.username, person.language, person.is_organiser) == ("judge-x1", None, True)
    assert audit_count("person_added") == audit_count("person_updated") == 1


@pytest.mark.parametrize("username, name, language, field", [
    ("", "A", "", "username"), ("has space", "A", "", "username"), ("JUDGE1", "A", "", "username"), ("new", "", "", "display_name"),
    ("new", "A", "fr", "language"), ("new", "A\x1b[31m", "", "display_name"),
])
def test_a_bad_person_is_refused(setup, username, name, language, field):
    with pytest.raises(ServiceError) as refused:
        accounts.add_person(username, name, language=language, by=setup["organiser"])
    assert refused.value.field == field


def test_an_organiser_cannot_remove_their_own_rights(setup):
    organiser = setup["organiser"]
    with pytest.raises(ServiceError) as refused:
        accounts.update_person(organiser, username="organiser", display_name="Organiser", organisation="", language="", organiser=False,
                               by=organiser)
    assert refused.value.code == "own_rights" and organiser.is_organiser


def test_a_password_is_set_when_long_enough_and_typed_twice(setup):
    judge, organiser = setup["judges"][0], setup["organiser"]
    with pytest.raises(ServiceError) as short:
        accounts.set_password(judge, "short", "short", by=organiser)
    with pytest.raises(ServiceError) as differ:
        accounts.set_password(judge, "long enough 1", "long enough 2", by=organiser)
    assert (short.value.field, differ.value.field) == ("password", "confirmation")
    assert judge.check_password("pw-judge")
    committed(accounts.set_password, judge, "a new password", "a new password", by=organiser)
    assert judge.check_password("a new password") and not judge.check_password("pw-judge")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "password_set"))
    assert "a new password" not in entry.detail and entry.user_id == organiser.id


def test_a_sign_in_link_stores_only_its_hash_and_works_once(setup):
    judge = setup["judges"][0]
    link, token = committed(accounts.issue_sign_in_link, judge, by=setup["organiser"])
    assert token not in link.token_hash and len(link.token_hash) == 64
    assert dt.timedelta(hours=23) < accounts._aware(link.expires_at) - utcnow() <= dt.timedelta(hours=24)
    assert committed(accounts.use_sign_in_link, token).id == judge.id
    with pytest.raises(ServiceError) as again:
        accounts.use_sign_in_link(token)
    assert (again.value.status, again.value.code) == (410, "used_link")
    with pytest.raises(ServiceError) as unknown:
        accounts.use_sign_in_link(token + "x")
    assert unknown.value.status == 404


def test_an_expired_sign_in_link_is_refused(setup):
    link, token = committed(accounts.issue_sign_in_link, setup["judges"][0], by=setup["organiser"],
                            expires_at=utcnow() - dt.timedelta(seconds=1))
    with pytest.raises(ServiceError) as expired:
        accounts.use_sign_in_link(token)
    assert expired.value.code == "expired_link"
    assert db.session.get(SignInLink, link.id).used_at is None


def test_cards_last_past_the_event_and_a_reprint_replaces_the_old_card(setup):
    event, judge = setup["event"], setup["judges"][0]
    before = utcnow().replace(year=2026, month=4, day=1)
    assert accounts.card_expiry(event, before) == dt.datetime(2026, 5, 5, tzinfo=dt.UTC)  # ends 3 May: all of 4 May
    [(_, first)] = committed(accounts.issue_cards, event, [judge], by=setup["organiser"])
    [(_, second)] = committed(accounts.issue_cards, event, [judge], by=setup["organiser"])
    with pytest.raises(ServiceError):
        accounts.use_sign_in_link(first)
    assert committed(accounts.use_sign_in_link, second).id == judge.id
    assert db.session.scalar(select(func.count(User.id))) == 5
