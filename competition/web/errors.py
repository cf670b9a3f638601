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
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from competition.services import effects
from competition.services.errors import ServiceError

log = logging.getLogger(__name__)

TITLES = {
    400: "The request could not be understood",
    401: "Sign in first",
    403: "Not allowed",
    404: "Not found",
    405: "Not possible here",
    409: "Not possible now",
    410: "No longer available",
    413: "Too large",
    422: "Not accepted",
    423: "Marking is closed",
    500: "Something went wrong",
    503: "Busy — try again",
}
FIELDS = {400: "request", 401: "authorization", 403: "user", 404: "url", 405: "method", 413: "body", 500: "server", 503: "server"}


def wants_json() -> bool:
    return (request.path.startswith("/api/") or request.is_json
            or request.accept_mimetypes.best == "application/json")


def error_response(status: int, field: str, message: str, code: str, *, retry: bool = False, **extra) -> Response:
    if wants_json():
        body = {"field": field, "message": message, "code": code, "retry": retry, **extra}
        return make_response(jsonify(error=body), status)
    return make_response(render_template("errors/error.html", status=status, title=TITLES.get(status, "Error"), message=message), status)


def unavailable() -> Response:
    return error_response(503, "server", "The database is busy or unreachable; nothing was stored. Try again in a moment.",
                          "unavailable", retry=True)


def _code(exc: HTTPException) -> str:
    return re.sub(r"[^a-z0-9]+", "_", (exc.name or "error").lower()).strip("_")


def init_app(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(err: ServiceError):
        effects.rollback()
        return error_response(err.status, err.field, err.message, err.code, retry=err.retry, **err.extra)

    @app.errorhandler(CSRFError)
    def csrf_refused(err: CSRFError):
        effects.rollback()
        message = f"The form expired or was not sent from Podium ({err.description}). Go back, reload the page and try again."
        if wants_json():
            message = f"refused: {err.description}"
        return error_response(400, "csrf_token", message, "csrf", retry=True)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        effects.rollback()
        if err.code is None or err.code < 400:  # a redirect raised as an exception: pass it on
            return err
        message = err.description or err.name
        response = error_response(err.code, FIELDS.get(err.code, "request"), message, _code(err))
        if err.code == 405 and getattr(err, "valid_methods", None):
            response.headers["Allow"] = ", ".join(err.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        effects.rollback()
        if app.propagate_exceptions:  # tests and debugging see the traceback
            raise err
        return error_response(500, "server", InternalServerError.description, "server_error")
