"""Starting the application: Qt set-up, opening the database, sign-in, then the main window.

A database that cannot be opened gets a clear message box (and exit code 1), never a traceback.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from mesoplan import __version__, errorlog
from mesoplan.errors import MesoPlanError


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName("MesoPlan")
    QCoreApplication.setApplicationName("MesoPlan")
    QCoreApplication.setApplicationVersion(__version__)
    from mesoplan.ui.style import apply_style

    apply_style(app)
    return app


def install_exception_hook() -> None:
    """Report a failure inside a button's handler in a message box naming the log file (written
    by ``mesoplan.errorlog``, without the exception's message), never a traceback on stderr."""
    previous = sys.excepthook
    errorlog.install_logging()

    def report(kind, exc, trace) -> None:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            previous(kind, exc, trace)
            return
        from mesoplan.ui import messages

        try:
            messages.show_error(QApplication.activeWindow(), "Something went wrong", exc)
        except Exception:  # noqa: BLE001 - never fail while reporting a failure
            errorlog.record(exc, "Something went wrong")

    sys.excepthook = report


def _obtain_actor(database):
    """Who uses the window: the sign-in screen's answer (None when the person gave up)."""
    from mesoplan.ui.sign_in import obtain_actor

    return obtain_actor(database)


def run_app(database_url: str) -> int:
    app = make_application()
    from mesoplan.db.engine import open_database

    try:
        # The quick check of the file runs in the background once the window is up
        # (window_extras), so a big database does not hold up start-up.
        database = open_database(database_url, check=False)
    except MesoPlanError as exc:
        QMessageBox.critical(None, "MesoPlan cannot open its database", str(exc))
        return 1
    actor = _obtain_actor(database)
    if actor is None:
        database.dispose()
        return 0
    from mesoplan.ui.context import AppContext
    from mesoplan.ui.main_window import MainWindow

    ctx = AppContext(database, actor)
    install_exception_hook()
    window = MainWindow(ctx)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.tasks.wait()
        database.dispose()
