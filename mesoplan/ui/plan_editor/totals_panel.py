"""The cocktail's live totals: total volume, each active's final concentration, the local
anaesthetic dose against its ceiling, and the cocktail's warnings and problems.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mesoplan.cocktail import ActiveResult, AnaestheticDose, CocktailResult
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.plan_editor.fields import text_label
from mesoplan.units import format_number, format_quantity
from mesoplan.ui.style import mark

Index = QModelIndex | QPersistentModelIndex


class ActiveColumn(IntEnum):
    ACTIVE = 0
    CONCENTRATION = 1
    IN_MIX = 2


_HEADERS = {ActiveColumn.ACTIVE: "Active", ActiveColumn.CONCENTRATION: "Final concentration",
            ActiveColumn.IN_MIX: "In the mix"}


class ActivesTableModel(QAbstractTableModel):
    """Read-only rows of ``CocktailResult.actives``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._actives: tuple[ActiveResult, ...] = ()

    def set_actives(self, actives: tuple[ActiveResult, ...]) -> None:
        if actives == self._actives:
            return
        if len(actives) == len(self._actives):
            self._actives = actives
            if actives:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(actives) - 1, len(ActiveColumn) - 1))
            return
        self.beginResetModel()
        self._actives = actives
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._actives)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(ActiveColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(ActiveColumn)):
            return _HEADERS[ActiveColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._actives):
            return None
        active = self._actives[index.row()]
        column = ActiveColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column is ActiveColumn.ACTIVE:
                return active.name
            if column is ActiveColumn.CONCENTRATION:
                return active.concentration_text
            if active.amount_in_mix is None:
                return "–"
            text = format_quantity(active.amount_in_mix)
            return f"at least {text}" if active.unknown_strength else text
        return None


def _dose_text(label: str, dose: AnaestheticDose) -> str:
    per_kg = "" if dose.mg_per_kg is None else f" ({format_number(dose.mg_per_kg)} mg/kg)"
    ceiling = ("no ceiling set" if dose.ceiling_mg is None
               else f"ceiling {format_number(dose.ceiling_mg)} mg")
    more = " – a strength is missing, the real dose may be higher" if dose.incomplete else ""
    return f"{label}: {format_number(dose.mg)} mg per session{per_kg}; {ceiling}{more}"


def _label(text: str = "", role: str = "") -> QLabel:
    label = text_label(text, role, flexible=True)
    return label


class TotalsPanel(QWidget):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        heading = _label("Totals", "subtitle")
        self.volume_label = _label()
        self.volume_label.setObjectName("totalVolume")
        self.actives_model = ActivesTableModel(self)
        self.actives_view = QTableView()
        self.actives_view.setObjectName("activesTable")
        self.actives_view.setModel(self.actives_model)
        self.actives_view.verticalHeader().hide()
        self.actives_view.setAlternatingRowColors(True)
        self.actives_view.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.actives_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.actives_view.setSizeAdjustPolicy(QTableView.SizeAdjustPolicy.AdjustToContents)
        self.actives_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.actives_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ActiveColumn.ACTIVE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ActiveColumn.CONCENTRATION, QHeaderView.ResizeMode.ResizeToContents)
        self.actives_view.setWordWrap(False)
        self.anaesthetic_frame = QFrame()
        self.anaesthetic_frame.setObjectName("anaestheticFrame")
        frame_layout = QVBoxLayout(self.anaesthetic_frame)
        frame_layout.setContentsMargins(8, 6, 8, 6)
        self.anaesthetic_label = _label()
        self.anaesthetic_label.setObjectName("anaestheticDose")
        frame_layout.addWidget(self.anaesthetic_label)
        self.warnings_label = _label(role="hint")
        self.warnings_label.setObjectName("cocktailWarnings")
        self.problems_label = _label()
        self.problems_label.setObjectName("cocktailProblems")
        self.problems_label.setStyleSheet("color: #b3261e;")
        for widget in (heading, self.volume_label, self.actives_view, self.anaesthetic_frame,
                       self.problems_label, self.warnings_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        evaluation = self.document.evaluation
        cocktail: CocktailResult | None = evaluation.cocktail
        components = self.document.draft.components
        if not components:
            self.volume_label.setText("Add ingredients or products from the catalog to build the cocktail.")
        elif cocktail is None:
            self.volume_label.setText("The totals cannot be worked out until the problems below are put right.")
        else:
            self.volume_label.setText(f"Total volume: {format_number(cocktail.total_volume_ml)} mL "
                                      f"in {len(components)} component{'s' if len(components) != 1 else ''}")
        self.actives_model.set_actives(cocktail.actives if cocktail else ())
        self.actives_view.setVisible(bool(cocktail and cocktail.actives))
        self._show_anaesthetic(cocktail)
        self.problems_label.setText("\n".join(f"• {p}" for p in evaluation.problems))
        self.problems_label.setVisible(bool(evaluation.problems))
        warnings = cocktail.warnings if cocktail else ()
        self.warnings_label.setText("\n".join(f"• {w}" for w in warnings))
        self.warnings_label.setVisible(bool(warnings))

    def _show_anaesthetic(self, cocktail: CocktailResult | None) -> None:
        if cocktail is None:
            self.anaesthetic_frame.hide()
            return
        result = cocktail.anaesthetic
        lines = []
        if result.amide.active_names:
            lines.append(_dose_text("Lidocaine-type anaesthetic", result.amide))
        if result.ester.active_names:
            lines.append(_dose_text("Procaine-type anaesthetic", result.ester))
        if not lines:
            self.anaesthetic_frame.hide()
            return
        if result.weight_kg is None:
            lines.append("The patient's weight is not recorded, so the per-kg limit is not checked.")
        severity = "block" if result.exceeded else (
            "acknowledge" if result.amide.incomplete or result.weight_kg is None else "ok")
        mark(self.anaesthetic_frame, severity=severity)
        if result.exceeded:
            lines.append("Over the ceiling: reduce the anaesthetic before this plan can be ready.")
        self.anaesthetic_label.setText("\n".join(lines))
        self.anaesthetic_frame.show()
