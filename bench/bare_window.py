"""Child process for the start-up floor: a bare PySide6 window with one label, reported like the app.

Usage: ``python bench/bare_window.py``. Prints ``READY`` once the window is shown and drawn, then
``RSS <kilobytes>`` (peak resident memory, see ``peak_memory.py``) and exits.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.peak_memory import peak_rss_kb  # noqa: E402
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel


def main() -> int:
    app = QApplication(sys.argv[:1])
    label = QLabel("MesoPlan")
    label.resize(1280, 800)
    label.show()

    def report() -> None:
        label.repaint()
        sys.stdout.write("READY\n")
        sys.stdout.write(f"RSS {peak_rss_kb()}\n")
        sys.stdout.flush()
        app.quit()

    QTimer.singleShot(0, report)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
