"""The patient list's table model: search results loaded 200 at a time.

On a local SQLite file the first page of a search is read at once (a few milliseconds from the
indexes, less than a worker thread's hand-over); on a database server it is read off the GUI
thread. ``search(text)`` asks ``services.patients.search_patients`` for the first page; the view's
``fetchMore`` continues with keyset paging (``after=`` the last row's sort key), so the whole
table is never read. At most one query runs at a time: text typed meanwhile is searched when it
finishes, and results for text that has since changed are dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from mesoplan.services.patients import PatientSummary, search_patients
from mesoplan.ui import messages
from mesoplan.ui.context import AppContext
from mesoplan.ui.widgets.dates import format_birth

PAGE_SIZE = 200
PATIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class PatientColumn(IntEnum):
    NAME = 0
    BORN = 1
    PHONE = 2


HEADERS = {PatientColumn.NAME: "Name", PatientColumn.BORN: "Born (age)",
           PatientColumn.PHONE: "Phone"}


@dataclass(frozen=True)
class _Row:
    summary: PatientSummary
    cells: tuple[str, str, str]


def _row(summary: PatientSummary, today: dt.date) -> _Row:
    return _Row(summary, (summary.display_name, format_birth(summary.date_of_birth, today),
                          summary.phone))


class PatientListModel(QAbstractTableModel):
    loaded = Signal(str)
    """The first page for this search text has arrived (the model was reset)."""
    loading_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._rows: list[_Row] = []
        self._text = ""            # the text the rows were found for
        self._wanted = ""          # the text most recently asked for
        self._searching = False    # a first-page query is running
        self._fetching = False     # a next-page query is running
        self._exhausted = True
        self._generation = 0       # bumped at every reset; stale next pages are dropped

    # --- searching ------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    def is_loading(self) -> bool:
        return self._searching

    def search(self, text: str) -> None:
        """Show the patients matching ``text`` (runs now, or when the running query ends)."""
        self._wanted = text
        if not self._searching:
            self._start_search()

    def refresh(self) -> None:
        """Search again for the current text (after patients were added or changed)."""
        self.search(self._wanted)

    def _start_search(self) -> None:
        text = self._wanted
        self._searching = True
        self.loading_changed.emit(True)
        ctx = self.ctx

        def query(_progress) -> list[PatientSummary]:
            with ctx.read() as uow:
                return search_patients(uow, text, limit=PAGE_SIZE)

        if ctx.database.is_sqlite:
            # A local file answers a search from its indexes in a few milliseconds (bench/README.md),
            # less than handing the query to a worker thread costs; a server may be far away.
            try:
                rows = query(None)
            except Exception as exc:  # noqa: BLE001 - shown as a message, the list stays usable
                self._search_failed(exc)
                return
            self._search_done(text, rows)
            return
        self.ctx.tasks.run(query, lambda rows: self._search_done(text, rows), self._search_failed)

    def _search_done(self, text: str, summaries: list[PatientSummary]) -> None:
        self._searching = False
        if text != self._wanted:
            self._start_search()  # the person typed on: this page is already out of date
            return
        today = dt.date.today()
        self.beginResetModel()
        self._generation += 1
        self._rows = [_row(s, today) for s in summaries]
        self._text = text
        self._exhausted = len(summaries) < PAGE_SIZE
        self._fetching = False
        self.endResetModel()
        self.loading_changed.emit(False)
        self.loaded.emit(text)

    def _search_failed(self, exc: BaseException) -> None:
        self._searching = False
        self.loading_changed.emit(False)
        messages.show_error(None, "The patient search did not work", exc)

    # --- paging ---------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 - Qt naming
        if parent.isValid():
            return False
        return not (self._exhausted or self._fetching or self._searching) and bool(self._rows)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        text, after, generation = self._text, self._rows[-1].summary.sort_key, self._generation
        ctx = self.ctx

        def query(_progress) -> list[PatientSummary]:
            with ctx.read() as uow:
                return search_patients(uow, text, limit=PAGE_SIZE, after=after)

        self.ctx.tasks.run(query, lambda rows: self._page_done(generation, rows),
                           self._page_failed)

    def _page_done(self, generation: int, summaries: list[PatientSummary]) -> None:
        if generation != self._generation:
            return  # a new search replaced the rows this page would continue
        self._fetching = False
        self._exhausted = len(summaries) < PAGE_SIZE
        if summaries:
            today = dt.date.today()
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(summaries) - 1)
            self._rows.extend(_row(s, today) for s in summaries)
            self.endInsertRows()

    def _page_failed(self, exc: BaseException) -> None:
        self._fetching = False
        self._exhausted = True
        messages.show_error(None, "More patients could not be loaded", exc)

    def is_complete(self) -> bool:
        """True when every matching patient is loaded."""
        return self._exhausted

    # --- the table ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(PatientColumn)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(part for part in (row.summary.full_name, row.cells[PatientColumn.BORN],
                                                row.summary.phone) if part)
        if role == PATIENT_ID_ROLE:
            return row.summary.id
        if role == SUMMARY_ROLE:
            return row.summary
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(PatientColumn)):
            return HEADERS[PatientColumn(section)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def summary(self, row: int) -> PatientSummary | None:
        return self._rows[row].summary if 0 <= row < len(self._rows) else None

    def row_of(self, patient_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.summary.id == patient_id), None)
