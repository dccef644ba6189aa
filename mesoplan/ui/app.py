"""Starting the application: Qt set-up, opening the database, sign-in, then the main window.

A database that cannot be opened gets a clear message box (and exit code 1), never a traceback.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from mesoplan import __version__
from mesoplan.errors import MesoPlanError


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName("MesoPlan")
    QCoreApplication.setApplicationName("MesoPlan")
    QCoreApplication.setApplicationVersion(__version__)
    from mesoplan.ui.style import apply_style

    apply_style(app)
    return app


def run_app(database_url: str) -> int:
    app = make_application()
    from mesoplan.db.engine import open_database

    try:
        database = open_database(database_url)
    except MesoPlanError as exc:
        QMessageBox.critical(None, "MesoPlan cannot open its database", str(exc))
        return 1
    from mesoplan.ui.sign_in import obtain_actor

    actor = obtain_actor(database)
    if actor is None:
        database.dispose()
        return 0
    from mesoplan.ui.context import AppContext
    from mesoplan.ui.main_window import MainWindow

    ctx = AppContext(database, actor)
    window = MainWindow(ctx)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.tasks.wait()
        database.dispose()
