"""Schema upgrades with Alembic, run at start-up; the database file is copied aside first.

Alembic is only imported when the stamped revision differs from ``SCHEMA_HEAD``, so an
up-to-date database costs nothing at start-up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mesoplan.errors import DatabaseUnavailable


def alembic_config(database=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "mesoplan.db:migrations")
    if database is not None:
        config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> set[str]:
    """Every schema revision this version of MesoPlan can open (and upgrade from)."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def copy_aside_before_upgrade(database, revision: str) -> Path | None:
    """Keep a consistent copy of a SQLite database before its schema is changed."""
    source = database.sqlite_path
    if source is None or not source.exists() or source.stat().st_size == 0:
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = source.with_name(f"{source.stem}.before-upgrade-from-{revision}-{stamp}{source.suffix}")
    from mesoplan.backup import sqlite_online_copy

    sqlite_online_copy(source, target)
    return target


def upgrade(database, revision: str | None) -> None:
    """Bring the schema from ``revision`` (None: empty database) to the newest one."""
    if revision == "unversioned":
        raise DatabaseUnavailable(
            database.describe(),
            "it holds tables that were not made by MesoPlan",
            "Choose an empty database or a MesoPlan database.",
        )
    if revision is not None and revision not in known_revisions():
        raise DatabaseUnavailable(
            database.describe(),
            f"its schema revision '{revision}' was made by a newer version of MesoPlan",
            "Install the newer MesoPlan, or open another database.",
        )
    if revision is not None:
        copy_aside_before_upgrade(database, revision)
    from alembic import command

    config = alembic_config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
