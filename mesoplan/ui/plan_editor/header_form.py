"""The Plan tab: what the plan is for (indication, areas, goals), its default technique, depth
and needle, the date consent was signed, and notes. Every change is an undoable plan edit.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mesoplan.evaluation import plan_consent_status
from mesoplan.safety.consent_status import consent_sentence
from mesoplan.ui.plan_editor.delegates import mark_invalid
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.plan_editor.fields import (
    DATA_ROLE,
    OptionalDateEdit,
    depth_hint,
    indication_combo,
    in_error,
    line_accepted,
    needle_combo,
    select_data,
    set_text,
    show_depth,
    show_line,
    technique_combo,
    text_label,
)
from mesoplan.ui.plan_editor.values import read_depth
from mesoplan.ui.style import mark
from mesoplan.ui.plan_editor.zone_picker import ZonePicker

_LABELS = {
    "practitioner_id": "practitioner", "title": "title", "indication": "indication", "indication_other": "indication description",
    "goals": "goals", "areas": "treatment areas", "technique": "technique", "depth_mm": "depth",
    "needle": "needle", "consent_signed_on": "consent date", "notes": "notes",
}


NOT_ASSIGNED = -1
"""Item data of "no practitioner chosen" in the practitioner list."""


class PlanHeaderForm(QWidget):
    def __init__(self, document: PlanDocument,
                 practitioners: Sequence[tuple[int, str, bool]] = (),
                 parent: QWidget | None = None) -> None:
        """``practitioners``: (id, name, active) of the clinic's practitioners."""
        super().__init__(parent)
        self.document = document
        self._practitioners = tuple(practitioners)
        self._build()
        self._connect()
        document.changed.connect(self.refresh)
        self.refresh()

    def _build(self) -> None:
        self.practitioner_combo = QComboBox()
        self.practitioner_combo.setObjectName("planPractitioner")
        self.practitioner_combo.setToolTip("Named with their registration number on the consent form")
        self.practitioner_combo.addItem("Not assigned yet", NOT_ASSIGNED)
        current = self.document.draft.practitioner_id
        for practitioner_id, name, active in self._practitioners:
            if active or practitioner_id == current:
                label = name if active else f"{name} (no longer active)"
                self.practitioner_combo.addItem(label, practitioner_id)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("planTitle")
        self.title_edit.setPlaceholderText("Optional, e.g. 'Crown, spring course'")
        self.indication_combo = indication_combo()
        self.indication_combo.setObjectName("indication")
        self.other_edit = QLineEdit()
        self.other_edit.setObjectName("indicationOther")
        self.other_edit.setPlaceholderText("Describe the indication")
        self.goals_edit = QPlainTextEdit()
        self.goals_edit.setObjectName("goals")
        self.goals_edit.setTabChangesFocus(True)
        self.goals_edit.setPlaceholderText("What the patient hopes for, in their words")
        self.technique_combo = technique_combo()
        self.technique_combo.setObjectName("planTechnique")
        self.depth_edit = QLineEdit()
        self.depth_edit.setObjectName("planDepth")
        self.depth_edit.setPlaceholderText("mm")
        self.depth_hint = text_label("", "hint")
        self.needle_combo = needle_combo()
        self.needle_combo.setObjectName("planNeedle")
        self.consent_edit = OptionalDateEdit("Signed on")
        self.consent_edit.setObjectName("consentSignedOn")
        self.consent_hint = text_label(
            "Record the date the patient signed the consent form; print the form from the File "
            "menu once the plan is saved.", "hint")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("planNotes")
        self.notes_edit.setTabChangesFocus(True)
        self.template_label = text_label("", "hint")
        self.areas_picker = ZonePicker()

        form = QFormLayout()
        form.setSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Practitioner:", self.practitioner_combo)
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Indication:", self.indication_combo)
        form.addRow("Descri&bed as:", self.other_edit)
        form.addRow("&Goals:", self.goals_edit)
        form.addRow("T&echnique:", self.technique_combo)
        form.addRow("&Depth (mm):", self.depth_edit)
        form.addRow("", self.depth_hint)
        form.addRow("Need&le:", self.needle_combo)
        form.addRow("Co&nsent:", self.consent_edit)
        form.addRow("", self.consent_hint)
        form.addRow("N&otes:", self.notes_edit)
        form.addRow("", self.template_label)
        self.form = form

        areas_box = QVBoxLayout()
        areas_box.setSpacing(8)
        areas_label = text_label("Treatment &areas:")
        areas_label.setTextFormat(Qt.TextFormat.AutoText)
        areas_label.setBuddy(self.areas_picker)
        areas_box.addWidget(areas_label)
        areas_box.addWidget(self.areas_picker, 1)

        grid = QGridLayout(self)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        grid.addLayout(form, 0, 0)
        grid.addLayout(areas_box, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        for first, second in ((self.practitioner_combo, self.title_edit),
                              (self.title_edit, self.indication_combo),
                              (self.indication_combo, self.other_edit),
                              (self.other_edit, self.goals_edit),
                              (self.goals_edit, self.technique_combo),
                              (self.technique_combo, self.depth_edit),
                              (self.depth_edit, self.needle_combo),
                              (self.needle_combo, self.consent_edit.check),
                              (self.consent_edit.check, self.consent_edit.edit),
                              (self.consent_edit.edit, self.notes_edit),
                              (self.notes_edit, self.areas_picker)):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.practitioner_combo.currentIndexChanged.connect(self._practitioner_chosen)
        self.title_edit.textEdited.connect(lambda t: self._line_edit(self.title_edit, "title", t))
        self.indication_combo.currentIndexChanged.connect(self._indication_chosen)
        self.other_edit.textEdited.connect(
            lambda t: self._line_edit(self.other_edit, "indication_other", t))
        self.goals_edit.textChanged.connect(
            lambda: self._edit("goals", self.goals_edit.toPlainText(), merge=True))
        self.notes_edit.textChanged.connect(
            lambda: self._edit("notes", self.notes_edit.toPlainText(), merge=True))
        self.technique_combo.currentIndexChanged.connect(
            lambda _i: self._edit("technique", self.technique_combo.currentData(DATA_ROLE) or ""))
        self.depth_edit.textEdited.connect(self._depth_typed)
        self.needle_combo.currentTextChanged.connect(
            lambda t: self._line_edit(self.needle_combo.lineEdit(), "needle", t.strip()))
        self.consent_edit.date_changed.connect(
            lambda d: self._edit("consent_signed_on", d, merge=True))
        self.areas_picker.areas_changed.connect(lambda areas: self._edit("areas", tuple(areas)))

    # --- edits ----------------------------------------------------------------------------------

    def _edit(self, field: str, value, merge: bool = False) -> None:
        draft = self.document.draft
        if getattr(draft, field) == value:
            return
        key: Hashable | None = ("header", field) if merge else None
        self.document.edit(f"Change {_LABELS[field]}", draft.with_changes(**{field: value}), key)

    def _line_edit(self, widget: QLineEdit, field: str, text: str) -> None:
        """A one-line field typed in: into the draft when it is one line, else shown in error."""
        if line_accepted(widget, _LABELS[field].capitalize(), text):
            self._edit(field, text, merge=True)

    def _practitioner_chosen(self, _index: int) -> None:
        chosen = self.practitioner_combo.currentData()
        self._edit("practitioner_id", None if chosen in (None, NOT_ASSIGNED) else chosen)

    def _indication_chosen(self, _index: int) -> None:
        code = self.indication_combo.currentData(DATA_ROLE)
        if code:
            self._edit("indication", code)

    def _depth_typed(self, text: str) -> None:
        try:
            value = read_depth(text, self.document.draft.technique)
        except ValueError as exc:
            mark_invalid(self.depth_edit, str(exc))
            return
        mark_invalid(self.depth_edit, "")
        self._edit("depth_mm", value, merge=True)

    # --- showing the draft ----------------------------------------------------------------------

    def refresh(self) -> None:
        draft = self.document.draft
        wanted = self.practitioner_combo.findData(
            NOT_ASSIGNED if draft.practitioner_id is None else draft.practitioner_id)
        if wanted >= 0 and wanted != self.practitioner_combo.currentIndex():
            blocked = self.practitioner_combo.blockSignals(True)
            self.practitioner_combo.setCurrentIndex(wanted)
            self.practitioner_combo.blockSignals(blocked)
        show_line(self.title_edit, draft.title)
        select_data(self.indication_combo, draft.indication)
        show_line(self.other_edit, draft.indication_other)
        self.other_edit.setEnabled(draft.indication == "other")
        set_text(self.goals_edit, draft.goals)
        set_text(self.notes_edit, draft.notes)
        select_data(self.technique_combo, draft.technique)
        show_depth(self.depth_edit, draft.depth_mm, draft.technique)
        self.depth_hint.setText(depth_hint(draft.technique, draft.depth_mm))
        if self.needle_combo.currentText().strip() != draft.needle and not in_error(
                self.needle_combo.lineEdit()):
            blocked = self.needle_combo.blockSignals(True)
            self.needle_combo.setEditText(draft.needle)
            self.needle_combo.blockSignals(blocked)
        self.consent_edit.set_value(draft.consent_signed_on)
        status = plan_consent_status(draft, self.document.context)
        self.consent_hint.setText(consent_sentence(status))
        mark(self.consent_hint, role="hint" if status.valid else "error")
        self.areas_picker.set_areas(draft.areas)
        self.template_label.setText(f"Started from the template '{draft.template_name}'."
                                    if draft.template_name else "")
        self.template_label.setVisible(bool(draft.template_name))

    def set_editable(self, editable: bool) -> None:
        for widget in (self.title_edit, self.other_edit):
            widget.setReadOnly(not editable)
        for widget in (self.goals_edit, self.notes_edit):
            widget.setReadOnly(not editable)
        for widget in (self.practitioner_combo, self.indication_combo, self.technique_combo,
                       self.depth_edit,
                       self.needle_combo, self.consent_edit, self.areas_picker):
            widget.setEnabled(editable)
