"""What runs beside the window: the idle lock and Ctrl+L (same user's password unlocks; someone else
takes over after the pages agree), signing out, scheduled rolling backups and the start-up check."""

from __future__ import annotations

import os
import stat
import threading

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from mesoplan.access import Role
from mesoplan.backup import QuickCheck
from mesoplan.services import patients as patient_service
from mesoplan.services.audit import AuditFilter, browse_audit
from mesoplan.services.backups import BackupFailed, list_rolling_backups
from mesoplan.services.patients import PatientInput
from mesoplan.services.uow import read, work
from mesoplan.services.users import add_user, update_safety_settings
from mesoplan.ui import messages as _messages  # noqa: F401 - imported so the fixture can patch it
from mesoplan.ui import settings
from mesoplan.ui.actions import ActionId
from mesoplan.ui.admin import backup_schedule
from mesoplan.ui.admin.lock import Cover, IdleWatcher
from mesoplan.ui.main_window import MainWindow
from mesoplan.ui.navigation import OpenPatient
from mesoplan.ui.pages import Page
from mesoplan.ui.tasks import TaskRunner

PASSWORD = "plum tree seven"


@pytest.fixture
def accounts(db, actor):
    with work(db, actor) as uow:
        boss = add_user(uow, "boss", PASSWORD, {Role.ADMINISTRATOR, Role.PRACTITIONER}, display_name="Dr Boss")
        desk = add_user(uow, "desk1", PASSWORD, {Role.FRONT_DESK}, display_name="Front Desk")
    return {"boss": boss.actor, "desk1": desk.actor}


@pytest.fixture
def open_window(ctx):
    made: list[MainWindow] = []

    def build(actor) -> MainWindow:
        ctx.set_actor(actor)
        main = MainWindow(ctx)
        main.show()
        made.append(main)
        return main

    yield build
    for main in made:
        if main.extras.lock.dialog is not None:
            main.extras.lock.unlock()
        main.close()
        main.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def unlock_with(qtbot, window, username: str, password: str) -> None:
    form = window.extras.lock.dialog.form
    form.username.setText(username)
    form.password.clear()
    qtbot.keyClicks(form.password, password)
    qtbot.mouseClick(window.extras.lock.dialog.unlock_button, Qt.MouseButton.LeftButton)


def covers(window) -> list[Cover]:
    return [c for c in window.findChildren(Cover) if c.isVisible()]


class StubbornPage(Page):
    """A page whose unsaved work its user does not want to give up."""

    def page_key(self) -> tuple:
        return ("StubbornPage",)

    def tab_title(self) -> str:
        return "Unsaved plan"

    def maybe_close(self) -> bool:
        return False


def test_an_idle_minute_locks_and_only_the_same_users_password_unlocks(
        qtbot, open_window, db, actor, accounts, monkeypatch):
    monkeypatch.setattr(IdleWatcher, "ms_per_minute", 60)  # one minute lasts 60 ms here
    with work(db, actor) as uow:
        update_safety_settings(uow, idle_lock_minutes=1)
    window = open_window(accounts["boss"])
    lock = window.extras.lock
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    assert lock.dialog.isVisible() and lock.dialog.form.username.text() == "boss"
    assert [c.geometry() for c in covers(window)] == [window.rect()]
    unlock_with(qtbot, window, "boss", "not it")
    assert lock.is_locked
    assert lock.dialog.form.refusal.text() == "Unknown user name or wrong password."
    unlock_with(qtbot, window, "boss", PASSWORD)
    assert not lock.is_locked and covers(window) == []
    assert window.ctx.actor == accounts["boss"]
    with read(db, actor) as uow:
        assert [e.action for e in browse_audit(uow, AuditFilter(action="sign_in"))] == ["sign_in", "sign_in.failed"]
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)  # idle again: locked again


def test_ctrl_l_locks_and_someone_else_signing_in_takes_over(qtbot, open_window, db, actor, accounts):
    with work(db, actor) as uow:
        patient = patient_service.create_patient(uow, PatientInput("Kowalczyk", "Ola"))
    window = open_window(accounts["boss"])
    window.handle_navigation(OpenPatient(patient.id))
    lock_action = window.actions_[ActionId.LOCK]
    assert QKeySequence("Ctrl+L") in lock_action.shortcuts() and lock_action.isEnabled()
    lock_action.trigger()
    assert window.extras.lock.is_locked and covers(window)
    unlock_with(qtbot, window, "desk1", PASSWORD)
    assert not window.extras.lock.is_locked
    assert window.ctx.actor == accounts["desk1"]
    assert all(page.page_key()[0] != "PatientPage" for page in window.pages())
    assert window.user_label.text() == "Signed in: Front Desk (desk1)"
    assert not window.actions_[ActionId.USERS].isVisible()


def test_nobody_else_takes_over_while_unsaved_work_is_kept(qtbot, open_window, accounts):
    window = open_window(accounts["boss"])
    window.show_page(StubbornPage(window.ctx))
    window.extras.lock.lock()
    unlock_with(qtbot, window, "desk1", PASSWORD)
    lock = window.extras.lock
    assert lock.is_locked and window.ctx.actor == accounts["boss"]
    assert lock.dialog.message.text().startswith("Dr Boss (boss) has unsaved work that was kept")
    unlock_with(qtbot, window, "boss", PASSWORD)
    assert not lock.is_locked and window.current_page().tab_title() == "Unsaved plan"


def test_sign_out_closes_the_pages_and_then_anyone_signs_in_or_quits(qtbot, open_window, db, actor, accounts):
    settings.LAST_USERNAME.set("boss")
    window = open_window(accounts["boss"])
    window.actions_[ActionId.SIGN_OUT].trigger()
    lock = window.extras.lock
    assert lock.is_locked and lock.signed_out and window.pages() == []
    assert lock.dialog.windowTitle() == "MesoPlan — signed out"
    with read(db, actor) as uow:
        [entry] = browse_audit(uow, AuditFilter(action="sign_out"))
    assert entry.summary == "Dr Boss (boss) signed out"
    unlock_with(qtbot, window, "boss", PASSWORD)  # the same person may come back
    assert not lock.is_locked and window.ctx.actor == accounts["boss"]
    window.actions_[ActionId.SIGN_OUT].trigger()
    qtbot.mouseClick(lock.dialog.buttons.button(lock.dialog.buttons.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    assert not window.isVisible() and lock.dialog is None


def test_the_local_administrator_without_an_account_cannot_lock(open_window, db, actor):
    with work(db, actor) as uow:
        update_safety_settings(uow, idle_lock_minutes=1)
    window = open_window(actor)
    assert not window.actions_[ActionId.LOCK].isEnabled()
    window.extras.lock.lock()
    assert not window.extras.lock.is_locked and not window.extras.lock.idle.timer.isActive()


def test_rolling_backups_run_off_the_gui_thread_and_failures_are_reported_once(
        qtbot, open_window, db, accounts, monkeypatch, messages):
    window = open_window(accounts["boss"])
    scheduler = window.extras.backups
    threads: list[bool] = []
    real = backup_schedule.backup_if_due

    def watched(database, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(database, **kwargs)

    monkeypatch.setattr(backup_schedule, "backup_if_due", watched)
    monkeypatch.setattr(TaskRunner, "synchronous", False)
    scheduler.run(at_start=True)
    qtbot.waitUntil(lambda: not scheduler.running, timeout=10_000)
    assert threads == [False]
    [backup] = list_rolling_backups(db)
    assert stat.S_IMODE(os.stat(backup.path).st_mode) == 0o600
    assert window.statusBar().currentMessage().startswith("Backup copy made at")
    monkeypatch.setattr(TaskRunner, "synchronous", True)
    scheduler.run(at_start=True)  # the newest copy is minutes old: nothing is due
    assert len(list_rolling_backups(db)) == 1

    def failing(database, **kwargs):
        raise BackupFailed("The backup could not be written: disk full")

    monkeypatch.setattr(backup_schedule, "backup_if_due", failing)
    scheduler.run()
    scheduler.run()
    assert window.statusBar().currentMessage() == \
        "The automatic backup failed: The backup could not be written: disk full"
    assert messages.errors == [("The automatic backup failed", "The backup could not be written: disk full")]
    assert not scheduler.running


def test_a_start_up_check_cut_short_shows_a_banner_and_the_full_check_runs_on_request(
        qtbot, open_window, db, accounts):
    db.startup_check = QuickCheck(finished=False, problems=(), seconds=1.0)
    window = open_window(accounts["boss"])
    banner = window.extras.banner
    assert banner.isVisible() and banner.property("severity") == "acknowledge"
    assert "stopped after 1.0 s" in banner.text()
    [check_now, _dismiss] = banner.buttons()
    qtbot.mouseClick(check_now, Qt.MouseButton.LeftButton)
    assert banner.text().startswith("The full check found no damage, and the audit trail is intact")
    assert banner.property("severity") == "ok"


def test_no_banner_after_a_complete_start_up_check(open_window, db, accounts):
    db.startup_check = QuickCheck(finished=True, problems=(), seconds=0.1)
    window = open_window(accounts["boss"])
    assert not window.extras.banner.isVisible()
    assert window.centralWidget() is window.central


def test_input_postpones_the_idle_lock(qtbot):
    from PySide6.QtWidgets import QLineEdit

    fired: list[bool] = []
    watcher = IdleWatcher(lambda: fired.append(True))
    field = QLineEdit()
    qtbot.addWidget(field)
    watcher.arm(1)
    assert watcher.timer.isActive() and watcher.timer.interval() == 60_000
    watcher.last_input -= 59  # idle for 59 of the 60 seconds
    watcher._check()
    assert fired == [] and watcher.timer.isActive() and 0 < watcher.timer.interval() <= 1_000
    before = watcher.last_input
    qtbot.keyClick(field, Qt.Key.Key_A)  # any key press counts as use
    assert watcher.last_input > before + 50
    watcher.last_input -= 61
    watcher._check()
    assert fired == [True]
    watcher.arm(None)  # never lock: the timer and the event filter are off
    assert not watcher.timer.isActive() and not watcher._watching


def test_the_window_runs_the_start_up_check_itself_when_the_app_skipped_it(open_window, db, accounts):
    db.startup_check = None  # what run_app leaves: open_database(check=False)
    window = open_window(accounts["boss"])
    assert db.startup_check is not None and db.startup_check.finished
    assert db.startup_check.problems == ()
    assert not window.extras.banner.isVisible()
