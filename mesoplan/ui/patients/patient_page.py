"""The patient page (a tab): identity and contact details, the safety strip, plans and screenings.

Front-desk users see and edit contact details only; clinical parts are not even built for them
(and the services refuse them anyway). Saving sends the version the form was loaded at, so a
save that lost a race shows who saved first, with Reload, and keeps what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mesoplan.access import Permission
from mesoplan.errors import ConflictError, NotFound, ValidationError
from mesoplan.screening import load_questionnaire, safety_summary
from mesoplan.services import patients as patient_service
from mesoplan.services import plans as plan_service
from mesoplan.services import screenings as screening_service
from mesoplan.services import templates as template_service
from mesoplan.services.patients import PatientRecord
from mesoplan.services.screenings import ScreeningRecord
from mesoplan.text import list_name
from mesoplan.ui import messages, settings
from mesoplan.ui.context import AppContext
from mesoplan.ui.pages import Page
from mesoplan.ui.patients.patient_form import SEX_LABELS, PatientForm
from mesoplan.ui.widgets.banner import Banner
from mesoplan.ui.widgets.dates import format_birth
from mesoplan.ui.widgets.safety_strip import SafetyStrip
from mesoplan.ui.style import mark


def flag_counts(items) -> str:
    """'2 alerts, 1 caution' for a screening's at-a-glance items ('' when nothing is flagged)."""
    alerts = sum(1 for i in items if i.level == "alert")
    cautions = sum(1 for i in items if i.level == "caution")
    parts = [f"{alerts} alert{'s' if alerts != 1 else ''}" if alerts else "",
             f"{cautions} caution{'s' if cautions != 1 else ''}" if cautions else ""]
    words = ", ".join(p for p in parts if p) or "no alerts or cautions"
    first = next((i.text for i in items if i.level == "alert"), "")
    return f"{words}: {first}" if first else words


class PatientPage(Page):
    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.patient_id = patient_id
        self.setObjectName("patientPage")
        self.record: PatientRecord | None = None
        self.clinical = ctx.can(Permission.VIEW_CLINICAL)
        self._was_modified = False
        self._title = f"Patient {patient_id}"

        self.banner = Banner()
        self.title = QLabel()
        mark(self.title, role="title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.facts = QLabel()
        mark(self.facts, role="hint")
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setWordWrap(True)
        self.title.setWordWrap(True)
        self.save_button = QPushButton("&Save changes")
        self.save_button.setObjectName("savePatientButton")
        mark(self.save_button, primary="true")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.setToolTip("Forget the changes you made since the last save")
        self.revert_button.clicked.connect(self.reload_record)
        for button in (self.save_button, self.revert_button):
            button.setVisible(ctx.can(Permission.EDIT_CONTACT))

        self.form = PatientForm(ctx)
        self.form.setMaximumWidth(self.fontMetrics().averageCharWidth() * 90)
        self.form.edited.connect(self._form_edited)
        form_box = QGroupBox("Identity and contact" + (" · medical notes" if self.clinical else ""))
        form_layout = QVBoxLayout(form_box)
        form_layout.setContentsMargins(8, 12, 8, 8)
        form_layout.addWidget(self.form)
        form_layout.addStretch(1)
        form_scroll = QScrollArea()
        form_scroll.setObjectName("patientFormScroll")
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(form_box)
        # Never narrower than the form: the splitter gives the other side less instead.
        form_scroll.setMinimumWidth(form_box.minimumSizeHint().width()
                                    + form_scroll.verticalScrollBar().sizeHint().width() + 4)

        self.strip: SafetyStrip | None = None
        self.clinical_panel = None
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("patientSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(form_scroll)
        if self.clinical:
            from mesoplan.ui.patients.clinical_panel import ClinicalPanel

            self.strip = SafetyStrip()
            self.clinical_panel = ClinicalPanel(ctx, patient_id)
            self.clinical_panel.new_screening.connect(self.new_screening)
            self.clinical_panel.view_screening.connect(self.view_screening)
            self.splitter.addWidget(self.clinical_panel)
            self.splitter.setStretchFactor(0, 2)
            self.splitter.setStretchFactor(1, 3)
        state = settings.PATIENT_PAGE_SPLITTER.get()
        if not state.isEmpty():
            self.splitter.restoreState(state)
        self.splitter.splitterMoved.connect(
            lambda *_: settings.PATIENT_PAGE_SPLITTER.set(self.splitter.saveState()))

        head = QHBoxLayout()
        head.setSpacing(8)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title)
        titles.addWidget(self.facts)
        head.addLayout(titles, 1)
        head.addWidget(self.revert_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.banner)
        layout.addLayout(head)
        if self.strip is not None:
            layout.addWidget(self.strip)
        layout.addWidget(self.splitter, 1)

        ctx.changed.connect(self._records_changed)
        self.reload_record()
        self.reload_clinical()

    # --- Page contract --------------------------------------------------------------------------

    def page_key(self) -> tuple:
        return ("PatientPage", self.patient_id)

    def tab_title(self) -> str:
        return self._title

    def current_patient_id(self) -> int | None:
        return self.patient_id if self.record is not None else None

    def is_modified(self) -> bool:
        return self.form.is_modified()

    def can_save(self) -> bool:
        return self.is_modified() and self.ctx.can(Permission.EDIT_CONTACT)

    def save_view_state(self) -> None:
        settings.PATIENT_PAGE_SPLITTER.set(self.splitter.saveState())
        if self.clinical_panel is not None:
            settings.PATIENT_PAGE_RIGHT_SPLITTER.set(self.clinical_panel.saveState())

    def maybe_close(self) -> bool:
        if not self.is_modified():
            return True
        return messages.confirm(self, "Discard changes?",
                                f"The changes to {self._title} have not been saved. Discard them?",
                                yes="Discard changes", no="Keep editing")

    def save(self) -> bool:
        if self.record is None or not self.can_save():
            return False
        try:
            data = self.form.value()
            with self.ctx.work() as uow:
                record = patient_service.update_patient(uow, self.patient_id, data, self.record.version)
        except ValidationError as exc:
            self.form.show_problems(exc)
            return False
        except ConflictError as exc:
            self.banner.show_message(str(exc), "acknowledge",
                                     (("&Reload their version", self.reload_record),))
            return False
        except Exception as exc:  # noqa: BLE001 - shown to the person; the form keeps its text
            messages.show_error(self, "The patient was not saved", exc)
            return False
        self._show_record(record)
        return True

    # --- loading --------------------------------------------------------------------------------

    def reload_record(self) -> None:
        """Load the stored patient into the form (what was typed and not saved is dropped)."""
        try:
            with self.ctx.read() as uow:
                record = patient_service.get_patient(uow, self.patient_id)
        except NotFound as exc:
            self.record = None
            self.banner.show_message(str(exc), "block")
            self.setEnabled(False)
            return
        self.banner.hide()
        self._show_record(record)

    def _show_record(self, record: PatientRecord) -> None:
        self.record = record
        self.form.set_record(record)
        self._title = list_name(record.family_name, record.given_names)
        self.title.setText(record.full_name or self._title)
        facts = [f"born {format_birth(record.date_of_birth)}" if record.date_of_birth
                 else "date of birth not recorded", SEX_LABELS.get(record.sex, record.sex).lower(),
                 f"patient no. {record.id}",
                 f"last changed {record.updated_at:%Y-%m-%d %H:%M} (UTC) by {record.updated_by or 'unknown'}"]
        self.facts.setText(" · ".join(facts))
        read_only = record.anonymised_at is not None or not self.ctx.can(Permission.EDIT_CONTACT)
        self.form.setEnabled(not read_only)
        if record.anonymised_at is not None:
            self.banner.show_message(
                f"This patient was anonymised on {record.anonymised_at:%Y-%m-%d}; the record can "
                "no longer be changed.", "info")
        self.title_changed.emit(self._title)
        self._form_edited()

    def reload_clinical(self) -> None:
        if not self.clinical or self.record is None:
            return
        with self.ctx.read() as uow:
            screenings = screening_service.list_screenings(uow, self.patient_id)
            plans = plan_service.list_plans(uow, self.patient_id)
            templates = template_service.list_templates(uow)
        questionnaire = load_questionnaire()
        summaries = {s.id: safety_summary(questionnaire, s.answers, self.record.sex) for s in screenings}
        latest = screenings[0] if screenings else None
        self.strip.show_summary(summaries[latest.id] if latest else safety_summary(questionnaire, None, ""),
                                latest.taken_on if latest else None)
        self.clinical_panel.show_screenings(screenings, {k: flag_counts(v) for k, v in summaries.items()})
        self.clinical_panel.show_plans(plans, templates)

    def _records_changed(self, kinds: frozenset[str]) -> None:
        if "patient" in kinds and not self.is_modified() and self.record is not None:
            self.reload_record()
        if kinds & {"screening", "plan", "patient", "plan_template", "template"}:
            self.reload_clinical()

    def _form_edited(self) -> None:
        modified = self.is_modified()
        self.save_button.setEnabled(modified)
        self.revert_button.setEnabled(modified)
        if modified != self._was_modified:
            self._was_modified = modified
            self.modified_changed.emit(modified)

    # --- screenings -----------------------------------------------------------------------------

    def new_screening(self):
        """Open the screening form for a new screening (returns the dialog; it is not blocking)."""
        if self.record is None or not self.ctx.can(Permission.EDIT_CLINICAL):
            return None
        from mesoplan.ui.patients.screening_dialog import ScreeningDialog

        dialog = ScreeningDialog(self.ctx, self.record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def view_screening(self, screening: ScreeningRecord):
        from mesoplan.ui.patients.screening_view import ScreeningViewDialog

        dialog = ScreeningViewDialog(self.record, screening, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
