"""Setting up an event: the event's own page (the hub of its console tabs), creating and
editing it, archiving, adding skills with their marking schemes, and each skill's settings.

Every form answers bad input with the form again and its messages (422), never an error page:
the services check everything before writing anything.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.models.events import DISPLAY_MODES, EMBARGOED, LIVE, REVEAL
from competition.scoring.awards import AWARD_RULES
from competition.services import setup as service
from competition.services import skills as skill_service
from competition.services.cis_scheme import CisSchemeError, convert
from competition.services.errors import ServiceError
from competition.services.lookup import event_by_code, skill_in_event
from competition.shipped import shipped_folder
from competition.web.console import bp
from competition.web.language import current_language

EVENT_FIELDS = ("code", "name", "place", "starts_on", "ends_on", "language", "public_url")
SOURCES = ("shipped", "toml", "xlsx")
MAX_UPLOAD = 5 * 1024 * 1024


def _date(field: str, errors: dict) -> dt.date | None:
    value = (request.form.get(field) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[field] = _("Write the date as YYYY-MM-DD, e.g. 2026-09-14.")
        return None


def _event_form() -> tuple[dict, dict]:
    errors: dict = {}
    values = {key: (request.form.get(key) or "").strip() for key in ("code", "name", "place", "language", "public_url")}
    values["language"] = values["language"] or "en"
    values["starts_on"], values["ends_on"] = _date("starts_on", errors), _date("ends_on", errors)
    return values, errors


def _messages(err: ServiceError) -> dict:
    """The form messages of a refusal: each problem at its field."""
    problems = err.extra.get("problems") or [{"field": err.field, "message": err.lazy_message}]
    found: dict = {}
    for problem in problems:
        found.setdefault(problem["field"], str(problem["message"]))
    return found


def _warnings(public_url: str) -> list[str]:
    return [str(w) for w in service.public_url_warnings(public_url, request.host_url, current_app.config["PUBLIC_URL"])]


def _event_page(template: str, status: int = 200, **context):
    return render_template(template, event_languages={"en": _("English"), "zh": _("Chinese")}, **context), status


@bp.route("/events/new", methods=["GET", "POST"])
def setup_new_event():
    values: dict = {"language": "en", "public_url": request.host_url.rstrip("/")}
    errors: dict = {}
    if request.method == "POST":
        values, errors = _event_form()
        if not errors:
            try:
                event = service.create_event(by=current_user, **values)
            except ServiceError as err:
                errors = _messages(err)
            else:
                flash(_("Event %(name)s created.", name=event.name), "info")
                return redirect(url_for(".setup_event", code=event.code))
    return _event_page("console/setup_event_form.html", 422 if errors else 200, event=None, values=values, errors=errors,
                       warnings=_warnings(values.get("public_url") or ""))


@bp.get("/events/<code>")
def setup_event(code: str):
    event = event_by_code(code)
    return _event_page("console/setup_event.html", event=event, warnings=_warnings(event.public_url))


@bp.route("/events/<code>/edit", methods=["GET", "POST"])
def setup_edit_event(code: str):
    event = event_by_code(code)
    values = {key: getattr(event, key) for key in EVENT_FIELDS}
    errors: dict = {}
    if request.method == "POST":
        values, errors = _event_form()
        values["code"] = event.code
        if not errors:
            changes = {key: values[key] for key in service.EDITABLE}
            try:
                service.update_event(event, by=current_user, **changes)
            except ServiceError as err:
                errors = _messages(err)
            else:
                flash(_("Event saved."), "info")
                return redirect(url_for(".setup_event", code=event.code))
    return _event_page("console/setup_event_form.html", 422 if errors else 200, event=event, values=values, errors=errors,
                       warnings=_warnings(values.get("public_url") or ""))


@bp.post("/events/<code>/archive")
def setup_archive_event(code: str):
    event = event_by_code(code)
    archived = request.form.get("archived", "1") == "1"
    service.archive_event(event, by=current_user, archived=archived)
    flash(_("Event archived: it no longer shows on the home page or in the console's list.") if archived
          else _("Event brought back from the archive."), "info")
    return redirect(url_for(".setup_event", code=event.code))


def _upload(name: str) -> tuple[bytes, str] | None:
    upload = request.files.get(name)
    if upload is None or not upload.filename:
        return None
    return upload.stream.read(MAX_UPLOAD + 1), upload.filename


def _slug(filename: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", filename or "").lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:40] or "skill"


def _scheme_from_form(values: dict) -> tuple[str, str, list]:
    """The scheme text and its file name from the chosen source; raises SchemeRefused or ServiceError."""
    source = values["source"]
    if source == "shipped":
        text, filename = skill_service.shipped_scheme_text(values["shipped"])
        return text, filename, []
    field = "toml_file" if source == "toml" else "xlsx_file"
    upload = _upload(field)
    if upload is None:
        raise ServiceError(field, _("Choose a file to upload."))
    data, filename = upload
    if source == "toml":
        return skill_service.decode_scheme(data, filename), filename, []
    if len(data) > MAX_UPLOAD:
        raise ServiceError(field, _("The spreadsheet is larger than 5 MB."))
    code = values["code"] or _slug(filename)
    try:
        converted = convert(data, code=code, name=values["name"] or code, version=values.get("version") or "CIS")
    except CisSchemeError as err:
        raise skill_service.SchemeRefused([str(p) for p in err.problems], field=field) from None
    return converted.text, re.sub(r"\.xlsx$", "", filename, flags=re.I) + ".toml", [str(n) for n in converted.notes]


@bp.route("/events/<code>/skills/new", methods=["GET", "POST"])
def setup_new_skill(code: str):
    event = event_by_code(code)
    shipped = skill_service.shipped_schemes()
    values = {"source": "shipped", "shipped": next(iter(shipped), ""), "code": "", "name": "", "panel_size": "",
              "anonymised": False, "encrypted": False}
    errors: dict = {}
    problems: list = []
    if request.method == "POST":
        values = {key: (request.form.get(key) or "").strip() for key in ("source", "shipped", "code", "name", "panel_size")}
        values.update(anonymised=bool(request.form.get("anonymised")), encrypted=bool(request.form.get("encrypted")))
        if values["source"] not in SOURCES:
            values["source"] = "shipped"
        try:
            text, filename, notes = _scheme_from_form(values)
            skill = skill_service.add_skill(event, text, filename, by=current_user, code=values["code"] or None,
                                            name=values["name"] or None, panel_size=values["panel_size"] or None,
                                            anonymised=values["anonymised"], encrypted=values["encrypted"])
        except skill_service.SchemeRefused as err:
            problems = err.problems
            field = {"toml": "toml_file", "xlsx": "xlsx_file"}.get(values["source"], err.field)
            errors = {field: _("The file has problems: see the list above.")}
        except ServiceError as err:
            errors = _messages(err)
        else:
            flash(_("Skill %(name)s added.", name=skill.name_in(current_language())), "info")
            for note in notes:
                flash(note, "info")
            return redirect(url_for(".setup_skill", code=event.code, skill_code=skill.code))
    return render_template("console/setup_skill_new.html", event=event, shipped=shipped, values=values, errors=errors,
                           problems=problems), 422 if errors else 200


def _mode_labels() -> dict:
    return {LIVE: _("Live: scores as they are marked"), EMBARGOED: _("Embargoed: marking progress only"),
            REVEAL: _("Reveal ceremony: places revealed one at a time")}


@bp.route("/events/<code>/skills/<skill_code>/settings", methods=["GET", "POST"])
def setup_skill(code: str, skill_code: str):
    event = event_by_code(code)
    skill = skill_in_event(event, skill_code)
    errors: dict = {}
    tolerance = "" if skill.variance_tolerance is None else skill.variance_tolerance
    values = {"panel_size": skill.panel_size or "", "variance_tolerance": tolerance,
              "award_rule": skill.award_rule or "", "display_mode": skill.display_mode,
              "allow_compatriot_marking": skill.allow_compatriot_marking, "anonymised": skill.anonymised}
    if request.method == "POST":
        form = request.form
        values = {key: (form.get(key) or "").strip() for key in ("panel_size", "variance_tolerance", "award_rule", "display_mode")}
        values.update(allow_compatriot_marking=bool(form.get("allow_compatriot_marking")), anonymised=bool(form.get("anonymised")))
        if values["display_mode"] not in DISPLAY_MODES:
            values["display_mode"] = skill.display_mode
        try:
            changed = skill_service.update_skill_settings(skill, by=current_user, **values)
        except ServiceError as err:
            errors = _messages(err)
        else:
            flash(_("Settings saved.") if changed else _("Nothing changed."), "info")
            return redirect(url_for(".setup_skill", code=event.code, skill_code=skill.code))
    written = skill.scheme_as_written
    return render_template("console/setup_skill.html", event=event, skill=skill, written=written, values=values, errors=errors,
                           award_rules=sorted(AWARD_RULES), award_labels=_award_labels(), modes=_mode_labels()), 422 if errors else 200


def _award_labels() -> dict:
    return {"worldskills": _("WorldSkills medals"), "prize_bands": _("Prize bands: first, second and third prizes"),
            "thresholds": _("Levels reached by score")}


@bp.get("/cis-marking-scheme-sample.xlsx")
def setup_cis_sample():
    """The sample CIS marking-scheme spreadsheet shipped with Podium, to start a scheme from."""
    path = skill_service.schemes_folder() / "samples" / "cis-marking-scheme.xlsx"
    if not path.is_file():
        path = shipped_folder("scoring_schemes") / "samples" / "cis-marking-scheme.xlsx"
    return send_file(path, as_attachment=True, download_name="cis-marking-scheme.xlsx")
