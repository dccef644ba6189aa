"""The audit browser's models: entries fetched a page at a time as the view scrolls (newest first),
and one entry's values before and after as readable field/value rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from mesoplan.services.audit import AuditFilter, AuditRecord, browse_audit, count_audit
from mesoplan.ui.context import AppContext
from mesoplan.ui.widgets.record_model import RECORD_ROLE, RecordTableModel

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200
EMPTY = "—"


def local_time(moment: dt.datetime) -> str:
    """A stored UTC time as this computer's local time."""
    return moment.replace(tzinfo=dt.timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def readable(value: Any) -> str:
    """A stored value in words: lists joined, yes/no, nested values as compact JSON."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{str(key).replace('_', ' ')}: {readable(item)}" for key, item in value.items())
    if isinstance(value, list):
        nested = any(isinstance(v, (list, dict)) for v in value)
        return ("; " if nested else ", ").join(readable(v) for v in value)
    return str(value)


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix or "value": value}


@dataclass(frozen=True)
class DiffRow:
    field: str
    before: str
    after: str
    changed: bool


def diff_rows(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[DiffRow]:
    """One row per field (nested fields as 'R05.severity'), in the order they were recorded."""
    old = _flatten(before) if before else {}
    new = _flatten(after) if after else {}
    names = list(old) + [name for name in new if name not in old]
    return [DiffRow(name.replace("_", " "), readable(old.get(name)) if before is not None else EMPTY,
                    readable(new.get(name)) if after is not None else EMPTY,
                    before is not None and after is not None and old.get(name) != new.get(name))
            for name in names]


class DiffModel(RecordTableModel[DiffRow]):
    headers = ("Field", "Before", "After")

    def cells(self, row: DiffRow) -> tuple[str, ...]:
        return (row.field, row.before, row.after)

    def tooltip(self, row: DiffRow, column: int) -> str | None:
        return self.cells(row)[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            row = self.record(index.row())
            if row is not None and row.changed:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class AuditColumn(IntEnum):
    WHEN = 0
    WHO = 1
    ACTION = 2
    RECORD = 3
    SUMMARY = 4


HEADERS = {AuditColumn.WHEN: "When", AuditColumn.WHO: "Who", AuditColumn.ACTION: "Action",
           AuditColumn.RECORD: "Record", AuditColumn.SUMMARY: "What happened"}


def record_label(entry: AuditRecord) -> str:
    if not entry.entity_type:
        return ""
    return f"{entry.entity_type.replace('_', ' ')} {entry.entity_id}".strip()


class AuditTableModel(QAbstractTableModel):
    """Entries matching a filter, newest first, fetched a page at a time."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = AuditFilter()
        self.entries: list[AuditRecord] = []
        self.total = 0
        self._more = False

    def reload(self, flt: AuditFilter | None = None) -> None:
        """Show the first page for ``flt`` (the same filter again when None)."""
        if flt is not None:
            self.filter = flt
        with self.ctx.read() as uow:
            page = browse_audit(uow, self.filter, limit=PAGE_SIZE)
            self.total = count_audit(uow, self.filter)
        self.beginResetModel()
        self.entries = page
        self._more = len(page) == PAGE_SIZE
        self.endResetModel()

    def entry(self, row: int) -> AuditRecord | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None

    # --- paging -----------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 - Qt naming
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802
        if parent.isValid() or not self._more or not self.entries:
            return
        with self.ctx.read() as uow:
            page = browse_audit(uow, self.filter, limit=PAGE_SIZE, before_id=self.entries[-1].id)
        self._more = len(page) == PAGE_SIZE
        if page:
            first = len(self.entries)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self.entries.extend(page)
            self.endInsertRows()

    # --- the table ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(AuditColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = AuditColumn(index.column())
            if column is AuditColumn.WHEN:
                return local_time(entry.at)
            if column is AuditColumn.WHO:
                return entry.actor
            if column is AuditColumn.ACTION:
                return entry.action
            if column is AuditColumn.RECORD:
                return record_label(entry)
            return entry.summary
        if role == RECORD_ROLE:
            return entry
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(AuditColumn)):
            return HEADERS[AuditColumn(section)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
