"""Administration › Backups and restore: rolling backups with time and size, a backup now, a checked
copy saved anywhere, and restore (check, confirm, close every tab, stop background work, close the
database, replace it, then quit with a message to start again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QPushButton, QWidget

from mesoplan.access import Permission
from mesoplan.services.backups import (
    BackupFailed,
    BackupFile,
    backup_folder,
    backup_to_file,
    list_rolling_backups,
    make_rolling_backup,
    restore_backup,
)
from mesoplan.services.integrity import FileCheck, check_database_file
from mesoplan.services.users import get_safety_settings
from mesoplan.ui import messages
from mesoplan.ui.admin import forms
from mesoplan.ui.admin.backup_schedule import describe_size
from mesoplan.ui.admin.forms import dialog_layout, fit_to_screen, heading, hint_label
from mesoplan.ui.context import AppContext
from mesoplan.ui.widgets.record_model import RecordTableModel, record_table
from mesoplan.ui.style import mark

SQLITE_FILTER = "MesoPlan backups (*.sqlite3 *.db);;All files (*)"


class BackupTableModel(RecordTableModel[BackupFile]):
    headers = ("Made", "Size", "File")

    def cells(self, backup: BackupFile) -> tuple[str, ...]:
        made = backup.made_at.replace(tzinfo=dt.timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
        return (made, describe_size(backup.size_bytes), backup.path.name)

    def tooltip(self, backup: BackupFile, column: int) -> str | None:
        return str(backup.path)


@dataclass(frozen=True)
class RestoreHooks:
    """What the window does around a restore (given by ``window_extras``)."""

    prepare: Callable[[], bool]
    """Close every tab and stop background work; False when a tab with unsaved work stayed open."""
    finished: Callable[[], None]
    """The database was replaced: quit."""
    failed: Callable[[], None] = lambda: None
    """The restore did not happen: carry on."""


def make_backup_now(ctx: AppContext, parent: QWidget, on_done: Callable[[str], None]) -> None:
    """A rolling backup right now (off the GUI thread); ``on_done`` gets a sentence saying where."""
    if not ctx.can(Permission.MANAGE_BACKUPS):
        messages.show_error(parent, "No backup was made",
                            f"{ctx.actor.name} may not {Permission.MANAGE_BACKUPS.value}.")
        return
    database = ctx.database

    def done(result) -> None:
        on_done(f"Backup copy saved: {result.path.name} ({describe_size(result.size_bytes)})")

    ctx.tasks.run(lambda _progress: make_rolling_backup(database), done,
                  lambda exc: messages.show_error(parent, "No backup was made", exc),
                  label="Making a backup copy…", parent=parent)


class BackupsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 hooks: RestoreHooks | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.hooks = hooks or RestoreHooks(lambda: True, lambda: None)
        self.setObjectName("backupsDialog")
        self.setWindowTitle("Backups and restore")
        self.is_file = ctx.database.sqlite_path is not None
        self.model = BackupTableModel(self)
        self.table = record_table(self.model, "backupsTable")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.backup_button = QPushButton("Back up &now")
        self.backup_button.setObjectName("backUpNow")
        mark(self.backup_button, primary="true")
        self.copy_button = QPushButton("&Save a copy to…")
        self.copy_button.setObjectName("saveCopy")
        self.restore_button = QPushButton("&Restore selected…")
        self.restore_button.setObjectName("restoreSelected")
        self.restore_file_button = QPushButton("Restore from a &file…")
        self.restore_file_button.setObjectName("restoreFile")
        self.backup_button.clicked.connect(self.back_up_now)
        self.copy_button.clicked.connect(self.save_copy)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        row = QHBoxLayout()
        row.setSpacing(8)
        for button in (self.backup_button, self.copy_button, self.restore_button, self.restore_file_button):
            row.addWidget(button)
        row.addStretch(1)
        self.explanation = hint_label(self._explanation())
        self.explanation.setObjectName("backupsExplanation")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = dialog_layout(self)
        layout.addWidget(heading("Backups"))
        layout.addWidget(self.explanation)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        for button in (self.backup_button, self.restore_button, self.restore_file_button):
            button.setEnabled(self.is_file)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()
        fit_to_screen(self, 110, 28)

    def _explanation(self) -> str:
        if not self.is_file:
            return ("This database is on a PostgreSQL server: back it up on the server every night "
                    "(pg_dump) and restore it there with pg_restore while every MesoPlan is closed. "
                    "“Save a copy to…” runs pg_dump from here when it is installed.")
        with self.ctx.read() as uow:
            policy = get_safety_settings(uow)
        return (f"While MesoPlan runs it copies the database every {policy.backup_interval_minutes} "
                f"minutes into {backup_folder(self.ctx.database)} and keeps the newest "
                f"{policy.backup_keep} copies. Every copy is checked for damage. Copies are readable "
                "by your user account only. Keep a copy somewhere else as well (another disk).")

    def reload(self) -> None:
        backups: list[BackupFile] = []
        if self.is_file:
            try:
                backups = list_rolling_backups(self.ctx.database)
            except (BackupFailed, OSError) as exc:
                messages.show_error(self, "The backups could not be listed", exc)
        self.model.set_rows(backups)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> BackupFile | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.is_file and self.selected() is not None)

    # --- making copies --------------------------------------------------------------------------

    def back_up_now(self) -> None:
        def done(text: str) -> None:
            self.reload()
            if self.model.rowCount():
                self.table.selectRow(0)
            self.explanation.setText(f"{text}. {self._explanation()}")

        make_backup_now(self.ctx, self, done)

    def save_copy(self) -> None:
        suffix = ".sqlite3" if self.is_file else ".dump"
        name = f"mesoplan-{dt.datetime.now().strftime('%Y-%m-%d-%H%M')}{suffix}"
        target = forms.ask_save_path(self, "Save a backup copy", name,
                                     SQLITE_FILTER if self.is_file else "PostgreSQL dumps (*.dump)")
        if target is None:
            return
        database, actor = self.ctx.database, self.ctx.actor

        def done(result) -> None:
            forms.inform(self, "Backup copy saved",
                         f"A checked copy of the database ({describe_size(result.size_bytes)}) was "
                         f"saved as {result.path}. It is readable by your user account only.")

        self.ctx.tasks.run(lambda _progress: backup_to_file(database, actor, target), done,
                           lambda exc: messages.show_error(self, "No copy was saved", exc),
                           label="Saving a checked copy…", parent=self)

    # --- restoring ------------------------------------------------------------------------------

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is not None:
            self.restore(backup.path)

    def restore_from_file(self) -> None:
        source = forms.ask_open_path(self, "Restore a backup", SQLITE_FILTER)
        if source is not None:
            self.restore(source)

    def restore(self, source: Path) -> None:
        """Check ``source``, confirm, let the window close everything, then replace the database."""
        self.ctx.tasks.run(lambda _progress: check_database_file(source),
                           lambda check: self._confirm_restore(source, check),
                           lambda exc: messages.show_error(self, "The backup could not be checked", exc),
                           label="Checking the backup…", parent=self)

    def _confirm_restore(self, source: Path, check: FileCheck) -> None:
        if not check.usable:
            messages.show_error(self, "This backup cannot be restored",
                                "\n".join(check.problems) + "\nNothing was changed.")
            return
        warning = "".join(f"\n\nWarning: {w}." for w in check.warnings)
        text = (f"Restore {source.name} ({check.patients} patients)?\n\nEverything saved after this "
                "backup was made will be replaced. The current database is kept beside it (its name "
                "ends in “before-restore” and the time). Every tab closes first, MesoPlan quits "
                f"after the restore, and you start it again.{warning}")
        if not messages.confirm(self, "Restore this backup?", text, "Restore and quit"):
            return
        if not self.hooks.prepare():
            return
        self.ctx.database.dispose()
        url, actor = self.ctx.database.url, self.ctx.actor
        self.ctx.tasks.run(lambda _progress: restore_backup(url, source, actor), self._restored,
                           self._restore_failed, label="Restoring the backup…", parent=self)

    def _restored(self, result) -> None:
        aside = f" The database as it was is kept as {result.kept_aside}." if result.kept_aside else ""
        forms.inform(self, "Backup restored",
                     f"The database now holds the backup {result.check.path.name}.{aside}\n\n"
                     "MesoPlan will now close. Start it again to continue.")
        self.accept()
        self.hooks.finished()

    def _restore_failed(self, exc: BaseException) -> None:
        messages.show_error(self, "The backup was not restored", exc)
        self.hooks.failed()
