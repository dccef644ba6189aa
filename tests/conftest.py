"""Shared fixtures: offscreen Qt, a private data folder, and a fresh migrated database per test.

``db`` runs each test twice: on a SQLite file and on a real PostgreSQL server (see
``tests/postgres_support.py``; a throwaway cluster is started when none is named). The
PostgreSQL variant is skipped with the reason when no server can be had, and fails instead when
``MESOPLAN_REQUIRE_POSTGRES=1``. ``sqlite_db`` is for tests about the SQLite file itself.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

# Before anything imports Qt or looks for the user data folder.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("MESOPLAN_DATABASE_URL", None)
os.environ.pop("MESOPLAN_PASSWORD", None)
os.environ.pop("MESOPLAN_NEW_PASSWORD", None)

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from postgres_support import PostgresUnavailable, postgres_required, start_postgres_server  # noqa: E402

_SESSION_DATA = Path(os.environ.get("PYTEST_TMPDIR", "/tmp")) / f"mesoplan-tests-{os.getpid()}"
os.environ["MESOPLAN_DATA_DIR"] = str(_SESSION_DATA)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Argon2id at minimal cost: the same code paths, milliseconds instead of 0.15 s per hash."""
    from mesoplan import security

    security.use_hash_cost(time_cost=1, memory_cost_kib=1024)


@pytest.fixture(scope="session")
def template_database_file(tmp_path_factory) -> Path:
    """A migrated, seeded SQLite database built once; each test gets its own copy."""
    from mesoplan.db.engine import open_database

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = open_database(f"sqlite:///{path}")
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def database_file(template_database_file, tmp_path) -> Path:
    target = tmp_path / "clinic.sqlite3"
    shutil.copyfile(template_database_file, target)
    os.chmod(target, 0o600)
    return target


@pytest.fixture(scope="session")
def postgres_server():
    """The session's PostgreSQL server with a migrated, seeded template database."""
    try:
        server = start_postgres_server()
    except PostgresUnavailable as exc:
        if postgres_required():
            pytest.fail(f"PostgreSQL is required (MESOPLAN_REQUIRE_POSTGRES=1) but unavailable: {exc}")
        pytest.skip(f"no PostgreSQL server for the PostgreSQL variant: {exc}")
    try:
        server.build_template()
        yield server
    finally:
        server.close()


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh database cloned from the template for one test, dropped afterwards."""
    url = postgres_server.new_database()
    yield url
    postgres_server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def database_url(request) -> str:
    """The URL of a fresh, migrated and seeded database: a SQLite file, then a PostgreSQL one."""
    if request.param == "sqlite":
        return f"sqlite:///{request.getfixturevalue('database_file')}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def db(database_url):
    """An open, migrated and seeded database (SQLite file, then PostgreSQL)."""
    from mesoplan.db.engine import open_database

    database = open_database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(database_file):
    """An open, migrated and seeded SQLite database, for tests about the file itself."""
    from mesoplan.db.engine import open_database

    database = open_database(f"sqlite:///{database_file}")
    yield database
    database.dispose()


@pytest.fixture
def actor():
    """A user holding every role (what the command line acts as)."""
    from mesoplan.access import Actor, Role

    return Actor(name="Dr Test", roles=frozenset(Role), user_id=None)


@pytest.fixture
def practitioner_actor():
    from mesoplan.access import Actor, Role

    return Actor(name="Dr Practitioner", roles=frozenset({Role.PRACTITIONER}))


@pytest.fixture
def front_desk_actor():
    from mesoplan.access import Actor, Role

    return Actor(name="Front Desk", roles=frozenset({Role.FRONT_DESK}))


@pytest.fixture
def admin_actor():
    from mesoplan.access import Actor, Role

    return Actor(name="Admin Only", roles=frozenset({Role.ADMINISTRATOR}))


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_SESSION_DATA, ignore_errors=True)
