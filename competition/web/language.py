"""The interface language: which one a request speaks, the switch in the header, and what
templates and scripts need to speak it.

Podium speaks English (``en``) and Simplified Chinese (``zh``). People, cookies, events and
scheme files name a language by those two codes; only the catalogue on disk carries Babel's
full name, ``zh_Hans_CN`` (Babel reads ``zh_CN`` as ``zh_Hans_CN``), and every Chinese tag a
browser may send — ``zh``, ``zh-CN``, ``zh-Hans``, ``zh_CN``, ``zh-TW`` — finds it.

Which language a request speaks (:func:`request_language`):

- a screen (a board: a view marked :func:`screen_language`) speaks its ``?lang=`` and
  otherwise the event's default — a hall runs one language per screen, whatever the browser;
- any other page speaks, in this order, the signed-in person's saved choice, the language
  chosen on the page (the ``podium_lang`` cookie, for people who do not sign in), the
  browser's Accept-Language, then the event's default language, then English.

Scripts get their strings from a catalogue the page hands them (:func:`script_tags`):
the messages of ``static/js/*.js`` — found there by Babel's JavaScript extractor, so the
scripts are their own list — translated into the request's language.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.dates import format_date as babel_format_date
from babel.messages.extract import extract_from_file
from flask import Blueprint, Flask, current_app, g, has_request_context, redirect, request, url_for
from flask_babel import get_locale, get_translations, gettext
from flask_login import current_user, user_logged_in
from markupsafe import Markup

from competition.certificates.content import format_dates
from competition.services import people
from competition.services.errors import NotFound
from competition.services.lookup import event_by_code
from competition.web.auth import safe_next

EN, ZH = "en", "zh"
LANGUAGES = {EN: "English", ZH: "中文"}  # each named in its own language, as a switch shows them
LOCALES = {EN: "en", ZH: "zh_Hans_CN"}  # the catalogue each language reads
HTML_LANG = {EN: "en", ZH: "zh-Hans"}
# Dates are written the British way in English ("1 May 2026", as the certificates print them).
DATE_LOCALES = {EN: "en_GB", ZH: "zh_Hans_CN"}
COOKIE = "podium_lang"
COOKIE_AGE = 365 * 24 * 3600

bp = Blueprint("language", __name__)


def normalise(tag: object) -> str | None:
    """``en`` or ``zh`` for a language tag in any common spelling, None for anything else."""
    if not tag or not isinstance(tag, str):
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def screen_language(view):
    """Mark a view as a screen: it speaks ``?lang=`` or the event's default, nothing else."""
    view._screen_language = True
    return view


def _event_default() -> str | None:
    code = (request.view_args or {}).get("event_code")
    if not code:
        return None
    try:
        return normalise(event_by_code(code).language)
    except NotFound:
        return None


def _is_screen() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "_screen_language", False))


def request_language() -> str:
    if not has_request_context():
        return EN
    if "language" in g:
        return g.language
    if _is_screen():
        chosen = normalise(request.args.get("lang")) or _event_default()
    else:
        chosen = None
        user = current_user
        if user is not None and getattr(user, "is_authenticated", False):
            chosen = normalise(getattr(user, "language", None))
        chosen = chosen or normalise(request.cookies.get(COOKIE))
        if chosen is None:
            for tag, _quality in request.accept_languages:
                chosen = normalise(tag)
                if chosen:
                    break
        chosen = chosen or _event_default()
    g.language = chosen or EN
    return g.language


def select_locale() -> str:
    return LOCALES[request_language()]


def current_language() -> str:
    """``en`` or ``zh``: the language the request is being answered in."""
    locale = get_locale()
    return ZH if locale is not None and locale.language == ZH else EN


def localise(text: object, language: str | None = None) -> str:
    """Scheme text in the given (default: the request's) language. Scheme text that has both
    languages carries them in ``translations``; a plain string reads the same in both."""
    if text is None:
        return ""
    translations = getattr(text, "translations", None)
    if translations:
        language = language or current_language()
        return translations.get(language) or str(text)
    return str(text)


def format_day(value, format: str = "long") -> str:
    """A date in the request's language (``format``: Babel's "short", "medium", "long" or a
    pattern); a datetime shows its date. The template filter ``|date``."""
    if value is None:
        return ""
    return babel_format_date(value, format, locale=DATE_LOCALES[current_language()])


def date_range(starts, ends=None) -> str:
    """An event's dates in the request's language: "1–3 May 2026", "2026年5月1日至3日"."""
    return format_dates(starts, ends, current_language())


def member_names(members, organisation: str | None = None) -> str:
    """A team's members in one line, in the request's language: "Li Na · Tom Berg (Wales)",
    "李娜、汤姆（威尔士）" — a member's organisation only where it is not the team's. The filter
    ``|member_names(team.organisation)``."""
    zh = current_language() == ZH
    names = []
    for member in members or ():
        other = member.organisation and member.organisation != organisation
        names.append(f"{member.name}（{member.organisation}）" if other and zh else
                     f"{member.name} ({member.organisation})" if other else member.name)
    return ("、" if zh else " · ").join(names)


def _static_js() -> Path:
    return Path(current_app.static_folder) / "js"


@cache
def _script_messages(folder: str) -> tuple[tuple[str, str | None], ...]:
    """(singular, plural or None) of every gettext/ngettext call in the scripts."""
    found: dict[tuple[str, str | None], None] = {}
    for path in sorted(Path(folder).glob("*.js")):
        keywords = {"gettext": None, "ngettext": (1, 2)}
        for _line, message, _comments, _context in extract_from_file("javascript", str(path), keywords=keywords):
            if isinstance(message, tuple):
                found[(message[0], message[1])] = None
            else:
                found[(message, None)] = None
    return tuple(found)


@cache
def _script_catalogue(folder: str, locale: str) -> str:
    """The scripts' messages in ``locale`` as JSON, made once per process and language: a string
    for each singular message, a [one, other] pair for each plural one."""
    from flask import json

    translations = get_translations()  # the translations themselves: Flask-Babel's ngettext would fill in %(num)s
    catalogue: dict = {}
    for singular, plural in _script_messages(folder):
        if plural is None:
            catalogue[singular] = gettext(singular)
        else:
            catalogue[singular] = [translations.ungettext(singular, plural, 1), translations.ungettext(singular, plural, 2)]
    return json.dumps(catalogue, ensure_ascii=False).replace("<", "\\u003c")


def script_tags() -> Markup:
    """The catalogue as JSON and the small script that reads it (static/js/i18n.js)."""
    data = _script_catalogue(str(_static_js()), str(get_locale()))
    return Markup(
        f'<script id="podium-i18n" type="application/json">{data}</script>\n'
        f'<script src="{url_for("static", filename="js/i18n.js")}"></script>'
    )


@bp.post("/language")
def choose():
    """The header's switch: the choice is kept in a cookie and, for a signed-in person, saved
    with them so it follows them to any device after signing in again."""
    language = normalise(request.form.get("language"))
    target = safe_next(request.form.get("next")) or url_for("public.home")
    response = redirect(target, code=303)
    if language is None:
        return response
    if current_user.is_authenticated and not g.get("bearer"):
        people.set_language(current_user, language)
    response.set_cookie(COOKIE, language, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def language_context():
        language = request_language() if has_request_context() else EN
        return {
            "current_language": language,
            "html_lang": HTML_LANG[language],
            "languages": LANGUAGES,
            "i18n_scripts": script_tags,
        }

    app.add_template_filter(localise, "loc")
    app.add_template_filter(format_day, "date")
    app.add_template_global(date_range, "date_range")
    app.add_template_filter(member_names, "member_names")

    @user_logged_in.connect_via(app)
    def keep_the_pages_choice(_app, user, **_extra):
        """A language chosen on the sign-in page becomes the person's, unless they chose one
        before: it then follows them to the next device they sign in on."""
        chosen = normalise(request.cookies.get(COOKIE)) if has_request_context() else None
        if chosen and not getattr(user, "language", None):
            people.set_language(user, chosen)

    @app.after_request
    def vary_on_language(response):
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
        return response

