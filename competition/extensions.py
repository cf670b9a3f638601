"""Extensions, created unbound and bound to the app in the factory."""

import sqlite3

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from competition import sqlite_writes

# Every index and constraint gets a predictable name, the same on SQLite and PostgreSQL, so a
# migration can name the one it alters or drops (SQLite batch mode needs the names too).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
socketio = SocketIO()
login = LoginManager()
csrf = CSRFProtect()
babel = Babel()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """The embedded SQLite database in WAL mode: boards and pages read while a judge's mark is
    written, and a commit costs no full fsync (synchronous=NORMAL is durable across a process
    crash; the last commits can be lost only if the machine itself loses power). Writers take
    turns as competition.sqlite_writes describes; busy_timeout bounds a wait for other processes."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(sqlite_writes.BUSY_TIMEOUT * 1000)}")
        cursor.close()
