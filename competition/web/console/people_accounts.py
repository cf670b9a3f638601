"""Accounts in the console: judges, chief experts and organisers; passwords, one-time sign-in
links and printable sign-in cards (/console/events/<event>/people/accounts…).

A password the organiser sets is never shown back. A sign-in link is shown once, on the page
that issued it; only its SHA-256 is stored. Cards carry links built on the event's public
address (``Event.public_url``), else on the address the organiser is using.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from competition.certificates.cards import SignInCard, write_cards
from competition.extensions import db
from competition.models import SkillRole, User
from competition.models.people import CHIEF_EXPERT, JUDGE
from competition.services import accounts
from competition.services.errors import ServiceError
from competition.services.lookup import event_by_code, get_row, skill_in_event
from competition.services.organisations import organisations_of
from competition.web.console import bp
from competition.web.language import LOCALES

FIELDS = ("username", "display_name", "organisation", "language")


def _people_of(event) -> list[tuple[User, list[SkillRole]]]:
    """Organisers, people with a role in ``event`` and people with no role yet, each with their roles in the event."""
    skill_ids = {skill.id for skill in event.skills}
    rows = []
    for user in accounts.people():
        mine = [role for role in user.roles if role.skill_id in skill_ids]
        if user.is_organiser or mine or not user.roles:
            rows.append((user, sorted(mine, key=lambda r: (r.skill.code, r.role))))
    return rows


def _person_form() -> dict:
    form = {key: request.form.get(key, "") for key in FIELDS}
    form["organiser"] = request.form.get("organiser") == "1"
    return form


def _page(event, template: str, status: int = 200, **context):
    return render_template(template, event=event, organisations=organisations_of(event),
                           min_password=accounts.MIN_PASSWORD, **context), status


@bp.route("/events/<event_code>/people/accounts", methods=["GET", "POST"])
def people_accounts(event_code: str):
    event = event_by_code(event_code)
    form, status = {"organiser": False}, 200
    if request.method == "POST":
        form = _person_form()
        try:
            person = accounts.add_person(form["username"], form["display_name"], organisation=form["organisation"],
                                         language=form["language"], organiser=form["organiser"], by=current_user)
        except ServiceError as err:
            flash(err.message, "error")
            status = 400
        else:
            flash(_("%(name)s added. Set a password or issue a sign-in link so they can sign in.", name=person.display_name))
            return redirect(url_for("console.people_account", event_code=event.code, user_id=person.id))
    return _page(event, "console/people_accounts.html", status, people=_people_of(event), form=form, JUDGE=JUDGE,
                 CHIEF_EXPERT=CHIEF_EXPERT)


def _person(user_id: int) -> User:
    return get_row(User, user_id, "user", "person")


def _account_page(event, person: User, status: int = 200, *, form: dict | None = None, link: str | None = None):
    skill_ids = {skill.id for skill in event.skills}
    roles = sorted((r for r in person.roles if r.skill_id in skill_ids), key=lambda r: r.skill.code)
    form = form or {"username": person.username, "display_name": person.display_name, "organisation": person.organisation,
                    "language": person.language or "", "organiser": person.is_organiser}
    return _page(event, "console/people_account.html", status, person=person, roles=roles, form=form, link=link,
                 JUDGE=JUDGE, CHIEF_EXPERT=CHIEF_EXPERT, lifetime_hours=int(accounts.LINK_LIFETIME.total_seconds() // 3600))


@bp.route("/events/<event_code>/people/accounts/<int:user_id>", methods=["GET", "POST"])
def people_account(event_code: str, user_id: int):
    event, person = event_by_code(event_code), _person(user_id)
    if request.method == "GET":
        return _account_page(event, person)
    form = _person_form()
    try:
        accounts.update_person(person, username=form["username"], display_name=form["display_name"], organisation=form["organisation"],
                               language=form["language"], organiser=form["organiser"], by=current_user)
    except ServiceError as err:
        flash(err.message, "error")
        return _account_page(event, person, 400, form=form)
    flash(_("%(name)s saved.", name=person.display_name))
    return redirect(url_for("console.people_account", event_code=event.code, user_id=person.id))


@bp.post("/events/<event_code>/people/accounts/<int:user_id>/password")
def people_account_password(event_code: str, user_id: int):
    event, person = event_by_code(event_code), _person(user_id)
    try:
        accounts.set_password(person, request.form.get("password", ""), request.form.get("confirmation", ""), by=current_user)
    except ServiceError as err:
        flash(err.message, "error")
        return _account_page(event, person, 400)
    if person.id == current_user.id:  # a new password ends every session: keep this one
        login_user(person)
    flash(_("The password of %(name)s is set. Give it to them in person; Podium does not show it again.", name=person.display_name))
    return redirect(url_for("console.people_account", event_code=event.code, user_id=person.id))


def _public_base(event) -> str:
    """The address people reach Podium at: the event's public address, else this request's."""
    return (event.public_url or request.host_url).rstrip("/")


def _link_url(event, token: str) -> str:
    return _public_base(event) + url_for("sign_in_links.confirm", token=token)


@bp.post("/events/<event_code>/people/accounts/<int:user_id>/link")
def people_account_link(event_code: str, user_id: int):
    event, person = event_by_code(event_code), _person(user_id)
    _, token = accounts.issue_sign_in_link(person, by=current_user)
    # shown on this answer only: the page is not cached and the token is not stored
    page, status = _account_page(event, person, link=_link_url(event, token))
    response = Response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _judges(event, skill=None) -> list[tuple[User, list]]:
    """The judges and chief experts of ``skill`` (or of every skill of the event), each with their skills in the event."""
    skills = [skill] if skill is not None else list(event.skills)
    roles = db.session.scalars(select(SkillRole).where(SkillRole.skill_id.in_([s.id for s in skills])).order_by(SkillRole.id)).all()
    people: dict[int, tuple[User, list]] = {}
    for role in roles:
        people.setdefault(role.user_id, (role.user, []))[1].append(role.skill)
    return sorted(people.values(), key=lambda item: (item[1][0].code, item[0].username))


@bp.post("/events/<event_code>/people/cards")
def people_cards(event_code: str):
    """A PDF of sign-in cards for a skill's judges (``skill``) or the whole event's."""
    event = event_by_code(event_code)
    skill_code = request.form.get("skill") or None
    skill = skill_in_event(event, skill_code) if skill_code else None
    judges = _judges(event, skill)
    if not judges:
        flash(_("No judge or chief expert is assigned yet: there is no card to print."), "error")
        return redirect(url_for("console.people_accounts", event_code=event.code))
    tokens = dict((user.id, token) for user, token in accounts.issue_cards(event, [user for user, _skills in judges], by=current_user))
    cards = []
    for user, skills in judges:
        language = user.language if user.language in LOCALES else event.language if event.language in LOCALES else "en"
        with force_locale(LOCALES[language]):
            cards.append(SignInCard(name=user.display_name, username=user.username, skill=" · ".join(s.name_in(language) for s in skills),
                                    event=event.name, url=_link_url(event, tokens[user.id]), title=_("Podium sign-in card"),
                                    username_label=_("User name"), scan_label=_("Scan once to sign in")))
    pdf = write_cards(cards, title=_("Sign-in cards"))
    name = f"sign-in-cards-{event.code}{'-' + skill.code if skill else ''}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                              "Cache-Control": "no-store"})
