"""A database that cannot be used gets a clear message saying what to do, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from mesoplan import cli
from mesoplan.backup import quick_check_within
from mesoplan.db import engine as engine_module
from mesoplan.db.engine import open_database
from mesoplan.errors import DatabaseUnavailable
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.services.uow import work


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """Give up on a held lock after 0.3 s instead of 10 s."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)


def _refused(url: str) -> DatabaseUnavailable:
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(url)
    return caught.value


def _cli(capsys, *args: str) -> tuple[int, str]:
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_a_file_of_garbage_bytes(tmp_path, capsys):
    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(os.urandom(64 * 1024))
    error = _refused(f"sqlite:///{path}")
    assert "file is not a database" in str(error) and "mesoplan restore FILE" in str(error)
    status, output = _cli(capsys, "--database", f"sqlite:///{path}", "audit", "verify")
    assert status == 1 and "cannot be used" in output and "Traceback" not in output


def test_a_truncated_database(tmp_path, database_file, actor, capsys):
    database = open_database(f"sqlite:///{database_file}")
    for number in range(200):
        with work(database, actor) as uow:
            create_patient(uow, PatientInput(f"Patient{number}", notes="x" * 500))
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    size = database_file.stat().st_size
    with open(database_file, "r+b") as handle:
        handle.truncate(size // 2)
    error = _refused(f"sqlite:///{database_file}")
    assert "damaged" in str(error) or "malformed" in str(error)
    assert "mesoplan restore FILE" in str(error)
    status, output = _cli(capsys, "--database", f"sqlite:///{database_file}", "audit", "verify")
    assert status == 1 and "Traceback" not in output and "restore" in output


def test_a_database_locked_exclusively_by_another_program(database_file, short_busy_timeout, capsys):
    other = sqlite3.connect(database_file, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE clinic_settings SET name = 'held'")
    try:
        started = time.monotonic()
        error = _refused(f"sqlite:///{database_file}")
        assert time.monotonic() - started < 5
        assert "locked" in str(error) and "Close other MesoPlan windows" in str(error)
        status, output = _cli(capsys, "--database", f"sqlite:///{database_file}", "audit", "verify")
        assert status == 1 and "Traceback" not in output and "locked" in output
    finally:
        other.execute("ROLLBACK")
        other.close()
    open_database(f"sqlite:///{database_file}").dispose()  # usable again once released


def test_a_writer_holding_the_lock_is_reported_at_start_and_at_save(database_file, actor, short_busy_timeout):
    database = open_database(f"sqlite:///{database_file}")
    other = sqlite3.connect(database_file, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseUnavailable, match="locked"):
            open_database(f"sqlite:///{database_file}")
        with pytest.raises(DatabaseUnavailable, match="Another program is holding the database"):
            with work(database, actor) as uow:
                create_patient(uow, PatientInput("Waits"))
    finally:
        other.execute("ROLLBACK")
        other.close()
        database.dispose()


def test_a_database_from_a_newer_mesoplan(database_file):
    with sqlite3.connect(database_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    error = _refused(f"sqlite:///{database_file}")
    assert "made by a newer version of MesoPlan" in str(error)


def test_a_database_of_another_program(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    error = _refused(f"sqlite:///{path}")
    assert "not made by MesoPlan" in str(error)


def test_an_unusable_address(capsys, tmp_path):
    assert "Check the address" in str(_refused("nonsense://nowhere"))
    error = _refused("postgresql+psycopg://nobody:secret@127.0.0.1:1/clinic")
    assert "server is running" in str(error) and "secret" not in str(error)
    status, output = _cli(capsys, "--database", f"sqlite:///{tmp_path}", "audit", "verify")
    assert status == 1 and "Traceback" not in output and "cannot be used" in output


def test_a_new_database_and_its_folder_are_owner_only(tmp_path, actor):
    path = tmp_path / "new folder" / "deeper" / "clinic.sqlite3"
    database = open_database(f"sqlite:///{path}", seed=False)
    try:
        with work(database, actor) as uow:
            create_patient(uow, PatientInput("Owner"))
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()}
    finally:
        database.dispose()
    assert modes["clinic.sqlite3"] == 0o600
    assert all(mode == 0o600 for mode in modes.values()), modes
    for folder in (path.parent, path.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_start_up_check_gives_up_on_time_without_failing(sqlite_db):
    assert sqlite_db.startup_check.finished and sqlite_db.startup_check.problems == ()
    big = sqlite3.connect(":memory:")
    big.execute("CREATE TABLE t AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                "LIMIT 200000) SELECT x, randomblob(64) AS b FROM c")
    big.execute("CREATE INDEX t_b ON t (b)")
    check = quick_check_within(big, 0.01)
    assert check.finished is False and check.problems == () and check.seconds < 1
    assert big.execute("SELECT count(*) FROM t").fetchone() == (200000,)  # still usable
    assert quick_check_within(big, 30).finished is True


def test_a_damaged_index_is_found_at_start(database_file):
    with sqlite3.connect(database_file) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master "
                                  "WHERE name = 'ix_patient_sort'").fetchone()[0]
    with open(database_file, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xee" * page_size)
    error = _refused(f"sqlite:///{database_file}")
    assert "the file is damaged" in str(error) and "mesoplan restore FILE" in str(error)
    assert Path(database_file).exists()


@pytest.mark.parametrize("required, outcome", [("", "1 skipped"), ("1", "1 error")])
def test_postgres_variants_skip_or_fail_when_no_server_can_be_had(tmp_path, required, outcome):
    """No URL and no server binaries: skipped with the reason, or an error when PostgreSQL is required."""
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if not k.startswith("MESOPLAN_")}
    environment.update(MESOPLAN_TEST_POSTGRES_BINARIES=str(tmp_path / "none"),
                       MESOPLAN_REQUIRE_POSTGRES=required)
    tests = Path(__file__).parent
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rse", "-p", "no:cacheprovider",
         f"{tests / 'test_backups.py'}::test_postgres_backup_runs_pg_dump"],
        cwd=tests.parent, env=environment, capture_output=True, text=True, timeout=120)
    assert outcome in done.stdout, done.stdout
    assert "no PostgreSQL server binaries were found" in done.stdout
    if required:
        assert done.returncode != 0 and "PostgreSQL is required (MESOPLAN_REQUIRE_POSTGRES=1)" in done.stdout
    else:
        assert done.returncode == 0
