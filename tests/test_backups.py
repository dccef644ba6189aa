"""Backups: rolling copies and pruning, owner-only files, copies during writes, restore and its checks."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import threading
import types
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mesoplan.access import Actor, Role
from mesoplan.db.engine import open_database
from mesoplan.db.models import AuditEntry, Patient
from mesoplan.errors import DatabaseUnavailable, MesoPlanError, PermissionDenied, ValidationError
from mesoplan.services import backups
from mesoplan.services.audit import chain_report
from mesoplan.services.backups import (
    BackupFailed,
    backup_folder,
    backup_if_due,
    backup_to_file,
    dump_postgres,
    list_rolling_backups,
    make_rolling_backup,
    restore_backup,
)
from mesoplan.services.integrity import check_database, check_database_file
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.services.uow import work
from mesoplan.services.users import update_safety_settings

T0 = dt.datetime(2025, 3, 1, 9, 0)


def _files(folder: Path) -> list[str]:
    """The files in a folder, without the -wal/-shm files any reader of a database makes."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _add_patients(db, actor, names) -> None:
    for name in names:
        with work(db, actor) as uow:
            create_patient(uow, PatientInput(name))


def _patients_in(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [r[0] for r in connection.execute("SELECT family_name FROM patient ORDER BY id")]


def test_rolling_backups_are_checked_owner_only_and_pruned(sqlite_db, actor):
    _add_patients(sqlite_db, actor, ["Nowak"])
    made = [make_rolling_backup(sqlite_db, keep=3, now=T0 + dt.timedelta(hours=h)) for h in range(5)]
    kept = list_rolling_backups(sqlite_db)
    assert [b.path for b in kept] == [m.path for m in reversed(made)][:3]
    assert made[3].pruned == (made[0].path,) and made[4].pruned == (made[1].path,)
    folder = backup_folder(sqlite_db)
    assert folder == sqlite_db.sqlite_path.parent / "backups"
    assert _mode(folder) == 0o700
    for backup in kept:
        assert _mode(backup.path) == 0o600
        assert _patients_in(backup.path) == ["Nowak"]
        assert not Path(str(backup.path) + "-wal").exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(b.path.name for b in kept)


def test_backup_if_due_follows_the_interval_and_the_start_gap(sqlite_db, actor):
    with work(sqlite_db, actor) as uow:
        update_safety_settings(uow, backup_interval_minutes=60, backup_keep=5)
    first = backup_if_due(sqlite_db, at_start=True, now=T0)
    assert first is not None
    assert backup_if_due(sqlite_db, at_start=True, now=T0 + dt.timedelta(minutes=5)) is None
    assert backup_if_due(sqlite_db, now=T0 + dt.timedelta(minutes=59)) is None
    assert backup_if_due(sqlite_db, now=T0 + dt.timedelta(minutes=61)) is not None
    assert backup_if_due(sqlite_db, at_start=True, now=T0 + dt.timedelta(minutes=75)) is not None
    assert len(list_rolling_backups(sqlite_db)) == 3


def test_backups_taken_during_writes_are_consistent(sqlite_db, actor):
    """Copies made while another thread keeps saving are sound and hold whole saves only."""
    stop = threading.Event()
    committed: list[int] = []

    def keep_saving() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            with work(sqlite_db, actor) as uow:
                create_patient(uow, PatientInput(f"Writer{number}"))
            committed.append(number)

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        results = [make_rolling_backup(sqlite_db, keep=10, now=T0 + dt.timedelta(minutes=i))
                   for i in range(4)]
    finally:
        stop.set()
        writer.join()
    counts = []
    for result in results:
        check = check_database_file(result.path)
        assert check.usable and check.chain.ok, check
        names = _patients_in(result.path)
        assert names == [f"Writer{n}" for n in range(1, len(names) + 1)]
        counts.append(len(names))
    assert counts == sorted(counts) and counts[-1] <= len(committed)


def test_a_damaged_database_is_not_backed_up_and_old_backups_stay(tmp_path, sqlite_db, actor):
    _add_patients(sqlite_db, actor, [f"P{n}" for n in range(300)])
    good = make_rolling_backup(sqlite_db, keep=1, now=T0)
    path = sqlite_db.sqlite_path
    sqlite_db.dispose()
    _damage_index(path)
    damaged = open_database(f"sqlite:///{path}", check=False)
    try:
        with pytest.raises(BackupFailed, match="is damaged .*older backups were kept"):
            make_rolling_backup(damaged, keep=1, now=T0 + dt.timedelta(hours=1))
    finally:
        damaged.dispose()
    assert [b.path for b in list_rolling_backups(sqlite_db)] == [good.path]


def _damage_index(path: Path) -> None:
    """Overwrite an index's root page: the file still opens, but integrity_check fails."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master "
                                  "WHERE name = 'ix_patient_name_token_token'").fetchone()[0]
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)


def test_a_backup_on_demand_never_overwrites_and_is_audited(tmp_path, sqlite_db, actor, practitioner_actor):
    target = tmp_path / "elsewhere" / "copy.sqlite3"
    result = backup_to_file(sqlite_db, actor, target)
    assert result.path == target and _mode(target) == 0o600
    assert check_database_file(target).usable
    with pytest.raises(ValidationError, match="already exists"):
        backup_to_file(sqlite_db, actor, target)
    with pytest.raises(PermissionDenied, match="may not make or restore backups"):
        backup_to_file(sqlite_db, practitioner_actor, tmp_path / "other.sqlite3")
    with sqlite_db.sessions() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions == ["backup.create"]


def test_a_failed_copy_leaves_no_partial_file(tmp_path, sqlite_db, actor, monkeypatch):
    """The disk fills up half-way through a copy: no file under the target's name or beside it."""
    target = tmp_path / "copy.sqlite3"

    class DiskFullConnection:
        def __init__(self, *args, **kwargs):
            self._inner = sqlite3.connect(*args, **kwargs)

        def backup(self, destination, **kwargs):
            # Some pages are written, then the disk is full.
            self._inner.backup(getattr(destination, "_inner", destination), pages=1)
            raise sqlite3.OperationalError("database or disk is full")

        def __getattr__(self, name):
            return getattr(self._inner, name)

    fake_sqlite3 = types.SimpleNamespace(**{name: getattr(sqlite3, name) for name in dir(sqlite3)
                                            if not name.startswith("__")})
    fake_sqlite3.connect = DiskFullConnection
    monkeypatch.setattr("mesoplan.backup.sqlite3", fake_sqlite3)
    with pytest.raises(BackupFailed, match="disk is full"):
        backup_to_file(sqlite_db, actor, target)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("copy")] == []


def test_restore_replaces_the_database_and_keeps_the_old_one_aside(tmp_path, sqlite_db, actor):
    _add_patients(sqlite_db, actor, ["Before"])
    backup = backup_to_file(sqlite_db, actor, tmp_path / "saved.sqlite3").path
    _add_patients(sqlite_db, actor, ["After"])
    url = sqlite_db.url
    path = sqlite_db.sqlite_path
    sqlite_db.dispose()
    result = restore_backup(url, backup, actor)
    assert result.database == path and result.check.patients == 1 and result.check.chain.ok
    assert _patients_in(path) == ["Before"]
    assert _patients_in(result.kept_aside) == ["Before", "After"]
    assert result.kept_aside.name.startswith("clinic.before-restore-")
    assert _mode(path) == 0o600
    assert not path.with_name(path.name + ".restoring").exists()
    restored = open_database(url)
    try:
        with restored.sessions() as session:
            last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
            assert last.action == "backup.restore" and last.actor == actor.name
            assert chain_report(session).ok
    finally:
        restored.dispose()


def test_restore_is_refused_while_the_database_is_open(tmp_path, sqlite_db, actor):
    backup = backup_to_file(sqlite_db, actor, tmp_path / "saved.sqlite3").path
    _add_patients(sqlite_db, actor, ["Still here"])
    with sqlite_db.engine.connect() as conn:  # another window holding the database
        conn.exec_driver_sql("SELECT count(*) FROM patient").all()
        with pytest.raises(DatabaseUnavailable, match="open in MesoPlan or another program"):
            restore_backup(sqlite_db.url, backup, actor)
    with sqlite_db.sessions() as session:
        assert session.scalar(select(func.count(Patient.id))) == 1


def _make_foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(os.urandom(4096)), "is not a SQLite database"),
    (lambda p: p.write_text("id,name\n1,x\n"), "is not a SQLite database"),
    (_make_foreign_sqlite, "is not a MesoPlan database"),
    (lambda p: None, "does not exist"),
])
def test_restore_refuses_files_that_are_not_mesoplan_databases(tmp_path, sqlite_db, actor, make, message):
    candidate = tmp_path / "candidate.sqlite3"
    make(candidate)
    _add_patients(sqlite_db, actor, ["Kept"])
    url = sqlite_db.url
    sqlite_db.dispose()
    before = _files(sqlite_db.sqlite_path.parent)
    with pytest.raises(ValidationError, match=message):
        restore_backup(url, candidate, actor)
    assert _patients_in(sqlite_db.sqlite_path) == ["Kept"]
    assert _files(sqlite_db.sqlite_path.parent) == before


def test_restore_refuses_an_unknown_schema_revision_and_a_damaged_file(tmp_path, sqlite_db, actor):
    newer = backup_to_file(sqlite_db, actor, tmp_path / "newer.sqlite3").path
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    _add_patients(sqlite_db, actor, [f"P{n}" for n in range(300)])
    damaged = backup_to_file(sqlite_db, actor, tmp_path / "damaged.sqlite3").path
    _damage_index(damaged)
    url = sqlite_db.url
    sqlite_db.dispose()
    with pytest.raises(ValidationError, match="revision '9999', which this version of MesoPlan does not know"):
        restore_backup(url, newer, actor)
    with pytest.raises(ValidationError, match="is damaged: integrity_check says"):
        restore_backup(url, damaged, actor)
    assert len(_patients_in(sqlite_db.sqlite_path)) == 300


def test_restore_warns_when_the_backup_audit_chain_is_broken(tmp_path, sqlite_db, actor):
    _add_patients(sqlite_db, actor, ["A", "B"])
    backup = backup_to_file(sqlite_db, actor, tmp_path / "saved.sqlite3").path
    with sqlite3.connect(backup) as connection:
        connection.execute("UPDATE audit_entry SET summary = 'edited' WHERE id = 1")
    url = sqlite_db.url
    sqlite_db.dispose()
    result = restore_backup(url, backup, actor)
    assert result.check.warnings and "does not verify" in result.check.warnings[0]
    assert "broken at entry 1" in result.check.warnings[0]


def test_restore_replaces_a_damaged_database(tmp_path, sqlite_db, actor):
    backup = backup_to_file(sqlite_db, actor, tmp_path / "saved.sqlite3").path
    url, path = sqlite_db.url, sqlite_db.sqlite_path
    sqlite_db.dispose()
    path.write_bytes(os.urandom(8192))
    result = restore_backup(url, backup, actor)
    assert result.kept_aside is not None and result.kept_aside.read_bytes()[:16] != b"SQLite format 3\x00"
    database = open_database(url)
    try:
        assert check_database(database).ok
    finally:
        database.dispose()


def test_a_failed_restore_copy_changes_nothing(tmp_path, sqlite_db, actor, monkeypatch):
    backup = backup_to_file(sqlite_db, actor, tmp_path / "saved.sqlite3").path
    _add_patients(sqlite_db, actor, ["Current"])
    url, path = sqlite_db.url, sqlite_db.sqlite_path
    sqlite_db.dispose()

    def no_space(source, target):
        Path(str(target) + ".partial").write_bytes(b"SQLite format 3\x00 half")
        Path(str(target) + ".partial").unlink()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "sqlite_online_copy", no_space)
    with pytest.raises(BackupFailed, match="No space left on device.*Nothing was changed"):
        restore_backup(url, backup, actor)
    assert _patients_in(path) == ["Current"]
    assert [name for name in _files(path.parent) if "clinic" in name] == ["clinic.sqlite3"]


def test_restore_and_rolling_backups_are_for_sqlite_files(postgres_url, actor, tmp_path):
    with pytest.raises(MesoPlanError, match="is a database server: restore it there with pg_restore"):
        restore_backup(postgres_url, tmp_path / "x.dump", actor)
    database = open_database(postgres_url)
    try:
        assert backup_if_due(database, at_start=True) is None
        with pytest.raises(BackupFailed, match="pg_dump"):
            make_rolling_backup(database)
    finally:
        database.dispose()


def test_postgres_backup_runs_pg_dump(postgres_url, actor, tmp_path):
    database = open_database(postgres_url)
    try:
        result = backup_to_file(database, actor, tmp_path / "clinic.dump")
    finally:
        database.dispose()
    assert result.path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert _mode(result.path) == 0o600


def test_postgres_backup_explains_when_pg_dump_is_missing(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setattr(backups, "find_pg_dump", lambda: None)
    database = open_database(postgres_url)
    try:
        with pytest.raises(BackupFailed, match="pg_dump is not installed.*postgresql-client"):
            dump_postgres(database, tmp_path / "clinic.dump")
    finally:
        database.dispose()
    assert list(tmp_path.iterdir()) == []


def test_restore_needs_the_backup_permission(tmp_path, sqlite_db, actor):
    backup = backup_to_file(sqlite_db, actor, tmp_path / "saved.sqlite3").path
    desk = Actor("Desk", frozenset({Role.FRONT_DESK}))
    with pytest.raises(PermissionDenied):
        restore_backup(sqlite_db.url, backup, desk)


def test_backup_restore_and_check_commands(tmp_path, sqlite_db, actor, capsys):
    from mesoplan import cli

    url = ["--database", sqlite_db.url]
    _add_patients(sqlite_db, actor, ["Saved"])
    target = tmp_path / "saved.sqlite3"
    assert cli.main([*url, "backup", str(target)]) == 0
    assert f"Backup written to {target}" in capsys.readouterr().out
    assert cli.main([*url, "backup"]) == 0
    assert "backups" in capsys.readouterr().out and len(list_rolling_backups(sqlite_db)) == 1
    assert cli.main([*url, "check"]) == 0
    assert "sound" in capsys.readouterr().out
    path = sqlite_db.sqlite_path
    sqlite_db.dispose()
    path.write_bytes(b"\0" * 5000)  # the database is destroyed
    assert cli.main([*url, "check"]) == 1
    assert "cannot be used" in capsys.readouterr().err
    assert cli.main([*url, "restore", str(tmp_path / "missing.sqlite3")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert cli.main([*url, "restore", str(target)]) == 0
    out = capsys.readouterr()
    assert "Restored" in out.out and "kept as" in out.out and "restoring anyway" in out.err
    assert _patients_in(path) == ["Saved"]
    assert cli.main([*url, "audit", "verify"]) == 0
