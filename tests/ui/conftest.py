"""Fixtures for screen tests: a QApplication with MesoPlan's style, an AppContext on a fresh database,
background tasks run inline, QSettings in a temporary folder and dialogs that answer themselves."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_qsettings(tmp_path, qapp):
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("MesoPlanTests")
    QCoreApplication.setApplicationName("MesoPlanTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    yield


@pytest.fixture(scope="session")
def qapp_cls():
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture(autouse=True)
def styled_app(qapp):
    from mesoplan.ui.style import apply_style

    apply_style(qapp)
    return qapp


@pytest.fixture
def db(sqlite_db):
    """Screens run on SQLite only; the services under them are tested on PostgreSQL as well."""
    return sqlite_db


@pytest.fixture
def ctx(db, actor):
    from mesoplan.ui.context import AppContext
    from mesoplan.ui.tasks import TaskRunner

    TaskRunner.synchronous = True
    context = AppContext(db, actor)
    yield context
    TaskRunner.synchronous = False


class Messages:
    """Records what would have been shown in message boxes; ``answers`` feeds confirm()."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.confirmations: list[str] = []
        self.answers: list[bool] = []

    def show_error(self, parent, title, exc) -> None:
        from mesoplan.ui.messages import describe

        text = exc if isinstance(exc, str) else describe(exc)[0]
        self.errors.append((title, text))

    def confirm(self, parent, title, text, *args, **kwargs) -> bool:
        self.confirmations.append(text)
        return self.answers.pop(0) if self.answers else True


@pytest.fixture
def messages(monkeypatch):
    """Replace message boxes everywhere they were imported (``from mesoplan.ui.messages import ...``)."""
    import sys

    recorder = Messages()
    for name, module in list(sys.modules.items()):
        if name.startswith("mesoplan.ui") and module is not None:
            if hasattr(module, "show_error"):
                monkeypatch.setattr(module, "show_error", recorder.show_error)
            if hasattr(module, "confirm"):
                monkeypatch.setattr(module, "confirm", recorder.confirm)
    return recorder
