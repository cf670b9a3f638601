"""Skills of an event: adding one with its marking scheme, and the skill's own settings.

A scheme reaches a skill as TOML text, whichever way it came (a shipped file, an uploaded
file, a CIS spreadsheet converted by :mod:`competition.services.cis_scheme`): the text is
validated whole before the skill is stored, and kept in ``Skill.scheme_text`` so a later
change to a shipped file never rewrites a past event's marks. The settings an organiser may
put over the scheme (panel size, tolerance, award rule: ``None`` keeps the scheme's own)
reach the scoring through ``Skill.scheme`` (:mod:`competition.scoring.overrides`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competition.extensions import db
from competition.models import Event, Skill, User
from competition.models.events import DISPLAY_MODES
from competition.scoring.awards import AWARD_RULES
from competition.scoring.model import MarkingScheme
from competition.scoring.overrides import panel_problems
from competition.scoring.schemes import SchemeError, load_scheme, parse_scheme
from competition.services.audit import audit
from competition.services.boards import set_display_mode, skill_changed
from competition.services.errors import Conflict, ServiceError
from competition.shipped import shipped_folder

SKILL_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
MAX_SCHEME_BYTES = 1024 * 1024


class SchemeRefused(ServiceError):
    """A scheme with problems: ``problems`` lists every one (``FILE:LINE: field: problem``, or
    ``row N, column X: …`` for a spreadsheet); nothing was stored."""

    code = "bad_scheme"
    status = 422

    def __init__(self, problems: list[str], field: str = "scheme"):
        super().__init__(field, _l("The marking scheme has problems; nothing was saved."), problems=list(problems))
        self.problems = list(problems)


def schemes_folder() -> Path:
    """Where the shipped schemes are: the app's ``SCHEMES_DIR``, else the folder shipped with Podium."""
    if has_app_context() and current_app.config.get("SCHEMES_DIR"):
        return Path(current_app.config["SCHEMES_DIR"])
    return shipped_folder("scoring_schemes")


def shipped_schemes() -> dict[str, MarkingScheme]:
    """The shipped schemes that load, by file name without ``.toml`` (``cnc-milling``…)."""
    found = {}
    for path in sorted(schemes_folder().glob("*.toml")):
        try:
            found[path.stem] = load_scheme(path)
        except SchemeError:
            continue
    return found


def shipped_scheme_text(name: str) -> tuple[str, str]:
    """The text and file name of shipped scheme ``name`` (``cnc-milling`` or ``cnc-milling.toml``)."""
    stem = (name or "").strip().removesuffix(".toml")
    path = schemes_folder() / f"{stem}.toml"
    if not stem or "/" in stem or "\\" in stem or stem.startswith(".") or not path.is_file():
        known = ", ".join(shipped_schemes())
        raise ServiceError("scheme", _l("There is no shipped scheme %(name)s; choose one of: %(known)s.", name=repr(stem), known=known),
                           code="unknown_scheme")
    return path.read_text(encoding="utf-8"), path.name


def decode_scheme(data: bytes, filename: str) -> str:
    """An uploaded scheme file's text (UTF-8, with or without BOM), or a refusal naming the file."""
    if len(data) > MAX_SCHEME_BYTES:
        problem = _l("larger than 1 MB; a marking scheme is a few kilobytes")
        raise SchemeRefused([f"{filename}:0: file: {problem}"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problem = _l("not UTF-8 text; save the file as UTF-8")
        raise SchemeRefused([f"{filename}:0: file: {problem}"]) from None


def check_scheme(text: str, source: str) -> MarkingScheme:
    """The parsed scheme, or :class:`SchemeRefused` with every problem as ``FILE:LINE: field: problem``."""
    try:
        return parse_scheme(text, source)
    except SchemeError as err:
        raise SchemeRefused([str(p) for p in err.problems]) from None


def add_skill(event: Event, scheme_text: str, source: str, *, by: User | None, code: str | None = None, name: str | None = None,
              panel_size: int | None = None, anonymised: bool = False, encrypted: bool = False) -> Skill:
    """Add a skill marked by the scheme ``scheme_text`` (from file ``source``) to ``event``. Its
    code and name default to the scheme's. The scheme and every field are checked first: a bad
    scheme raises :class:`SchemeRefused` listing every problem, and nothing is stored."""
    scheme = check_scheme(scheme_text, source)
    code = (code or "").strip() or scheme.code
    name = " ".join((name or "").split()) or str(scheme.name)
    if not SKILL_CODE.fullmatch(code):
        raise ServiceError("code", _l("%(code)s is not a skill code: use 1 to 40 lower-case letters, digits or -, e.g. cnc-milling.",
                                      code=repr(code)), 422)
    if len(name) > 200:
        raise ServiceError("name", _l("Give the skill a name of at most 200 characters."), 422)
    panel_size = _panel_size(scheme, panel_size)
    if db.session.scalar(select(Skill.id).where(Skill.event_id == event.id, Skill.code == code)) is not None:
        raise Conflict("code", _l("%(event)s already has a skill %(code)s; choose another code.", event=event.name, code=code),
                       code="duplicate")
    skill = Skill(event=event, code=code, name=name, scheme_source=Path(source).name[:200], scheme_text=scheme_text,
                  panel_size=panel_size, anonymised=bool(anonymised), encrypted=bool(encrypted))
    db.session.add(skill)
    db.session.flush()
    audit("skill_added", by=by, skill=skill, detail=f"{event.code}/{code} from {skill.scheme_source}")
    return skill


def _panel_size(scheme: MarkingScheme, value: object) -> int | None:
    """A panel size for the skill: None (the scheme's), or 1-9 judges the scheme's rules accept."""
    if value in (None, ""):
        return None
    try:
        size = int(str(value).strip())
    except ValueError:
        size = 0
    if not 1 <= size <= 9:
        raise ServiceError("panel_size", _l("The panel is 1 to 9 judges, not %(value)s.", value=value), 422)
    problems = panel_problems(scheme, size)
    if problems:
        raise ServiceError("panel_size", _l("A panel of %(num)s judges does not suit this scheme: %(why)s", num=size,
                                            why="; ".join(problems)), 422)
    return None if size == scheme.panel_size else size


def _tolerance(value: object) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or not 0 <= number <= 100 or number != round(number, 2):
        raise ServiceError("variance_tolerance", _l("The tolerance is a number of scale points from 0 to 100, at most two decimals, "
                                                    "not %(value)s.", value=value), 422)
    return float(number)


SETTINGS = ("panel_size", "allow_compatriot_marking", "anonymised", "variance_tolerance", "award_rule", "display_mode")


def update_skill_settings(skill: Skill, *, by: User, **settings) -> list[str]:
    """Change the skill's own settings (any of :data:`SETTINGS`; an empty panel size,
    tolerance or award rule means the scheme's own). Everything is checked before anything
    changes; returns the names of the settings changed. Boards follow after commit."""
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise ServiceError(sorted(unknown)[0], _l("This cannot be changed here."))
    written = skill.scheme_as_written
    new = {}
    if "panel_size" in settings:
        new["panel_size"] = _panel_size(written, settings["panel_size"])
    if "variance_tolerance" in settings:
        tolerance = _tolerance(settings["variance_tolerance"])
        new["variance_tolerance"] = None if tolerance is not None and Decimal(str(tolerance)) == written.tolerance else tolerance
    if "award_rule" in settings:
        rule = settings["award_rule"] or None
        if rule is not None and rule not in AWARD_RULES:
            raise ServiceError("award_rule", _l("There is no award rule %(rule)s; choose one of: %(known)s.", rule=repr(rule),
                                                known=", ".join(sorted(AWARD_RULES))), 422)
        new["award_rule"] = None if rule == written.awards.name else rule
    for flag in ("allow_compatriot_marking", "anonymised"):
        if flag in settings:
            new[flag] = bool(settings[flag])
    mode = settings.get("display_mode")
    if mode is not None and mode not in DISPLAY_MODES:
        raise ServiceError("display_mode", _l("What the boards show must be one of %(choices)s, not %(value)s.",
                                              choices=", ".join(DISPLAY_MODES), value=repr(mode)), 422)
    changed = [key for key, value in new.items() if getattr(skill, key) != value]
    for key in changed:
        setattr(skill, key, new[key])
    if mode is not None and mode != skill.display_mode:
        set_display_mode(skill, mode, by=by)
        changed.append("display_mode")
    elif changed:
        skill_changed(skill)
    db.session.flush()
    if changed:
        audit("skill_settings_changed", by=by, skill=skill, detail=", ".join(f"{key}={getattr(skill, key)}" for key in changed))
    return changed
