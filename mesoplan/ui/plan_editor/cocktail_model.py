"""The cocktail table: one row per component, strength, unit and volume editable in place.

The model reads the document's draft; an accepted edit becomes an undo command through
``PlanDocument.edit`` (keystrokes in one cell merge into one step). Rows the live evaluation
finds a problem with are tinted, with the problem as their tooltip; final concentrations are in
the totals panel.
"""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from mesoplan import numbers
from mesoplan.plan import ComponentDraft
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.plan_editor.table_sync import sync_rows
from mesoplan.ui.plan_editor.values import read_strength, read_unit, read_volume, show_number
from mesoplan.units import format_number

Index = QModelIndex | QPersistentModelIndex
COMPONENT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's ``ComponentDraft``."""
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 2
"""Text of what the evaluation found wrong with the row ("" when nothing)."""

_INHERITED = QColor("#5b6b75")
_PROBLEM_BACKGROUND = QColor("#fdf1f0")


class CocktailColumn(IntEnum):
    NAME = 0
    STRENGTH = 1
    UNIT = 2
    VOLUME = 3


HEADERS = {
    CocktailColumn.NAME: "Component",
    CocktailColumn.STRENGTH: "Strength",
    CocktailColumn.UNIT: "Unit",
    CocktailColumn.VOLUME: "mL",
}
READERS = {
    CocktailColumn.STRENGTH: read_strength,
    CocktailColumn.UNIT: read_unit,
    CocktailColumn.VOLUME: read_volume,
}
_FIELDS = {
    CocktailColumn.STRENGTH: ("strength_value", "Change strength"),
    CocktailColumn.UNIT: ("strength_unit", "Change unit"),
    CocktailColumn.VOLUME: ("volume_ml", "Change volume"),
}


class CocktailTableModel(QAbstractTableModel):
    def __init__(self, document: PlanDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self._rows: tuple[ComponentDraft, ...] = document.draft.components
        self.edit_session = 0
        """Changed by the delegate whenever an editor opens: typing merges within one session."""
        document.changed.connect(self.refresh)

    # --- shape ----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(CocktailColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(CocktailColumn):
            return HEADERS[CocktailColumn(section)]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = CocktailColumn(index.column())
        component = self._rows[index.row()]
        if column is CocktailColumn.VOLUME or (
                column in (CocktailColumn.STRENGTH, CocktailColumn.UNIT)
                and component.kind == "ingredient"):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # --- data -----------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        component = self._rows[index.row()]
        column = CocktailColumn(index.column())
        if role == COMPONENT_ROLE:
            return component
        if role == PROBLEM_ROLE:
            return self._problem_text(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(component, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(component, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), component, column)
        if role == Qt.ItemDataRole.ForegroundRole and self._inherited(component, column):
            return QBrush(_INHERITED)
        if role == Qt.ItemDataRole.FontRole and self._inherited(component, column):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and self._problem_text(index.row()):
            return QBrush(_PROBLEM_BACKGROUND)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
                CocktailColumn.STRENGTH, CocktailColumn.VOLUME):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{HEADERS[column]}: {self._display(component, column)}"
        return None

    def _info(self, component: ComponentDraft):
        return self.document.item_info(component.kind, component.code)

    def _inherited(self, component: ComponentDraft, column: CocktailColumn) -> bool:
        """The strength shown comes from the catalog (none recorded in the plan)."""
        return (column in (CocktailColumn.STRENGTH, CocktailColumn.UNIT)
                and component.kind == "ingredient" and component.strength_value is None
                and component.strength_unit is None)

    def _display(self, component: ComponentDraft, column: CocktailColumn) -> str:
        if column is CocktailColumn.NAME:
            suffix = " (product)" if component.kind == "product" else ""
            info = self._info(component)
            retired = " – retired from the catalog" if info is not None and info.retired else ""
            return f"{component.name or component.code}{suffix}{retired}"
        if column is CocktailColumn.VOLUME:
            return numbers.localised(format_number(component.volume_ml, 4))
        if component.kind == "product":
            return "see product" if column is CocktailColumn.STRENGTH else ""
        value, unit = component.strength_value, component.strength_unit
        if self._inherited(component, column):
            info = self._info(component)
            value, unit = (info.strength_value, info.strength_unit) if info else (None, None)
        if column is CocktailColumn.STRENGTH:
            return "not recorded" if value is None else numbers.localised(format_number(value, 4))
        return unit or ""

    def _edit_text(self, component: ComponentDraft, column: CocktailColumn) -> str:
        if column is CocktailColumn.STRENGTH:
            return show_number(component.strength_value)
        if column is CocktailColumn.UNIT:
            return component.strength_unit or ""
        if column is CocktailColumn.VOLUME:
            return show_number(component.volume_ml)
        return self._display(component, column)

    def _problem_text(self, row: int) -> str:
        prefix = f"component {row + 1}"
        return "\n".join(
            str(p) for p in self.document.evaluation.problems
            if p.where == prefix or p.where.startswith(prefix + " ") or p.where.startswith(prefix + ",")
        )

    def _tooltip(self, row: int, component: ComponentDraft, column: CocktailColumn) -> str:
        problem = self._problem_text(row)
        if problem:
            return problem
        if self._inherited(component, column):
            return "The catalog's strength is used; type a strength to record your own."
        if column is CocktailColumn.STRENGTH and component.kind == "product":
            info = self._info(component)
            parts = [f"{p.ingredient.name} {format_number(p.strength_value)} {p.strength_unit or ''}"
                     if p.strength_value is not None else f"{p.ingredient.name} (strength not recorded)"
                     for p in (info.parts if info else ())]
            return "Contains: " + ", ".join(parts) if parts else "The product's composition is not recorded."
        return ""

    # --- editing --------------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        if self.document.draft.components != self._rows or not 0 <= index.row() < len(self._rows):
            return False  # the table is catching up with an undo; this edit is out of date
        column = CocktailColumn(index.column())
        try:
            text = value if isinstance(value, str) else "" if value is None else show_number(value)
            value = READERS[column](text)
            self.check_cell(index, value)
        except ValueError:
            return False
        row = index.row()
        field, text = _FIELDS[column]
        component = self._rows[row]
        changed = replace(component, **{field: value})
        if column is CocktailColumn.STRENGTH and component.strength_unit is None and value is not None:
            # A strength typed over the catalog's keeps the catalog's unit until one is chosen.
            info = self._info(component)
            changed = replace(changed, strength_unit=info.strength_unit if info else None)
        draft = self.document.draft
        components = list(draft.components)
        components[row] = changed
        self.document.edit(f"{text} of {component.name or component.code}",
                           draft.with_changes(components=tuple(components)),
                           merge_key=("cocktail", row, int(column), self.edit_session))
        return True

    def check_cell(self, index: Index, value: Any) -> None:
        """Raise ``ValueError`` when ``value`` read for the cell at ``index`` does not fit its row:
        a strength beyond the bounds of the row's unit, or a unit that puts the row's strength
        beyond them."""
        if not 0 <= index.row() < len(self._rows):
            return
        component = self._rows[index.row()]
        info = self._info(component)
        column = CocktailColumn(index.column())
        if column is CocktailColumn.STRENGTH and value is not None:
            unit = component.strength_unit or (info.strength_unit if info else None)
            numbers.check(value, "strength", "Strength", unit=unit)
        elif column is CocktailColumn.UNIT and value and component.strength_value is not None:
            numbers.check(component.strength_value, "strength", "Strength", unit=value)

    # --- following the document -----------------------------------------------------------------

    def refresh(self) -> None:
        sync_rows(self, self._rows, self.document.draft.components, self._assign)

    def _assign(self, rows) -> None:
        self._rows = tuple(rows)
