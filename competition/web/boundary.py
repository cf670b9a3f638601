"""The request's transaction boundary: a request commits once, after its view returned.

Views call services, which flush; this hook commits what the request did and then sends the
side effects the services recorded (boards, marking nudges, jobs). A request that ends in an
error — an exception, or an error page from :mod:`competition.web.errors` — commits nothing:
the error handlers roll back. A commit that fails (the database went away, a lock timed out)
answers 503 with ``retry: true``; the tablet's outbox sends the mark again.
"""

from __future__ import annotations

import logging

from flask import Flask, Response
from sqlalchemy.exc import SQLAlchemyError

from competition.extensions import db
from competition.services import effects

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    @app.after_request
    def commit_request(response: Response) -> Response:
        session = db.session()
        if not session.in_transaction():
            return response
        if response.status_code >= 500:
            effects.rollback()
            return response
        try:
            effects.commit()
        except SQLAlchemyError:
            log.exception("the request's transaction could not be committed")
            effects.rollback()
            from competition.web.errors import unavailable

            return unavailable()
        return response

    @app.teardown_request
    def roll_back_failed_request(exc: BaseException | None) -> None:
        if exc is not None:
            effects.rollback()
