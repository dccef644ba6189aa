"""The clinic settings' practitioners: who treats patients, with the registration numbers documents
print. Each change is saved at once (its own unit of work); practitioners who leave are deactivated,
never deleted, so their plans and documents keep the name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from mesoplan.errors import ValidationError
from mesoplan.services.clinic import (
    PractitionerRecord,
    list_practitioners,
    save_practitioner,
    set_practitioner_active,
)
from mesoplan.ui import messages
from mesoplan.ui.admin.forms import (
    add_row,
    dialog_buttons,
    dialog_layout,
    fit_width,
    form_layout,
    grow_to_fit,
    hint_label,
)
from mesoplan.ui.context import AppContext
from mesoplan.ui.widgets.field_errors import FieldErrors, error_label
from mesoplan.ui.widgets.record_model import RecordTableModel, record_table


class PractitionerTableModel(RecordTableModel[PractitionerRecord]):
    headers = ("Name", "Profession", "Registration number", "Status")

    def cells(self, person: PractitionerRecord) -> tuple[str, ...]:
        return (person.name, person.profession, person.registration_number,
                "Active" if person.active else "Deactivated")


class PractitionerDialog(QDialog):
    def __init__(self, ctx: AppContext, record: PractitionerRecord | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record = record
        self.saved: PractitionerRecord | None = None
        self.setObjectName("practitionerDialog")
        self.setWindowTitle("Edit practitioner" if record else "Add a practitioner")
        self.name = QLineEdit(record.name if record else "")
        self.name.setObjectName("practitionerName")
        self.profession = QLineEdit(record.profession if record else "")
        self.profession.setObjectName("profession")
        self.profession.setPlaceholderText("e.g. Physician (dermatology), Nurse prescriber")
        self.registration = QLineEdit(record.registration_number if record else "")
        self.registration.setObjectName("registrationNumber")
        self.registration.setPlaceholderText("e.g. GMC 1234567")
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        form = form_layout()
        add_row(form, "&Name", self.name, self.errors, ("name",))
        add_row(form, "&Profession", self.profession, self.errors, ("profession",))
        add_row(form, "&Registration number", self.registration, self.errors, ("registration number",),
                "With the register's name, as it should appear on consent forms.")
        self.buttons, self.save_button = dialog_buttons("&Save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = dialog_layout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        fit_width(self, 64)
        self.name.setFocus()

    def save(self) -> None:
        record = PractitionerRecord(self.record.id if self.record else None, self.name.text(),
                                    self.profession.text(), self.registration.text(),
                                    self.record.active if self.record else True)
        try:
            with self.ctx.work() as uow:
                self.saved = save_practitioner(uow, record)
        except ValidationError as exc:
            first = self.errors.show(exc.problems)
            grow_to_fit(self)
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, "The practitioner was not saved", exc)
            return
        self.accept()


class PractitionersPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.child: PractitionerDialog | None = None
        self.model = PractitionerTableModel(self)
        self.table = record_table(self.model, "practitionersTable")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.add_button = QPushButton("&Add practitioner…")
        self.add_button.setObjectName("addPractitioner")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setObjectName("editPractitioner")
        self.active_button = QPushButton("&Deactivate")
        self.active_button.setObjectName("togglePractitioner")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.active_button.clicked.connect(self.toggle_active)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.active_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(hint_label("Consent forms print the practitioner's name, profession and "
                                    "registration number. Changes here are saved at once."))
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def selected(self) -> PractitionerRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def reload(self, select_id: int | None = None) -> None:
        with self.ctx.read() as uow:
            people = list_practitioners(uow)
        self.model.set_rows(people)
        self.table.resizeColumnsToContents()
        for row, person in enumerate(people):
            if person.id == select_id:
                self.table.selectRow(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        person = self.selected()
        self.edit_button.setEnabled(person is not None)
        self.active_button.setEnabled(person is not None)
        self.active_button.setText("&Reactivate" if person is not None and not person.active else "&Deactivate")

    def _open(self, dialog: PractitionerDialog) -> PractitionerDialog:
        self.child = dialog
        dialog.accepted.connect(lambda: self.reload(dialog.saved.id if dialog.saved else None))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def add(self) -> PractitionerDialog:
        return self._open(PractitionerDialog(self.ctx, None, self))

    def edit(self) -> PractitionerDialog | None:
        person = self.selected()
        return self._open(PractitionerDialog(self.ctx, person, self)) if person else None

    def toggle_active(self) -> None:
        person = self.selected()
        if person is None or person.id is None:
            return
        try:
            with self.ctx.work() as uow:
                set_practitioner_active(uow, person.id, not person.active)
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, "The practitioner was not changed", exc)
            return
        self.reload(person.id)
