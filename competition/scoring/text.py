"""Scheme text that may be written in both languages.

A scheme file gives a name, description or descriptor either as a plain string (the same in
every language) or as ``{ en = "…", zh = "…" }``. Both become a :class:`Text`: a ``str`` —
its value is the English text, or the only one given — that also carries every language in
``translations``, so code that only needs *a* name keeps working and a page picks the
reader's language with ``text.get(language)`` (the ``|loc`` template filter).
"""

from __future__ import annotations

from collections.abc import Mapping

TEXT_LANGUAGES = ("en", "zh")


class Text(str):
    translations: Mapping[str, str]

    def __new__(cls, value: str | Mapping[str, str]) -> Text:
        if isinstance(value, Mapping):
            translations = {lang: str(value[lang]) for lang in TEXT_LANGUAGES if value.get(lang)}
            primary = translations.get("en") or next(iter(translations.values()), "")
        else:
            translations = dict(getattr(value, "translations", {}) or {})
            primary = str(value)
        text = super().__new__(cls, primary)
        text.translations = translations
        return text

    def get(self, language: str | None) -> str:
        """The text in ``language``, or the text itself when it has no such translation."""
        return self.translations.get(language or "", "") or str(self)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages given explicitly (empty for a plain string)."""
        return tuple(self.translations)

    def __reduce__(self):
        return (Text, (dict(self.translations) if self.translations else str(self),))
