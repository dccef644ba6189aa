"""Recording a new screening: the questionnaire form, started from the last screening's answers.

Each save adds a new dated screening (``services.screenings.add_screening``); earlier ones stay as
they were. Problems are shown at the question they are about, and nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from mesoplan.errors import ValidationError
from mesoplan.screening import load_questionnaire
from mesoplan.services import screenings as screening_service
from mesoplan.services.patients import PatientRecord
from mesoplan.ui import messages, settings
from mesoplan.ui.context import AppContext
from mesoplan.ui.patients.patient_form import SEX_LABELS, text_box
from mesoplan.ui.patients.screening_form import ScreeningForm
from mesoplan.ui.widgets.dates import format_birth, relative_days
from mesoplan.ui.widgets.field_errors import error_label, mark_invalid
from mesoplan.ui.style import mark


class ScreeningDialog(QDialog):
    saved = Signal(object)
    """The new ``ScreeningRecord``, once it is stored."""

    def __init__(self, ctx: AppContext, patient: PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient = patient
        self.setObjectName("screeningDialog")
        self.setWindowTitle(f"New screening: {patient.full_name}")
        with ctx.read() as uow:
            latest = screening_service.latest_screening(uow, patient.id)
            answers = screening_service.draft_answers_for_new_screening(uow, patient.id)
        questionnaire = load_questionnaire()

        title = QLabel(f"New screening for {patient.full_name}")
        mark(title, role="title")
        title.setTextFormat(Qt.TextFormat.PlainText)
        facts = [f"born {format_birth(patient.date_of_birth)}" if patient.date_of_birth else "",
                 SEX_LABELS.get(patient.sex, patient.sex).lower()]
        subtitle = QLabel(" · ".join(f for f in facts if f))
        mark(subtitle, role="hint")
        self.taken_on = QDateEdit()
        self.taken_on.setObjectName("screeningDate")
        self.taken_on.setCalendarPopup(True)
        self.taken_on.setDisplayFormat("yyyy-MM-dd")
        today = dt.date.today()
        self.taken_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.taken_on.setDate(QDate(today.year, today.month, today.day))
        date_label = QLabel("Screening &date")
        date_label.setBuddy(self.taken_on)
        self.date_error = error_label()
        if latest is None:
            origin = "This is the patient's first screening."
        else:
            origin = (f"Answers are copied from the screening of {latest.taken_on.isoformat()} "
                      f"({relative_days(latest.taken_on)}); questions asked every time (such as "
                      "pregnancy) start empty. Go through every answer with the patient.")
        self.origin = QLabel(origin)
        mark(self.origin, role="hint")
        self.origin.setWordWrap(True)

        self.form = ScreeningForm(questionnaire, patient.sex, answers)
        self.notes = text_box(2)
        self.notes.setObjectName("screeningNotes")
        notes_label = QLabel("&Notes on this screening")
        notes_label.setBuddy(self.notes)
        self.general_error = error_label()
        self.progress = QLabel()
        mark(self.progress, role="hint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save screening")
        mark(self.save_button, primary="true")
        self.save_button.setAutoDefault(False)
        self.save_button.setDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        head = QHBoxLayout()
        head.setSpacing(8)
        titles = QVBoxLayout()
        titles.addWidget(title)
        titles.addWidget(subtitle)
        head.addLayout(titles, 1)
        head.addWidget(date_label)
        head.addWidget(self.taken_on)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addWidget(self.date_error)
        layout.addWidget(self.origin)
        layout.addWidget(self.form, 1)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes)
        layout.addWidget(self.general_error)
        footer = QHBoxLayout()
        footer.addWidget(self.progress, 1)
        footer.addWidget(self.buttons)
        layout.addLayout(footer)

        self.form.changed.connect(self._update_progress)
        self._update_progress()
        self._started_with = (self.form.raw_answers(), "")
        self._restore_size()
        self.record = None

    # --- saving ---------------------------------------------------------------------------------

    def screening_date(self) -> dt.date:
        return self.taken_on.date().toPython()

    def save(self) -> bool:
        self.general_error.hide()
        self.date_error.hide()
        mark_invalid(self.taken_on, False)
        answers = self.form.raw_answers()
        try:
            with self.ctx.work() as uow:
                self.record = screening_service.add_screening(
                    uow, self.patient.id, self.screening_date(), answers, self.notes.toPlainText())
        except ValidationError as exc:
            self._show_problems(exc)
            return False
        except Exception as exc:  # noqa: BLE001 - shown to the person; the form keeps its answers
            messages.show_error(self, "The screening was not saved", exc)
            return False
        self.saved.emit(self.record)
        self._save_size()
        self.accept()
        return True

    def _show_problems(self, exc: ValidationError) -> None:
        left = self.form.show_problems(exc.problems)
        general = []
        for problem in left:
            if problem.where.casefold() == "screening date":
                self.date_error.setText(f"The screening date {problem.message}.")
                self.date_error.show()
                mark_invalid(self.taken_on, True)
                self.taken_on.setFocus()
            else:
                general.append(str(problem))
        if general:
            self.general_error.setText("Nothing was saved:\n" + "\n".join(general))
            self.general_error.show()

    def is_modified(self) -> bool:
        return (self.form.raw_answers(), self.notes.toPlainText()) != self._started_with

    def reject(self) -> None:
        if self.is_modified() and not messages.confirm(
                self, "Discard this screening?",
                "The answers you gave in this screening have not been saved. Discard them?",
                yes="Discard", no="Keep editing"):
            return
        self._save_size()
        super().reject()

    # --- looks ----------------------------------------------------------------------------------

    def _update_progress(self) -> None:
        answered, asked = self.form.answered_count()
        left = len(self.form.unanswered_safety())
        safety = (f" · {left} safety question{'s' if left != 1 else ''} still to answer: a plan cannot be "
                  "marked ready until they are" if left else " · every safety question answered")
        self.progress.setText(f"{answered} of {asked} questions answered{safety}")
        self.progress.setWordWrap(True)

    def _restore_size(self) -> None:
        geometry = settings.SCREENING_DIALOG_GEOMETRY.get()
        if not geometry.isEmpty() and self.restoreGeometry(geometry):
            return
        screen = self.screen().availableGeometry() if self.screen() else None
        width = self.fontMetrics().averageCharWidth() * 130
        height = self.fontMetrics().lineSpacing() * 44
        if screen is not None:
            width, height = min(width, int(screen.width() * 0.9)), min(height, int(screen.height() * 0.9))
        self.resize(width, height)

    def _save_size(self) -> None:
        settings.SCREENING_DIALOG_GEOMETRY.set(self.saveGeometry())
