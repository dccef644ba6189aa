"""Backups (service layer): rolling copies on a schedule, a copy on demand, and restore.

Rolling backups live in a ``backups`` folder beside a SQLite database (0700, files 0600) and are
named ``<stem>-auto-<UTC time>.sqlite3``; the newest ``ClinicSettings.backup_keep`` are kept. The
window's timer calls ``backup_if_due`` (at start, then every few minutes); it copies with SQLite's
online backup API, so people keep working meanwhile, and runs the full ``integrity_check`` on the
copy, which is how damage in a large database is found without slowing start-up. A copy that
fails the check is deleted and the older backups are left alone.

PostgreSQL databases are backed up with ``pg_dump`` (see ``dump_postgres``); restoring them is
the server administrator's job (``pg_restore``), so ``restore_backup`` only handles SQLite.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from mesoplan.access import Actor, Permission, nobody
from mesoplan.backup import file_integrity_problems, fsync_folder, new_partial_file, sqlite_online_copy
from mesoplan.db.engine import Database, open_database
from mesoplan.errors import DatabaseUnavailable, MesoPlanError, Problem, ValidationError
from mesoplan.services.integrity import FileCheck, check_database_file
from mesoplan.services.uow import read, work
from mesoplan.services.users import SafetySettings, get_safety_settings

BACKUP_FOLDER = "backups"
START_GAP = dt.timedelta(minutes=10)
"""At start, no new backup if the newest is younger than this (restarting ten times keeps history)."""
_STAMP = "%Y%m%dT%H%M%S%fZ"


class BackupFailed(MesoPlanError):
    """A backup could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: dt.datetime
    """UTC, from the file name."""
    size_bytes: int


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    seconds: float
    pruned: tuple[Path, ...] = ()


def _sqlite_path(database: Database) -> Path:
    path = database.sqlite_path
    if path is None:
        raise BackupFailed(
            f"{database.describe()} is a database server, not a file: back it up with pg_dump "
            "('mesoplan backup FILE' runs it for you when it is installed).")
    return path


def backup_folder(database: Database) -> Path:
    """Where the rolling backups of this SQLite database are kept."""
    return _sqlite_path(database).parent / BACKUP_FOLDER


def _pattern(database: Database) -> re.Pattern[str]:
    stem = re.escape(_sqlite_path(database).stem)
    return re.compile(rf"^{stem}-auto-(\d{{8}}T\d{{12}}Z)\.sqlite3$")


def list_rolling_backups(database: Database) -> list[BackupFile]:
    """The rolling backups of this database, newest first."""
    folder = backup_folder(database)
    if not folder.is_dir():
        return []
    pattern = _pattern(database)
    found = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_file():
            made_at = dt.datetime.strptime(match.group(1), _STAMP)
            found.append(BackupFile(entry, made_at, entry.stat().st_size))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def _copy_and_check(source: Path, target: Path) -> BackupResult:
    started = time.monotonic()
    try:
        sqlite_online_copy(source, target)
    except Exception as exc:  # sqlite3 or OS errors: disk full, damaged pages, permissions
        raise BackupFailed(f"The backup to {target} could not be written: {exc}") from exc
    damage = file_integrity_problems(target, full=True)
    if damage:
        target.unlink(missing_ok=True)
        raise BackupFailed(
            f"The database {source} is damaged ({'; '.join(damage[:3])}), so no backup was made "
            "and the older backups were kept. Restore the newest good backup with "
            "'mesoplan restore FILE'.")
    return BackupResult(target, target.stat().st_size, time.monotonic() - started)


def make_rolling_backup(database: Database, *, keep: int | None = None,
                        now: dt.datetime | None = None) -> BackupResult:
    """Copy the database into the backups folder now and prune the oldest beyond ``keep``."""
    source = _sqlite_path(database)
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    target = backup_folder(database) / f"{source.stem}-auto-{now.strftime(_STAMP)}.sqlite3"
    result = _copy_and_check(source, target)
    if keep is None:
        keep = _settings(database).backup_keep
    pruned = prune_rolling_backups(database, keep)
    return BackupResult(result.path, result.size_bytes, result.seconds, tuple(pruned))


def prune_rolling_backups(database: Database, keep: int) -> list[Path]:
    """Delete the rolling backups beyond the newest ``keep``; returns what was deleted."""
    old = list_rolling_backups(database)[max(1, keep):]
    for backup in old:
        backup.path.unlink(missing_ok=True)
    return [b.path for b in old]


def _settings(database: Database) -> SafetySettings:
    with read(database, nobody()) as uow:
        return get_safety_settings(uow)


def backup_if_due(database: Database, *, at_start: bool = False,
                  now: dt.datetime | None = None) -> BackupResult | None:
    """Make a rolling backup when one is due; None when not due or not a SQLite file.

    Due at start unless the newest backup is younger than ``START_GAP``; otherwise due when the
    newest is older than ``ClinicSettings.backup_interval_minutes``.
    """
    if database.sqlite_path is None:
        return None
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    settings = _settings(database)
    backups = list_rolling_backups(database)
    gap = START_GAP if at_start else dt.timedelta(minutes=settings.backup_interval_minutes)
    if backups and now - backups[0].made_at < gap:
        return None
    return make_rolling_backup(database, keep=settings.backup_keep, now=now)


def backup_to_file(database: Database, actor: Actor, target: Path) -> BackupResult:
    """A backup on demand to ``target`` (never overwritten); recorded in the audit trail."""
    actor.require(Permission.MANAGE_BACKUPS)
    target = Path(target)
    if target.exists():
        raise ValidationError([Problem(str(target), "already exists; choose a new file name")])
    if database.sqlite_path is None:
        result = dump_postgres(database, target)
    else:
        result = _copy_and_check(database.sqlite_path, target)
    with work(database, actor) as uow:
        uow.audit("backup.create", "database", "", f"Backup written to {target}",
                  after={"file": str(target), "bytes": result.size_bytes})
    return result


# --- restore -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    kept_aside: Path | None
    """The database as it was before the restore (None when there was none)."""
    check: FileCheck


def restore_backup(database_url: str, source: Path, actor: Actor) -> RestoreResult:
    """Replace the SQLite database at ``database_url`` by the backup ``source``.

    The backup must pass ``check_database_file`` (a broken audit chain is only a warning, in the
    result). The current file is kept aside as ``<stem>.before-restore-<time>.sqlite3``, and the
    new one is renamed into place in one step, so the database path always holds a whole file.
    MesoPlan must not have the database open meanwhile. Recorded in the restored database.
    """
    actor.require(Permission.MANAGE_BACKUPS)
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise MesoPlanError(
            f"{url.render_as_string(hide_password=True)} is a database server: restore it there "
            "with pg_restore (e.g. pg_restore --clean --if-exists --dbname=DBNAME FILE.dump), "
            "with every MesoPlan window closed.")
    target, source = Path(url.database), Path(source)
    if target.exists() and source.exists() and source.resolve() == target.resolve():
        raise ValidationError([Problem(str(source), "is the database itself; choose a backup")])
    check = check_database_file(source)
    if not check.usable:
        raise ValidationError([Problem("", problem) for problem in check.problems]
                              + [Problem("", "Nothing was changed.")])
    staged = target.with_name(target.name + ".restoring")
    try:
        sqlite_online_copy(source, staged)
    except (sqlite3.Error, OSError) as exc:
        raise BackupFailed(f"{source} could not be copied beside the database: {exc}. "
                           "Nothing was changed.") from exc
    try:
        aside = _set_aside(target)
        os.replace(staged, target)
        fsync_folder(target.parent)
    finally:
        staged.unlink(missing_ok=True)
    database = open_database(database_url)
    try:
        note = f"; warning: {check.warnings[0]}" if check.warnings else ""
        with work(database, actor) as uow:
            uow.audit("backup.restore", "database", "", f"Restored from {source}{note}",
                      after={"file": str(source), "revision": check.revision,
                             "kept_aside": str(aside) if aside else None,
                             "audit_chain_ok": check.chain.ok if check.chain else None})
    finally:
        database.dispose()
    return RestoreResult(target, aside, check)


def _set_aside(target: Path) -> Path | None:
    """Keep the current database under a new name (a hard link, so the path stays filled).

    Switching it to rollback-journal mode merges its WAL into the file and fails if anyone else
    has it open, which is how a database still in use is detected. A file too damaged to open
    is set aside as it is, with its WAL.
    """
    if not target.exists() or target.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(target, timeout=1.0, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=DELETE").fetchall()
        finally:
            connection.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseUnavailable(str(target), "it is open in MesoPlan or another program",
                                      "Close every MesoPlan window using it, then restore again. "
                                      "Nothing was changed.") from exc
    except sqlite3.DatabaseError:
        pass  # damaged: kept aside as it is
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
    try:
        os.link(target, aside)
    except OSError:
        shutil.copy2(target, aside)
    for suffix in ("-wal", "-journal"):
        companion = target.with_name(target.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    target.with_name(target.name + "-shm").unlink(missing_ok=True)
    return aside


# --- PostgreSQL ----------------------------------------------------------------------------------


def find_pg_dump() -> Path | None:
    """pg_dump on the PATH, else the newest in /usr/lib/postgresql/*/bin."""
    found = shutil.which("pg_dump")
    if found:
        return Path(found)
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))
    return candidates[-1] if candidates else None


def dump_postgres(database: Database, target: Path) -> BackupResult:
    """``pg_dump --format=custom`` of the clinic database into ``target`` (0600), via a partial file."""
    pg_dump = find_pg_dump()
    if pg_dump is None:
        raise BackupFailed(
            "pg_dump is not installed on this computer. Install the PostgreSQL client tools "
            "(Debian/Ubuntu: postgresql-client), or back up on the server: "
            "pg_dump --format=custom --file=clinic.dump DBNAME")
    url = make_url(database.url)
    environment = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            environment[key] = str(value)
    started = time.monotonic()
    partial = new_partial_file(target)
    try:
        done = subprocess.run([str(pg_dump), "--format=custom", "--no-password", f"--file={partial}"],
                              env=environment, capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            raise BackupFailed(f"pg_dump failed: {done.stderr.strip() or done.returncode}")
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size, time.monotonic() - started)
