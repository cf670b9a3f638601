"""Backup and restore of one event: round trips (SQLite and PostgreSQL), ids that collide with
another event's, refusals (newer, tampered, another person's user name) and the replaced event."""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Competitor, Mark, MarkRevision, Skill, User
from competition.models.people import JUDGE
from competition.services import backup_rows
from competition.services.backup import FORMAT_VERSION, BackupRefused, backup_event, read_archive, restore
from competition.services.effects import commit, rollback
from competition.services.lookup import event_by_code
from competition.services.setup import add_skill_from_scheme, add_user, assign, create_event
from competition.services.standings import skill_standings
from tests.factories import TINY_SCHEME, mark, tiny_event

DEMO = "podium-2026"


# -- what is compared ---------------------------------------------------------------------

def canonical() -> dict[str, Counter]:
    """Every row of every table a backup carries, in the whole database, with ids replaced by
    what they point at (a person by user name, any other row by its own canonical form)."""
    forms: dict[tuple[str, object], object] = {}
    dump: dict[str, Counter] = {}
    for table in backup_rows.tables():
        if table.name in backup_rows.LEFT_OUT:
            continue
        key = backup_rows.surrogate_key(table)
        found = Counter()
        for row in db.session.execute(sa.select(table)).mappings():
            if table.name == "audit_entry" and (row["action"] == "event_restored" or row["skill_id"] is row["competitor_id"] is None):
                continue  # the restore's own entry, and entries of no skill (not the event's: a backup leaves them)
            form = []
            for column in table.columns:
                if column is key:
                    continue
                value = row[column.name]
                for fk in column.foreign_keys:
                    value = forms.get((fk.column.table.name, value)) if value is not None else None
                form.append((column.name, backup_rows.encode(value) if not isinstance(value, tuple) else value))
            form = ("user", row["username"]) if table.name == "user" else tuple(form)
            if key is not None:
                forms[(table.name, row[key.name])] = form
            found[form if table.name != "user" else _person(row)] += 1
        dump[table.name] = found
    return dump


def _person(row) -> tuple:
    return tuple((name, backup_rows.encode(value)) for name, value in row.items() if name != "id")


def results(code: str = DEMO) -> dict:
    """Every skill's standings and every mark with its history, by natural keys."""
    event = event_by_code(code)
    out = {}
    for skill in event.skills:
        standings = skill_standings(skill)
        marks = db.session.execute(
            sa.select(Competitor.code, User.username, Mark.aspect_id, Mark.value, Mark.version)
            .join(Competitor, Mark.competitor_id == Competitor.id).join(User, Mark.judge_id == User.id)
            .where(Mark.skill_id == skill.id)).all()
        history = db.session.execute(
            sa.select(Competitor.code, Mark.aspect_id, MarkRevision.old_value, MarkRevision.new_value, MarkRevision.version,
                      MarkRevision.idempotency_key, User.username)
            .join(Mark, MarkRevision.mark_id == Mark.id).join(Competitor, Mark.competitor_id == Competitor.id)
            .join(User, MarkRevision.by_user_id == User.id).where(Mark.skill_id == skill.id)).all()
        out[skill.code] = (standings, sorted(map(tuple, marks)), sorted(map(tuple, history), key=repr))
    return out


def empty_the_database() -> None:
    db.session.remove()
    db.drop_all()
    db.create_all()


@pytest.fixture
def saved(app, tmp_path):
    app.config["BACKUP_DIR"] = str(tmp_path / "replaced")
    return tmp_path


# -- round trips --------------------------------------------------------------------------

def test_backup_restored_into_an_empty_database_gives_the_same_data(demo_event, saved):
    """Runs on SQLite and, in CI, on PostgreSQL: every row, every standing, every mark's history,
    and the exports (standings and every raw mark with its revisions, as CSV and JSON) byte for byte."""
    before, standings_before, exports_before = canonical(), results(), exported()
    assert sum(before["mark"].values()) > 1000 and sum(before["mark_revision"].values()) > 1000
    written = []
    backup_event(demo_event, saved / "demo.zip", progress=lambda done, total: written.append((done, total)))
    assert written[-1][0] == written[-1][1] and len(written) > 10
    empty_the_database()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0

    seen = []
    restored = restore(saved / "demo.zip", progress=lambda done, total: seen.append((done, total)))
    commit()

    assert restored.replaced is None and restored.users_created == len(before["user"])
    assert canonical() == before
    assert results() == standings_before
    assert exported() == exports_before
    assert seen and seen[-1][0] == seen[-1][1]


def exported() -> dict[str, bytes]:
    """The demo event's exports, every kind in CSV and JSON, as the organiser downloads them."""
    import io

    from competition.services.exports import export
    from competition.services.lookup import event_by_code

    files = {}
    for kind in ("standings", "marks"):
        for fmt in ("csv", "json"):
            out = io.BytesIO()
            export(kind, event_by_code(DEMO), out, fmt)
            files[f"{kind}.{fmt}"] = out.getvalue()
    return files


def test_restore_beside_another_event_keeps_both_with_their_ids_mapped(demo_event, saved):
    demo_before, demo_results = canonical(), results()
    backup_event(demo_event, saved / "demo.zip")
    empty_the_database()
    other = tiny_event(saved)  # takes ids 1, 2, 3… in every table, as the demo's did
    mark(other["judges"][0], other["skill"].competitors[0], "B1.1", 2)
    other_before, other_results = canonical(), results("test")

    restored = restore(saved / "demo.zip")
    commit()

    after = canonical()
    for name, rows in after.items():
        if name == "user":  # the organiser is the same person in both: matched by user name, not added twice
            continue
        assert rows == demo_before[name] + other_before[name], name
    usernames = {u.username for u in db.session.scalars(sa.select(User))}
    demo_usernames = {dict(person)["username"] for person in demo_before["user"]}
    assert usernames == demo_usernames | {dict(person)["username"] for person in other_before["user"]}
    assert restored.users_matched == 1 and "organiser" in demo_usernames
    assert results() == demo_results and results("test") == other_results


def test_restoring_over_the_event_saves_what_it_replaces_first(demo_event, saved):
    before = canonical()
    backup_event(demo_event, saved / "demo.zip")
    changed = db.session.scalars(sa.select(Mark).order_by(Mark.id)).first()
    changed.value = Decimal("0.00")
    aspect_id = changed.aspect_id  # the row itself is gone once the event is replaced
    commit()

    restored = restore(saved / "demo.zip")
    commit()

    assert canonical() == before
    assert restored.replaced is not None and restored.replaced.parent == saved / "replaced"
    replaced = read_archive(restored.replaced)
    assert replaced.event_code == DEMO
    assert any(row["value"] == "0.00" and row["aspect_id"] == aspect_id for row in replaced.tables["mark"])


# -- refusals -----------------------------------------------------------------------------

def rewritten(source, target, *, manifest=None, member=None):
    """A copy of an archive with its manifest changed by ``manifest`` or one member's bytes by ``member``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
            if member and info.filename == member[0]:
                data = member[1](data)
            new.writestr(info.filename, data)
    return target


def _counts() -> tuple:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in backup_rows.tables())


@pytest.mark.parametrize("change, words", [
    (lambda m: {**m, "format_version": FORMAT_VERSION + 1}, [f"version {FORMAT_VERSION + 1}", f"version {FORMAT_VERSION}"]),
    (lambda m: {**m, "schema_revision": "0999_later"}, ["0999_later", backup_rows.schema_revision()]),
])
def test_an_archive_of_a_newer_podium_is_refused_naming_both_versions(demo_event, saved, change, words):
    backup_event(demo_event, saved / "demo.zip")
    newer = rewritten(saved / "demo.zip", saved / "newer.zip", manifest=change)
    counts = _counts()
    with pytest.raises(BackupRefused) as refused:
        restore(newer)
    assert refused.value.code == "newer_backup"
    for word in words:
        assert word in refused.value.message
    rollback()
    assert _counts() == counts


def test_a_tampered_archive_is_refused_and_nothing_changes(demo_event, saved):
    backup_event(demo_event, saved / "demo.zip")
    raised = rewritten(saved / "demo.zip", saved / "tampered.zip",
                       member=("mark.jsonl", lambda data: data.replace(b'"value": "0.00"', b'"value": "3.00"', 1)))
    counts = _counts()
    with pytest.raises(BackupRefused) as refused:
        restore(raised)
    assert refused.value.code == "tampered" and "mark" in refused.value.message
    rollback()
    assert _counts() == counts and not (saved / "replaced").exists()


def test_not_a_backup_is_refused(app, saved):
    (saved / "notes.zip").write_bytes(b"hello")
    with pytest.raises(BackupRefused) as refused:
        restore(saved / "notes.zip")
    assert refused.value.code == "not_a_backup"


def test_a_user_name_held_by_someone_else_refuses_the_restore(demo_event, saved):
    judge = db.session.scalar(sa.select(User).where(User.username == "judge-a1"))
    judge.external_id = "EXP-1"
    commit()
    backup_event(demo_event, saved / "demo.zip")
    judge.external_id = "EXP-2"  # another person now holds the user name
    commit()
    before = canonical()
    with pytest.raises(BackupRefused) as refused:
        restore(saved / "demo.zip")
    assert refused.value.code == "user_conflict" and "judge-a1" in refused.value.message
    rollback()
    assert canonical() == before


def test_a_failure_half_way_leaves_the_replaced_event_in_place(demo_event, saved):
    """The replaced event is deleted before the archive's rows go in; when the database then
    refuses a row (a mark's idempotency key now used by another event), the rollback brings the
    event back untouched."""
    revision = db.session.scalars(sa.select(MarkRevision).order_by(MarkRevision.id)).first()
    key = revision.idempotency_key
    backup_event(demo_event, saved / "demo.zip")
    revision.idempotency_key = "renamed"
    (saved / "tiny.toml").write_text(TINY_SCHEME, encoding="utf-8")
    other = create_event("other", "Other Championship")
    skill = add_skill_from_scheme(other, saved / "tiny.toml")
    skill.competitors.append(Competitor(code="O-01", name="Other One", organisation="Elsewhere"))
    judge = add_user("other-judge", "Other Judge", "pw-other", organisation="Far away")
    assign(judge, skill, JUDGE)
    commit()
    mark(judge, skill.competitors[0], "B1.1", 2, key=key)
    before = canonical()

    with pytest.raises(BackupRefused) as refused:
        restore(saved / "demo.zip")
    assert refused.value.code == "conflict"
    rollback()
    assert canonical() == before


def test_restore_can_be_kept_to_one_event(demo_event, saved):
    backup_event(demo_event, saved / "demo.zip")
    with pytest.raises(BackupRefused) as refused:
        restore(saved / "demo.zip", only_event="test")
    assert refused.value.code == "other_event"


# -- what is carried ----------------------------------------------------------------------

def test_every_table_is_carried_or_deliberately_left_out(app):
    """A table added by a migration must reach the event through its foreign keys (then it is
    carried, every column of it) or be listed in LEFT_OUT with the reason."""
    carried = {t.name for t in backup_rows.reached_tables()} | {backup_rows.USERS}
    unaccounted = set(db.metadata.tables) - carried - set(backup_rows.LEFT_OUT)
    assert not unaccounted, f"neither carried by an event's backup nor in LEFT_OUT: {sorted(unaccounted)}"
    assert not carried & set(backup_rows.LEFT_OUT)
    assert {"mark", "mark_revision", "sign_off", "certificate", "certificate_settings", "draw", "organisation",
            "team_member", "board_state", "audit_entry", "marking_window"} <= carried


def test_a_column_is_carried_because_the_table_has_it(demo_event, saved):
    """Columns are read from the table's metadata: every column of every carried table is in the archive."""
    backup_event(demo_event, saved / "demo.zip")
    archive = read_archive(saved / "demo.zip")
    for name, rows in archive.tables.items():
        if rows:
            assert set(rows[0]) == set(db.metadata.tables[name].columns.keys()), name
    skill = db.session.scalars(sa.select(Skill)).first()
    assert archive.manifest["tables"]["skill"]["rows"] == 5 and skill.code in {r["code"] for r in archive.tables["skill"]}


def test_certificate_logo_and_draw_travel(demo_event, saved):
    """Bytes (a certificate logo) and ids inside a draw's JSON come back, mapped to the new rows."""
    from competition.models import CertificateSettings, Draw

    skill = demo_event.skills[0]
    first = skill.competitors[0]
    first_code = first.code
    db.session.add(CertificateSettings(event_id=demo_event.id, logo=b"\x89PNG\x00\xff", logo_type="image/png"))
    db.session.add(Draw(skill_id=skill.id, kind="numbers", seed="abc", result=json.dumps({str(first.id): 7})))
    commit()
    backup_event(demo_event, saved / "demo.zip")
    empty_the_database()
    other = tiny_event(saved)  # so the demo's competitors get other ids
    assert other
    restore(saved / "demo.zip")
    commit()
    settings = db.session.scalar(sa.select(CertificateSettings))
    assert settings.logo == b"\x89PNG\x00\xff"
    draw = db.session.scalar(sa.select(Draw))
    (competitor_id, number), = json.loads(draw.result).items()
    assert number == 7 and db.session.get(Competitor, int(competitor_id)).code == first_code


def test_an_archive_of_an_older_schema_restores_with_the_defaults(demo_event, saved):
    """An archive written before a column existed (here: the event's public address, added by
    0004) restores into this Podium: the column takes its default."""
    import hashlib

    backup_event(demo_event, saved / "demo.zip")

    def without_public_url(data):
        rows = [json.loads(line) for line in data.decode().splitlines()]
        for row in rows:
            del row["public_url"]
        return "".join(json.dumps(row) + "\n" for row in rows).encode()

    with zipfile.ZipFile(saved / "demo.zip") as archive:
        event_member = without_public_url(archive.read("event.jsonl"))

    def older(manifest):
        manifest["schema_revision"] = "0003"
        manifest["tables"]["event"]["sha256"] = hashlib.sha256(event_member).hexdigest()
        return manifest

    old = rewritten(saved / "demo.zip", saved / "old.zip", manifest=older, member=("event.jsonl", lambda data: event_member))
    empty_the_database()
    restore(old)
    commit()
    assert event_by_code(DEMO).public_url == ""


@pytest.mark.parametrize("column, value", [("value", "a lot"), ("updated_at", "yesterday"), ("version", "two")])
def test_a_hand_made_archive_with_matching_checksums_but_bad_values_is_refused(demo_event, saved, column, value):
    """Checksums prove nothing against someone who rewrites them too: a value no column can hold
    is still refused as damaged, never an error page, and nothing changes."""
    import hashlib

    backup_event(demo_event, saved / "demo.zip")
    with zipfile.ZipFile(saved / "demo.zip") as archive:
        lines = archive.read("mark.jsonl").decode().splitlines()
    first = json.loads(lines[0])
    first[column] = value
    member = "\n".join([json.dumps(first), *lines[1:]]).encode() + b"\n"

    def rehashed(manifest):
        manifest["tables"]["mark"]["sha256"] = hashlib.sha256(member).hexdigest()
        return manifest

    bad = rewritten(saved / "demo.zip", saved / "bad.zip", manifest=rehashed, member=("mark.jsonl", lambda data: member))
    before = canonical()
    with pytest.raises(BackupRefused) as refused:
        restore(bad)
    assert refused.value.code == "tampered" and "mark" in refused.value.message
    rollback()
    assert canonical() == before
