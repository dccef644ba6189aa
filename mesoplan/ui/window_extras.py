"""Window-level commands that open dialogs (administration, import/export, lock) and what runs
beside the window: the idle lock, rolling backups and the start-up check. Keeps the main window
thin; dialog modules are imported on first use, so they cost nothing at start-up.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QMenu, QVBoxLayout, QWidget

from mesoplan.access import Actor, Permission
from mesoplan.ui import messages
from mesoplan.ui.actions import ActionId
from mesoplan.ui.admin.backup_schedule import BackupScheduler
from mesoplan.ui.admin.lock import LockController
from mesoplan.ui.navigation import OpenFrontDesk
from mesoplan.ui.widgets.banner import Banner


def connect(window) -> "WindowExtras":
    """Connect the administration and file actions of ``window`` to their dialogs."""
    window.extras = WindowExtras(window)
    return window.extras


BACKGROUND_CHECK_BUDGET_S = 600.0
"""The start-up quick check runs beside the work, so it may take its time on a big file."""


class WindowExtras(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.dialog: QDialog | None = None
        """The administration dialog now open (one at a time)."""
        a = window.actions_
        a[ActionId.CLINIC_SETTINGS].triggered.connect(self.open_clinic_settings)
        a[ActionId.USERS].triggered.connect(self.open_users)
        a[ActionId.AUDIT].triggered.connect(self.open_audit)
        a[ActionId.BACKUP_NOW].triggered.connect(self.back_up_now)
        a[ActionId.IMPORT].triggered.connect(self.import_records)
        a[ActionId.EXPORT_PATIENT].triggered.connect(self.export_patient)
        a[ActionId.LOCK].triggered.connect(lambda: self.lock.lock())
        a[ActionId.SIGN_OUT].triggered.connect(self.sign_out)
        self.backups_action, self.privacy_action = a[ActionId.BACKUPS], a[ActionId.PRIVACY]
        self.backups_action.triggered.connect(self.open_backups)
        self.privacy_action.triggered.connect(self.open_privacy)
        self.lock = LockController(self.ctx, window, self.take_over, self.quit_app)
        self.backups = BackupScheduler(self.ctx, window, self.show_status)
        self.backups.start()
        self.banner = Banner(window)  # hidden until needed; moved above the content then
        self.banner.setObjectName("startupCheckBanner")
        self._show_startup_check()
        self.ctx.changed.connect(self._data_changed)
        self.ctx.actor_changed.connect(lambda _actor: self._apply_permissions())
        self._apply_permissions()

    # --- menus and permissions ------------------------------------------------------------------

    def _admin_menu(self) -> QMenu | None:
        for action in self.window.menuBar().actions():
            if action.menu() is not None and action.text().replace("&", "") == "Administration":
                return action.menu()
        return None

    def _apply_permissions(self) -> None:
        can = self.ctx.can
        self.window.actions_.apply_permissions(can)  # idempotent; the menus below depend on it
        # Practitioners may export a patient's complete record here, administrators anonymise.
        self.privacy_action.setVisible(can(Permission.ANONYMISE) or can(Permission.EXPORT_DATA))
        self.window.actions_[ActionId.LOCK].setEnabled(self.lock.can_lock())
        for action in self.window.menuBar().actions():  # a menu with nothing in it is hidden
            menu = action.menu()
            if menu is not None:
                action.setVisible(any(a.isVisible() and not a.isSeparator() for a in menu.actions()))
        self.lock.rearm()

    def _data_changed(self, kinds: frozenset) -> None:
        if "clinic_settings" in kinds:
            self.lock.rearm()

    def show_status(self, text: str, timeout_ms: int = 6000) -> None:
        self.window.statusBar().showMessage(text, timeout_ms)

    # --- dialogs --------------------------------------------------------------------------------

    def show_dialog(self, dialog: QDialog) -> QDialog:
        """Show an administration dialog (window-modal, deleted when closed)."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def open_clinic_settings(self) -> None:
        from mesoplan.ui.admin.clinic_dialog import ClinicSettingsDialog

        self.show_dialog(ClinicSettingsDialog(self.ctx, self.window))

    def open_users(self) -> None:
        from mesoplan.ui.admin.users_dialog import UsersDialog

        self.show_dialog(UsersDialog(self.ctx, self.window))

    def open_audit(self) -> None:
        from mesoplan.ui.admin.audit_dialog import AuditDialog

        self.show_dialog(AuditDialog(self.ctx, self.window))

    def open_backups(self) -> None:
        from mesoplan.ui.admin.backups_dialog import BackupsDialog, RestoreHooks

        hooks = RestoreHooks(self.prepare_restore, self.quit_after_restore, self.resume_after_failed_restore)
        self.show_dialog(BackupsDialog(self.ctx, self.window, hooks=hooks))

    def open_privacy(self) -> None:
        from mesoplan.ui.admin.privacy_dialog import PrivacyDialog

        self.show_dialog(PrivacyDialog(self.ctx, self._current_patient_id(), self.window))

    def back_up_now(self) -> None:
        from mesoplan.ui.admin.backups_dialog import make_backup_now

        make_backup_now(self.ctx, self.window, lambda text: self.show_status(text, 10_000))

    def import_records(self) -> None:
        from mesoplan.ui.admin.transfer import import_records

        import_records(self.ctx, self.window, lambda text: self.show_status(text, 10_000))

    def export_patient(self) -> None:
        patient_id = self._current_patient_id()
        if patient_id is None:
            return
        from mesoplan.ui.admin.transfer import export_patient

        export_patient(self.ctx, patient_id, self.window, lambda text: self.show_status(text, 10_000))

    def _current_patient_id(self) -> int | None:
        page = self.window.current_page()
        return page.current_patient_id() if page else None

    # --- signing out, taking over, restoring ----------------------------------------------------

    def close_all_pages(self) -> bool:
        """Close every tab, each asked about unsaved work first; False if one stays open."""
        for index in reversed(range(self.window.tabs.count())):
            if not self.window.close_tab(index):
                return False
        return True

    def sign_out(self) -> None:
        if self.lock.is_locked or not self.close_all_pages():
            return
        actor = self.ctx.actor
        try:
            with self.ctx.work() as uow:
                uow.audit("sign_out", "user", actor.user_id if actor.user_id is not None else "",
                          f"{actor.name} signed out")
        except Exception as exc:  # noqa: BLE001 - signing out goes on; the failure is shown
            messages.show_error(self.window, "The sign-out was not recorded", exc)
        self.lock.lock(signed_out=True)

    def take_over(self, actor: Actor) -> bool:
        """Someone else signs in at the lock screen: close the pages (asking first), switch user."""
        if not self.close_all_pages():
            return False
        self.ctx.set_actor(actor)  # the window rebuilds its empty page for the new user
        if self.ctx.can_open_front_desk():
            self.window.handle_navigation(OpenFrontDesk())
        return True

    def quit_app(self) -> None:
        if self.lock.dialog is not None:
            self.lock.dialog.finish()
            self.lock.dialog = None
        self.window.close()

    def prepare_restore(self) -> bool:
        """Before a restore: close every page and stop background work. False if a page stayed open."""
        if not self.close_all_pages():
            return False
        self.backups.stop()
        self.lock.idle.stop()
        self.ctx.tasks.wait()
        return True

    def quit_after_restore(self) -> None:
        self.window.close()
        from PySide6.QtWidgets import QApplication

        QApplication.instance().quit()

    def resume_after_failed_restore(self) -> None:
        """Nothing was replaced: the database opens again on first use; background work resumes."""
        self.backups.start()
        self.lock.rearm()

    # --- the start-up check ---------------------------------------------------------------------

    def _show_startup_check(self) -> None:
        """Show what the start-up check found; if it has not run yet, run it in the background."""
        database = self.ctx.database
        check = database.startup_check
        if check is None and database.is_sqlite:
            from mesoplan.db.engine import run_quick_check

            def finished(result) -> None:
                database.startup_check = result
                self._show_startup_check()

            self.ctx.tasks.run(lambda _progress: run_quick_check(database, BACKGROUND_CHECK_BUDGET_S),
                               finished, lambda exc: self.show_status(
                                   f"The start-up check of the database could not run: {exc}"))
            return
        if check is None or (check.finished and not check.problems):
            return
        if check.problems:
            text = (f"The start-up check found damage in the database: {check.problems[0]}. Restore "
                    "the newest backup (Administration › Backups and restore).")
            severity = "block"
        else:
            text = (f"The quick start-up check of this large database stopped after "
                    f"{check.seconds:.1f} s so that MesoPlan opens quickly. The next automatic "
                    "backup checks the whole file; you can also check it now.")
            severity = "acknowledge"
        self._put_banner_above_content()
        self.banner.show_message(text, severity, (("Check &now", self.check_database),
                                                  ("&Dismiss", self.banner.hide)))

    def _put_banner_above_content(self) -> None:
        content = self.window.takeCentralWidget()
        holder = QWidget()
        holder.setObjectName("contentWithBanner")
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(content, 1)
        self.window.setCentralWidget(holder)

    def check_database(self) -> None:
        from mesoplan.services.integrity import check_database

        database = self.ctx.database

        def done(result) -> None:
            if result.ok:
                self.banner.show_message("The full check found no damage, and the audit trail is "
                                         f"intact ({result.chain.checked} entries).", "ok",
                                         (("&Dismiss", self.banner.hide),))
                return
            found = list(result.structure_problems[:3])
            if not result.chain.ok:
                found.append(result.chain.describe())
            self.banner.show_message("The full check found problems: " + " ".join(found) +
                                     " Restore the newest good backup (Administration › Backups "
                                     "and restore).", "block", (("&Dismiss", self.banner.hide),))

        self.ctx.tasks.run(lambda _progress: check_database(database), done,
                           lambda exc: messages.show_error(self.window, "The check did not finish", exc),
                           label="Checking the whole database…", parent=self.window)
