"""Small form widgets shared by the plan editor's forms and dialogs: read-only text labels,
the grouped indication list, technique and needle choices, and an optional date.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from mesoplan import numbers
from mesoplan.text import one_line_problem
from mesoplan.ui.plan_editor.delegates import mark_invalid
from mesoplan.ui.plan_editor.values import read_depth, show_number
from mesoplan.vocabulary import indications, needles, techniques
from mesoplan.ui.style import mark

GROUP_LABELS = {"hair": "Hair and scalp", "face": "Face", "body": "Body", "other": "Other"}
DATA_ROLE = Qt.ItemDataRole.UserRole


def text_label(text: str = "", role: str = "", wrap: bool = True, flexible: bool = False) -> QLabel:
    """A label that shows ``text`` literally (patient and catalog text may hold < or &).

    ``flexible`` labels take whatever width the layout gives them (and wrap into it) instead of
    asking for the width of their longest word.
    """
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if flexible:
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    if role:
        mark(label, role=role)
    return label


def indication_combo(parent: QWidget | None = None) -> QComboBox:
    """Indications grouped under headings (hair, face, body, other); item data = code."""
    combo = QComboBox(parent)
    model = QStandardItemModel(combo)
    placeholder = QStandardItem("Choose an indication…")
    placeholder.setData("", DATA_ROLE)
    model.appendRow(placeholder)
    groups: dict[str, list] = {}
    for indication in indications().values():
        groups.setdefault(indication.group, []).append(indication)
    bold = QFont()
    bold.setBold(True)
    for group, members in groups.items():
        heading = QStandardItem(GROUP_LABELS.get(group, group.title()))
        heading.setFlags(Qt.ItemFlag.NoItemFlags)
        heading.setFont(bold)
        heading.setData(None, DATA_ROLE)
        model.appendRow(heading)
        for indication in members:
            label = "Other (describe)" if indication.code == "other" else indication.label
            item = QStandardItem(label)
            item.setData(indication.code, DATA_ROLE)
            item.setToolTip(indication.label)
            model.appendRow(item)
    combo.setModel(model)
    return combo


def technique_combo(parent: QWidget | None = None, unset_text: str = "Not set") -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(unset_text, "")
    for technique in techniques().values():
        combo.addItem(technique.label, technique.code)
    return combo


def needle_combo(parent: QWidget | None = None, placeholder: str = "Not set") -> QComboBox:
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("")
    combo.addItems(list(needles()))
    combo.lineEdit().setPlaceholderText(placeholder)
    return combo


def select_data(combo: QComboBox, value) -> None:
    """Make the item whose data is ``value`` current, without announcing it."""
    index = combo.findData(value, DATA_ROLE)
    if index >= 0 and index != combo.currentIndex():
        blocked = combo.blockSignals(True)
        combo.setCurrentIndex(index)
        combo.blockSignals(blocked)


def depth_hint(technique_code: str, depth_mm: float | None) -> str:
    technique = techniques().get(technique_code)
    if technique is None:
        limits = numbers.bounds("depth")
        return (f"Depth {numbers.show(limits.min)}–{numbers.show(limits.max)} mm; choose a "
                "technique to see its usual range.")
    low, high = technique.depth_min_mm, technique.depth_max_mm
    text = f"Usual for {technique.label}: {numbers.show(low)}–{numbers.show(high)} mm"
    if depth_mm is not None and not low <= depth_mm <= high:
        text += f" – {numbers.show(depth_mm)} mm is outside that range"
    return text


class OptionalDateEdit(QWidget):
    """A date that may be left unrecorded: a check box turns the date field on."""

    date_changed = Signal(object)
    """The date, or None when unrecorded."""

    def __init__(self, check_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(check_text)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(lambda _d: self._announce())

    def value(self) -> dt.date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_value(self, value: dt.date | None) -> None:
        if value == self.value():
            return
        for widget in (self.check, self.edit):
            widget.blockSignals(True)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))
        for widget in (self.check, self.edit):
            widget.blockSignals(False)

    def _toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        self._announce()

    def _announce(self) -> None:
        self.date_changed.emit(self.value())



def set_text(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Show ``text`` unless it is already there (keeps the cursor where the person is typing)."""
    current = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
    if current != text:
        blocked = widget.blockSignals(True)
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)
        widget.blockSignals(blocked)


def line_accepted(widget: QWidget, label: str, text: str) -> bool:
    """Whether ``text`` may go into the one-line field ``widget`` (named ``label``); when it
    may not (a pasted line break, tab or control character), the field shows why and blocks
    saving until it is fixed."""
    problem = one_line_problem(text)
    mark_invalid(widget, f"{label}: {problem}" if problem else "")
    return not problem


def in_error(widget: QWidget) -> bool:
    """The field shows a typing error: its text is the person's, kept until they fix it."""
    return bool(widget.property("input_error"))


def show_line(edit: QLineEdit, text: str) -> None:
    """``set_text`` for a one-line field, unless it holds text in error the person must fix."""
    if not in_error(edit):
        set_text(edit, text)


def show_depth(edit: QLineEdit, depth_mm: float | None, technique: str = "") -> None:
    """Show the draft's depth in ``edit`` unless the person is still typing a different value
    there that is not valid yet (their text stays, in error, until it is valid or replaced). A
    stored depth outside the bounds of ``technique`` (chosen after the depth) is shown in error."""
    try:
        typed, problem = read_depth(edit.text(), technique), ""
    except ValueError as exc:
        typed, problem = object(), str(exc)
    if not (problem and edit.isModified()) and typed != depth_mm:
        set_text(edit, show_number(depth_mm))
        try:
            read_depth(edit.text(), technique)
            problem = ""
        except ValueError as exc:
            problem = str(exc)
    mark_invalid(edit, problem)
