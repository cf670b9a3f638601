"""People in the console: the event's organisations and each skill's competitors and teams
(/console/events/<event>/people/…). Accounts, passwords, sign-in links and cards are in
:mod:`competition.web.console.people_accounts`.

Forms are read by hand and checked by the services: a refused form is shown again with the
service's message and what was typed (400), never a 500 and never half written.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.models import Competitor, Organisation
from competition.services import competitors as entries
from competition.services import organisations as registry
from competition.services.errors import ServiceError
from competition.services.lookup import event_by_code, get_row, skill_in_event
from competition.web.console import bp

MAX_MEMBERS = 4  # member rows a team form offers (a scheme's team_size is 2-4)


def _organisation_in(event, organisation_id: int) -> Organisation:
    organisation = get_row(Organisation, organisation_id, "organisation", "organisation")
    if organisation.event_id != event.id:
        from competition.services.errors import NotFound

        raise NotFound("organisation", _("No such organisation in this event."))
    return organisation


@bp.get("/events/<event_code>/people")
def people_index(event_code: str):
    event_by_code(event_code)
    return redirect(url_for("console.people_organisations", event_code=event_code))


@bp.route("/events/<event_code>/people/organisations", methods=["GET", "POST"])
def people_organisations(event_code: str):
    event = event_by_code(event_code)
    form, status = {}, 200
    if request.method == "POST":
        form = {key: request.form.get(key, "") for key in ("code", "name", "colour")}
        try:
            organisation = registry.add_organisation(event, form["code"], form["name"], colour=form["colour"], by=current_user)
        except ServiceError as err:
            flash(err.message, "error")
            status = 400
        else:
            flash(_("Organisation %(name)s added.", name=organisation.name))
            return redirect(url_for("console.people_organisations", event_code=event.code))
    organisations = registry.organisations_of(event)
    counts = {o.name: 0 for o in organisations}
    for skill in event.skills:
        for competitor in skill.competitors:
            if competitor.organisation in counts:
                counts[competitor.organisation] += 1
    return render_template("console/people_organisations.html", event=event, organisations=organisations, counts=counts, form=form,
                           palette=registry.PALETTE), status


@bp.route("/events/<event_code>/people/organisations/<int:organisation_id>", methods=["GET", "POST"])
def people_organisation(event_code: str, organisation_id: int):
    event = event_by_code(event_code)
    organisation = _organisation_in(event, organisation_id)
    form, status = {"code": organisation.code, "name": organisation.name, "colour": organisation.colour}, 200
    if request.method == "POST":
        form = {key: request.form.get(key, "") for key in ("code", "name", "colour")}
        try:
            registry.update_organisation(organisation, code=form["code"], name=form["name"], colour=form["colour"], by=current_user)
        except ServiceError as err:
            flash(err.message, "error")
            status = 400
        else:
            flash(_("Organisation %(name)s saved.", name=organisation.name))
            return redirect(url_for("console.people_organisations", event_code=event.code))
    return render_template("console/people_organisation.html", event=event, organisation=organisation, form=form,
                           palette=registry.PALETTE), status


def _competitor_form() -> dict:
    form = {key: request.form.get(key, "") for key in ("code", "name", "organisation", "entry_number")}
    form["members"] = [{"name": request.form.get(f"member-{i}-name", ""), "organisation": request.form.get(f"member-{i}-organisation", "")}
                       for i in range(MAX_MEMBERS)]
    return form


def _skill_page(event_code: str, skill_code: str | None):
    event = event_by_code(event_code)
    if skill_code is None:
        return event, None
    return event, skill_in_event(event, skill_code)


@bp.get("/events/<event_code>/people/competitors")
def people_competitors_index(event_code: str):
    event = event_by_code(event_code)
    if event.skills:
        return redirect(url_for("console.people_competitors", event_code=event.code, skill_code=event.skills[0].code))
    return render_template("console/people_competitors.html", event=event, skill=None, form={}, organisations=[])


@bp.route("/events/<event_code>/people/skills/<skill_code>/competitors", methods=["GET", "POST"])
def people_competitors(event_code: str, skill_code: str):
    event, skill = _skill_page(event_code, skill_code)
    form, status = {"members": [{"name": "", "organisation": ""}] * MAX_MEMBERS}, 200
    if request.method == "POST":
        form = _competitor_form()
        try:
            competitor = entries.add_competitor(skill, code=form["code"], name=form["name"], organisation=form["organisation"],
                                                entry_number=form["entry_number"], members=form["members"], by=current_user)
        except ServiceError as err:
            flash(err.message, "error")
            status = 400
        else:
            flash(_("%(code)s %(name)s added.", code=competitor.code, name=competitor.name))
            return redirect(url_for("console.people_competitors", event_code=event.code, skill_code=skill.code))
    return render_template("console/people_competitors.html", event=event, skill=skill, form=form,
                           organisations=registry.organisations_of(event), max_members=MAX_MEMBERS), status


def _competitor_in(skill, competitor_id: int) -> Competitor:
    competitor = get_row(Competitor, competitor_id, "competitor", "competitor")
    if competitor.skill_id != skill.id:
        from competition.services.errors import NotFound

        raise NotFound("competitor", _("No such competitor in this skill."))
    return competitor


@bp.route("/events/<event_code>/people/skills/<skill_code>/competitors/<int:competitor_id>", methods=["GET", "POST"])
def people_competitor(event_code: str, skill_code: str, competitor_id: int):
    event, skill = _skill_page(event_code, skill_code)
    competitor = _competitor_in(skill, competitor_id)
    members = [{"name": m.name, "organisation": m.organisation} for m in competitor.members]
    form = {"code": competitor.code, "name": competitor.name, "organisation": competitor.organisation,
            "entry_number": competitor.entry_number or "",
            "members": members + [{"name": "", "organisation": ""}] * (MAX_MEMBERS - len(members))}
    status = 200
    if request.method == "POST":
        form = _competitor_form()
        try:
            entries.update_competitor(competitor, code=form["code"], name=form["name"], organisation=form["organisation"],
                                      entry_number=form["entry_number"], members=form["members"], by=current_user)
        except ServiceError as err:
            flash(err.message, "error")
            status = 400
        else:
            flash(_("%(code)s %(name)s saved.", code=competitor.code, name=competitor.name))
            return redirect(url_for("console.people_competitors", event_code=event.code, skill_code=skill.code))
    return render_template("console/people_competitor.html", event=event, skill=skill, competitor=competitor, form=form,
                           organisations=registry.organisations_of(event), max_members=MAX_MEMBERS), status


@bp.post("/events/<event_code>/people/skills/<skill_code>/competitors/<int:competitor_id>/remove")
def people_competitor_remove(event_code: str, skill_code: str, competitor_id: int):
    event, skill = _skill_page(event_code, skill_code)
    competitor = _competitor_in(skill, competitor_id)
    code, name = competitor.code, competitor.name
    try:
        entries.remove_competitor(competitor, by=current_user)
    except ServiceError as err:
        flash(err.message, "error")
        return redirect(url_for("console.people_competitor", event_code=event.code, skill_code=skill.code, competitor_id=competitor_id))
    flash(_("%(code)s %(name)s removed.", code=code, name=name))
    return redirect(url_for("console.people_competitors", event_code=event.code, skill_code=skill.code))


from competition.web.console import people_accounts  # noqa: E402,F401  (its views join ``bp``)
