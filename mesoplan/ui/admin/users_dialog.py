"""Administration › Users and roles: every account with its roles, and the changes an administrator
makes to them (add, new password, roles, disable or enable). The service checks every change and
refuses to remove the last administrator; its message is shown as it is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QPushButton, QWidget

from mesoplan.services.clinic import PractitionerRecord, list_practitioners
from mesoplan.services.users import UserRecord, list_users, set_active
from mesoplan.ui import messages
from mesoplan.ui.admin.forms import dialog_layout, fit_to_screen, heading, hint_label
from mesoplan.ui.admin.user_forms import AddUserDialog, PasswordDialog, RolesDialog
from mesoplan.ui.context import AppContext
from mesoplan.ui.widgets.dates import format_timestamp
from mesoplan.ui.widgets.record_model import RecordTableModel, record_table


class UserTableModel(RecordTableModel[UserRecord]):
    headers = ("User name", "Display name", "Roles", "Practitioner record", "Status", "Last sign-in")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.practitioner_names: dict[int, str] = {}

    def cells(self, user: UserRecord) -> tuple[str, ...]:
        roles = ", ".join(sorted(role.label for role in user.roles))
        practitioner = self.practitioner_names.get(user.practitioner_id, "") if user.practitioner_id else ""
        status = "Active" if user.active else "Disabled"
        if user.active and user.failed_sign_ins:
            status += f" ({user.failed_sign_ins} failed sign-ins)"
        return (user.username, user.display_name, roles, practitioner, status,
                format_timestamp(user.last_sign_in_at) or "never")

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            user = self.record(index.row())
            if user is not None and not user.active:
                return QColor("#5b6b75")
        return super().data(index, role)


class UsersDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("usersDialog")
        self.setWindowTitle("Users and roles")
        self.child: QDialog | None = None
        self.practitioners: list[PractitionerRecord] = []
        self.model = UserTableModel(self)
        self.table = record_table(self.model, "usersTable")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.change_roles())
        self.add_button = QPushButton("&Add user…")
        self.add_button.setObjectName("addUser")
        self.password_button = QPushButton("New &password…")
        self.password_button.setObjectName("resetPassword")
        self.roles_button = QPushButton("Change &roles…")
        self.roles_button.setObjectName("changeRoles")
        self.active_button = QPushButton("&Disable")
        self.active_button.setObjectName("toggleActive")
        self.add_button.clicked.connect(self.add_user)
        self.password_button.clicked.connect(self.reset_password)
        self.roles_button.clicked.connect(self.change_roles)
        self.active_button.clicked.connect(self.toggle_active)
        row = QHBoxLayout()
        row.setSpacing(8)
        for button in (self.add_button, self.password_button, self.roles_button, self.active_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = dialog_layout(self)
        layout.addWidget(heading("Users and roles"))
        layout.addWidget(hint_label(
            "Each person signs in with their own account. Disable the account of someone who "
            "leaves: their name stays in the records and the audit trail."))
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()
        fit_to_screen(self, 130, 30)

    def selected(self) -> UserRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def reload(self, select_username: str | None = None) -> None:
        keep = select_username or (self.selected().username if self.selected() else None)
        try:
            with self.ctx.read() as uow:
                users = list_users(uow)
                self.practitioners = list_practitioners(uow)
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, "The users could not be read", exc)
            users = []
        self.model.practitioner_names = {p.id: p.name for p in self.practitioners if p.id is not None}
        self.model.set_rows(users)
        self.table.resizeColumnsToContents()
        for row, user in enumerate(users):
            if user.username == keep:
                self.table.selectRow(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        user = self.selected()
        for button in (self.password_button, self.roles_button, self.active_button):
            button.setEnabled(user is not None)
        self.active_button.setText("&Enable" if user is not None and not user.active else "&Disable")

    def _open(self, dialog: QDialog) -> QDialog:
        self.child = dialog
        dialog.accepted.connect(lambda: self._child_saved(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _child_saved(self, dialog) -> None:
        record = getattr(dialog, "result_record", None)
        self.reload(record.username if isinstance(record, UserRecord) else None)

    def add_user(self) -> QDialog:
        return self._open(AddUserDialog(self.ctx, self.practitioners, self))

    def reset_password(self) -> QDialog | None:
        user = self.selected()
        return self._open(PasswordDialog(self.ctx, user, self)) if user else None

    def change_roles(self) -> QDialog | None:
        user = self.selected()
        return self._open(RolesDialog(self.ctx, user, self.practitioners, self)) if user else None

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        if user.active and not messages.confirm(
                self, "Disable this account?",
                f"{user.username} will no longer be able to sign in. Their name stays in the "
                "records and the audit trail, and you can enable the account again.", "Disable"):
            return
        try:
            with self.ctx.work() as uow:
                set_active(uow, user.username, not user.active)
        except Exception as exc:  # noqa: BLE001 - e.g. the last administrator: the service says why
            messages.show_error(self, "The account was not changed", exc)
            return
        self.reload(user.username)
