"""Who uses the window: the first-run dialog (creates the administrator) and the sign-in dialog.
``obtain_actor`` runs before the main window. With ``MESOPLAN_LOCAL_ADMIN=1`` and no account at all
in the database, it skips the first run and acts as the local administrator (unattended starts).
"""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mesoplan.access import Actor, Role, local_command_actor, nobody
from mesoplan.db.engine import Database
from mesoplan.errors import MesoPlanError, Problem, ValidationError
from mesoplan.security import MIN_PASSWORD_LENGTH
from mesoplan.services.clinic import list_practitioners, set_user_practitioner
from mesoplan.services.uow import read, work
from mesoplan.services.users import SignInFailed, create_first_administrator, has_users, sign_in
from mesoplan.ui import messages, settings
from mesoplan.ui.admin.forms import (
    add_row,
    dialog_buttons,
    dialog_layout,
    fit_scrolling,
    fit_width,
    form_layout,
    grow_to_fit,
    heading,
    hint_label,
    scroll_area,
)
from mesoplan.ui.widgets.field_errors import FieldErrors, error_label

LOCAL_ADMIN_ENV = "MESOPLAN_LOCAL_ADMIN"
PASSWORD_RULE = (f"At least {MIN_PASSWORD_LENGTH} characters, and not the same as the user name. "
                 "A few unrelated words make a password that is long, easy to remember and hard "
                 "to guess.")


def obtain_actor(database: Database, parent: QWidget | None = None) -> Actor | None:
    """The signed-in user, or None when the person closed the dialog (the app then quits)."""
    try:
        with read(database, nobody()) as uow:
            accounts = has_users(uow)
    except MesoPlanError as exc:
        messages.show_error(parent, "MesoPlan cannot read its database", exc)
        return None
    if not accounts:
        if os.environ.get(LOCAL_ADMIN_ENV, "").strip() == "1":
            return local_command_actor()
        dialog: FirstRunDialog | SignInDialog = FirstRunDialog(database, parent)
    else:
        dialog = SignInDialog(database, parent)
    return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(1024)
    return field


class SignInForm(QWidget):
    """User name and password with a line for a refusal; used at start and on the lock screen."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setMaxLength(80)
        self.password = password_field("password")
        self.refusal = error_label()
        self.refusal.setObjectName("signInRefusal")
        form = form_layout()
        add_row(form, "&User name", self.username)
        add_row(form, "&Password", self.password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.refusal)

    def focus_first_empty(self) -> None:
        (self.password if self.username.text() else self.username).setFocus(Qt.FocusReason.OtherFocusReason)

    def try_sign_in(self) -> Actor | None:
        """Check the name and password (recorded in the audit trail); None after showing why not."""
        self.refusal.hide()
        try:
            actor = sign_in(self.database, self.username.text(), self.password.text())
        except SignInFailed as exc:
            self.refusal.setText(str(exc))
            self.refusal.show()
            grow_to_fit(self.window())
            self.password.clear()
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        except Exception as exc:  # noqa: BLE001 - e.g. the database went away: say so, keep the form
            messages.show_error(self, "Signing in did not work", exc)
            return None
        self.password.clear()
        settings.LAST_USERNAME.set(self.username.text().strip())
        return actor


class SignInDialog(QDialog):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle("Sign in — MesoPlan")
        self.actor: Actor | None = None
        self.form = SignInForm(database, self)
        self.form.username.setText(settings.LAST_USERNAME.get())
        self.buttons, self.sign_in_button = dialog_buttons("&Sign in", "&Quit")
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = dialog_layout(self)
        layout.addWidget(heading("Sign in to MesoPlan"))
        layout.addWidget(hint_label(f"Database: {database.describe()}"))
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        fit_width(self, 56)
        self.form.focus_first_empty()

    def sign_in(self) -> None:
        self.actor = self.form.try_sign_in()
        if self.actor is not None:
            self.accept()


class FirstRunDialog(QDialog):
    """No accounts yet: create the administrator, who then adds everyone else."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setObjectName("firstRunDialog")
        self.setWindowTitle("Welcome to MesoPlan")
        self.actor: Actor | None = None
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setMaxLength(80)
        self.display_name = QLineEdit()
        self.display_name.setObjectName("displayName")
        self.display_name.setPlaceholderText("e.g. Dr Anna Nowak")
        self.password = password_field("password")
        self.password_again = password_field("passwordAgain")
        self.practitioner_role = QCheckBox("This person also &treats patients (practitioner role)")
        self.practitioner_role.setObjectName("practitionerRole")
        self.practitioner = QComboBox()
        self.practitioner.setObjectName("practitionerRecord")
        self.practitioner.addItem("None", None)
        with read(database, nobody()) as uow:
            for person in list_practitioners(uow, include_inactive=False):
                registration = f" — {person.registration_number}" if person.registration_number else ""
                self.practitioner.addItem(f"{person.name}{registration}", person.id)

        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        form = form_layout()
        add_row(form, "&User name", self.username, self.errors, ("user name",),
                "Letters, digits, dots, dashes or underscores; used to sign in.")
        add_row(form, "&Display name", self.display_name, self.errors, ("display name",),
                "Shown in the audit trail and the status bar.")
        add_row(form, "&Password", self.password, self.errors, ("password",), PASSWORD_RULE)
        add_row(form, "Password &again", self.password_again, self.errors, ("password again",))
        form.addRow("", self.practitioner_role)
        self.practitioner_label = add_row(
            form, "Practitioner &record", self.practitioner, self.errors, ("practitioner",),
            "Whose name and registration number documents issued by this user carry.")
        self.practitioner.setEnabled(False)
        self.practitioner_role.toggled.connect(self.practitioner.setEnabled)
        has_records = self.practitioner.count() > 1
        self.practitioner_label.setVisible(has_records)
        self.practitioner.parentWidget().setVisible(has_records)

        self.buttons, self.create_button = dialog_buttons("&Create account", "&Quit")
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(8)
        body_layout.addWidget(hint_label(
            "This database has no user accounts yet. The administrator adds the other users and "
            "looks after the clinic settings, backups and the audit trail. Someone who also treats "
            "patients needs the practitioner role as well to see medical records."))
        body_layout.addWidget(self.general_error)
        body_layout.addLayout(form)
        body_layout.addStretch(1)
        self.body = scroll_area(body)
        layout = dialog_layout(self)
        layout.addWidget(heading("Create the administrator's account"))
        layout.addWidget(self.body, 1)
        layout.addWidget(self.buttons)
        fit_scrolling(self, self.body, 76)
        self.username.setFocus()

    def create(self) -> None:
        self.errors.clear()
        if self.password.text() != self.password_again.text():
            self._show(ValidationError([Problem("password again", "must be the same as the password")]))
            return
        roles = {Role.ADMINISTRATOR} | ({Role.PRACTITIONER} if self.practitioner_role.isChecked() else set())
        try:
            actor = create_first_administrator(self.database, self.username.text(), self.password.text(),
                                               display_name=self.display_name.text(), roles=roles)
        except ValidationError as exc:
            self._show(exc)
            return
        except Exception as exc:  # noqa: BLE001 - shown; the form keeps what was typed
            messages.show_error(self, "The account was not created", exc)
            return
        practitioner_id = self.practitioner.currentData() if self.practitioner.isEnabled() else None
        if practitioner_id is not None:
            try:
                with work(self.database, actor) as uow:
                    set_user_practitioner(uow, self.username.text(), practitioner_id)
                actor = replace(actor, practitioner_id=practitioner_id)
            except Exception as exc:  # noqa: BLE001 - the account exists; the link can be made later
                messages.show_error(self, "The practitioner record was not linked", exc)
        settings.LAST_USERNAME.set(self.username.text().strip())
        self.actor = actor
        self.accept()

    def _show(self, error: ValidationError) -> None:
        first = self.errors.show(error.problems)
        fit_scrolling(self, self.body, 76)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
