"""Starting a plan: the indication (or 'Other', described), treatment areas and goals, optionally
filled from a saved template whose cocktail and protocol the new plan then starts with.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mesoplan.errors import MesoPlanError
from mesoplan.services import templates
from mesoplan.services.templates import PlanTemplateRecord
from mesoplan.ui import messages
from mesoplan.ui.context import AppContext
from mesoplan.ui.plan_editor.fields import DATA_ROLE, indication_combo, select_data, text_label
from mesoplan.ui.plan_editor.zone_picker import ZonePicker


@dataclass(frozen=True)
class NewPlanChoice:
    indication: str
    indication_other: str
    areas: tuple[str, ...]
    goals: str
    template_id: int | None


class NewPlanDialog(QDialog):
    def __init__(self, ctx: AppContext, patient_name: str, template_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New plan for {patient_name}")
        self.setObjectName("newPlanDialog")
        self.templates: dict[int, PlanTemplateRecord] = {}
        try:
            with ctx.read() as uow:
                self.templates = {t.id: t for t in templates.list_templates(uow)}
                if template_id is not None and template_id not in self.templates:
                    record = templates.get_template(uow, template_id)
                    self.templates[record.id] = record
        except MesoPlanError as exc:
            messages.show_error(parent, "The templates cannot be listed", exc)
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("templateChoice")
        self.template_combo.addItem("None – start with an empty cocktail", None)
        for record in self.templates.values():
            self.template_combo.addItem(f"{record.name} ({record.indication_label})", record.id)
        self.indication_combo = indication_combo()
        self.indication_combo.setObjectName("newIndication")
        self.other_edit = QLineEdit()
        self.other_edit.setObjectName("newIndicationOther")
        self.other_edit.setPlaceholderText("Describe the indication")
        self.areas_picker = ZonePicker()
        self.goals_edit = QPlainTextEdit()
        self.goals_edit.setObjectName("newGoals")
        self.goals_edit.setTabChangesFocus(True)
        self.goals_edit.setPlaceholderText("What the patient hopes for, in their words")
        form = QFormLayout()
        form.setSpacing(8)
        form.addRow("&Template:", self.template_combo)
        form.addRow("&Indication:", self.indication_combo)
        form.addRow("Descri&bed as:", self.other_edit)
        form.addRow("&Goals:", self.goals_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Start plan")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.problem_label = text_label("", "hint")
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addLayout(form, 3)
        areas_box = QVBoxLayout()
        areas_box.setSpacing(8)
        areas_box.addWidget(text_label("Treatment areas:"))
        areas_box.addWidget(self.areas_picker, 1)
        columns.addLayout(areas_box, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(columns, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.template_combo.currentIndexChanged.connect(self._template_chosen)
        self.indication_combo.currentIndexChanged.connect(lambda _i: self._update())
        self.other_edit.textChanged.connect(lambda _t: self._update())
        for first, second in ((self.template_combo, self.indication_combo),
                              (self.indication_combo, self.other_edit),
                              (self.other_edit, self.goals_edit),
                              (self.goals_edit, self.areas_picker)):
            QWidget.setTabOrder(first, second)
        if template_id is not None:
            index = self.template_combo.findData(template_id)
            if index >= 0:
                self.template_combo.setCurrentIndex(index)
        self.resize(760, 520)
        self._update()

    def _template_chosen(self, _index: int) -> None:
        record = self.templates.get(self.template_combo.currentData())
        if record is None:
            return
        select_data(self.indication_combo, record.indication)
        self.other_edit.setText(record.indication_other)
        self.areas_picker.set_areas(record.areas)
        self.goals_edit.setPlainText(record.goals)
        self._update()

    def indication(self) -> str:
        return self.indication_combo.currentData(DATA_ROLE) or ""

    def _update(self) -> None:
        code = self.indication()
        self.other_edit.setEnabled(code == "other")
        problem = ""
        if not code:
            problem = "Choose the indication the plan is for."
        elif code == "other" and not self.other_edit.text().strip():
            problem = "Describe the indication when 'Other' is chosen."
        self.problem_label.setText(problem)
        self.ok_button.setEnabled(not problem)

    def choice(self) -> NewPlanChoice:
        code = self.indication()
        return NewPlanChoice(
            indication=code,
            indication_other=self.other_edit.text().strip() if code == "other" else "",
            areas=self.areas_picker.areas(), goals=self.goals_edit.toPlainText().strip(),
            template_id=self.template_combo.currentData())

    def accept(self) -> None:
        self._update()
        if self.ok_button.isEnabled():
            super().accept()
