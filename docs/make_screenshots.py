"""Take the README's screenshots from the real app on a fresh demo clinic (offscreen Qt).

    .venv/bin/python docs/make_screenshots.py [OUT_FOLDER]      (default: docs/screenshots)

Builds the demo clinic in a temporary folder, opens the main window at 1280×800 as the local
administrator and grabs the main screens to PNG. Not part of the test run.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(out: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QTabWidget

    from mesoplan.access import local_command_actor
    from mesoplan.db.engine import open_database
    from mesoplan.services.demo import make_demo_clinic
    from mesoplan.services.uow import work
    from mesoplan.ui.app import make_application
    from mesoplan.ui.context import AppContext
    from mesoplan.ui.main_window import MainWindow
    from mesoplan.ui.navigation import OpenCatalog, OpenFrontDesk, OpenPatient, OpenPlan
    from mesoplan.ui.tasks import TaskRunner

    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="mesoplan-shots-"))
    app = make_application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
    TaskRunner.synchronous = True
    database = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    actor = local_command_actor()
    with work(database, actor) as uow:
        make_demo_clinic(uow)
    ctx = AppContext(database, actor)
    window = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def snap(name: str, widget=None) -> None:
        settle()
        (widget or window).grab().save(str(out / f"{name}.png"))
        print(f"wrote {out / name}.png")

    ctx.open(OpenFrontDesk())
    snap("front-desk")
    ctx.open(OpenPatient(1))
    snap("patient")
    ctx.open(OpenPlan(3))
    page = window.current_page()
    tabs = page.findChild(QTabWidget, "planEditorTabs")
    snap("plan")
    tabs.setCurrentIndex(1)
    snap("plan-cocktail")
    tabs.setCurrentIndex(2)
    page.sessions_panel.table.selectRow(2)
    snap("plan-sessions")
    ctx.open(OpenPlan(11))
    window.current_page().findChild(QTabWidget, "planEditorTabs").setCurrentIndex(0)
    snap("plan-blocked")
    ctx.open(OpenCatalog())
    snap("catalog")
    from mesoplan.ui.documents.preview import show_document

    dialog = show_document(ctx, 3, "consent", window)
    dialog.resize(900, 760)
    deadline = time.monotonic() + 3  # QPdfView renders its pages on a thread of its own
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    snap("consent-preview", dialog)
    dialog.close()
    window.close()
    database.dispose()
    QApplication.processEvents()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "screenshots")
