"""Where MesoPlan keeps its data, and which database it opens.

The default is a SQLite file in the platform's user data folder; ``--database URL`` or the
``MESOPLAN_DATABASE_URL`` environment variable selects another (for example a clinic's PostgreSQL).
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

APP_NAME = "MesoPlan"
APP_AUTHOR = "MesoPlan"
DATABASE_ENV = "MESOPLAN_DATABASE_URL"
DATA_DIR_ENV = "MESOPLAN_DATA_DIR"


def data_dir() -> Path:
    """The folder for the default database and its backups (created owner-only if missing)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'mesoplan.sqlite3'}"


def database_url(explicit: str | None = None) -> str:
    """The URL to open: the explicit one, else the environment's, else the default SQLite file."""
    return explicit or os.environ.get(DATABASE_ENV) or default_database_url()


def resource(*parts: str) -> Traversable:
    """A file or folder shipped in ``resources/`` (works from a wheel as well as a checkout)."""
    node = resources.files("mesoplan.resources")
    for part in parts:
        node = node / part
    return node


def read_resource_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")
