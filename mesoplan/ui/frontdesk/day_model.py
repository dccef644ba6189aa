"""The table of a day's sessions for the front desk: one row per ``DaySession``, no clinical details."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from mesoplan.services.day_schedule import DaySession
from mesoplan.ui.style import SEVERITY_COLOURS
from mesoplan.ui.widgets.dates import format_birth

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """In order of what the front desk needs first, so a narrow window hides the least useful."""

    TIME = 0
    PATIENT = 1
    CONSENT = 2
    AFTERCARE = 3
    SESSION = 4
    BORN = 5
    PHONE = 6
    PRACTITIONER = 7
    INDICATION = 8


HEADERS = {
    Column.TIME: "Time", Column.PATIENT: "Patient", Column.CONSENT: "Consent", Column.AFTERCARE: "Aftercare",
    Column.SESSION: "Session", Column.BORN: "Date of birth", Column.PHONE: "Phone",
    Column.PRACTITIONER: "Practitioner", Column.INDICATION: "Treatment for",
}
ISSUED, NOT_ISSUED = "✓", "–"
ISSUED_WORDS, NOT_ISSUED_WORDS = "issued", "not issued"
MUTED_TEXT = "#5b6b75"  # the style's hint colour: sessions that do not take place, documents not issued
ISSUED_TEXT = SEVERITY_COLOURS["ok"][1]
SessionRole = Qt.ItemDataRole.UserRole + 1
"""The row's ``DaySession``."""
SortRole = Qt.ItemDataRole.UserRole + 2
"""A value that sorts the column sensibly (times and dates as such, untimed sessions last)."""


class DaySessionTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DaySession] = []
        self.today = dt.date.today()

    # --- contents -----------------------------------------------------------------------------------

    def set_sessions(self, sessions: list[DaySession]) -> None:
        self.beginResetModel()
        self._rows = list(sessions)
        self.today = dt.date.today()
        self.endResetModel()

    def session_at(self, row: int) -> DaySession:
        return self._rows[row]

    def sessions(self) -> list[DaySession]:
        return list(self._rows)

    def row_of(self, session_id: int) -> int | None:
        return next((i for i, s in enumerate(self._rows) if s.session_id == session_id), None)

    # --- Qt model -----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[Column(section)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not 0 <= index.column() < len(Column):
            return None
        session, column = self._rows[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(session, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(session, column)
        if role == SessionRole:
            return session
        if role == SortRole:
            return self._sort_value(session, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(session, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.TIME, Column.CONSENT, Column.AFTERCARE):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not session.printable:
                return QColor(MUTED_TEXT)
            if column in (Column.CONSENT, Column.AFTERCARE):
                issued = session.consent_issued if column == Column.CONSENT else session.aftercare_issued
                return QColor(ISSUED_TEXT if issued else MUTED_TEXT)
        return None

    def _text(self, s: DaySession, column: Column) -> str:
        match column:
            case Column.TIME:
                return s.time.strftime("%H:%M") if s.time else "not set"
            case Column.PATIENT:
                return s.patient_name
            case Column.BORN:
                return format_birth(s.date_of_birth, self.today)
            case Column.PHONE:
                return s.phone
            case Column.PRACTITIONER:
                return s.practitioner
            case Column.INDICATION:
                return s.indication
            case Column.SESSION:
                return f"{s.sequence} of {s.session_count}" + _status_note(s)
            case Column.CONSENT:
                return ISSUED if s.consent_issued else NOT_ISSUED
            case Column.AFTERCARE:
                return ISSUED if s.aftercare_issued else NOT_ISSUED
        return ""

    def _accessible_text(self, s: DaySession, column: Column) -> str:
        if column == Column.CONSENT:
            return ISSUED_WORDS if s.consent_issued else NOT_ISSUED_WORDS
        if column == Column.AFTERCARE:
            return ISSUED_WORDS if s.aftercare_issued else NOT_ISSUED_WORDS
        return self._text(s, column)

    def _sort_value(self, s: DaySession, column: Column):
        if column == Column.TIME:
            return (s.time or dt.time.max).strftime("%H:%M:%S") + ("1" if s.time is None else "0")
        if column == Column.BORN:
            return s.date_of_birth.isoformat() if s.date_of_birth else ""
        if column == Column.SESSION:
            return s.sequence
        return self._text(s, column).casefold()

    def _tooltip(self, s: DaySession, column: Column) -> str | None:
        if column == Column.CONSENT:
            return ("A consent form has been issued for this plan." if s.consent_issued
                    else "No consent form has been issued for this plan yet.")
        if column == Column.AFTERCARE:
            return ("An aftercare sheet has been issued for this session." if s.aftercare_issued
                    else "No aftercare sheet has been issued for this session yet.")
        if column == Column.PATIENT:
            at = s.time.strftime("%H:%M") if s.time else "time not set"
            with_whom = f" with {s.practitioner}" if s.practitioner else ""
            return f"{s.full_name}: {at}{with_whom}, {s.indication}"
        if column == Column.SESSION:
            return f"Session {s.sequence} of {s.session_count} of the plan; {_status_words(s)}."
        return None


def _status_words(s: DaySession) -> str:
    return "the plan is cancelled" if s.plan_status == "cancelled" else s.status_label.lower()


def _status_note(s: DaySession) -> str:
    """Nothing for the usual planned session; otherwise what became of it."""
    if s.plan_status == "cancelled":
        return " · plan cancelled"
    return "" if s.status == "planned" else f" · {s.status_label.lower()}"
