"""Item 17: limits on what a request or a file can make the server keep or compute.

Presence rows (a tablet saying "I have this form open") expire instead of growing without
bound, and ``podium check-scheme`` refuses oversized, deeply nested or absurdly dotted files
with a problem naming the file and line, quickly, instead of a traceback or minutes of work."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from competition.cli import main
from competition.extensions import db
from competition.models import FormPresence
from competition.scoring._toml_limits import MAX_BYTES
from competition.services import judging
from tests.judging import judging_event, sign_in

SHIPPED = "scoring_schemes/mechatronics.toml"


def presence_rows() -> int:
    return db.session.scalar(select(func.count(FormPresence.id)))


def test_presence_rows_not_renewed_expire(app, client, tmp_path):
    setup = judging_event(tmp_path)
    t1, t2 = setup["skill"].competitors[:2]
    sign_in(client, "judge1")
    for device in ("tablet-a", "tablet-b"):
        assert client.post("/api/v1/presence", json={"competitor_id": t1.id, "device_id": device}).status_code == 200
    long_ago = judging.utcnow() - dt.timedelta(seconds=judging.PRESENCE_KEPT_SECONDS + 60)
    for row in db.session.scalars(select(FormPresence)):
        row.seen_at = long_ago
    db.session.commit()
    assert presence_rows() == 2
    assert client.post("/api/v1/presence", json={"competitor_id": t2.id, "device_id": "tablet-a"}).status_code == 200
    db.session.expire_all()
    assert [(r.competitor_id, r.device_id) for r in db.session.scalars(select(FormPresence))] == [(t2.id, "tablet-a")]


def test_invented_device_ids_do_not_grow_the_presence_table(app, client, tmp_path):
    setup = judging_event(tmp_path)
    t1 = setup["skill"].competitors[0]
    sign_in(client, "judge1")
    for n in range(judging.PRESENCE_DEVICES + 15):
        body = {"competitor_id": t1.id, "device_id": f"made-up-{n}"}
        assert client.post("/api/v1/presence", json=body).status_code == 200
    db.session.expire_all()
    assert presence_rows() == judging.PRESENCE_DEVICES
    newest = {r.device_id for r in db.session.scalars(select(FormPresence))}
    assert f"made-up-{judging.PRESENCE_DEVICES + 14}" in newest


def check(tmp_path, text: str | bytes, name: str = "scheme.toml"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["check-scheme", str(path)])
    return result, time.perf_counter() - started, str(path)


def test_check_scheme_refuses_deeply_nested_arrays_with_the_line(tmp_path):
    result, _, path = check(tmp_path, '[scheme]\ncode = "x"\nweights = ' + "[" * 5000 + "]" * 5000 + "\n")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "RecursionError" not in result.output and "Traceback" not in result.output
    assert f"{path}:3: toml: values are nested more than 32 deep" in result.output


@pytest.mark.parametrize("parts", [33, 40_000])
def test_check_scheme_refuses_a_key_of_many_dotted_parts_at_once(tmp_path, parts):
    result, seconds, path = check(tmp_path, "[scheme]\n" + "a" + ".a" * (parts - 1) + " = 1\n")
    assert result.exit_code == 1
    assert f"{path}:2: toml: a key has more than 32 dotted parts" in result.output
    assert seconds < 2  # 80 KB of dots took 18 s before the limit (400 KB took 81 s); the scan is linear


def test_check_scheme_refuses_a_file_over_the_size_limit_without_parsing_it(tmp_path):
    result, _, path = check(tmp_path, "# " + "x" * MAX_BYTES + "\n")
    assert result.exit_code == 1
    assert f"{path}:1: file: the file is {MAX_BYTES + 3:,} bytes; a scheme file may be at most {MAX_BYTES:,} bytes" in result.output


def test_check_scheme_reads_a_file_with_a_utf8_byte_order_mark(tmp_path):
    text = open(SHIPPED, encoding="utf-8").read()
    result, _, _ = check(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert ": ok: mechatronics" in result.output


def test_the_limits_leave_dotted_keys_strings_and_floats_alone(tmp_path):
    """Dots inside strings, comments and values are not key parts; brackets in strings are not nesting."""
    text = open(SHIPPED, encoding="utf-8").read() + (
        '\n# a comment. with. many. dots. ' + ". " * 100 + "\n")
    text = text.replace('[scheme]\n', '[scheme]\n' + "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n", 1)
    result, _, _ = check(tmp_path, text)
    assert result.exit_code == 0, result.output
