"""Is this database sound? Full checks of the open database and of a backup file (service layer).

Start-up only runs a time-limited ``quick_check`` (see ``mesoplan.db.engine``); the full
``integrity_check`` runs on every backup copy and in ``check_database``. A backup file is
accepted for restore only if it is a SQLite file, passes ``integrity_check``, holds MesoPlan's
tables and a schema revision this version knows; a broken audit chain is reported as a warning.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.orm import Session

from mesoplan.audit_chain import ChainReport
from mesoplan.backup import (
    file_integrity_problems,
    integrity_problems,
    looks_like_sqlite,
    read_only_uri,
)
from mesoplan.db.engine import Database
from mesoplan.db.migrate import known_revisions
from mesoplan.db.models import Patient
from mesoplan.services.audit import chain_report

REQUIRED_TABLES = ("alembic_version", "patient", "audit_entry", "audit_head", "app_user")


@dataclass(frozen=True)
class FileCheck:
    """What a database file holds and whether it can be restored."""

    path: Path
    problems: tuple[str, ...]
    """Reasons it cannot be used; empty when it can."""
    revision: str | None = None
    patients: int = 0
    chain: ChainReport | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def usable(self) -> bool:
        return not self.problems


def check_database_file(path: Path) -> FileCheck:
    """Validate a SQLite file as a MesoPlan database (opened read-only; nothing is changed)."""
    path = Path(path)
    if not path.is_file():
        return FileCheck(path, (f"{path} does not exist or is not a file",))
    if not looks_like_sqlite(path):
        return FileCheck(path, (f"{path} is not a SQLite database (its first bytes are not "
                                "SQLite's header)",))
    try:
        damage = file_integrity_problems(path, full=True)
    except sqlite3.DatabaseError as exc:
        return FileCheck(path, (f"{path} cannot be read as a database: {exc}",))
    if damage:
        return FileCheck(path, (f"{path} is damaged: integrity_check says {'; '.join(damage[:3])}",))
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(read_only_uri(path), uri=True))
    try:
        with Session(engine) as session:
            tables = set(inspect(session.connection()).get_table_names())
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                return FileCheck(path, (f"{path} is not a MesoPlan database (no "
                                        f"{', '.join(missing)} table)",))
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if revision not in known_revisions():
                return FileCheck(path, (f"{path} has schema revision '{revision}', which this "
                                        "version of MesoPlan does not know (made by a newer "
                                        "version?)",), revision)
            patients = session.scalar(select(func.count(Patient.id))) or 0
            chain = chain_report(session)
    except sqlite3.DatabaseError as exc:
        return FileCheck(path, (f"{path} cannot be read as a MesoPlan database: {exc}",))
    finally:
        engine.dispose()
    warnings = () if chain.ok else (f"its audit trail does not verify: {chain.describe()}",)
    return FileCheck(path, (), revision, patients, chain, warnings)


@dataclass(frozen=True)
class DatabaseCheck:
    """The full check of the open database: file structure (SQLite) and audit chain."""

    structure_problems: tuple[str, ...]
    chain: ChainReport

    @property
    def ok(self) -> bool:
        return not self.structure_problems and self.chain.ok


def check_database(database: Database) -> DatabaseCheck:
    """Full ``integrity_check`` (SQLite) and audit chain walk; may take seconds on a large file."""
    problems: tuple[str, ...] = ()
    if database.is_sqlite:
        raw = database.engine.raw_connection()
        try:
            problems = tuple(integrity_problems(raw.driver_connection, full=True))
        finally:
            raw.close()
    with database.sessions() as session:
        chain = chain_report(session)
    return DatabaseCheck(problems, chain)
