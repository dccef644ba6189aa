"""Adding a clinic's own ingredient, or editing an ingredient, with problems shown at each field.

Strengths the clinic does not know stay empty: nothing here fills in a value.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mesoplan import numbers
from mesoplan.catalog import CATEGORIES, CAUTION_TAGS, EVIDENCE_GRADES, KNOWN_UNITS, VEHICLES, IngredientEntry
from mesoplan.errors import Problem, ValidationError
from mesoplan.services import catalog as catalog_service
from mesoplan.text import search_key
from mesoplan.ui import messages
from mesoplan.ui.catalog.model import category_label, tag_meaning, tag_word
from mesoplan.ui.context import AppContext
from mesoplan.ui.patients.patient_form import text_box
from mesoplan.ui.widgets.field_errors import FieldErrors, error_label
from mesoplan.vocabulary import REGIONS, indications
from mesoplan.ui.style import mark


def checklist(items: list[tuple[str, str, str]], name: str) -> QListWidget:
    """A list of checkable (value, text, tooltip) items."""
    widget = QListWidget()
    widget.setObjectName(name)
    for value, text, tip in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        if tip:
            item.setToolTip(tip)
        widget.addItem(item)
    widget.setMaximumHeight(widget.fontMetrics().lineSpacing() * 8)
    return widget


def checked_values(widget: QListWidget) -> tuple[str, ...]:
    return tuple(widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.CheckState.Checked)


def set_checked(widget: QListWidget, values) -> None:
    wanted = set(values)
    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted
                           else Qt.CheckState.Unchecked)


class IngredientDialog(QDialog):
    saved = Signal(object)
    """The stored ``IngredientEntry``."""

    def __init__(self, ctx: AppContext, entry: IngredientEntry | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.original = entry
        self.setObjectName("ingredientDialog")
        self.setWindowTitle(f"Edit {entry.name}" if entry else "New ingredient")
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText("e.g. vitamin_c (lower-case letters, digits, _)")
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.common_name = QLineEdit()
        self.category = QComboBox()
        self.category.setObjectName("category")
        for code in CATEGORIES:
            self.category.addItem(category_label(code), code)
        self.strength_value = QLineEdit()
        self.strength_value.setObjectName("strengthValue")
        self.strength_value.setPlaceholderText("leave empty when unknown")
        self.strength_unit = QComboBox()
        self.strength_unit.setObjectName("strengthUnit")
        self.strength_unit.setEditable(True)
        self.strength_unit.addItem("")
        self.strength_unit.addItems(list(KNOWN_UNITS))
        strength = QWidget()
        strength_layout = QHBoxLayout(strength)
        strength_layout.setContentsMargins(0, 0, 0, 0)
        strength_layout.addWidget(self.strength_value, 2)
        strength_layout.addWidget(self.strength_unit, 1)
        strength.setFocusProxy(self.strength_value)
        self.presentation = QLineEdit()
        self.legal_status = QLineEdit()
        self.vehicle = QComboBox()
        self.vehicle.addItems(list(VEHICLES))
        self.regions = checklist([(r, r.capitalize(), "") for r in REGIONS], "regions")
        self.regions.setMaximumHeight(self.regions.fontMetrics().lineSpacing() * 4)
        self.conditions = checklist([(i.code, i.label, "") for i in indications().values()], "conditions")
        self.caution_tags = checklist([(t, tag_word(t), tag_meaning(t)) for t in CAUTION_TAGS], "cautionTags")
        self.min_interval = QSpinBox()
        self.min_interval.setRange(-1, 3650)
        self.min_interval.setSpecialValueText("none")
        self.min_interval.setSuffix(" days")
        self.typical_volume = QLineEdit()
        self.storage = QLineEdit()
        self.off_label = QCheckBox("Used off-label when injected")
        self.evidence = text_box(2)
        self.evidence_grade = QComboBox()
        self.evidence_grade.addItem("— none —", "")
        for grade, words in zip(EVIDENCE_GRADES, ("peer-reviewed or regulatory",
                                                  "professional society or textbook",
                                                  "clinic, vendor or blog")):
            self.evidence_grade.addItem(f"{grade}: {words}", grade)
        self.sources = text_box(2)
        self.cautions = text_box(2)
        self.notes = text_box(2)

        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        form = QFormLayout()
        form.setSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, widget, names in (
            ("&Code", self.code, ("code",)), ("&Name", self.name, ("name",)),
            ("Co&mmon name", self.common_name, ("common_name",)),
            ("C&ategory", self.category, ("category",)),
            ("&Strength", strength, ("strength_value", "strength_unit")),
            ("&Presentation", self.presentation, ("presentation",)),
            ("&Legal status", self.legal_status, ("legal_status",)),
            ("&Vehicle", self.vehicle, ("vehicle",)), ("&Regions", self.regions, ("regions",)),
            ("&Indications", self.conditions, ("conditions",)),
            ("Cau&tion tags", self.caution_tags, ("caution_tags",)),
            ("Minimum &interval", self.min_interval, ("min_interval_days",)),
            ("T&ypical volume", self.typical_volume, ("typical_volume",)),
            ("St&orage", self.storage, ("storage",)), ("", self.off_label, ("off_label",)),
            ("&Evidence", self.evidence, ("evidence",)),
            ("Evidence &grade", self.evidence_grade, ("evidence_grade",)),
            ("So&urces", self.sources, ("sources",)),
            ("Cautions (&text)", self.cautions, ("cautions",)), ("No&tes", self.notes, ("notes",)),
        ):
            self.errors.add_row(form, text, widget, names,

                                self.strength_value if widget is strength else None)
        body = QWidget()
        body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        mark(self.save_button, primary="true")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.general_error)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self._code_follows_name = entry is None
        self.name.textEdited.connect(self._suggest_code)
        self.code.textEdited.connect(lambda _t: setattr(self, "_code_follows_name", False))
        if entry is not None:
            self._fill(entry)
            self.code.setReadOnly(True)
            self.code.setToolTip("Codes never change: plans and batches refer to them.")
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().lineSpacing() * 40)
        (self.name if entry else self.code).setFocus()

    def _suggest_code(self, name: str) -> None:
        if self._code_follows_name:
            self.code.setText("_".join(search_key(name).split()))

    def _fill(self, entry: IngredientEntry) -> None:
        self.code.setText(entry.code)
        self.name.setText(entry.name)
        self.common_name.setText(entry.common_name)
        self.category.setCurrentIndex(max(0, self.category.findData(entry.category)))
        self.strength_value.setText("" if entry.strength_value is None else numbers.show(entry.strength_value))
        self.strength_unit.setCurrentText(entry.strength_unit or "")
        self.presentation.setText(entry.presentation)
        self.legal_status.setText(entry.legal_status)
        self.vehicle.setCurrentText(entry.vehicle)
        set_checked(self.regions, entry.regions)
        set_checked(self.conditions, entry.conditions)
        set_checked(self.caution_tags, entry.caution_tags)
        self.min_interval.setValue(-1 if entry.min_interval_days is None else entry.min_interval_days)
        self.typical_volume.setText(entry.typical_volume)
        self.storage.setText(entry.storage)
        self.off_label.setChecked(entry.off_label)
        self.evidence.setPlainText(entry.evidence)
        self.evidence_grade.setCurrentIndex(max(0, self.evidence_grade.findData(entry.evidence_grade)))
        self.sources.setPlainText(entry.sources)
        self.cautions.setPlainText(entry.cautions)
        self.notes.setPlainText(entry.notes)

    def entry(self) -> IngredientEntry:
        """The entry as typed; ValidationError when the strength is not a number."""
        try:
            strength = numbers.read_optional(self.strength_value.text(), "strength", "Strength",
                                             unit=self.strength_unit.currentText().strip() or None)
        except numbers.NumberError as exc:
            raise ValidationError([Problem("strength_value", exc.message)]) from None
        values = dict(
            code=self.code.text(), name=self.name.text(), common_name=self.common_name.text(),
            category=self.category.currentData(), strength_value=strength,
            strength_unit=self.strength_unit.currentText().strip() or None,
            presentation=self.presentation.text(), legal_status=self.legal_status.text(),
            vehicle=self.vehicle.currentText(), regions=checked_values(self.regions),
            conditions=checked_values(self.conditions), caution_tags=checked_values(self.caution_tags),
            min_interval_days=None if self.min_interval.value() < 0 else self.min_interval.value(),
            typical_volume=self.typical_volume.text(), storage=self.storage.text(),
            off_label=self.off_label.isChecked(), evidence=self.evidence.toPlainText(),
            evidence_grade=self.evidence_grade.currentData(), sources=self.sources.toPlainText(),
            cautions=self.cautions.toPlainText(), notes=self.notes.toPlainText())
        return replace(self.original, **values) if self.original else IngredientEntry(**values)

    def save(self) -> bool:
        try:
            entry = self.entry()
            with self.ctx.work() as uow:
                if self.original is None:
                    stored = catalog_service.add_ingredient(uow, entry)
                else:
                    stored = catalog_service.update_ingredient(uow, entry, expected=self.original)
        except ValidationError as exc:
            first = self.errors.show(exc.problems)
            if first is not None:
                first.setFocus()
            return False
        except Exception as exc:  # noqa: BLE001 - shown to the person; the form keeps its text
            messages.show_error(self, "The ingredient was not saved", exc)
            return False
        self.saved.emit(stored)
        self.accept()
        return True
