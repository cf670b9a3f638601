"""Certificates: the organiser's pages (settings, printing, batches, revocation) and the
public verification page that a certificate's QR code opens."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from competition.certificates.content import LANGUAGES, LAYOUT_CHOICES, format_dates, printed_result, result_label, title_for
from competition.extensions import db
from competition.models import Certificate, CertificateBatch, Competitor, Event
from competition.models.certificates import DONE
from competition.services import certificates as service
from competition.services.certificate_batches import batch_pdf, batch_status, job_for, start_batch
from competition.services.certificate_checks import address_warning, check_print
from competition.services.errors import Conflict, NotFound, ServiceError
from competition.services.lookup import event_by_code, get_row, skill_in_event
from competition.web.auth import organiser_required
from competition.web.language import HTML_LANG, current_language

bp = Blueprint("certificates", __name__)
LOGO_TYPES = {"image/png", "image/jpeg"}
MAX_LOGO = 2 * 1024 * 1024


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _event(code: str) -> Event:
    return event_by_code(code)


@bp.get("/certificates/")
@organiser_required
def index():
    event = db.session.scalars(select(Event).order_by(Event.id.desc())).first()
    if event is None:
        raise NotFound("event", _l("There is no event yet."), code="unknown_event")
    return redirect(url_for(".event_page", code=event.code))


@bp.get("/certificates/<code>")
@organiser_required
def event_page(code: str):
    event = _event(code)
    certificates = db.session.scalars(select(Certificate).where(Certificate.event_id == event.id).order_by(Certificate.id))
    current: dict[int, list[Certificate]] = {}  # a team's: one per member
    revoked: list[Certificate] = []
    for cert in certificates:
        if cert.revoked:
            revoked.append(cert)
        else:
            current.setdefault(cert.competitor_id, []).append(cert)
    batches = db.session.scalars(
        select(CertificateBatch).where(CertificateBatch.event_id == event.id).order_by(CertificateBatch.id.desc()).limit(10)
    ).all()
    return render_template(
        "certificates/event.html", event=event, settings=service.settings_for(event), current=current, revoked=revoked[-20:],
        final_certificates={s.id: sum(len(service.recipients(c)) for c in s.competitors if c.locked) for s in event.skills},
        batches=batches, certificate_languages=LANGUAGES, layouts=LAYOUT_CHOICES, result_label=result_label, title_for=title_for,
        printed_result=printed_result,
        language=current_language(), address=service.public_address(event), address_warning=address_warning(event),
        dates=format_dates(event.starts_on, event.ends_on, current_language()),
    )


@bp.post("/certificates/<code>/settings")
@organiser_required
def save_settings(code: str):
    event = _event(code)
    upload = request.files.get("logo")
    logo, logo_type = None, ""
    if upload and upload.filename:
        logo, logo_type = upload.read(MAX_LOGO + 1), upload.mimetype
        if logo_type not in LOGO_TYPES or len(logo) > MAX_LOGO:
            flash(_("The logo must be a PNG or JPEG image under 2 MB."), "error")
            return redirect(url_for(".event_page", code=code))
    try:
        service.save_settings(event, language=request.form.get("language", "en"), layout=request.form.get("layout", "auto"),
                              organiser_name=request.form.get("organiser_name", ""), logo=logo, logo_type=logo_type,
                              remove_logo=bool(request.form.get("remove_logo")))
    except ServiceError as err:
        flash(str(err.message), "error")
        return redirect(url_for(".event_page", code=code))
    flash(_("Certificate settings saved. Certificates printed from now on use them."), "ok")
    return redirect(url_for(".event_page", code=code))


def _refused(err: ServiceError, code: str):
    if _wants_json():
        raise err  # the one error handler answers {"error": {...}}
    flash(str(err.message), "error")
    return redirect(url_for(".event_page", code=code))


@bp.post("/certificates/<code>/print")
@organiser_required
def print_batch(code: str):
    """Print one competitor, a skill or the whole event: small batches come back as the PDF,
    large ones (or when asked) run in the background with a progress page."""
    event = _event(code)
    skill = competitor = None
    if request.form.get("competitor"):
        competitor = get_row(Competitor, request.form.get("competitor", type=int), "competitor", "competitor")
        if competitor.skill.event_id != event.id:
            raise NotFound("competitor", _l("Competitor %(code)s is not in %(event)s.", code=competitor.code, event=event.name),
                           code="unknown_competitor")
    elif request.form.get("skill"):
        skill = skill_in_event(event, request.form["skill"])
    only_locked = bool(request.form.get("only_locked"))
    try:
        chosen = service.select_competitors(event, skill=skill, competitor=competitor, only_locked=only_locked)
        check = check_print(event, chosen)
        if not check.confirmed(address=request.form.get("confirm_address"), numbers=request.form.get("confirm_superseded")):
            return _ask_first(event, check, skill=skill, competitor=competitor)
        if competitor is None and (request.form.get("background") or len(chosen) > current_app.config.get("CERTIFICATE_SYNC_LIMIT", 40)):
            batch = start_batch(event, skill=skill, only_locked=only_locked, by=current_user)
            if _wants_json():
                return jsonify(batch=batch_status(batch), status_url=url_for(".batch_json", batch_id=batch.id),
                               page_url=url_for(".batch_page", batch_id=batch.id)), 202
            return redirect(url_for(".batch_page", batch_id=batch.id))
        buffer = io.BytesIO()
        service.print_certificates(event, buffer, skill=skill, competitor=competitor, only_locked=only_locked, by=current_user)
    except service.CertificateRefused as err:
        return _refused(err, code)
    buffer.seek(0)
    name = competitor.code if competitor else (skill.code if skill else event.code)
    return send_file(buffer, mimetype="application/pdf", as_attachment=True, download_name=f"certificates-{_safe(name)}.pdf")


def _ask_first(event: Event, check, *, skill=None, competitor=None):
    """The confirm step: the address the QR codes open and the certificates printing would
    revoke, with a form that sends the same request back with what was shown."""
    if _wants_json():
        raise Conflict("confirm", _l("Confirm before printing: check the address in the QR codes and the certificates that "
                                     "printing would revoke, then send confirm_address and confirm_superseded."),
                       code="confirm_needed", **check.as_json())
    fields = {k: request.form[k] for k in ("competitor", "skill", "only_locked", "background") if request.form.get(k)}
    return render_template("certificates/confirm.html", event=event, check=check, fields=fields, skill=skill, competitor=competitor,
                           language=current_language(), result_label=result_label, title_for=title_for,
                           printed_result=printed_result)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "certificates"


def _batch(batch_id: int) -> CertificateBatch:
    return get_row(CertificateBatch, batch_id, "batch", "batch")


@bp.get("/certificates/batches/<int:batch_id>")
@organiser_required
def batch_page(batch_id: int):
    batch = _batch(batch_id)
    return render_template("certificates/batch.html", batch=batch, status=batch_status(batch), job=job_for(batch))


@bp.get("/certificates/batches/<int:batch_id>/status")
@organiser_required
def batch_json(batch_id: int):
    batch = _batch(batch_id)
    data = batch_status(batch)
    if batch.status == DONE:
        data["download_url"] = url_for(".batch_download", batch_id=batch.id)
    return jsonify(data)


@bp.get("/certificates/batches/<int:batch_id>/download")
@organiser_required
def batch_download(batch_id: int):
    batch = _batch(batch_id)
    if batch.status != DONE:
        raise Conflict("batch", _l("The batch is not ready to download yet."), code="not_ready", retry=True)
    name = f"certificates-{_safe(batch.event.code)}-batch-{batch.id}.pdf"
    stored = batch_pdf(batch)
    if stored is None:
        if batch.path and Path(batch.path).is_file():  # drawn before batches were kept in the database
            return send_file(batch.path, mimetype="application/pdf", as_attachment=True, download_name=name)
        raise ServiceError("batch", _l("The batch's PDF is no longer available: print it again."), 410, code="gone")
    size, pieces = stored
    return Response(stream_with_context(pieces), mimetype="application/pdf",
                    headers={"Content-Length": str(size), "Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/certificates/revoke/<number>")
@organiser_required
def revoke(number: str):
    cert = db.session.scalar(select(Certificate).where(Certificate.number == number))
    if cert is None:
        raise NotFound("certificate", _l("There is no certificate %(number)s.", number=number), code="unknown_certificate")
    try:
        service.revoke(cert, request.form.get("reason", ""), by=current_user)
    except ServiceError as err:
        flash(str(err.message), "error")
    else:
        flash(_("Certificate %(number)s (%(name)s) is revoked. Its QR code now shows it as revoked.", number=cert.number,
                name=cert.competitor_name), "ok")
    return redirect(url_for(".event_page", code=cert.event.code))


@bp.get("/verify/<path:token>")
def verify(token: str):
    """What anyone scanning a certificate sees: genuine (with its data), revoked, or not genuine.

    The page speaks the reader's language, but names the certificate and its result in the
    words printed on it (the certificate's own language), with the reader's translation
    beside them when the two differ."""
    found = service.verify(token)
    cert = found.certificate
    event = cert.event if cert else None
    printed = translated = None
    if cert:
        reader = current_language()
        shown = printed_result(cert.layout, cert.result)  # what the paper says, nothing it does not
        printed, translated = ({"title": title_for(cert.layout, bool(cert.units), language),
                                "result": result_label(shown, language) if shown else ""}
                               for language in (cert.language, reader))
    response = render_template(
        "certificates/verify.html", status=found.status, cert=cert, event=event,
        dates=format_dates(event.starts_on, event.ends_on, current_language()) if event else "",
        printed=printed, translated=translated, printed_lang=HTML_LANG.get(cert.language, "en") if cert else "en",
    )
    code = 200 if found.status in (service.GENUINE, service.REVOKED) else 404
    return response, code, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
