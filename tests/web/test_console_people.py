"""The console's people pages: organisers only, bad input answered with a form message (never
a 500, nothing written), sign-in links that work once, and printable sign-in cards."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Competitor, Organisation, SignInLink, User
from competition.services import accounts
from competition.services.organisations import add_organisation
from competition.services.people import set_language
from tests.factories import cheap_passwords, committed, mark, tiny_event
from tests.web.test_boards import login

BASE = "/console/events/test/people"


@pytest.fixture
def setup(app, tmp_path):
    with cheap_passwords():
        setup = tiny_event(tmp_path, competitors=(("T-01", "王芳", "Guangdong 广东"), ("T-02", "Anna Schmidt", "Bavaria")))
    for code, name in (("GD", "Guangdong 广东"), ("BY", "Bavaria")):
        committed(add_organisation, setup["event"], code, name, by=setup["organiser"])
    return setup


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize("path", ["/organisations", "/skills/tiny/competitors", "/accounts"])
def test_people_pages_are_for_organisers_only(client, setup, path):
    assert client.get(BASE + path).status_code == 302  # to sign in
    login(client, setup["judges"][0])
    assert client.get(BASE + path).status_code == 403
    login(client, setup["organiser"])
    page = client.get(BASE + path)
    assert page.status_code == 200 and "People" in page.get_data(as_text=True)


def test_organisations_are_added_and_edited_on_their_page(client, setup):
    login(client, setup["organiser"])
    added = client.post(BASE + "/organisations", data={"code": "WAL", "name": "Wales", "colour": ""})
    assert added.status_code == 302
    wales = db.session.scalar(select(Organisation).where(Organisation.code == "WAL"))
    assert wales.colour not in {o.colour for o in db.session.scalars(select(Organisation).where(Organisation.id != wales.id))}
    edited = client.post(f"{BASE}/organisations/{wales.id}", data={"code": "WAL", "name": "Cymru", "colour": "#0067A5"})
    assert edited.status_code == 302
    db.session.refresh(wales)
    assert (wales.name, wales.colour) == ("Cymru", "#0067A5")


@pytest.mark.parametrize("data, message", [
    ({"code": "", "name": "Wales", "colour": ""}, "Give the organisation a code"),
    ({"code": "GD", "name": "Wales", "colour": ""}, "already has an organisation with the code"),
    ({"code": "WAL", "name": "Wales", "colour": "blue"}, "A colour is written #rrggbb"),
    ({"name": "Wales"}, "Give the organisation a code"),
])
def test_a_bad_organisation_form_is_shown_again_with_its_message(client, setup, data, message):
    login(client, setup["organiser"])
    before = count(Organisation)
    page = client.post(BASE + "/organisations", data=data)
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    assert count(Organisation) == before


def test_competitors_are_added_edited_and_removed_only_while_unmarked(client, setup):
    login(client, setup["organiser"])
    bad = client.post(BASE + "/skills/tiny/competitors", data={"code": "T-01", "name": "Dup", "organisation": "Bavaria"})
    assert bad.status_code == 400 and "already has a competitor T-01" in bad.get_data(as_text=True)
    assert client.post(BASE + "/skills/tiny/competitors",
                       data={"code": "T-03", "name": "Lukas Meyer", "organisation": "Bavaria", "entry_number": "J-3"}).status_code == 302
    lukas = db.session.scalar(select(Competitor).where(Competitor.code == "T-03"))
    assert (lukas.organisation, lukas.entry_number) == ("Bavaria", "J-3")
    page = client.get(f"{BASE}/skills/tiny/competitors/{lukas.id}")
    assert page.status_code == 200 and "Lukas Meyer" in page.get_data(as_text=True)
    assert client.post(f"{BASE}/skills/tiny/competitors/{lukas.id}",
                       data={"code": "T-03", "name": "Lukas Meyer", "organisation": "Nowhere", "entry_number": ""}).status_code == 400
    marked = setup["skill"].competitors[0]
    mark(setup["judges"][1], marked, "A1.1", 1)
    refused = client.post(f"{BASE}/skills/tiny/competitors/{marked.id}/remove", follow_redirects=True)
    assert "cannot be removed" in refused.get_data(as_text=True)
    assert db.session.get(Competitor, marked.id) is not None
    lukas_id = lukas.id
    assert client.post(f"{BASE}/skills/tiny/competitors/{lukas_id}/remove").status_code == 302
    assert db.session.scalar(select(Competitor.id).where(Competitor.id == lukas_id)) is None


def test_a_competitor_of_another_skill_or_event_is_not_found(client, setup):
    login(client, setup["organiser"])
    assert client.get(BASE + "/skills/tiny/competitors/999999").status_code == 404
    assert client.get("/console/events/nope/people/organisations").status_code == 404
    assert client.get(BASE + "/organisations/99999999999999999999").status_code == 404


def test_accounts_are_listed_with_their_roles_added_and_edited(client, setup):
    login(client, setup["organiser"])
    listing = client.get(BASE + "/accounts").get_data(as_text=True)
    assert "judge1" in listing and "Judge: Tiny Skill" in listing and "Chief expert: Tiny Skill" in listing
    bad = client.post(BASE + "/accounts", data={"username": "judge1", "display_name": "Again"})
    assert bad.status_code == 400 and "is taken" in bad.get_data(as_text=True)
    added = client.post(BASE + "/accounts",
                        data={"username": "judge-x", "display_name": "高志远", "organisation": "Hubei", "language": "zh"})
    assert added.status_code == 302
    person = db.session.scalar(select(User).where(User.username == "judge-x"))
    assert (person.display_name, person.language, person.password_hash) == ("高志远", "zh", "")
    edited = client.post(f"{BASE}/accounts/{person.id}", data={"username": "judge-x", "display_name": "高志远", "language": "en",
                                                               "organiser": "1"})
    assert edited.status_code == 302
    db.session.refresh(person)
    assert person.is_organiser and person.language == "en"


def test_the_organiser_sets_a_password_never_shown_back(client, setup):
    login(client, setup["organiser"])
    judge = setup["judges"][0]
    short = client.post(f"{BASE}/accounts/{judge.id}/password", data={"password": "short", "confirmation": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    differ = client.post(f"{BASE}/accounts/{judge.id}/password", data={"password": "long password 1", "confirmation": "long password 2"})
    assert differ.status_code == 400 and "long password" not in differ.get_data(as_text=True)
    done = client.post(f"{BASE}/accounts/{judge.id}/password", data={"password": "a brand new one", "confirmation": "a brand new one"},
                       follow_redirects=True)
    assert done.status_code == 200 and "a brand new one" not in done.get_data(as_text=True)
    db.session.refresh(judge)
    assert judge.check_password("a brand new one")


def test_a_sign_in_link_shows_once_and_signs_in_once(client, app, setup):
    login(client, setup["organiser"])
    judge = setup["judges"][0]
    page = client.post(f"{BASE}/accounts/{judge.id}/link")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    url = re.search(r'class="sign-in-link">([^<]+)<', page.get_data(as_text=True)).group(1)
    path = url.removeprefix("http://localhost")
    assert path.startswith("/sign-in/link/")
    assert path.rsplit("/", 1)[1] not in {row.token_hash for row in db.session.scalars(select(SignInLink))}
    tablet = app.test_client()
    confirm = tablet.get(path)  # opening the link (or a preview fetching it) does not use it
    assert confirm.status_code == 200 and "Judge 1" in confirm.get_data(as_text=True)
    assert confirm.headers["Referrer-Policy"] == "no-referrer" and confirm.headers["Cache-Control"] == "no-store"
    signed_in = tablet.post(path)
    assert signed_in.status_code == 302 and "/judge/" in signed_in.headers["Location"]
    assert tablet.get("/judge/test/tiny/").status_code == 200
    again = app.test_client().post(path)
    assert again.status_code == 410 and "works only once" in again.get_data(as_text=True)
    assert app.test_client().get("/sign-in/link/not-a-token").status_code == 404


def test_an_expired_link_answers_a_clear_page(client, app, setup):
    from competition.models.marking import utcnow

    _, token = committed(accounts.issue_sign_in_link, setup["judges"][0], by=setup["organiser"], expires_at=utcnow())
    page = app.test_client().get(f"/sign-in/link/{token}")
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)


def test_sign_in_cards_print_names_user_names_and_a_link_that_signs_in_once(client, app, setup):
    set_language(setup["judges"][1], "zh")
    setup["judges"][1].display_name = "钱慧"
    setup["event"].public_url = "https://podium.example.org"
    db.session.commit()
    login(client, setup["organiser"])
    response = client.post(BASE + "/cards", data={"skill": "tiny"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1  # 4 people, 8 cards to a page
    text = "".join(page.extract_text() for page in reader.pages)
    for person in setup["judges"] + [setup["chief"]]:
        assert person.username in text and person.display_name in text
    assert "登录卡" in text  # the judge who reads Chinese has a Chinese card
    links = db.session.scalars(select(SignInLink).where(SignInLink.purpose == "card")).all()
    assert len(links) == 4
    # the QR code holds the link: the same token issued by the service signs in once
    [(judge, token)] = accounts.issue_cards(setup["event"], [setup["judges"][0]], by=setup["organiser"])
    db.session.commit()
    tablet = app.test_client()
    assert tablet.post(f"/sign-in/link/{token}").status_code == 302
    assert tablet.post(f"/sign-in/link/{token}").status_code == 410


def test_cards_for_an_event_without_judges_are_refused_with_a_message(client, setup):
    login(client, setup["organiser"])
    db.session.execute(SignInLink.__table__.delete())
    from competition.models import SkillRole

    db.session.execute(SkillRole.__table__.delete())
    db.session.commit()
    page = client.post(BASE + "/cards", data={}, follow_redirects=True)
    assert "no card to print" in page.get_data(as_text=True)


def test_the_demo_events_cards_fill_three_pages_in_both_scripts(app, client, demo_event):
    organiser = db.session.scalar(select(User).where(User.username == "organiser"))
    login(client, organiser)
    response = client.post("/console/events/podium-2026/people/cards", data={"skill": ""})
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 3  # 5 chief experts and 19 judges, 8 cards to a page
    text = "".join(page.extract_text() for page in reader.pages)
    assert all(name in text for name in ("高志远", "Maria Keller", "judge-d1", "chief-e", "登录卡", "Podium sign-in card"))
    assert db.session.scalar(select(func.count(SignInLink.id)).where(SignInLink.purpose == "card")) == 24


def stored(setup) -> tuple:
    db.session.expire_all()
    return (count(Organisation), count(Competitor), count(User),
            tuple(db.session.execute(select(User.username, User.display_name, User.organisation, User.language)).all()))


def test_any_form_input_gets_a_page_never_a_500(client, setup):
    """Random text, control characters and oversized values in every field of every form: the
    answer is a redirect (saved) or the form with a message (400), never a server error."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    login(client, setup["organiser"])
    judge = setup["judges"][0]
    text = st.one_of(st.text(max_size=30), st.text(alphabet=st.characters(max_codepoint=40), max_size=5), st.just("x" * 300))
    forms = {
        BASE + "/organisations": ("code", "name", "colour"),
        BASE + "/skills/tiny/competitors": ("code", "name", "organisation", "entry_number"),
        BASE + "/accounts": ("username", "display_name", "organisation", "language", "organiser"),
        f"{BASE}/accounts/{judge.id}": ("username", "display_name", "organisation", "language", "organiser"),
        f"{BASE}/accounts/{judge.id}/password": ("password", "confirmation"),
    }

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(path=st.sampled_from(sorted(forms)), values=st.lists(text, min_size=5, max_size=5))
    def check(path, values):
        before = stored(setup)
        data = dict(zip(forms[path], values))
        response = client.post(path, data=data)
        assert response.status_code in (200, 302, 400, 409), (path, data, response.status_code)
        if response.status_code >= 400:
            assert stored(setup) == before

    check()
