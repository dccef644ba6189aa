"""``mesoplan backup [FILE]``, ``mesoplan restore FILE`` and ``mesoplan check``.

``backup FILE`` writes a checked copy (SQLite) or runs ``pg_dump`` (PostgreSQL); without FILE it
adds a rolling backup to the ``backups`` folder beside a SQLite database and prunes old ones.
``restore`` validates the file and keeps the current database aside before replacing it.
``check`` runs the full integrity check and verifies the audit trail.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from mesoplan.access import Permission, local_command_actor
from mesoplan.errors import DatabaseUnavailable
from mesoplan.services.backups import backup_to_file, make_rolling_backup, restore_backup
from mesoplan.services.integrity import check_database


def register(subparsers) -> None:
    backup = subparsers.add_parser(
        "backup", help="back up the database",
        description="With FILE: write a consistent, checked copy of a SQLite database to FILE "
        "(which must not exist), or for PostgreSQL run pg_dump --format=custom into FILE. "
        "Without FILE (SQLite): add a rolling backup to the 'backups' folder beside the "
        "database and delete the oldest beyond the clinic's setting.")
    backup.add_argument("file", type=Path, nargs="?", help="the backup file to write")
    backup.set_defaults(handler=run_backup)
    restore = subparsers.add_parser(
        "restore", help="replace the SQLite database by a backup",
        description="Check the backup (a MesoPlan SQLite database that passes integrity_check, "
        "with a known schema revision; a broken audit trail is reported), keep the current "
        "database aside as *.before-restore-<time>.sqlite3, then put the backup in its place. "
        "Close MesoPlan first.")
    restore.add_argument("file", type=Path, help="the backup file to restore")
    restore.set_defaults(handler=run_restore)
    check = subparsers.add_parser("check", help="full integrity check and audit trail verification")
    check.set_defaults(handler=run_check)


def run_backup(args, context) -> int:
    actor = context.actor
    if args.file is None:
        actor.require(Permission.MANAGE_BACKUPS)
        result = make_rolling_backup(context.database)
        print(f"Backup written to {result.path} ({result.size_bytes / 1e6:.1f} MB, "
              f"{result.seconds:.1f} s); {len(result.pruned)} old backup(s) deleted")
        return 0
    result = backup_to_file(context.database, actor, args.file)
    print(f"Backup written to {result.path} ({result.size_bytes / 1e6:.1f} MB, {result.seconds:.1f} s)")
    return 0


def run_restore(args, context) -> int:
    current = make_url(context.url)
    try:
        if current.get_backend_name() == "sqlite" and not Path(current.database or "").exists():
            actor = local_command_actor()  # nothing there yet: no accounts to check
        else:
            actor = context.actor
    except DatabaseUnavailable as exc:
        # A damaged database cannot check a sign-in. Whoever can replace the file may restore
        # it; the restore is recorded in the restored database under their system account.
        print(f"mesoplan: the current database cannot be opened ({exc.reason}); restoring anyway.",
              file=sys.stderr)
        actor = local_command_actor()
    context.close()  # the database must not be open while it is replaced
    result = restore_backup(context.url, args.file, actor)
    print(f"Restored {result.database} from {args.file} ({result.check.patients} patient(s), "
          f"schema {result.check.revision}).")
    if result.kept_aside:
        print(f"The previous database was kept as {result.kept_aside}")
    for warning in result.check.warnings:
        print(f"Warning: the backup's {warning}", file=sys.stderr)
    return 0


def run_check(args, context) -> int:
    context.actor.require(Permission.MANAGE_BACKUPS)
    report = check_database(context.database)
    if report.structure_problems:
        print("The database file is damaged: " + "; ".join(report.structure_problems))
    else:
        print("The database file is sound." if context.database.is_sqlite
              else "PostgreSQL checks its own files; the audit trail was verified.")
    print(report.chain.describe())
    return 0 if report.ok else 1
