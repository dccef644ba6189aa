"""The clinic settings' safety-rules table: each shipped rule, its shipped severity, the clinic's
own choice (block / acknowledge / info) and whether it is switched on. Saved with the dialog.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mesoplan.safety.rules import SEVERITIES, default_rules
from mesoplan.services.clinic import RuleChoice
from mesoplan.ui.admin.forms import hint_label
from mesoplan.ui.style import SEVERITY_COLOURS

Index = QModelIndex | QPersistentModelIndex
SEVERITY_LABELS = {"block": "Block", "acknowledge": "Acknowledge", "info": "Info"}


class RuleColumn(IntEnum):
    ID = 0
    TITLE = 1
    SHIPPED = 2
    CLINIC = 3
    ENABLED = 4


HEADERS = ("Rule", "What it looks for", "Shipped as", "In this clinic", "On")


class RuleTableModel(QAbstractTableModel):
    """The rules with the clinic's pending choices; ``choices()`` is what the dialog saves."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rules: list[RuleChoice] = []
        self.severity: list[str] = []
        self.enabled: list[bool] = []
        self._explanations = {rule.id: rule.explanation for rule in default_rules().rules}

    def set_rules(self, rules: list[RuleChoice]) -> None:
        self.beginResetModel()
        self.rules = list(rules)
        self.severity = [rule.severity for rule in rules]
        self.enabled = [rule.enabled for rule in rules]
        self.endResetModel()

    def choices(self) -> dict[str, tuple[str, bool]]:
        return {rule.rule_id: (self.severity[row], self.enabled[row]) for row, rule in enumerate(self.rules)}

    def is_modified(self) -> bool:
        return any((rule.severity, rule.enabled) != (self.severity[row], self.enabled[row])
                   for row, rule in enumerate(self.rules))

    def reset_to_shipped(self) -> None:
        for row, rule in enumerate(self.rules):
            self.severity[row] = rule.shipped_severity
            self.enabled[row] = rule.shipped_enabled
        if self.rules:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rules) - 1, len(RuleColumn) - 1))

    def _differs(self, row: int) -> bool:
        rule = self.rules[row]
        return (self.severity[row], self.enabled[row]) != (rule.shipped_severity, rule.shipped_enabled)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt naming
        return 0 if parent.isValid() else len(self.rules)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(RuleColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rules):
            return None
        row, column = index.row(), RuleColumn(index.column())
        rule = self.rules[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return {RuleColumn.ID: rule.rule_id, RuleColumn.TITLE: rule.title,
                    RuleColumn.SHIPPED: SEVERITY_LABELS[rule.shipped_severity],
                    RuleColumn.CLINIC: SEVERITY_LABELS[self.severity[row]],
                    RuleColumn.ENABLED: ""}[column]
        if role == Qt.ItemDataRole.EditRole and column is RuleColumn.CLINIC:
            return self.severity[row]
        if role == Qt.ItemDataRole.CheckStateRole and column is RuleColumn.ENABLED:
            return Qt.CheckState.Checked if self.enabled[row] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is RuleColumn.ENABLED:
                return "Switched on" if self.enabled[row] else "Switched off: plans are not checked for it"
            return self._explanations.get(rule.rule_id, rule.title)
        if role == Qt.ItemDataRole.ForegroundRole and column in (RuleColumn.SHIPPED, RuleColumn.CLINIC):
            code = rule.shipped_severity if column is RuleColumn.SHIPPED else self.severity[row]
            return QColor(SEVERITY_COLOURS[code][1])
        if role == Qt.ItemDataRole.FontRole and column in (RuleColumn.ID, RuleColumn.CLINIC) and self._differs(row):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or not 0 <= index.row() < len(self.rules):
            return False
        row, column = index.row(), index.column()
        if column == RuleColumn.CLINIC and role == Qt.ItemDataRole.EditRole and value in SEVERITIES:
            self.severity[row] = value
        elif column == RuleColumn.ENABLED and role == Qt.ItemDataRole.CheckStateRole:
            self.enabled[row] = Qt.CheckState(value) == Qt.CheckState.Checked
        else:
            return False
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(RuleColumn) - 1))
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == RuleColumn.CLINIC:
            flags |= Qt.ItemFlag.ItemIsEditable
        if index.column() == RuleColumn.ENABLED:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags


class SeverityDelegate(QStyledItemDelegate):
    """A drop-down of the three severities for the 'In this clinic' column."""

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        for code in SEVERITIES:
            combo.addItem(SEVERITY_LABELS[code], code)
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QComboBox, index: Index) -> None:  # noqa: N802
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QComboBox, model, index: Index) -> None:  # noqa: N802
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class RulesPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RuleTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("rulesTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(RuleColumn.CLINIC, SeverityDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(RuleColumn.TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (RuleColumn.ID, RuleColumn.SHIPPED, RuleColumn.CLINIC, RuleColumn.ENABLED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.reset_button = QPushButton("Back to the &shipped choices")
        self.reset_button.setObjectName("resetRules")
        self.reset_button.clicked.connect(self.model.reset_to_shipped)
        row = QHBoxLayout()
        row.addWidget(hint_label(
            "Block: the plan cannot be marked ready. Acknowledge: a reason must be recorded. "
            "Info: shown only. Choices that differ from the shipped ones are in bold. Plans opened "
            "after saving use the new choices."), 1)
        row.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def set_rules(self, rules: list[RuleChoice]) -> None:
        self.model.set_rules(rules)
