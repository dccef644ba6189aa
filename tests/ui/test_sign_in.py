"""Sign-in at start: the first run creates the administrator, wrong passwords are refused and
audited, and MESOPLAN_LOCAL_ADMIN lets an unattended start past a database without accounts."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from mesoplan.access import Role
from mesoplan.services.audit import AuditFilter, browse_audit
from mesoplan.services.uow import read, work
from mesoplan.services.users import add_user, list_users
from mesoplan.ui import messages as _messages  # noqa: F401 - imported so the fixture can patch it
from mesoplan.ui import settings
from mesoplan.ui.main_window import MainWindow
from mesoplan.ui.sign_in import LOCAL_ADMIN_ENV, FirstRunDialog, SignInDialog, obtain_actor

PASSWORD = "plum tree seven"


def while_modal(qtbot, drive) -> list[BaseException]:
    """Run ``drive(dialog)`` once the next modal dialog is up; a failure closes it and is returned."""
    failures: list[BaseException] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        try:
            drive(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised by the test after exec returns
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, run)
    return failures


def type_into(qtbot, widget, text: str) -> None:
    """Replace the text by typing it key by key (letters QTest cannot name arrive as a keyboard sends them)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    widget.clear()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


@pytest.fixture
def fresh_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'fresh.sqlite3'}"


@pytest.fixture
def run_app_and_look(monkeypatch, qtbot):
    """Start the real app; instead of its event loop, note who the window is signed in as."""
    from mesoplan.ui import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    seen: list = []

    def look_and_close(_app) -> int:
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.isVisible():
                seen.append(window.ctx.actor)
                window.close()
                window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", look_and_close)

    def start(url: str) -> list:
        assert app_module.run_app(url) == 0
        return seen

    return start


def test_the_first_run_creates_the_administrator_and_the_window_opens_as_them(
        qtbot, fresh_url, run_app_and_look, monkeypatch):
    monkeypatch.delenv(LOCAL_ADMIN_ENV, raising=False)
    shown: dict[str, str] = {}

    def drive(dialog: FirstRunDialog) -> None:
        assert isinstance(dialog, FirstRunDialog)
        type_into(qtbot, dialog.username, "Anna")
        type_into(qtbot, dialog.display_name, "Dr Anna Nowak")
        type_into(qtbot, dialog.password, "short")
        type_into(qtbot, dialog.password_again, "short")
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        shown["weak"] = dialog.errors.message_for(dialog.password)
        type_into(qtbot, dialog.password, PASSWORD)
        type_into(qtbot, dialog.password_again, PASSWORD + "!")
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        shown["mismatch"] = dialog.errors.message_for(dialog.password_again)
        assert dialog.isVisible()
        type_into(qtbot, dialog.password_again, PASSWORD)
        dialog.practitioner_role.setChecked(True)
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    failures = while_modal(qtbot, drive)
    seen = run_app_and_look(fresh_url)
    assert not failures, failures
    assert shown["weak"] == "Password must have at least 8 characters."
    assert shown["mismatch"] == "Password again must be the same as the password."
    [actor] = seen
    assert actor.name == "Dr Anna Nowak (anna)"
    assert actor.roles == {Role.ADMINISTRATOR, Role.PRACTITIONER} and actor.user_id is not None
    assert settings.LAST_USERNAME.get() == "Anna"


def test_closing_the_first_run_dialog_quits_without_creating_anyone(qtbot, fresh_url, run_app_and_look,
                                                                    monkeypatch):
    monkeypatch.delenv(LOCAL_ADMIN_ENV, raising=False)
    failures = while_modal(qtbot, lambda dialog: dialog.reject())
    assert run_app_and_look(fresh_url) == []
    assert not failures


def test_local_admin_variable_skips_the_first_run_only_while_there_are_no_accounts(
        qtbot, db, actor, monkeypatch):
    monkeypatch.setenv(LOCAL_ADMIN_ENV, "1")
    local = obtain_actor(db)
    assert local.name.startswith("command line") and local.user_id is None
    assert set(local.roles) == set(Role)
    with work(db, actor) as uow:
        add_user(uow, "anna", PASSWORD, {Role.ADMINISTRATOR})
    seen = []
    failures = while_modal(qtbot, lambda dialog: (seen.append(type(dialog)), dialog.reject()))
    assert obtain_actor(db) is None  # the sign-in dialog was shown and closed
    assert not failures and seen == [SignInDialog]


def test_a_wrong_password_is_refused_with_a_message_and_recorded(qtbot, db, actor):
    with work(db, actor) as uow:
        add_user(uow, "boss", PASSWORD, {Role.ADMINISTRATOR})
        add_user(uow, "desk1", PASSWORD, {Role.FRONT_DESK}, display_name="Front Desk One")
    settings.LAST_USERNAME.set("desk1")
    dialog = SignInDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.form.username.text() == "desk1" and dialog.focusWidget() is dialog.form.password
    qtbot.keyClicks(dialog.form.password, "not the password")
    qtbot.keyClick(dialog.form.password, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.form.refusal.text() == "Unknown user name or wrong password."
    assert dialog.form.refusal.isVisible() and dialog.form.password.text() == ""
    with read(db, actor) as uow:
        [failed] = browse_audit(uow, AuditFilter(action="sign_in.failed"))
        assert failed.summary == "Sign-in refused: wrong password (1 in a row)"
        assert [(u.username, u.failed_sign_ins) for u in list_users(uow)] == [("boss", 0), ("desk1", 1)]
    qtbot.keyClicks(dialog.form.password, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.actor.name == "Front Desk One (desk1)" and dialog.actor.roles == {Role.FRONT_DESK}


def test_a_disabled_account_is_told_so(qtbot, db, actor):
    from mesoplan.services.users import set_active

    with work(db, actor) as uow:
        add_user(uow, "boss", PASSWORD, {Role.ADMINISTRATOR})
        add_user(uow, "gone", PASSWORD, {Role.PRACTITIONER})
        set_active(uow, "gone", False)
    dialog = SignInDialog(db)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.form.username, "gone")
    type_into(qtbot, dialog.form.password, PASSWORD)
    dialog.sign_in()
    assert dialog.actor is None
    assert dialog.form.refusal.text() == "The account 'gone' is disabled; ask an administrator."


def test_mesoplan_starts_unattended_with_the_local_administrator_on_a_database_without_accounts(
        qtbot, fresh_url, run_app_and_look, monkeypatch):
    monkeypatch.setenv(LOCAL_ADMIN_ENV, "1")
    [actor] = run_app_and_look(fresh_url)
    assert actor.name.startswith("command line (") and actor.user_id is None
