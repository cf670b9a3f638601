"""The one error base of the services.

A service refuses an operation by raising :class:`ServiceError` (or a subclass) *before* it
has written anything, so the caller's transaction stays clean. The error names the field at
fault, says what is wrong in words, and carries the HTTP status a view should answer, a
stable machine-readable ``code`` and whether the same request may succeed later unchanged
(``retry``). One place in the web layer (``competition/web/errors.py``) turns it into
``{"error": {...}}`` for API clients and into a styled page or a form message for people.
"""

from __future__ import annotations

from flask_babel import LazyString, force_locale


class ServiceError(Exception):
    """An operation the service refuses; nothing was written."""

    status = 400
    code = "invalid"

    def __init__(self, field: str, message: str | LazyString, status: int | None = None, *, code: str | None = None, retry: bool = False,
                 **extra):
        super().__init__(field, message)  # the message may be lazy: read only when shown (see __str__)
        self.field = field
        self.lazy_message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.retry = retry
        self.extra = {k: v for k, v in extra.items() if v is not None}  # e.g. current, problems, competitors

    @property
    def message(self) -> str:
        """The message as text, in the language of the request (or English outside one)."""
        return str(self.lazy_message)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

    def as_json(self) -> dict:
        """The body of an API error: ``{"field", "message", "code", "retry", ...extra}``, in English
        (clients read ``code``; messages made with ``lazy_gettext`` are read in English here)."""
        return in_english({"field": self.field, "message": self.lazy_message, "code": self.code, "retry": self.retry,
                           **self.extra})


def in_english(value: object) -> object:
    """``value`` for a JSON body: every lazy message in it (also inside lists and dicts, such as
    sign-off ``problems`` or a form's closed reasons) read in English, as the API answers."""
    with force_locale("en"):
        return _read(value)


def _read(value: object) -> object:
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, dict):
        return {key: _read(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_read(item) for item in value]
    return value


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
