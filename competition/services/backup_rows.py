"""What an event's backup carries, found from the schema itself rather than listed by hand.

An event owns every row that reaches its ``event`` row through foreign keys: its skills (by
``event_id``), their competitors, marks and roles (by ``skill_id``), the marks' revisions (by
``mark_id``)… A table added by a later migration with a foreign key into one of these is carried
without a change here; each of its columns is carried because rows are read and written column
by column from the table's metadata. People are shared by events, so ``user`` is never reached
through: the archive carries the users its rows name (judges, chief experts, whoever revised,
signed, decided or was audited) and every organiser, so the event can be run again from an
empty database. Tables that must not travel are in :data:`LEFT_OUT`, each with the reason;
``tests/services/test_backup.py`` fails on a table that is neither reached nor left out.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from competition.extensions import db

ROOT = "event"
USERS = "user"

# Tables an event's backup deliberately does not carry (restoring an event still deletes
# the replaced event's rows in them).
LEFT_OUT: dict[str, str] = {
    "api_token": "personal device tokens: secrets of a person, not data of an event",
    "sign_in_link": "one-time sign-in links and cards: secrets, issued again after a restore",
    "job": "background work of a running server, not the event's data",
    "form_presence": "which tablets have a marking form open: a heartbeat, stale at once",
    "certificate_batch": "print runs: the certificates themselves are carried and print again",
    "certificate_batch_part": "the PDF of a print run (see certificate_batch)",
}

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def _draw_result(text: str, new_ids: dict[str, dict]) -> str:
    """A draw's result names competitors by id (``{"<id>": number}`` or ``[{"competitor_id": …}]``)."""
    competitors = new_ids.get("competitor", {})
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if isinstance(data, dict) and all(str(key).isdigit() for key in data):
        data = {str(competitors.get(int(key), key)): value for key, value in data.items()}
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and item.get("competitor_id") in competitors:
                item["competitor_id"] = competitors[item["competitor_id"]]
    return json.dumps(data, ensure_ascii=False)


# Ids kept inside a column's JSON text, mapped to the new ids on restore: {table: {column: fix}}.
JSON_IDS = {"draw": {"result": _draw_result}}


def user_table() -> sa.Table:
    return db.metadata.tables[USERS]


def tables() -> list[sa.Table]:
    """Every table of the models, each after the tables it refers to."""
    return list(db.metadata.sorted_tables)


def reached_tables(*, left_out: bool = False) -> list[sa.Table]:
    """The tables whose rows an event owns, in dependency order, ``event`` first (``user`` not
    included). With ``left_out`` the tables of :data:`LEFT_OUT` count too (to delete an event)."""
    reached: list[sa.Table] = []
    names: set[str] = set()
    for table in tables():
        if table.name == USERS or (table.name in LEFT_OUT and not left_out):
            continue
        if table.name == ROOT or any(fk.column.table.name in names for fk in table.foreign_keys):
            reached.append(table)
            names.add(table.name)
    return reached


def scopes(event_id: int, *, left_out: bool = False) -> dict[str, sa.ColumnElement[bool]]:
    """For each reached table, the condition that selects the rows of the event ``event_id``:
    a row is the event's when one of its foreign keys points at a row of the event."""
    where: dict[str, sa.ColumnElement[bool]] = {}
    by_name: dict[str, sa.Table] = {}
    for table in reached_tables(left_out=left_out):
        by_name[table.name] = table
        if table.name == ROOT:
            where[ROOT] = next(iter(table.primary_key.columns)) == event_id
            continue
        ways = []
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            if parent in where:
                ways.append(fk.parent.in_(sa.select(fk.column).where(where[parent])))
        where[table.name] = sa.or_(*ways)
    return where


def user_columns(table: sa.Table) -> list[sa.Column]:
    """The columns of ``table`` that name a person."""
    return [fk.parent for fk in table.foreign_keys if fk.column.table.name == USERS]


def surrogate_key(table: sa.Table) -> sa.Column | None:
    """The table's own integer id, given by the database (None: the key is a foreign key, as
    ``board_state.skill_id``, or there is none)."""
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and not keys[0].foreign_keys and isinstance(keys[0].type, sa.Integer):
        return keys[0]
    return None


def encode(value: object) -> object:
    """A column's value as JSON: decimals as text (exact), times in UTC ISO 8601, bytes in base64."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # SQLite hands back Podium's UTC times without their zone
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def decode(column: sa.Column, value: object) -> object:
    """The inverse of :func:`encode`, by the column's type."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, sa.LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, sa.DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, sa.Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return Decimal(value)
    # JSON's own types, checked: SQLite would store "two" in an integer column without a word.
    expected = _JSON_TYPES.get(next((t for t in _JSON_TYPES if isinstance(kind, t)), None))
    if expected is not None and (not isinstance(value, expected) or (expected is not bool and isinstance(value, bool))):
        raise TypeError(f"{column.name}: {type(value).__name__} is not {kind}")
    return value


_JSON_TYPES: dict[type, type | tuple[type, ...]] = {sa.Boolean: bool, sa.Float: (int, float), sa.Integer: int, sa.String: str}


def _scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def schema_revision() -> str:
    """The newest schema revision this Podium knows (the migrations' head)."""
    return _scripts().get_current_head() or ""


def known_revision(revision: str) -> bool:
    """True when ``revision`` is this Podium's head or one before it (an older or equal schema)."""
    if not revision:
        return False
    return any(script.revision == revision for script in _scripts().walk_revisions())
