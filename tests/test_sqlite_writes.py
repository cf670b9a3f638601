"""SQLite writers take turns per process (competition.sqlite_writes): the write lock is taken
with BEGIN IMMEDIATE at a transaction's first write, a waiting writer waits on a lock that
wakes it (never in SQLite's C busy handler), and the lock is released when the transaction ends."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, func, insert, select, text

import competition.extensions  # noqa: F401  (registers the SQLite pragmas and the write lock for every engine)
from competition import sqlite_writes

ROOT = Path(__file__).resolve().parents[1]
metadata = MetaData()
rows = Table("rows", metadata, Column("id", Integer, primary_key=True), Column("who", String(20)))


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'writes.sqlite'}")
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def outsider_can_write(path) -> bool:
    """Whether a plain connection (another process's view) could take SQLite's write lock now."""
    other = sqlite3.connect(path, timeout=0, factory=sqlite3.Connection)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.rollback()
        return True
    except sqlite3.OperationalError as err:
        assert "locked" in str(err)
        return False
    finally:
        other.close()


def test_a_write_transaction_holds_the_lock_from_its_first_write_to_its_end(engine):
    path = engine.url.database
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite_writes.Connection)
        conn.execute(select(func.count()).select_from(rows))
        assert not raw._held and outsider_can_write(path)  # reading takes nothing
        conn.execute(insert(rows).values(who="a"))
        assert raw._held and raw.in_transaction
        assert not outsider_can_write(path)  # BEGIN IMMEDIATE: SQLite's write lock from the first write
        conn.commit()
        assert not raw._held and outsider_can_write(path)

        conn.execute(insert(rows).values(who="b"))
        conn.rollback()
        assert not raw._held and outsider_can_write(path)

        conn.execute(insert(rows).values(who="c"))
    # closed without commit: rolled back and released
    assert not raw._held and outsider_can_write(path)
    with engine.connect() as conn:
        assert conn.execute(select(rows.c.who)).scalars().all() == ["a"]


def test_a_failed_statement_keeps_the_lock_until_rollback(engine):
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        conn.execute(insert(rows).values(id=1, who="a"))
        with pytest.raises(Exception, match="UNIQUE"):
            conn.execute(insert(rows).values(id=1, who="again"))
        assert raw._held
        conn.rollback()
        assert not raw._held


def test_writers_in_threads_take_turns(engine):
    writing, finished, errors = threading.Event(), {}, []

    def first():
        try:
            with engine.begin() as conn:
                conn.execute(insert(rows).values(who="first"))
                writing.set()
                time.sleep(0.3)  # holds the write lock meanwhile
            finished["first"] = time.perf_counter()
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    def second():
        writing.wait(5)
        try:
            with engine.begin() as conn:
                conn.execute(insert(rows).values(who="second"))
            finished["second"] = time.perf_counter()
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not errors
    assert finished["second"] >= finished["first"] - 0.005
    with engine.connect() as conn:
        assert conn.execute(select(rows.c.who).order_by(rows.c.id)).scalars().all() == ["first", "second"]


def test_a_writer_gives_up_after_the_busy_timeout(engine, monkeypatch):
    monkeypatch.setattr(sqlite_writes, "BUSY_TIMEOUT", 0.2)
    errors: list = []

    def late_writer():
        try:
            with engine.begin() as conn:
                conn.execute(insert(rows).values(who="late"))
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    holder = engine.connect()
    holder.execute(insert(rows).values(who="holder"))
    try:
        other = threading.Thread(target=late_writer)
        other.start()
        other.join(5)
        assert len(errors) == 1 and "database is locked" in str(errors[0])
    finally:
        holder.rollback()
        holder.close()


def test_an_opted_out_engine_uses_plain_connections(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'plain.sqlite'}", connect_args={"factory": sqlite3.Connection})
    with engine.connect() as conn:
        assert type(conn.connection.dbapi_connection) is sqlite3.Connection
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"  # the pragmas still apply
    engine.dispose()


GEVENT_SCRIPT = """
from gevent import monkey
monkey.patch_all()

import subprocess, sys, time

import gevent
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select

import competition.extensions  # noqa: F401

path = sys.argv[1]
engine = create_engine(f"sqlite:///{path}")
rows = Table("rows", MetaData(), Column("id", Integer, primary_key=True), Column("who", String(20)))
rows.metadata.create_all(engine)
ticks, done = [], []


def ticker():
    while not done:
        ticks.append(time.perf_counter())
        gevent.sleep(0.005)


def holder():  # yields while its write transaction is open (as a request doing I/O mid-transaction would)
    with engine.begin() as conn:
        conn.execute(insert(rows).values(who="holder"))
        gevent.sleep(0.3)


def waiter():
    gevent.sleep(0.05)
    with engine.begin() as conn:
        conn.execute(insert(rows).values(who="waiter"))


tick = gevent.spawn(ticker)
gevent.joinall([gevent.spawn(holder), gevent.spawn(waiter)], raise_error=True)

# Another process holds SQLite's write lock for 0.3 s: this one waits without stopping its greenlets.
other = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
                          "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(0.3); c.commit()", path],
                         stdout=subprocess.PIPE, text=True)
assert other.stdout.readline().strip() == "held"
with engine.begin() as conn:
    conn.execute(insert(rows).values(who="after other process"))
other.wait()
done.append(True)
tick.join()
gaps = [b - a for a, b in zip(ticks, ticks[1:])]
with engine.connect() as conn:
    print(conn.execute(select(rows.c.who).order_by(rows.c.id)).scalars().all())
print(f"max gap {max(gaps):.3f}")
"""


def test_under_gevent_a_waiting_writer_lets_the_other_greenlets_run(tmp_path):
    """Without the lock the waiter would sleep in SQLite's busy handler, in C: the whole process
    stops, the holder cannot finish, and the waiter fails after the busy timeout."""
    script = tmp_path / "gevent_writers.py"
    script.write_text(textwrap.dedent(GEVENT_SCRIPT))
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "g.sqlite")], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    stored, gap = done.stdout.strip().splitlines()
    assert stored == "['holder', 'waiter', 'after other process']"
    assert float(gap.split()[-1]) < 0.1  # the event loop never stopped for long
