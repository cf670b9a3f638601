"""What a person keeps about themselves: for now, the interface language they chose."""

from __future__ import annotations

from competition.models import User
from competition.services.errors import ServiceError

LANGUAGES = ("en", "zh")


def set_language(user: User, language: str) -> None:
    """Save the person's language ("en" or "zh"); it is theirs on every device they sign in on."""
    if language not in LANGUAGES:
        raise ServiceError("language", f"must be one of {', '.join(LANGUAGES)}, not {language!r}", code="unknown_language")
    user.language = language
