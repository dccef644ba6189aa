"""Child process for the start-up and memory measurements: MesoPlan started exactly as `python -m mesoplan`.

Usage: ``python bench/app_probe.py DATABASE_URL SEARCH_TEXT``. The real command line runs
(``mesoplan.cli.main(["--database", URL])``: database opened and checked, sign-in, main window);
the only addition is a subclass of ``MainWindow`` that watches the window from outside:

- ``READY`` is printed once the window is shown and the patient list holds its first page;
- then ``SEARCH_TEXT`` is typed into the patient search and, once the list shows the results,
  ``RSS <kilobytes>`` is printed (this process's peak resident memory, see ``peak_memory.py``);
- then the window is closed and the process exits as the app does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.peak_memory import peak_rss_kb  # noqa: E402


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def install_probe(search_text: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from mesoplan.ui import main_window

    class ProbedMainWindow(main_window.MainWindow):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._probe_stage = "start"
            self.patient_panel.model.loaded.connect(self._probe_loaded)
            QTimer.singleShot(0, self._probe_check)  # the list may already be filled (synchronous tasks)

        def _probe_check(self) -> None:
            model = self.patient_panel.model
            if self._probe_stage == "start" and model.rowCount() and not model.is_loading():
                self._probe_loaded(model.text)

        def _probe_loaded(self, text: str) -> None:
            if self._probe_stage == "start" and self.isVisible() and self.patient_panel.model.rowCount():
                self._probe_stage = "search"
                self.repaint()  # the first frame, with the list, is drawn before reporting
                _say("READY")
                self.patient_panel.search_edit.setText(search_text)
            elif self._probe_stage == "search" and text == search_text:
                self._probe_stage = "done"
                self.repaint()
                _say(f"RSS {peak_rss_kb()}")
                QTimer.singleShot(0, QApplication.instance().quit)

    main_window.MainWindow = ProbedMainWindow


def main(argv: list[str]) -> int:
    url, search_text = argv[1], argv[2]
    os.environ.setdefault("MESOPLAN_LOCAL_ADMIN", "1")  # the bench database has no accounts: skip first run
    install_probe(search_text)
    from mesoplan.cli import main as mesoplan_main

    return mesoplan_main(["--database", url])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
