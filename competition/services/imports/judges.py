"""Importing judges (and chief experts, whose role comes with the assignments): ``external_id,
username, name, organisation, language``.

Accounts are Podium-wide: a row updates the account with its external id, else with its user
name, else adds one. A new account has no password: the person signs in with a one-time link,
a sign-in card or a password the organiser sets. An empty language leaves the person's own
choice alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from competition.extensions import db
from competition.models import Event, User
from competition.services.imports.common import Keys, Register, text
from competition.services.imports.reading import Change, Column, ImportReport, Row

COLUMNS = (
    Column("external_id", aliases=("编号", "id")),
    Column("username", required=True, aliases=("用户名", "user_name", "login")),
    Column("name", required=True, aliases=("姓名", "display_name")),
    Column("organisation", aliases=("单位", "参赛单位", "organization")),
    Column("language", aliases=("语言",)),
)
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,79}")
LANGUAGES = {"en": "en", "english": "en", "英文": "en", "zh": "zh", "中文": "zh", "chinese": "zh", "zh-cn": "zh", "zh_cn": "zh"}


def plan(event: Event, rows: list[Row], report: ImportReport) -> list[Callable[[], None]]:
    register = Register(event)
    accounts: dict[int, User] = {}
    for column, name in ((User.external_id, "external_id"), (User.username, "username")):
        values = sorted({row.get(name) for row in rows if row.get(name)})
        for start in range(0, len(values), 500):
            accounts.update({u.id: u for u in db.session.scalars(select(User).where(column.in_(values[start:start + 500])))})
    by_external = {u.external_id: u for u in accounts.values() if u.external_id}
    by_username = {u.username: u for u in accounts.values()}
    keys = Keys(report)
    writes = []
    for row in rows:
        external = text(row, "external_id", report, longest=80)
        username = text(row, "username", report, required=True, longest=80)
        if username and not USERNAME.fullmatch(username):
            report.problem(_l("%(value)s is not a user name: use letters, digits and . _ @ -, starting with a letter or digit.",
                              value=username), cell=row["username"])
            username = None
        name = text(row, "name", report, required=True)
        organisation = register.name_of(row["organisation"], report) if row.has("organisation") else ""
        language = row.get("language").lower()
        if language and language not in LANGUAGES:
            report.problem(_l("%(value)s is not a language: write en, zh or leave it empty.", value=row.get("language")),
                           cell=row["language"])
            language = None
        fine = None not in (external, username, name, organisation, language)
        if row.has("external_id"):
            fine &= keys.once(("external_id", external), row["external_id"])
        fine &= keys.once(("username", username), row["username"])
        if not fine:
            continue
        user = by_external.get(external) if external else None
        if user is None:
            user = by_username.get(username)
            if user is not None and external and user.external_id not in (None, external):
                report.problem(_l("%(username)s is the user name of the person with external id %(other)s.", username=username,
                                  other=user.external_id), cell=row["username"])
                continue
        other = by_username.get(username)
        if other is not None and other is not user:
            report.problem(_l("%(username)s is already the user name of %(name)s.", username=username, name=other.display_name),
                           cell=row["username"])
            continue
        wanted = {"username": username, "display_name": name}
        if row.has("organisation"):
            wanted["organisation"] = organisation
        if external:
            wanted["external_id"] = external
        if language:
            wanted["language"] = LANGUAGES[language]
        label = f"{username} {name}"
        if user is None:
            report.changes.append(Change("add", row.number, label))
            writes.append(_adder(wanted))
            continue
        changed = tuple(k for k, v in wanted.items() if getattr(user, k) != v)
        report.changes.append(Change("update" if changed else "unchanged", row.number, label, changed))
        if changed:
            writes.append(_updater(user, {k: wanted[k] for k in changed}))
    return writes


def _adder(values: dict) -> Callable[[], None]:
    def write() -> None:
        db.session.add(User(password_hash="", is_organiser=False, **{"organisation": "", **values}))
    return write


def _updater(user: User, values: dict) -> Callable[[], None]:
    def write() -> None:
        for key, value in values.items():
            setattr(user, key, value)
    return write
