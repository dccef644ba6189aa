"""The patient's identity and contact form (also medical notes, for clinical users) and the
new-patient dialog built on it. Problems are shown under the field they are about.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mesoplan.access import Permission
from mesoplan.errors import Problem, ValidationError
from mesoplan.services import patients as patient_service
from mesoplan.services.patients import SEXES, PatientInput, PatientRecord
from mesoplan.ui import messages
from mesoplan.ui.context import AppContext
from mesoplan.ui.widgets.dates import DATE_HINT, OptionalDateEdit
from mesoplan.ui.widgets.field_errors import FieldErrors, error_label
from mesoplan.ui.style import mark

SEX_LABELS = {"female": "Female", "male": "Male", "intersex": "Intersex", "unknown": "Not recorded"}


def text_box(lines: int, parent: QWidget | None = None) -> QPlainTextEdit:
    """A plain-text box about ``lines`` lines high where Tab moves on instead of typing a tab."""
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class PatientForm(QWidget):
    edited = Signal()
    """Emitted whenever the person changes any field."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.show_notes = ctx.can(Permission.VIEW_CLINICAL)
        self.family_name = QLineEdit()
        self.family_name.setObjectName("familyName")
        self.given_names = QLineEdit()
        self.given_names.setObjectName("givenNames")
        self.date_of_birth = OptionalDateEdit(maximum=dt.date.today())
        self.date_of_birth.setObjectName("dateOfBirth")
        self.sex = QComboBox()
        self.sex.setObjectName("sex")
        for value in SEXES:
            self.sex.addItem(SEX_LABELS.get(value, value), value)
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.email = QLineEdit()
        self.email.setObjectName("email")
        self.address = text_box(3)
        self.address.setObjectName("address")
        self.gp_details = text_box(2)
        self.gp_details.setObjectName("gpDetails")
        self.gp_details.setPlaceholderText("Family doctor's name and practice")
        self.notes = text_box(4)
        self.notes.setObjectName("medicalNotes")
        self.notes.setReadOnly(not ctx.can(Permission.EDIT_CLINICAL))

        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setSpacing(8)
        rows = (
            ("&Family name", self.family_name, ("family name", "name")),
            ("&Given names", self.given_names, ("given names",)),
            ("Date of &birth", self.date_of_birth, ("date of birth",)),
            ("Se&x", self.sex, ("sex",)),
            ("&Phone", self.phone, ("phone",)),
            ("&E-mail", self.email, ("email", "e-mail")),
            ("A&ddress", self.address, ("address",)),
            ("&GP details", self.gp_details, ("gp details", "gp_details")),
        )
        if self.show_notes:
            rows += (("&Medical notes", self.notes, ("notes", "medical notes")),)
        else:
            self.notes.hide()
        for text, widget, names in rows:
            self.errors.add_row(form, text, widget, names)
        self.date_of_birth.line.setToolTip(f"Optional; {DATE_HINT}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        for signal in (self.family_name.textChanged, self.given_names.textChanged,
                       self.date_of_birth.date_changed, self.sex.currentIndexChanged,
                       self.phone.textChanged, self.email.textChanged, self.address.textChanged,
                       self.gp_details.textChanged, self.notes.textChanged):
            signal.connect(self._changed)
        self._loaded: tuple = self._snapshot()
        self._filling = False

    # --- values ---------------------------------------------------------------------------------

    def set_record(self, record: PatientRecord | None) -> None:
        """Fill the form from ``record`` (empty for None); the form is then unmodified."""
        self._filling = True
        try:
            self.family_name.setText(record.family_name if record else "")
            self.given_names.setText(record.given_names if record else "")
            self.date_of_birth.set_date(record.date_of_birth if record else None)
            sex = record.sex if record else "unknown"
            self.sex.setCurrentIndex(max(0, self.sex.findData(sex)))
            self.phone.setText(record.phone if record else "")
            self.email.setText(record.email if record else "")
            self.address.setPlainText(record.address if record else "")
            self.gp_details.setPlainText(record.gp_details if record else "")
            self.notes.setPlainText((record.notes or "") if record else "")
        finally:
            self._filling = False
        self.errors.clear()
        self._loaded = self._snapshot()

    def value(self) -> PatientInput:
        """What the form holds; raises ValidationError when the birth date is not a date."""
        if self.date_of_birth.has_error():
            raise ValidationError([Problem(
                "date of birth", f"'{self.date_of_birth.text()}' is not a date; {DATE_HINT}")])
        return PatientInput(
            family_name=self.family_name.text(), given_names=self.given_names.text(),
            date_of_birth=self.date_of_birth.date(), sex=self.sex.currentData(),
            phone=self.phone.text(), email=self.email.text(),
            address=self.address.toPlainText(), gp_details=self.gp_details.toPlainText(),
            notes=self.notes.toPlainText() if self.show_notes else "",
        )

    def is_modified(self) -> bool:
        return self._snapshot() != self._loaded

    def show_problems(self, error: ValidationError) -> None:
        """Put each problem under its field and move the cursor to the first one."""
        first = self.errors.show(error.problems)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_problems(self) -> None:
        self.errors.clear()

    def _snapshot(self) -> tuple:
        return (self.family_name.text(), self.given_names.text(), self.date_of_birth.text(),
                self.sex.currentData(), self.phone.text(), self.email.text(),
                self.address.toPlainText(), self.gp_details.toPlainText(), self.notes.toPlainText())

    def _changed(self, *_args) -> None:
        if not self._filling:
            self.edited.emit()


class NewPatientDialog(QDialog):
    """Add a patient: the form, then ``created(PatientRecord)`` once the service saved it."""

    created = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("New patient")
        self.setObjectName("newPatientDialog")
        self.form = PatientForm(ctx, self)
        self.form.set_record(None)
        intro = QLabel("Only the family name is required; everything else can be added later.")
        mark(intro, role="hint")
        intro.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Add patient")
        mark(self.save_button, primary="true")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.record: PatientRecord | None = None
        self.form.family_name.setFocus()
        self.resize(max(self.sizeHint().width(), self.fontMetrics().averageCharWidth() * 70),
                    self.sizeHint().height())

    def save(self) -> bool:
        try:
            data = self.form.value()
            with self.ctx.work() as uow:
                self.record = patient_service.create_patient(uow, data)
        except ValidationError as exc:
            self.form.show_problems(exc)
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))  # room for them
            return False
        except Exception as exc:  # noqa: BLE001 - shown to the person; the form keeps its text
            messages.show_error(self, "The patient was not added", exc)
            return False
        self.created.emit(self.record)
        self.accept()
        return True
