"""Setting up events and skills through the services: validation before any write, archive, settings over the scheme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import AuditEntry, Event, Skill
from competition.services import effects
from competition.services.errors import Conflict, ServiceError
from competition.services.setup import archive_event, create_event, is_local_address, public_url_warnings, update_event
from competition.services.skills import SchemeRefused, add_skill, shipped_scheme_text, update_skill_settings
from tests.conftest import SCHEMES
from tests.factories import TINY_SCHEME, add_user


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Event, Skill, AuditEntry))


@pytest.fixture
def organiser(app):
    return add_user("org", "Organiser", "pw", organiser=True)


def test_create_event_reports_every_bad_field_and_writes_nothing(app, organiser):
    before = _counts()
    with pytest.raises(ServiceError) as caught:
        create_event("bad code!", "", starts_on=dt.date(2026, 9, 14), ends_on=dt.date(2026, 9, 1), language="fr",
                     public_url="ftp://x", by=organiser)
    fields = [p["field"] for p in caught.value.extra["problems"]]
    assert fields == ["code", "name", "language", "ends_on", "public_url"]
    assert caught.value.field == "code" and caught.value.status == 422
    assert _counts() == before


def test_create_event_keeps_the_public_url_without_trailing_slash_and_audits(app, organiser):
    event = create_event("wsc2026", "WorldSkills 2026", public_url="https://results.example.org/", by=organiser)
    assert event.public_url == "https://results.example.org"
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.detail == "wsc2026")) == "event_created"
    with pytest.raises(Conflict):
        create_event("wsc2026", "Again")


def test_update_event_changes_only_valid_input(app, organiser):
    event = create_event("e1", "Event One", starts_on=dt.date(2026, 5, 1))
    with pytest.raises(ServiceError) as caught:
        update_event(event, by=organiser, name="Renamed", ends_on=dt.date(2026, 4, 1))
    assert caught.value.field == "ends_on" and event.name == "Event One"
    update_event(event, by=organiser, name="Renamed", place="Hall 3", language="zh")
    assert (event.name, event.place, event.language, event.code) == ("Renamed", "Hall 3", "zh", "e1")
    with pytest.raises(ServiceError):
        update_event(event, by=organiser, code="other")


def test_archive_event_and_back(app, organiser):
    event = create_event("e1", "Event One")
    archive_event(event, by=organiser)
    assert event.archived_at is not None
    archive_event(event, by=organiser, archived=False)
    assert event.archived_at is None
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["event_archived", "event_unarchived"]


@pytest.mark.parametrize("url", ["http://localhost:5000", "http://127.0.0.2", "http://[::1]:8000", "http://0.0.0.0:5000",
                                 "http://podium.localhost"])
def test_addresses_of_this_computer_only(url):
    assert is_local_address(url)


def test_public_url_warnings(app):
    assert len(public_url_warnings("", "http://10.0.0.5:5000/", "http://127.0.0.1:5000")) == 1
    assert public_url_warnings("https://results.example.org", "https://results.example.org/", "x") == []
    assert public_url_warnings("https://results.example.org", "https://results.example.org:443/", "x") == []
    different = public_url_warnings("https://results.example.org", "http://10.0.0.5:5000/", "x")
    assert len(different) == 1 and "10.0.0.5" in str(different[0])
    local = public_url_warnings("http://127.0.0.1:5000", "http://127.0.0.1:5000/", "x")
    assert len(local) == 1 and "only from this computer" in str(local[0])


def test_add_skill_from_a_shipped_scheme_with_its_own_panel(app, organiser):
    event = create_event("e1", "Event One")
    text, source = shipped_scheme_text("cnc-milling")
    skill = add_skill(event, text, source, by=organiser, panel_size=4, anonymised=True)
    assert (skill.code, skill.scheme_source, skill.panel_size, skill.anonymised) == ("cnc-milling", "cnc-milling.toml", 4, True)
    assert skill.scheme.panel_size == 4 and {a.panel_size for a in skill.scheme.aspects} == {4}
    assert skill.scheme_as_written.panel_size == 3


def test_a_bad_toml_is_refused_with_every_problem_by_line_and_nothing_saved(app, organiser):
    event = create_event("e1", "Event One")
    effects.commit()
    before = _counts()
    bad = TINY_SCHEME.replace("max = 2\ndeduction_step = 0.5", 'max = "two"\ndeduction_step = 0.5')
    bad = bad.replace('rule = "worldskills_judgement"', 'rule = "nope"')
    with pytest.raises(SchemeRefused) as caught:
        add_skill(event, bad, "tiny.toml", by=organiser)
    problems = caught.value.problems
    assert len(problems) >= 2
    assert all(p.startswith("tiny.toml:") for p in problems)
    assert any("scheme.rule" in p for p in problems) and any(".max" in p for p in problems)
    assert _counts() == before


def test_skill_code_and_panel_are_checked_before_saving(app, organiser):
    event = create_event("e1", "Event One")
    text, source = shipped_scheme_text("cn-electrical-installation")  # trimmed mean: needs 3 judges or more
    with pytest.raises(ServiceError) as caught:
        add_skill(event, text, source, by=organiser, panel_size=2)
    assert caught.value.field == "panel_size"
    with pytest.raises(ServiceError) as caught:
        add_skill(event, text, source, by=organiser, code="Bad Code")
    assert caught.value.field == "code"
    add_skill(event, text, source, by=organiser)
    with pytest.raises(Conflict):
        add_skill(event, text, source, by=organiser)
    with pytest.raises(ServiceError):
        shipped_scheme_text("../secret")


def test_skill_settings_reach_the_scheme_every_reader_sees(app, organiser):
    event = create_event("e1", "Event One")
    skill = add_skill(event, (SCHEMES / "cnc-milling.toml").read_text(encoding="utf-8"), "cnc-milling.toml", by=organiser)
    changed = update_skill_settings(skill, by=organiser, panel_size="5", variance_tolerance="1.5", award_rule="prize_bands",
                                    allow_compatriot_marking=True, display_mode="embargoed")
    assert set(changed) == {"panel_size", "variance_tolerance", "award_rule", "allow_compatriot_marking", "display_mode"}
    scheme = skill.scheme
    assert scheme.panel_size == 5 and scheme.tolerance == Decimal("1.5") and scheme.awards.name == "prize_bands"
    assert all(a.tolerance == Decimal("1.5") for a in scheme.aspects if a.is_judgement)
    assert skill.display_mode == "embargoed" and skill.allow_compatriot_marking
    # Back to the scheme's own: empty values, or the scheme's own values, are stored as None.
    update_skill_settings(skill, by=organiser, panel_size="", variance_tolerance="1", award_rule="worldskills")
    assert (skill.panel_size, skill.variance_tolerance, skill.award_rule) == (None, None, None)
    assert skill.scheme == skill.scheme_as_written


@pytest.mark.parametrize(("field", "value"), [("panel_size", "ten"), ("panel_size", "0"), ("variance_tolerance", "-1"),
                                              ("variance_tolerance", "0.123"), ("award_rule", "lottery"), ("display_mode", "dark")])
def test_bad_skill_settings_name_the_field_and_change_nothing(app, organiser, field, value):
    event = create_event("e1", "Event One")
    skill = add_skill(event, (SCHEMES / "cnc-milling.toml").read_text(encoding="utf-8"), "cnc-milling.toml", by=organiser)
    with pytest.raises(ServiceError) as caught:
        update_skill_settings(skill, by=organiser, allow_compatriot_marking=True, **{field: value})
    assert caught.value.field == field
    assert not skill.allow_compatriot_marking and skill.panel_size is None and skill.display_mode == "live"
