"""Opening the clinic database: engine set-up, SQLite pragmas, owner-only files, migrations at start.

``open_database(url)`` is the one way in. It creates the SQLite file readable by the owner only
(folders 0700), turns on foreign keys, WAL and a busy timeout on every connection, checks a SQLite
file (quick check within a time budget, write lock not held elsewhere), brings the schema to the
newest revision (copying the file aside first when an existing database is upgraded) and returns
a ``Database`` that hands out sessions. Every failure becomes a ``DatabaseUnavailable``. Statement
parameters are never shown in errors (they would carry patient records), and every flush checks
text lengths against the models first (``mesoplan.db.limits``).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from mesoplan.backup import QuickCheck, owner_only_folder, quick_check_within
from mesoplan.db.limits import install_length_check
from mesoplan.db.schema import SCHEMA_HEAD
from mesoplan.db.text_guard import guard
from mesoplan.errors import DatabaseUnavailable

BUSY_TIMEOUT_MS = 10_000
START_CHECK_BUDGET_S = 1.0
"""How long the start-up ``quick_check`` may take before it is left to the backups' full check."""


@dataclass
class Database:
    """An open clinic database: the engine, a session factory and where it lives."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    """Sessions for reading (SQLite: deferred transactions, readers never wait for a writer)."""
    write_sessions: sessionmaker[Session]
    """Sessions for a unit of work that writes (SQLite: the write lock is taken at BEGIN)."""
    startup_check: QuickCheck | None = None
    """SQLite: the result of the start-up quick check (None when it was not run)."""

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        name = make_url(self.url).database
        return Path(name) if name and name != ":memory:" else None

    def describe(self) -> str:
        """The URL without any password, for messages and the status bar."""
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # pysqlite's own transaction handling is switched off; _sqlite_begin emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_begin(conn) -> None:
    # Writers begin IMMEDIATE: the write lock is taken up front, so two writers queue (up to the
    # busy timeout) instead of one failing half-way with a stale snapshot.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def create_owner_only_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (no-op if it exists).

    SQLite gives the ``-wal`` and ``-shm`` files it makes beside it the same permissions.
    """
    owner_only_folder(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            create_owner_only_file(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
                               hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def current_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the database, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            has_tables = bool(inspect(conn).get_table_names())
            return "unversioned" if has_tables else None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def run_quick_check(database: Database, budget_s: float = START_CHECK_BUDGET_S) -> QuickCheck:
    """SQLite's ``quick_check`` on its own connection, given up (unfinished) after ``budget_s``.

    The window runs it in the background right after it opens (``open_database(check=False)``),
    so a big file does not hold up start-up; commands run it before they start.
    """
    raw = database.engine.raw_connection()
    try:
        return quick_check_within(raw.driver_connection, budget_s)
    finally:
        raw.close()


def _probe_write_lock(engine: Engine) -> None:
    """Take and release SQLite's write lock, so a database held by another program is reported now."""
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin():
        pass


def _seed_if_new(database: Database) -> None:
    from mesoplan.db.models import ClinicSettings

    # Look first with a reader: a database that is already seeded is not write-locked at start.
    with database.sessions() as session:
        if session.get(ClinicSettings, 1) is not None:
            return
    from mesoplan.services.seed import seed_reference_data

    with database.write_sessions.begin() as session:
        seed_reference_data(session)


def open_database(
    url: str, *, migrate: bool = True, seed: bool = True, check: bool = True,
) -> Database:
    """Open (creating if needed) the database at ``url``, check it and bring it up to date.

    For SQLite, ``check`` runs ``PRAGMA quick_check`` within ``START_CHECK_BUDGET_S`` (see
    ``Database.startup_check``; the window passes False and runs it in the background instead),
    and the write lock is probed so a database held by another program is reported now. Raises
    ``DatabaseUnavailable`` with a plain explanation when the file or server cannot be used.
    """
    try:
        engine = make_engine(url)
    except (ArgumentError, DBAPIError, OSError) as exc:
        raise DatabaseUnavailable.from_exception(url, exc) from exc
    database = Database(
        url=url,
        engine=engine,
        sessions=guard(sessionmaker(engine, expire_on_commit=False)),
        write_sessions=guard(sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )),
    )
    install_length_check(database.sessions)
    install_length_check(database.write_sessions)
    try:
        revision = current_revision(engine)
        if database.is_sqlite and revision is not None:
            if check:
                database.startup_check = run_quick_check(database)
                if database.startup_check.problems:
                    raise DatabaseUnavailable(
                        database.describe(),
                        f"the file is damaged ({database.startup_check.problems[0]})",
                        "Restore the newest backup with 'mesoplan restore FILE' (backups are kept "
                        "in the 'backups' folder beside the database); the damaged file is kept "
                        "aside.",
                    )
            _probe_write_lock(engine)
        if migrate and revision != SCHEMA_HEAD:
            from mesoplan.db.migrate import upgrade

            upgrade(database, revision)
        if seed:
            _seed_if_new(database)
    except (DBAPIError, OSError) as exc:
        engine.dispose()
        raise DatabaseUnavailable.from_exception(url, exc) from exc
    except BaseException:
        engine.dispose()
        raise
    return database
