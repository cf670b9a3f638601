"""Reading a JSON request body safely: an object, or a clear 400 naming the body."""

from __future__ import annotations

import json

from flask import request

from competition.services.errors import ServiceError


def json_object() -> dict:
    """The request's JSON object. Not JSON, not an object, or nested too deeply to read
    (a RecursionError in the parser) is a 400, never a 500."""
    if not request.is_json:
        raise ServiceError("body", "send a JSON object with Content-Type: application/json")
    try:
        data = json.loads(request.get_data(cache=True) or b"null")
    except RecursionError:
        raise ServiceError("body", "the JSON is nested too deeply to be read") from None
    except ValueError as err:  # includes UnicodeDecodeError
        raise ServiceError("body", f"not valid JSON: {err}") from None
    if not isinstance(data, dict):
        raise ServiceError("body", "send a JSON object (Content-Type: application/json)")
    return data
