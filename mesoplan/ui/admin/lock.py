"""The screen lock: after idle minutes (or Ctrl+L) every window is covered until the same user's
password is typed; someone else signing in instead takes over once the pages agree to close.
The window's own part (closing pages, switching user) is passed in by ``window_extras``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from mesoplan.access import Actor
from mesoplan.services.clinic import own_username
from mesoplan.services.users import get_safety_settings
from mesoplan.ui import settings
from mesoplan.ui.admin.forms import dialog_buttons, dialog_layout, fit_width, grow_to_fit, heading, hint_label
from mesoplan.ui.context import AppContext
from mesoplan.ui.sign_in import SignInForm
from mesoplan.ui.style import mark

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress}


class IdleWatcher(QObject):
    """Calls ``on_idle`` once nobody has pressed a key or moved the mouse for ``minutes``."""

    ms_per_minute = 60_000
    """Tests make a minute shorter."""

    def __init__(self, on_idle: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_idle = on_idle
        self.minutes: int | None = None
        self.last_input = time.monotonic()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._check)
        self._watching = False

    def arm(self, minutes: int | None) -> None:
        """Start watching (None: never lock)."""
        self.minutes = minutes
        self.last_input = time.monotonic()
        self.timer.stop()
        if minutes:
            self._watch(True)
            self.timer.start(self._timeout_ms())
        else:
            self._watch(False)

    def stop(self) -> None:
        self.timer.stop()
        self._watch(False)

    def _watch(self, on: bool) -> None:
        """Look at every input event only while a lock is due (the filter costs a call per event)."""
        if on != self._watching:
            app = QApplication.instance()
            if on:
                app.installEventFilter(self)
            else:
                app.removeEventFilter(self)
            self._watching = on

    def _timeout_ms(self) -> int:
        return max(1, int((self.minutes or 0) * self.ms_per_minute))

    def _check(self) -> None:
        idle_ms = (time.monotonic() - self.last_input) * 1000
        remaining = self._timeout_ms() - idle_ms
        if remaining > 0:
            self.timer.start(max(1, int(remaining)))
        else:
            self.on_idle()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if event.type() in _ACTIVITY:
            self.last_input = time.monotonic()
        return False


class Cover(QWidget):
    """An opaque panel over a whole window while MesoPlan is locked, so nothing on it can be read."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        label = QLabel("Locked")
        mark(label, role="subtitle")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.host = host
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.host.rect())
            self.raise_()
        return False

    def remove(self) -> None:
        self.host.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class LockDialog(QDialog):
    """Asks for a password over the covered windows; it cannot be closed without signing in."""

    signed_in = Signal(object)
    quit_requested = Signal()

    def __init__(self, ctx: AppContext, username: str, signed_out: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockDialog")
        self.setWindowTitle("MesoPlan — signed out" if signed_out else "MesoPlan is locked")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.form = SignInForm(ctx.database, self)
        self.form.username.setText(username)
        if signed_out:
            title = "Signed out"
            text = "Sign in to continue, or quit MesoPlan."
            accept, cancel = "&Sign in", "&Quit"
        else:
            title = "MesoPlan is locked"
            text = (f"{ctx.actor.name} is signed in. Enter the password to continue. Someone else "
                    "may sign in with their own name instead; the open tabs are then closed, "
                    "after asking about unsaved work.")
            accept, cancel = "&Unlock", ""
        self.message = hint_label(text)
        self.buttons, self.unlock_button = dialog_buttons(accept, cancel or "Cancel")
        if not cancel:
            unused = self.buttons.button(self.buttons.StandardButton.Cancel)
            self.buttons.removeButton(unused)
            unused.deleteLater()
        self.buttons.accepted.connect(self._sign_in)
        self.buttons.rejected.connect(self.quit_requested.emit)
        layout = dialog_layout(self)
        layout.addWidget(heading(title))
        layout.addWidget(self.message)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        fit_width(self, 60)
        self.form.focus_first_empty()

    def _sign_in(self) -> None:
        actor = self.form.try_sign_in()
        if actor is not None:
            self.signed_in.emit(actor)

    def reject(self) -> None:
        """Escape does not unlock."""

    def closeEvent(self, event) -> None:  # noqa: N802
        event.ignore()

    def finish(self) -> None:
        self.hide()
        self.deleteLater()


class LockController(QObject):
    """Locks and unlocks the application for the window; arms the idle timer from the settings."""

    locked_changed = Signal(bool)

    def __init__(self, ctx: AppContext, window: QMainWindow,
                 take_over: Callable[[Actor], bool], quit_app: Callable[[], None]) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.take_over = take_over
        self.quit_app = quit_app
        self.dialog: LockDialog | None = None
        self.covers: list[Cover] = []
        self.signed_out = False
        self.idle = IdleWatcher(self.lock, self)
        self.rearm()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def can_lock(self) -> bool:
        """Only an account with a password can be locked (not the local administrator)."""
        return self.ctx.actor.user_id is not None

    def rearm(self) -> None:
        """Read the idle minutes again (after a settings change or a new user)."""
        if self.is_locked or not self.can_lock():
            self.idle.stop()
            return
        with self.ctx.read() as uow:
            minutes = get_safety_settings(uow).idle_lock_minutes
        self.idle.arm(minutes)

    def lock(self, signed_out: bool = False) -> None:
        if self.is_locked or not (signed_out or self.can_lock()):
            return
        self.idle.stop()
        self.signed_out = signed_out
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        username = settings.LAST_USERNAME.get()
        if not signed_out:
            try:
                with self.ctx.read() as uow:
                    username = own_username(uow) or username
            except Exception:  # noqa: BLE001 - the lock must appear even if the database is away
                pass
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and isinstance(widget, (QMainWindow, QDialog, QDockWidget)):
                self.covers.append(Cover(widget))
        self.dialog = LockDialog(self.ctx, username, signed_out, self.window)
        self.dialog.signed_in.connect(self._signed_in)
        self.dialog.quit_requested.connect(self.quit_app)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.locked_changed.emit(True)

    def _signed_in(self, actor: Actor) -> None:
        same = actor.user_id is not None and actor.user_id == self.ctx.actor.user_id
        if same and not self.signed_out:
            if actor != self.ctx.actor:
                self.ctx.set_actor(actor)  # roles changed meanwhile
        elif not self.take_over(actor):
            assert self.dialog is not None
            self.dialog.message.setText(
                f"{self.ctx.actor.name} has unsaved work that was kept, so you were not signed in. "
                f"{self.ctx.actor.name} can unlock to save it.")
            grow_to_fit(self.dialog)
            return
        self.unlock()

    def unlock(self) -> None:
        for cover in self.covers:
            cover.remove()
        self.covers = []
        if self.dialog is not None:
            self.dialog.finish()
            self.dialog = None
        self.signed_out = False
        self.locked_changed.emit(False)
        self.rearm()
