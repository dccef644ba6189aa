"""The layers stay apart: everything outside mesoplan/ui imports without Qt, the pure domain
modules import without SQLAlchemy too, and no screen module talks to SQLAlchemy directly."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "mesoplan"

# Modules that cannot be imported on their own for reasons unrelated to layering.
NOT_IMPORTABLE_ALONE = {
    "mesoplan.__main__",             # runs the command line when imported
    "mesoplan.db.migrations.env",    # Alembic's script: only runs inside an Alembic command
}
# The pure domain: neither Qt nor the database (services, db and commands may use SQLAlchemy).
DOMAIN = ("mesoplan.access", "mesoplan.audit_chain", "mesoplan.catalog", "mesoplan.cocktail",
          "mesoplan.documents", "mesoplan.errors", "mesoplan.evaluation", "mesoplan.exchange",
          "mesoplan.paths", "mesoplan.plan", "mesoplan.safety", "mesoplan.schedule",
          "mesoplan.screening", "mesoplan.text", "mesoplan.units", "mesoplan.vocabulary",
          "mesoplan.safe_json", "mesoplan.spreadsheet", "mesoplan.errorlog")

_IMPORT_ALL = r"""
import importlib, importlib.abc, pkgutil, sys

blocked = set(sys.argv[1].split(","))
wanted = tuple(sys.argv[2].split(",")) if sys.argv[2] else ()
skipped = set(sys.argv[3].split(","))


class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"{name} is blocked by the layering test", name=name)
        return None


sys.meta_path.insert(0, Block())
import mesoplan

failures = []
count = 0
for info in pkgutil.walk_packages(mesoplan.__path__, "mesoplan."):
    name = info.name
    if name in skipped or name == "mesoplan.ui" or name.startswith("mesoplan.ui."):
        continue
    if wanted and not any(name == w or name.startswith(w + ".") for w in wanted):
        continue
    count += 1
    try:
        importlib.import_module(name)
    except BaseException as exc:
        failures.append(f"{name}: {type(exc).__name__}: {exc}")
print(count)
print("\n".join(failures))
"""


def _import_everything(blocked: tuple[str, ...], wanted: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, ",".join(blocked), ",".join(wanted),
         ",".join(sorted(NOT_IMPORTABLE_ALONE))],
        capture_output=True, text=True, timeout=120, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    return int(lines[0]), [line for line in lines[1:] if line.strip()]


def test_every_module_outside_the_ui_imports_without_qt():
    count, failures = _import_everything(("PySide6", "shiboken6"))
    assert count > 40
    assert failures == []


def test_domain_modules_import_without_qt_or_the_database():
    count, failures = _import_everything(("PySide6", "shiboken6", "sqlalchemy", "alembic", "psycopg"),
                                         DOMAIN)
    assert count >= len(DOMAIN)
    assert failures == []


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_screen_module_imports_sqlalchemy():
    files = sorted((PACKAGE / "ui").rglob("*.py"))
    assert len(files) > 10
    offenders = [f"{path.relative_to(PACKAGE.parent)} imports {name}"
                 for path in files for name in sorted(_imported_modules(path))
                 if name == "sqlalchemy" or name.startswith("sqlalchemy.")]
    assert offenders == []


def test_the_import_check_notices_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from sqlalchemy.orm import Session\n    import os\n")
    assert {"sqlalchemy.orm", "os"} <= _imported_modules(sample)
