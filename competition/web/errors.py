"""One place that turns errors into answers.

API requests (``/api/…``, or a request that sends or asks for JSON) get
``{"error": {"field", "message", "code", "retry", …}}`` with the status; people get a styled
page with the site's navigation, in the same words. Every handler rolls the request's
transaction back first: a request that ends in an error stores nothing.

Sources: :class:`~competition.services.errors.ServiceError` from the services, HTTP errors
raised by routing or views (400, 403, 404, 405, 413…), CSRF failures, and anything unexpected
(500, logged with its traceback, never shown).
"""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from competition.services import effects
from competition.services.errors import ServiceError, in_english

log = logging.getLogger(__name__)

TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Sign in first"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Not possible here"),
    409: _l("Not possible now"),
    410: _l("No longer available"),
    413: _l("Too large"),
    422: _l("Not accepted"),
    423: _l("Marking is closed"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
    503: _l("Busy — try again"),
}
# What a person reads for an HTTP error raised by routing or a view (werkzeug's descriptions
# are English only); the JSON API keeps werkzeug's English description.
DESCRIPTIONS = {
    400: _l("The request could not be understood. Go back and try again."),
    401: _l("Sign in to see this page."),
    403: _l("You are not allowed to see this page. If you should be, ask the organiser to give you the role."),
    404: _l("There is no such page. Check the address, or start again from the home page."),
    405: _l("This page cannot do that."),
    413: _l("What was sent is too large."),
    429: _l("Too many requests in a short time. Wait a minute and try again."),
    500: _l("Something went wrong on our side; nothing was stored. Try again, and tell the organiser if it happens again."),
}
FIELDS = {400: "request", 401: "authorization", 403: "user", 404: "url", 405: "method", 413: "body", 429: "request", 500: "server",
          503: "server"}


def wants_json() -> bool:
    return (request.path.startswith("/api/") or request.is_json
            or request.accept_mimetypes.best == "application/json")


def error_response(status: int, field: str, message: object, code: str, *, retry: bool = False, **extra) -> Response:
    """The error as JSON (``message`` in English, whatever the request's language: API clients
    read ``code``) or as a page in the request's language. ``message`` may be a lazy string."""
    if wants_json():
        body = in_english({"field": field, "message": message, "code": code, "retry": retry, **extra})
        return make_response(jsonify(error=body), status)
    title = TITLES.get(status, _l("Error"))
    return make_response(render_template("errors/error.html", status=status, title=title, message=str(message)), status)


def unavailable() -> Response:
    return error_response(503, "server", _l("The database is busy or unreachable; nothing was stored. Try again in a moment."),
                          "unavailable", retry=True)


def _code(exc: HTTPException) -> str:
    return re.sub(r"[^a-z0-9]+", "_", (exc.name or "error").lower()).strip("_")


def init_app(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(err: ServiceError):
        effects.rollback()
        return error_response(err.status, err.field, err.lazy_message, err.code, retry=err.retry, **err.extra)

    @app.errorhandler(CSRFError)
    def csrf_refused(err: CSRFError):
        effects.rollback()
        message = _l("The form expired or was not sent from Podium. Go back, reload the page and try again.")
        if wants_json():
            message = f"refused: {err.description}"
        return error_response(400, "csrf_token", message, "csrf", retry=True)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        effects.rollback()
        if err.code is None or err.code < 400:  # a redirect raised as an exception: pass it on
            return err
        message = err.description or err.name
        if not wants_json() and err.code in DESCRIPTIONS and (message == type(err).description or err.code == 429):
            message = DESCRIPTIONS[err.code]  # (a limit's description names the limit, in English)
        response = error_response(err.code, FIELDS.get(err.code, "request"), message, _code(err), retry=err.code == 429)
        if err.code == 405 and getattr(err, "valid_methods", None):
            response.headers["Allow"] = ", ".join(err.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        effects.rollback()
        if app.config.get("PROPAGATE_EXCEPTIONS") or app.testing or app.debug:  # tests and debugging see the traceback
            raise err
        return error_response(500, "server", InternalServerError.description if wants_json() else DESCRIPTIONS[500], "server_error")
