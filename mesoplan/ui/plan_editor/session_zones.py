"""The zones of one session with the volume injected into each (editable in place, 0 mL or more)."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mesoplan import numbers
from mesoplan.plan import SessionDraft, ZoneVolume
from mesoplan.ui.plan_editor.delegates import LiveEditDelegate
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.plan_editor.fields import DATA_ROLE, text_label
from mesoplan.ui.plan_editor.table_sync import sync_rows
from mesoplan.ui.plan_editor.values import read_zone_volume, show_number
from mesoplan.ui.plan_editor.zone_picker import REGION_LABELS, zones_by_region
from mesoplan.units import format_number
from mesoplan.vocabulary import zone_label

Index = QModelIndex | QPersistentModelIndex


class ZoneColumn(IntEnum):
    ZONE = 0
    VOLUME = 1


_HEADERS = {ZoneColumn.ZONE: "Zone", ZoneColumn.VOLUME: "Volume (mL)"}
EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                 | QAbstractItemView.EditTrigger.AnyKeyPressed)


def replace_session(document: PlanDocument, position: int, text: str, merge_key=None,
                    **changes) -> bool:
    """Edit the session at ``position`` of the draft as one undoable step."""
    draft = document.draft
    sessions = list(draft.sessions)
    sessions[position] = replace(sessions[position], **changes)
    return document.edit(text, draft.with_changes(sessions=tuple(sessions)), merge_key)


class SessionZonesModel(QAbstractTableModel):
    def __init__(self, document: PlanDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.position: int | None = None
        self._rows: tuple[ZoneVolume, ...] = ()
        self.edit_session = 0
        document.changed.connect(self.refresh)

    def session(self) -> SessionDraft | None:
        sessions = self.document.draft.sessions
        if self.position is None or not 0 <= self.position < len(sessions):
            return None
        return sessions[self.position]

    def set_position(self, position: int | None) -> None:
        self.beginResetModel()
        self.position = position
        session = self.session()
        self._rows = session.zones if session else ()
        self.endResetModel()

    def refresh(self) -> None:
        session = self.session()
        sync_rows(self, self._rows, session.zones if session else (), self._assign)

    def _assign(self, rows) -> None:
        self._rows = tuple(rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(ZoneColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(ZoneColumn)):
            return _HEADERS[ZoneColumn(section)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == ZoneColumn.VOLUME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        zone = self._rows[index.row()]
        column = ZoneColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return (zone_label(zone.zone) if column is ZoneColumn.ZONE
                    else numbers.localised(format_number(zone.volume_ml, 4)))
        if role == Qt.ItemDataRole.EditRole:
            return zone.zone if column is ZoneColumn.ZONE else show_number(zone.volume_ml)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is ZoneColumn.VOLUME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        session = self.session()
        if (role != Qt.ItemDataRole.EditRole or session is None or not index.isValid()
                or index.column() != ZoneColumn.VOLUME or session.zones != self._rows
                or not 0 <= index.row() < len(self._rows)):
            return False
        try:
            volume = read_zone_volume(value if isinstance(value, str) else show_number(value))
        except ValueError:
            return False
        zones = list(session.zones)
        zones[index.row()] = ZoneVolume(zones[index.row()].zone, volume)
        replace_session(self.document, self.position, f"Change volume in {zone_label(zones[index.row()].zone)}",
                        ("zone-volume", self.position, index.row(), self.edit_session),
                        zones=tuple(zones))
        return True


def zone_choice_combo(parent: QWidget | None = None) -> QComboBox:
    combo = QComboBox(parent)
    model = QStandardItemModel(combo)
    bold = QFont()
    bold.setBold(True)
    for region, region_zones in zones_by_region():
        heading = QStandardItem(REGION_LABELS.get(region, region.title()))
        heading.setFlags(Qt.ItemFlag.NoItemFlags)
        heading.setFont(bold)
        model.appendRow(heading)
        for zone in region_zones:
            item = QStandardItem(zone.label)
            item.setData(zone.code, DATA_ROLE)
            model.appendRow(item)
    combo.setModel(model)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    combo.setCurrentIndex(1)
    return combo


class SessionZonesEditor(QWidget):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.model = SessionZonesModel(document, self)
        self.table = QTableView()
        self.table.setObjectName("sessionZones")
        self.table.setModel(self.model)
        self.delegate = LiveEditDelegate({ZoneColumn.VOLUME: read_zone_volume}, parent=self.table)
        self.table.setItemDelegate(self.delegate)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(EDIT_TRIGGERS)
        self.table.horizontalHeader().setSectionResizeMode(ZoneColumn.ZONE, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(ZoneColumn.VOLUME,
                                                           QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName("Zones of this session")
        rows = 6
        self.table.setMaximumHeight(self.table.horizontalHeader().sizeHint().height()
                                    + self.fontMetrics().height() * rows * 2)
        self.zone_combo = zone_choice_combo()
        self.zone_combo.setObjectName("zoneChoice")
        self.zone_combo.setAccessibleName("Zone to add")
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip("Add the chosen zone to this session")
        self.add_button.clicked.connect(self.add_zone)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected zone from this session")
        self.remove_button.clicked.connect(self.remove_selected)
        self.hint = text_label("", "hint")
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.zone_combo, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        document.changed.connect(self._update_hint)

    def set_position(self, position: int | None) -> None:
        self.model.set_position(position)
        self._update_hint()

    def add_zone(self) -> None:
        session = self.model.session()
        code = self.zone_combo.currentData(DATA_ROLE)
        if session is None or not code:
            return
        if any(z.zone == code for z in session.zones):
            self.hint.setText(f"{zone_label(code)} is already in this session.")
            return
        replace_session(self.document, self.model.position, f"Add zone {zone_label(code)}",
                        zones=(*session.zones, ZoneVolume(code, 0.0)))
        row = len(self.model.session().zones) - 1
        self.table.setCurrentIndex(self.model.index(row, ZoneColumn.VOLUME))

    def remove_selected(self) -> None:
        session = self.model.session()
        rows = self.table.selectionModel().selectedRows() if session else []
        if not rows:
            return
        row = rows[0].row()
        removed = session.zones[row]
        replace_session(self.document, self.model.position, f"Remove zone {zone_label(removed.zone)}",
                        zones=session.zones[:row] + session.zones[row + 1:])

    def _update_hint(self) -> None:
        session = self.model.session()
        if session is None:
            self.hint.setText("")
            return
        if not session.zones:
            self.hint.setText("No zones recorded: the plan's treatment areas apply.")
            return
        cocktail = self.document.evaluation.cocktail
        total = format_number(session.total_zone_volume_ml)
        mix = f" of a {format_number(cocktail.total_volume_ml)} mL mix" if cocktail else ""
        self.hint.setText(f"{total} mL into {len(session.zones)} zone"
                          f"{'s' if len(session.zones) != 1 else ''}{mix}.")

    def set_editable(self, editable: bool) -> None:
        for widget in (self.zone_combo, self.add_button, self.remove_button):
            widget.setEnabled(editable)
        self.table.setEditTriggers(EDIT_TRIGGERS if editable
                                   else QAbstractItemView.EditTrigger.NoEditTriggers)
