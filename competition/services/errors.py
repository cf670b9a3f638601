"""The one error base of the services.

A service refuses an operation by raising :class:`ServiceError` (or a subclass) *before* it
has written anything, so the caller's transaction stays clean. The error names the field at
fault, says what is wrong in words, and carries the HTTP status a view should answer, a
stable machine-readable ``code`` and whether the same request may succeed later unchanged
(``retry``). One place in the web layer (``competition/web/errors.py``) turns it into
``{"error": {...}}`` for API clients and into a styled page or a form message for people.
"""

from __future__ import annotations


class ServiceError(Exception):
    """An operation the service refuses; nothing was written."""

    status = 400
    code = "invalid"

    def __init__(self, field: str, message: str, status: int | None = None, *, code: str | None = None, retry: bool = False,
                 **extra):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.retry = retry
        self.extra = {k: v for k, v in extra.items() if v is not None}  # e.g. current, problems, competitors

    def as_json(self) -> dict:
        """The body of an API error: ``{"field", "message", "code", "retry", ...extra}``."""
        return {"field": self.field, "message": self.message, "code": self.code, "retry": self.retry, **self.extra}


class NotFound(ServiceError):
    """The thing named does not exist (or not where it was looked for)."""

    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    """The acting person may not do this."""

    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    """The request contradicts the stored state (locked, already done, changed meanwhile)."""

    status = 409
    code = "conflict"
