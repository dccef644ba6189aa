"""The sessions table: one read-only row per session (edited in the session form beside it).

Technique and depth left empty on a session follow the plan's; those are shown in grey italics.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from mesoplan.plan import SessionDraft
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.plan_editor.table_sync import sync_rows
from mesoplan.units import format_number
from mesoplan.vocabulary import technique_label, zone_label

Index = QModelIndex | QPersistentModelIndex
SESSION_ROLE = Qt.ItemDataRole.UserRole + 1
_INHERITED = QColor("#5b6b75")
STATUS_LABELS = {"planned": "Planned", "done": "Done", "cancelled": "Cancelled", "missed": "Missed"}


class SessionColumn(IntEnum):
    NUMBER = 0
    DATE = 1
    TIME = 2
    PHASE = 3
    STATUS = 4
    TECHNIQUE = 5
    ZONES = 6


HEADERS = {
    SessionColumn.NUMBER: "No.", SessionColumn.PHASE: "Phase", SessionColumn.DATE: "Date",
    SessionColumn.TIME: "Time", SessionColumn.TECHNIQUE: "Technique",
    SessionColumn.ZONES: "Zones", SessionColumn.STATUS: "Status",
}


def zones_text(session: SessionDraft) -> str:
    if not session.zones:
        return "plan's areas"
    total = format_number(session.total_zone_volume_ml)
    return f"{', '.join(zone_label(z.zone) for z in session.zones)} ({total} mL)"


class SessionsTableModel(QAbstractTableModel):
    def __init__(self, document: PlanDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self._rows: tuple[SessionDraft, ...] = document.draft.sessions
        document.changed.connect(self.refresh)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(SessionColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(SessionColumn)):
            return HEADERS[SessionColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        session = self._rows[index.row()]
        column = SessionColumn(index.column())
        if role == SESSION_ROLE:
            return session
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(session, column)
        inherited = self._inherited(session, column)
        if role == Qt.ItemDataRole.ForegroundRole and inherited:
            return QBrush(_INHERITED)
        if role == Qt.ItemDataRole.FontRole and (inherited or session.status == "done"):
            font = QFont()
            font.setItalic(inherited)
            font.setBold(session.status == "done" and column is SessionColumn.STATUS)
            return font
        return None

    def _inherited(self, session: SessionDraft, column: SessionColumn) -> bool:
        return ((column is SessionColumn.TECHNIQUE and not session.technique
                 and session.depth_mm is None)
                or (column is SessionColumn.ZONES and not session.zones))

    def _text(self, session: SessionDraft, column: SessionColumn) -> str:
        plan = self.document.draft
        if column is SessionColumn.NUMBER:
            return str(session.sequence)
        if column is SessionColumn.PHASE:
            return session.phase
        if column is SessionColumn.DATE:
            return session.planned_date.isoformat()
        if column is SessionColumn.TIME:
            return session.planned_time.strftime("%H:%M") if session.planned_time else ""
        if column is SessionColumn.TECHNIQUE:
            code = session.technique or plan.technique
            depth = session.depth_mm if session.depth_mm is not None else plan.depth_mm
            parts = ([technique_label(code)] if code else []) + (
                [f"{format_number(depth)} mm"] if depth is not None else [])
            return ", ".join(parts)
        if column is SessionColumn.ZONES:
            return zones_text(session)
        status = STATUS_LABELS.get(session.status, session.status)
        if session.status == "done" and session.batches:
            status += f" ({len(session.batches)} lot{'s' if len(session.batches) != 1 else ''})"
        return status

    def refresh(self) -> None:
        sync_rows(self, self._rows, self.document.draft.sessions, self._assign)

    def _assign(self, rows) -> None:
        self._rows = tuple(rows)
