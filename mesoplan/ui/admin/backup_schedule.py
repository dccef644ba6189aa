"""Rolling backups while the window is open: shortly after start, then every few minutes the service
is asked whether one is due. The copy runs off the GUI thread; a failure goes to the status bar and
once to a message, never a crash. PostgreSQL is backed up on the server, so nothing is scheduled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from mesoplan.services.backups import BackupResult, backup_if_due
from mesoplan.ui import messages
from mesoplan.ui.context import AppContext

START_DELAY_MS = 5_000
"""The first check waits until the window is up, so start-up is not slowed by the copy."""
CHECK_EVERY_MS = 5 * 60_000


def describe_size(size_bytes: int) -> str:
    if size_bytes >= 1024 * 1024:
        return f"{size_bytes / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size_bytes / 1024))} KB"


class BackupScheduler(QObject):
    backed_up = Signal(object)
    """A ``BackupResult`` after each rolling backup made."""

    def __init__(self, ctx: AppContext, parent_widget: QWidget,
                 show_status: Callable[[str, int], None]) -> None:
        super().__init__(parent_widget)
        self.ctx = ctx
        self.parent_widget = parent_widget
        self.show_status = show_status
        self.running = False
        self.failed_before = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(lambda: self.run(at_start=False))

    @property
    def enabled(self) -> bool:
        return self.ctx.database.sqlite_path is not None

    def start(self) -> None:
        if not self.enabled:
            return
        QTimer.singleShot(START_DELAY_MS, self, lambda: self.run(at_start=True))
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def run(self, at_start: bool = False) -> None:
        """Ask for a backup if one is due (nothing happens while the previous one still runs)."""
        if self.running or not self.enabled or not self.parent_widget.isVisible():
            return  # a closed window makes no more backups
        self.running = True
        database = self.ctx.database
        self.ctx.tasks.run(lambda _progress: backup_if_due(database, at_start=at_start),
                           self._done, self._failed)

    def _done(self, result: BackupResult | None) -> None:
        self.running = False
        if result is None:
            return
        self.failed_before = False
        at = dt.datetime.now().strftime("%H:%M")
        self.show_status(f"Backup copy made at {at} ({describe_size(result.size_bytes)})", 10_000)
        self.backed_up.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
        self.show_status(f"The automatic backup failed: {first_line}", 0)
        if not self.failed_before:  # once, not at every check: the status bar keeps saying it
            self.failed_before = True
            messages.show_error(self.parent_widget, "The automatic backup failed", exc)
