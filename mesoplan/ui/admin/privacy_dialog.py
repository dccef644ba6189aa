"""Privacy and retention: a patient's complete record for an access request, how long their records
must be kept, anonymising after that (typed confirmation) and who is due. What each person sees
follows their permissions (export: practitioner; retention and anonymising: administrator).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mesoplan.access import Permission
from mesoplan.services.patients import get_summary
from mesoplan.services.privacy import (
    RetentionStatus,
    anonymisation_candidates,
    anonymise_patient,
    export_patient_record,
    retention_status,
)
from mesoplan.services.uow import work
from mesoplan.ui import messages
from mesoplan.ui.admin import forms
from mesoplan.ui.admin.forms import (
    dialog_buttons,
    dialog_layout,
    fit_to_screen,
    fit_width,
    heading,
    hint_label,
    scroll_area,
)
from mesoplan.files import json_bytes, write_private_file
from mesoplan.ui.admin.transfer import JSON_FILTER
from mesoplan.ui.context import AppContext
from mesoplan.ui.widgets.record_model import RecordTableModel, record_table

CONFIRM_WORD = "ANONYMISE"


class DueTableModel(RecordTableModel[RetentionStatus]):
    headers = ("Patient number", "Last record", "May be anonymised since")

    def cells(self, status: RetentionStatus) -> tuple[str, ...]:
        return (str(status.patient_id), status.last_record_on.isoformat(),
                status.may_anonymise_from.isoformat())


class AnonymiseConfirmDialog(QDialog):
    """The typed confirmation: nothing happens unless the word is typed exactly."""

    def __init__(self, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("anonymiseConfirmDialog")
        self.setWindowTitle(f"Anonymise patient {patient_id}?")
        self.word = QLineEdit()
        self.word.setObjectName("confirmWord")
        label = QLabel(f"&Type {CONFIRM_WORD} to confirm")
        label.setBuddy(self.word)
        self.buttons, self.confirm_button = dialog_buttons(f"&Anonymise patient {patient_id}")
        self.confirm_button.setEnabled(False)
        self.word.textChanged.connect(lambda text: self.confirm_button.setEnabled(text.strip() == CONFIRM_WORD))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = dialog_layout(self)
        layout.addWidget(heading(f"Anonymise patient {patient_id}?", "subtitle"))
        layout.addWidget(hint_label(
            "Their name, contact details and every free text (notes, goals, reactions, typed "
            "screening answers, copies of documents) are removed for good; the year of birth, sex "
            "and the clinical numbers stay for statistics. Their earlier audit entries lose their "
            "details but still verify. This cannot be undone."))
        layout.addWidget(label)
        layout.addWidget(self.word)
        layout.addWidget(self.buttons)
        fit_width(self, 64)
        self.word.setFocus()


class PrivacyDialog(QDialog):
    def __init__(self, ctx: AppContext, patient_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("privacyDialog")
        self.setWindowTitle("Privacy and retention")
        self.may_export = ctx.can(Permission.EXPORT_DATA) and ctx.can(Permission.VIEW_CLINICAL)
        self.may_anonymise = ctx.can(Permission.ANONYMISE)
        self.status: RetentionStatus | None = None
        self.child: AnonymiseConfirmDialog | None = None

        self.patient = QSpinBox()
        self.patient.setObjectName("patientNumber")
        self.patient.setRange(1, 2_000_000_000)
        self.patient.setValue(patient_id or 1)
        self.patient.setMinimumWidth(self.fontMetrics().averageCharWidth() * 14)
        patient_label = QLabel("Patient &number")
        patient_label.setBuddy(self.patient)
        self.show_button = QPushButton("S&how")
        self.show_button.clicked.connect(self.show_patient)
        self.patient.editingFinished.connect(self.show_patient)
        self.who = hint_label("")
        self.who.setObjectName("patientName")
        self.retention = QLabel()
        self.retention.setObjectName("retentionStatus")
        self.retention.setWordWrap(True)
        self.export_button = QPushButton("&Export complete record…")
        self.export_button.setObjectName("exportRecord")
        self.export_button.clicked.connect(self.export_record)
        self.anonymise_button = QPushButton("&Anonymise…")
        self.anonymise_button.setObjectName("anonymise")
        self.anonymise_button.clicked.connect(self.anonymise)
        self.export_button.setVisible(self.may_export)
        self.anonymise_button.setVisible(self.may_anonymise)
        self.retention.setVisible(self.may_anonymise)

        choose = QHBoxLayout()
        choose.addWidget(patient_label)
        choose.addWidget(self.patient)
        choose.addWidget(self.show_button)
        choose.addWidget(self.who, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.anonymise_button)
        actions.addStretch(1)
        patient_box = QGroupBox("A patient")
        box_layout = QVBoxLayout(patient_box)
        box_layout.setSpacing(8)
        box_layout.addLayout(choose)
        box_layout.addWidget(self.retention)
        box_layout.addLayout(actions)

        self.due_model = DueTableModel(self)
        self.due_table = record_table(self.due_model, "dueTable")
        self.due_table.horizontalHeader().setStretchLastSection(True)
        self.due_table.selectionModel().currentRowChanged.connect(self._due_selected)
        due_box = QGroupBox("Due for anonymisation")
        due_layout = QVBoxLayout(due_box)
        self.due_hint = hint_label("")
        self.due_hint.setObjectName("dueHint")
        due_layout.addWidget(self.due_hint)
        due_layout.addWidget(self.due_table, 1)
        due_box.setVisible(self.may_anonymise)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(8)
        body_layout.addWidget(hint_label(
            "The complete record answers a patient's request for their data: their records in the "
            "exchange format, the documents issued and the audit entries about them. Records are "
            "kept for the clinic's retention period after the last one; then the patient may be "
            "anonymised."))
        body_layout.addWidget(patient_box)
        body_layout.addWidget(due_box, 1)
        layout = dialog_layout(self)
        layout.addWidget(heading("Privacy and retention"))
        layout.addWidget(scroll_area(body), 1)
        layout.addWidget(close)
        if self.may_anonymise:
            self.reload_due()
        if patient_id is not None:
            self.show_patient()
        else:
            self._set_status(None, "", "Choose a patient number, or a patient from the list below.")
        if self.may_anonymise:
            fit_to_screen(self, 96, 36)
        else:
            fit_width(self, 96)

    def patient_id(self) -> int:
        return self.patient.value()

    def show_patient(self) -> None:
        patient_id = self.patient_id()
        name = ""
        try:
            with self.ctx.read() as uow:
                if self.ctx.can(Permission.VIEW_CONTACT):
                    name = get_summary(uow, patient_id).full_name
                status = retention_status(uow, patient_id) if self.may_anonymise else None
        except Exception as exc:  # noqa: BLE001 - e.g. no such patient: said in place
            self._set_status(None, "", str(exc))
            return
        self._set_status(status, name)

    def _set_status(self, status: RetentionStatus | None, name: str, problem: str = "") -> None:
        self.status = status
        self.who.setText(problem or name)
        today = dt.date.today()
        if status is None:
            self.retention.setText("")
        elif status.anonymised_at is not None:
            self.retention.setText(f"Anonymised on {status.anonymised_at:%Y-%m-%d}.")
        elif status.may_anonymise(today):
            self.retention.setText(
                f"Last record {status.last_record_on.isoformat()}; the {status.retention_years}-year "
                f"retention period ended on {status.may_anonymise_from.isoformat()}, so the patient "
                "may be anonymised.")
        else:
            self.retention.setText(
                f"Last record {status.last_record_on.isoformat()}. The records must be kept for "
                f"{status.retention_years} years after it: anonymising is possible from "
                f"{status.may_anonymise_from.isoformat()}, not before.")
        self.anonymise_button.setEnabled(status is not None and status.may_anonymise(today))
        self.export_button.setEnabled(not problem)

    def reload_due(self) -> None:
        with self.ctx.read() as uow:
            due = anonymisation_candidates(uow)
        self.due_model.set_rows(due)
        self.due_table.resizeColumnsToContents()
        self.due_hint.setText(("Patients whose records have been kept for the whole retention period "
                               "after their last record. Select one to see it above.") if due else
                              "No patient's retention period has passed.")

    def _due_selected(self, current, _previous) -> None:
        status = self.due_model.record(current.row())
        if status is not None:
            self.patient.setValue(status.patient_id)
            self.show_patient()

    # --- actions --------------------------------------------------------------------------------

    def export_record(self) -> None:
        patient_id = self.patient_id()
        target = forms.ask_save_path(self, "Export the complete record",
                                     f"patient-{patient_id}-complete-record.json", JSON_FILTER)
        if target is None:
            return
        if target.exists():
            messages.show_error(self, "The record was not exported",
                                f"{target} already exists; choose a new file name.")
            return
        database, actor = self.ctx.database, self.ctx.actor

        def export(_progress):
            with work(database, actor) as uow:
                document = export_patient_record(uow, patient_id)
                write_private_file(target, json_bytes(document))
            return document["privacy_request"]

        def done(extra) -> None:
            forms.inform(self, "Complete record exported",
                         f"The record of patient {patient_id} ({len(extra['issued_documents'])} "
                         f"document(s), {len(extra['audit_trail'])} audit entries) was saved as "
                         f"{target}. The file is readable by your user account only; send it to the "
                         "patient by a secure route.")

        self.ctx.tasks.run(export, done, lambda exc: messages.show_error(self, "The record was not exported", exc),
                           label="Exporting the complete record…", parent=self)

    def anonymise(self) -> AnonymiseConfirmDialog:
        patient_id = self.patient_id()
        dialog = AnonymiseConfirmDialog(patient_id, self)
        self.child = dialog
        dialog.accepted.connect(lambda: self._anonymise_confirmed(patient_id))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _anonymise_confirmed(self, patient_id: int) -> None:
        try:
            with self.ctx.work() as uow:
                result = anonymise_patient(uow, patient_id)
        except Exception as exc:  # noqa: BLE001 - e.g. refused before the retention period ends
            messages.show_error(self, "The patient was not anonymised", exc)
            return
        forms.inform(self, "Patient anonymised",
                     f"Patient {patient_id} was anonymised: {result.screenings} screening(s), "
                     f"{result.plans} plan(s), {result.sessions} session(s) and {result.documents} "
                     f"document(s) were cleared, and {result.audit_entries_redacted} audit entries "
                     "lost their details.")
        self.reload_due()
        self.show_patient()
