"""The small forms of the users dialog: a new account, a new password, roles and the practitioner
link; each saves in one unit of work and shows problems at their field, keeping what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLineEdit, QVBoxLayout, QWidget

from mesoplan.access import Role
from mesoplan.errors import Problem, ValidationError
from mesoplan.services.clinic import PractitionerRecord, set_user_practitioner
from mesoplan.services.users import UserRecord, add_user, set_password, set_roles
from mesoplan.ui import messages
from mesoplan.ui.admin.forms import (
    add_row,
    dialog_buttons,
    dialog_layout,
    fit_scrolling,
    form_layout,
    heading,
    hint_label,
    scroll_area,
)
from mesoplan.ui.context import AppContext
from mesoplan.ui.sign_in import PASSWORD_RULE, password_field
from mesoplan.ui.widgets.field_errors import FieldErrors, error_label

ROLE_HINTS = {
    Role.PRACTITIONER: "screenings, cocktails, plans and sessions; the catalog",
    Role.FRONT_DESK: "the day's schedule, contact details, printing documents",
    Role.ADMINISTRATOR: "users, clinic settings, backups, the audit trail (no medical records)",
}


class RoleChecks(QWidget):
    """One check box per role, each saying what the role may do."""

    def __init__(self, roles: frozenset[Role] = frozenset(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[Role, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        indent = QCheckBox().sizeHint().width()
        for role, mnemonic in ((Role.PRACTITIONER, "&Practitioner"), (Role.FRONT_DESK, "&Front desk"),
                               (Role.ADMINISTRATOR, "Ad&ministrator")):
            box = QCheckBox(mnemonic)
            box.setObjectName(f"role_{role.value}")
            box.setChecked(role in roles)
            hint = hint_label(ROLE_HINTS[role])
            hint.setContentsMargins(indent, 0, 0, 4)
            layout.addWidget(box)
            layout.addWidget(hint)
            self.boxes[role] = box
        self.setFocusProxy(self.boxes[Role.PRACTITIONER])

    def roles(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.boxes.items() if box.isChecked())


def practitioner_choice(practitioners: list[PractitionerRecord], current: int | None) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("practitionerRecord")
    combo.addItem("None", None)
    for person in practitioners:
        if person.active or person.id == current:
            registration = f" — {person.registration_number}" if person.registration_number else ""
            combo.addItem(f"{person.name}{registration}", person.id)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class _FormDialog(QDialog):
    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_record = None
        self.setWindowTitle(title)
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.form = form_layout()

    def finish_layout(self, title: str, intro: str, accept_text: str) -> None:
        self.buttons, self.accept_button = dialog_buttons(accept_text)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(8)
        if intro:
            body_layout.addWidget(hint_label(intro))
        body_layout.addWidget(self.general_error)
        body_layout.addLayout(self.form)
        body_layout.addStretch(1)
        self.body = scroll_area(body)
        layout = dialog_layout(self)
        layout.addWidget(heading(title, "subtitle"))
        layout.addWidget(self.body, 1)
        layout.addWidget(self.buttons)
        fit_scrolling(self, self.body, 76)

    def show_problems(self, error: ValidationError) -> None:
        first = self.errors.show(error.problems)
        fit_scrolling(self, self.body, 76)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        raise NotImplementedError

    def run(self, title: str, action) -> bool:
        """Call ``action(uow)`` in one unit of work; problems are shown and the form stays open."""
        self.errors.clear()
        try:
            with self.ctx.work() as uow:
                self.result_record = action(uow)
        except ValidationError as exc:
            self.show_problems(exc)
            return False
        except Exception as exc:  # noqa: BLE001 - shown; nothing typed is lost
            messages.show_error(self, title, exc)
            return False
        self.accept()
        return True


class AddUserDialog(_FormDialog):
    def __init__(self, ctx: AppContext, practitioners: list[PractitionerRecord],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Add a user", parent)
        self.setObjectName("addUserDialog")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("displayName")
        self.password = password_field("password")
        self.password_again = password_field("passwordAgain")
        self.roles = RoleChecks()
        self.practitioner = practitioner_choice(practitioners, None)
        add_row(self.form, "&User name", self.username, self.errors, ("user name",))
        add_row(self.form, "&Display name", self.display_name, self.errors, ("display name",))
        add_row(self.form, "Pass&word", self.password, self.errors, ("password",), PASSWORD_RULE)
        add_row(self.form, "Password &again", self.password_again, self.errors, ("password again",))
        add_row(self.form, "&Roles", self.roles, self.errors, ("roles", "role"))
        add_row(self.form, "Practitioner re&cord", self.practitioner, self.errors, ("practitioner",),
                "For practitioners: whose name and registration number their documents carry.")
        self.finish_layout("Add a user", "Tell the person their password in private; they can "
                           "sign in straight away.", "&Add user")
        self.username.setFocus()

    def save(self) -> None:
        if self.password.text() != self.password_again.text():
            self.show_problems(ValidationError([Problem("password again", "must be the same as the password")]))
            return
        self.run("The user was not added", lambda uow: add_user(
            uow, self.username.text(), self.password.text(), self.roles.roles(),
            display_name=self.display_name.text(), practitioner_id=self.practitioner.currentData()))


class PasswordDialog(_FormDialog):
    def __init__(self, ctx: AppContext, user: UserRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"New password for {user.username}", parent)
        self.user = user
        self.setObjectName("passwordDialog")
        self.password = password_field("password")
        self.password_again = password_field("passwordAgain")
        add_row(self.form, "New &password", self.password, self.errors, ("password",), PASSWORD_RULE)
        add_row(self.form, "Password &again", self.password_again, self.errors, ("password again",))
        self.finish_layout(f"New password for {user.username}",
                           "The old password stops working at once. Tell the person the new one "
                           "in private.", "&Set password")
        self.password.setFocus()

    def save(self) -> None:
        if self.password.text() != self.password_again.text():
            self.show_problems(ValidationError([Problem("password again", "must be the same as the password")]))
            return
        self.run("The password was not changed",
                 lambda uow: set_password(uow, self.user.username, self.password.text()))


class RolesDialog(_FormDialog):
    def __init__(self, ctx: AppContext, user: UserRecord, practitioners: list[PractitionerRecord],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Roles of {user.username}", parent)
        self.user = user
        self.setObjectName("rolesDialog")
        self.roles = RoleChecks(user.roles)
        self.practitioner = practitioner_choice(practitioners, user.practitioner_id)
        add_row(self.form, "&Roles", self.roles, self.errors, ("roles", "role"))
        add_row(self.form, "Practitioner re&cord", self.practitioner, self.errors, ("practitioner",))
        self.finish_layout(f"Roles of {user.username}",
                           "A change applies the next time the person signs in or unlocks.",
                           "&Save roles")

    def save(self) -> None:
        def change(uow):
            record = self.user
            if self.roles.roles() != self.user.roles:
                record = set_roles(uow, self.user.username, self.roles.roles())
            if self.practitioner.currentData() != self.user.practitioner_id:
                record = set_user_practitioner(uow, self.user.username, self.practitioner.currentData())
            return record

        self.run("The roles were not changed", change)
