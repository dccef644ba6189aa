"""Measurements through the real screens, offscreen: patient search, catalog filter, plan editor.

Keystrokes are real key events (``type_char``) into the real widgets; time runs from just
before the key event until the model holds the new rows (the patient search runs its query in a
worker thread, so that includes the round trip; the catalog filters synchronously). The caller
creates the ``QApplication`` (``mesoplan.ui.app.make_application``) before calling these.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from bench.measure_core import bench_actor, edited
from bench.synthetic import BuiltClinic
from bench.timing import Stat, stat
from mesoplan.db.engine import Database
from mesoplan.ui.context import AppContext

SEARCH_WORDS = ("Łukasiewicz", "García Mar", "Nguyễn Thị", "Østergaard", "Smith Ol")
"""Typed one letter at a time into the patient search (names the synthetic clinic has)."""
CATALOG_WORDS = ("hyaluronic", "vitamin c", "lidocaïne", "Laboratoires Dérm")
"""Typed one letter at a time into the catalog filter."""
TIMEOUT_MS = 30_000


def make_context(database: Database) -> AppContext:
    return AppContext(database, bench_actor())


def _wait(done: Callable[[], bool], signal) -> None:
    """Run the event loop until ``done()`` (checked whenever ``signal`` fires), or time out."""
    if done():
        return
    loop = QEventLoop()

    def check(*_args) -> None:
        if done():
            loop.quit()

    signal.connect(check)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(TIMEOUT_MS)
    try:
        loop.exec()
    finally:
        signal.disconnect(check)
        timer.stop()
    if not done():
        raise TimeoutError("the screen did not finish within the benchmark's time limit")


def type_char(widget: QWidget, char: str) -> None:
    """One key press and release carrying ``char`` (any letter, accented ones included).

    ``QTest.keyClick`` only knows ASCII keys, so the events are made here as a keyboard layout
    with that letter would send them.
    """
    code = ord(char.upper()) if len(char.upper()) == 1 and ord(char.upper()) < 0x2000 else Qt.Key.Key_unknown
    key = Qt.Key.Key_Space if char == " " else code
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def _per_keystroke(runs: list[list[float]]) -> dict[str, Stat]:
    """Medians by keystroke position over the runs; 'worst' is the slowest position's median."""
    by_position = [statistics.median(samples) for samples in zip(*runs)]
    every = [s for run in runs for s in run]
    return {"worst": stat([max(by_position)]), "all": stat(every)}


# --- 2. patient search ------------------------------------------------------------------------------


def measure_patient_search(ctx: AppContext, repeats: int, words: Sequence[str] = SEARCH_WORDS) -> dict[str, Stat]:
    from mesoplan.ui.patients.list_panel import PatientListPanel

    panel = PatientListPanel(ctx)
    panel.resize(420, 900)
    panel.show()
    model, edit = panel.model, panel.search_edit

    def settled(text: str) -> Callable[[], bool]:
        return lambda: model.text == text and not model.is_loading()

    _wait(settled(""), model.loaded)
    runs: list[list[float]] = []
    rows: list[int] = []
    for _ in range(repeats):
        samples: list[float] = []
        for word in words:
            edit.clear()
            _wait(settled(""), model.loaded)
            for char in word:
                started = time.perf_counter()
                type_char(edit, char)
                _wait(settled(edit.text()), model.loaded)
                samples.append(time.perf_counter() - started)
                rows.append(model.rowCount())
        runs.append(samples)
    if not any(rows):
        raise AssertionError("the patient search found nobody for any keystroke")
    panel.close()
    panel.deleteLater()
    result = _per_keystroke(runs)
    return {"search_worst": result["worst"], "search_all": result["all"], "search_rows": stat([max(rows)])}


# --- 3. catalog filter ------------------------------------------------------------------------------


def measure_catalog_filter(ctx: AppContext, repeats: int, words: Sequence[str] = CATALOG_WORDS) -> dict[str, Stat]:
    from mesoplan.ui.catalog.browser import CatalogBrowser

    started = time.perf_counter()
    browser = CatalogBrowser(ctx)
    load = time.perf_counter() - started
    browser.resize(1000, 800)
    browser.show()
    QApplication.processEvents()
    edit, model = browser.filter_edit, browser.model
    runs: list[list[float]] = []
    for _ in range(repeats):
        samples: list[float] = []
        for word in words:
            edit.clear()
            QApplication.processEvents()
            for char in word:
                started = time.perf_counter()
                type_char(edit, char)  # filters synchronously: the rows are there on return
                samples.append(time.perf_counter() - started)
                QApplication.processEvents()  # let the view repaint between keystrokes, as a person waits
        runs.append(samples)
    total = model.total()
    browser.close()
    browser.deleteLater()
    result = _per_keystroke(runs)
    return {"catalog_worst": result["worst"], "catalog_all": result["all"], "catalog_load": stat([load]),
            "catalog_entries": stat([total])}


# --- 4. the plan editor page ------------------------------------------------------------------------


def measure_plan_editor(ctx: AppContext, clinic: BuiltClinic, repeats: int) -> dict[str, Stat]:
    from mesoplan.ui.plan_editor.editor import PlanEditorPage

    host = QWidget()
    opened: list[float] = []
    recompute: list[float] = []
    for _ in range(repeats + 1):  # the first opening (imports, first styles) is left out
        started = time.perf_counter()
        page = PlanEditorPage.open_existing(ctx, clinic.big_plan_id, host)
        if page is None:
            raise AssertionError(f"the plan editor could not open plan {clinic.big_plan_id}")
        page.resize(1280, 800)
        page.show()
        QApplication.processEvents()
        opened.append(time.perf_counter() - started)
        draft = page.document.draft
        for _edit in range(5):
            started = time.perf_counter()
            changed = edited(page.document.draft)
            page.document.edit("Change volume", changed)  # re-evaluates and refreshes every panel
            recompute.append(time.perf_counter() - started)
        page.document.apply(draft)
        page.document.undo_stack.setClean()
        page.close()
        page.deleteLater()
        QApplication.processEvents()
    return {"editor_open": stat(opened[1:]), "editor_recompute": stat(recompute[5:])}
