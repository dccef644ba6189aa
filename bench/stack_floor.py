"""Child process for a second start-up reference: the least a PySide6 + SQLAlchemy app can do.

Usage: ``python bench/stack_floor.py DATABASE_URL``. Imports Qt's widgets and SQLAlchemy's ORM,
opens the database, reads the first 200 patients in name order into a list widget, shows it and
prints ``READY`` once drawn, then ``RSS <kilobytes>``. It shows how much of MesoPlan's start-up
is the stack itself (interpreter, Qt, SQLAlchemy, one indexed query) rather than MesoPlan.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.peak_memory import peak_rss_kb  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QListWidget  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

QUERY = text("SELECT family_name, given_names FROM patient ORDER BY family_key, given_key, id LIMIT 200")


def main(url: str) -> int:
    app = QApplication(sys.argv[:1])
    with Session(create_engine(url)) as session:
        names = [f"{family}, {given}" for family, given in session.execute(QUERY)]
    window = QListWidget()
    window.addItems(names)
    window.resize(1280, 800)
    window.show()

    def report() -> None:
        window.repaint()
        sys.stdout.write("READY\n")
        sys.stdout.write(f"RSS {peak_rss_kb()}\n")
        sys.stdout.flush()
        app.quit()

    QTimer.singleShot(0, report)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
