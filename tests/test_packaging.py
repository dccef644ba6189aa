"""Packaging: every package and data file ships in the wheel, and the schema matches its migrations."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def declared_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_package_folder_is_declared():
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "mesoplan").rglob("__init__.py")}
    assert found | {"mesoplan.resources"} == declared_packages()


def test_the_wheel_holds_code_migrations_and_every_resource(tmp_path):
    # Built from a clean copy: setuptools leaves a build/ folder behind in the tree it builds.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "bench"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path),
                    str(source)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("mesoplan-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    resources = {f"mesoplan/resources/{p.relative_to(ROOT / 'resources').as_posix()}"
                 for p in (ROOT / "resources").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert resources <= names, sorted(resources - names)
    migrations = {f"mesoplan/db/migrations/versions/{p.name}"
                  for p in (ROOT / "mesoplan/db/migrations/versions").glob("*.py")}
    assert migrations <= names
    assert {"mesoplan/db/migrations/env.py", "mesoplan/db/migrations/script.py.mako",
            "mesoplan/cli.py", "mesoplan/ui/app.py"} <= names
    assert not any(name.startswith("tests/") for name in names)


def test_schema_head_constant_matches_alembic():
    from mesoplan.db.migrate import head_revision
    from mesoplan.db.schema import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD


def test_a_migrated_empty_database_matches_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from mesoplan.db.engine import open_database
    from mesoplan.db.models import Base

    database = open_database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", seed=False)
    try:
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        database.dispose()


def test_an_upgrade_copies_the_old_database_aside_first(tmp_path, db, actor):
    from mesoplan.db.migrate import copy_aside_before_upgrade

    if db.sqlite_path is None:
        return  # PostgreSQL databases are backed up with pg_dump, not by copying a file
    copy = copy_aside_before_upgrade(db, "0000")
    assert copy is not None and copy.exists() and copy != db.sqlite_path
    import sqlite3

    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM ingredient").fetchone()[0] > 50
