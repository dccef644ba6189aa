"""Running slow work off the GUI thread, with results posted back by signal.

``TaskRunner.run(fn, on_done, on_error, label)`` runs ``fn(progress)`` in a worker thread;
``progress(done, total, text)`` may be called from the worker. A progress dialog appears only if
the work takes longer than half a second. Workers never touch widgets. Tests set
``TaskRunner.synchronous = True`` to run everything inline.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int, str], None]


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], owner: QObject) -> None:
        super().__init__()
        self.fn = fn
        # The signals live in the GUI thread under the runner and are deleted there once the job
        # has reported back; the worker may drop its last reference to the job at any moment.
        self.signals = _Signals(owner)
        self.cancelled = False

    def report(self, done: int, total: int, text: str = "") -> None:
        if self.cancelled:
            raise TaskCancelled()
        self.signals.progress.emit(done, total, text)

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(self.report)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the GUI thread
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class TaskCancelled(Exception):
    """Raised inside a worker when the user pressed Cancel on the progress dialog."""


class TaskRunner(QObject):
    synchronous = False
    """Run tasks inline (tests): results arrive before ``run`` returns."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool.globalInstance()
        self._jobs: set[_Job] = set()

    def run(
        self,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        label: str = "",
        parent: QWidget | None = None,
        cancellable: bool = False,
    ) -> None:
        if self.synchronous:
            try:
                result = fn(lambda *_: None)
            except BaseException as exc:  # noqa: BLE001
                if on_error is None:
                    raise
                on_error(exc)
            else:
                if on_done:
                    on_done(result)
            return
        job = _Job(fn, self)
        dialog = None
        if label:
            dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(500)
            if not cancellable:
                dialog.setCancelButton(None)
            else:
                dialog.canceled.connect(lambda: setattr(job, "cancelled", True))

            def show_progress(done: int, total: int, text: str) -> None:
                dialog.setMaximum(total)
                dialog.setValue(done)
                if text:
                    dialog.setLabelText(text)

            job.signals.progress.connect(show_progress)

        def finish(callback, value) -> None:
            self._jobs.discard(job)
            job.signals.deleteLater()
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()
            if callback:
                callback(value)

        job.signals.finished.connect(lambda result: finish(on_done, result))
        job.signals.failed.connect(lambda exc: finish(on_error or _unhandled, exc))
        self._jobs.add(job)
        job.setAutoDelete(False)
        self.pool.start(job)

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for all running jobs (used at shutdown)."""
        return self.pool.waitForDone(msecs)


def _unhandled(exc: BaseException) -> None:
    from mesoplan.ui.messages import show_error

    show_error(None, "The task could not be finished", exc)
