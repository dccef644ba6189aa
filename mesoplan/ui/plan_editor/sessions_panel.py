"""The Sessions tab: generate the series from a protocol and a start date, add or remove single
sessions, and edit the chosen one in the form beside the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mesoplan.plan import SessionDraft
from mesoplan.schedule import Protocol, generate_schedule
from mesoplan.ui import messages, settings
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.plan_editor.fields import text_label
from mesoplan.ui.plan_editor.session_editor import BatchLoader, SessionEditor
from mesoplan.ui.plan_editor.sessions_model import SessionColumn, SessionsTableModel
from mesoplan.ui.widgets.columns import size_columns
from mesoplan.vocabulary import indications

DEFAULT_GAP_DAYS = 14
"""Gap before a session added by hand when the series gives no spacing to copy."""


def order_protocols(protocols: Sequence[Protocol], indication: str) -> list[Protocol]:
    """Protocols for the plan's indication first, then those of its group, then the rest."""
    group = indications().get(indication)
    group_name = group.group if group else ""

    def rank(p: Protocol) -> int:
        if indication in p.indications:
            return 0
        return 1 if p.group == group_name else 2

    return sorted(protocols, key=rank)


class SessionsPanel(QWidget):
    def __init__(self, document: PlanDocument, protocols: Sequence[Protocol], load_batches: BatchLoader,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.editable = True
        self.protocols = {p.code: p for p in protocols}
        self.model = SessionsTableModel(document, self)
        self.editor = SessionEditor(document, load_batches, lambda: document.context.today)
        self._build()
        document.changed.connect(self._follow_document)
        self._fill_protocols()
        self._follow_document()

    def _build(self) -> None:
        self.protocol_combo = QComboBox()
        self.protocol_combo.setObjectName("protocol")
        self.protocol_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.protocol_combo.setMinimumContentsLength(18)
        protocol_label = QLabel("Protoco&l:")
        protocol_label.setBuddy(self.protocol_combo)
        self.start_edit = QDateEdit()
        self.start_edit.setObjectName("startDate")
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("yyyy-MM-dd")
        start_label = QLabel("&First session:")
        start_label.setBuddy(self.start_edit)
        self.generate_button = QPushButton("&Generate sessions")
        self.generate_button.setObjectName("generateSessions")
        self.generate_button.clicked.connect(self.generate)
        self.protocol_hint = text_label("", "hint")
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(protocol_label)
        top.addWidget(self.protocol_combo, 1)
        top.addWidget(start_label)
        top.addWidget(self.start_edit)
        top.addWidget(self.generate_button)
        self.protocol_combo.currentIndexChanged.connect(lambda _i: self._show_protocol_hint())

        self.table = QTableView()
        self.table.setObjectName("sessionsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName("Sessions")
        size_columns(self.table, {
            SessionColumn.NUMBER: "88", SessionColumn.DATE: "8888-88-88", SessionColumn.TIME: "88:88",
            SessionColumn.PHASE: "Consolidation", SessionColumn.STATUS: "Done (8 lots)",
            SessionColumn.TECHNIQUE: "Papules (intradermal wheals), 8 mm"}, stretch=SessionColumn.ZONES)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _p: self._select(current.row()))
        self.add_button = QPushButton("&Add session")
        self.add_button.clicked.connect(self.add_session)
        self.remove_button = QPushButton("Remo&ve session")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(8)
        list_layout.addWidget(self.table, 1)
        list_layout.addLayout(buttons)
        editor_scroll = QScrollArea()
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor_scroll.setWidget(self.editor)
        needed = max(self.editor.minimumSizeHint().width(), self.editor.body.minimumSizeHint().width())
        editor_scroll.setMinimumWidth(needed + editor_scroll.verticalScrollBar().sizeHint().width())
        # The list above the chosen session's details: the list needs the width for its columns.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("sessionsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(list_box)
        self.splitter.addWidget(editor_scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        state = settings.PLAN_EDITOR_SESSIONS_SPLITTER.get()
        if state.isEmpty() or not self.splitter.restoreState(state):
            self.splitter.setSizes([520, 480])
        self.splitter.splitterMoved.connect(
            lambda *_: settings.PLAN_EDITOR_SESSIONS_SPLITTER.set(self.splitter.saveState()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.protocol_hint)
        layout.addWidget(self.splitter, 1)

    # --- protocols ------------------------------------------------------------------------------

    def _fill_protocols(self) -> None:
        draft = self.document.draft
        self.protocol_combo.blockSignals(True)
        self.protocol_combo.clear()
        self.protocol_combo.addItem("Choose a protocol…", "")
        for protocol in order_protocols(list(self.protocols.values()), draft.indication):
            retired = " (retired)" if protocol.retired else ""
            self.protocol_combo.addItem(f"{protocol.name}{retired}", protocol.code)
            self.protocol_combo.setItemData(self.protocol_combo.count() - 1, protocol.describe(),
                                            Qt.ItemDataRole.ToolTipRole)
        index = self.protocol_combo.findData(draft.protocol_code)
        self.protocol_combo.setCurrentIndex(max(index, 0))
        self.protocol_combo.blockSignals(False)
        start = draft.start_date or self.document.context.today
        self.start_edit.setDate(QDate(start.year, start.month, start.day))
        self._show_protocol_hint()

    def _show_protocol_hint(self) -> None:
        protocol = self.protocols.get(self.protocol_combo.currentData() or "")
        self.protocol_hint.setText(
            f"{protocol.describe()}. A starting point to adjust, not a recommendation."
            if protocol else "Choose a protocol and the date of the first session, then generate "
                             "the series; each session can then be moved or changed.")
        self.generate_button.setEnabled(protocol is not None)

    def generate(self) -> None:
        """Replace the planned sessions with the chosen protocol's series from the start date."""
        protocol = self.protocols.get(self.protocol_combo.currentData() or "")
        if protocol is None:
            return
        draft = self.document.draft
        done = [s for s in draft.sessions if s.status == "done"]
        if done:
            messages.show_error(self, "Sessions already done", (
                f"Session {done[0].sequence} is recorded as done, so the series cannot be generated "
                "again without losing that record. Add or move single sessions instead."))
            return
        if draft.sessions and not messages.confirm(
                self, "Replace the sessions?",
                f"This plan already has {len(draft.sessions)} sessions. Replace them with the "
                f"{protocol.session_count} sessions of {protocol.name}?", yes="Replace"):
            return
        start = self.start_edit.date().toPython()
        try:
            visits = generate_schedule(protocol, start)
        except Exception as exc:  # noqa: BLE001 - shown to the person
            messages.show_error(self, "The sessions could not be generated", exc)
            return
        sessions = tuple(SessionDraft(sequence=v.sequence, planned_date=v.date, phase=v.phase)
                         for v in visits)
        self.document.edit(f"Generate {len(sessions)} sessions of {protocol.name}", draft.with_changes(
            sessions=sessions, protocol_code=protocol.code, start_date=start))
        self.select(0)

    # --- single sessions ------------------------------------------------------------------------

    def selected_position(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select(self, position: int) -> None:
        if 0 <= position < self.model.rowCount():
            index = self.model.index(position, 0)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)

    def _select(self, position: int) -> None:
        self.editor.set_position(position if position >= 0 else None)
        self._update_buttons()

    def add_session(self) -> None:
        draft = self.document.draft
        sessions = draft.sessions
        if sessions:
            last = sessions[-1]
            gap = (last.planned_date - sessions[-2].planned_date if len(sessions) > 1
                   else dt.timedelta(days=DEFAULT_GAP_DAYS))
            day, phase = last.planned_date + max(gap, dt.timedelta(days=1)), last.phase
        else:
            day, phase = self.start_edit.date().toPython(), ""
        new = SessionDraft(sequence=len(sessions) + 1, planned_date=day, phase=phase)
        self.document.edit(f"Add session {new.sequence}", draft.with_changes(sessions=(*sessions, new)))
        self.select(len(sessions))

    def remove_selected(self) -> None:
        position = self.selected_position()
        if position is None:
            return
        draft = self.document.draft
        removed = draft.sessions[position]
        if removed.status == "done":
            messages.show_error(self, "Session done", (
                f"Session {removed.sequence} is recorded as done and stays in the plan's record."))
            return
        rest = draft.sessions[:position] + draft.sessions[position + 1:]
        renumbered = tuple(replace(s, sequence=i) for i, s in enumerate(rest, start=1))
        self.document.edit(f"Remove session {removed.sequence}",
                           draft.with_changes(sessions=renumbered))
        if renumbered:
            self.select(min(position, len(renumbered) - 1))

    # --- following the document -----------------------------------------------------------------

    def _follow_document(self) -> None:
        draft = self.document.draft
        index = self.protocol_combo.findData(draft.protocol_code)
        if draft.protocol_code and index >= 0 and index != self.protocol_combo.currentIndex():
            self.protocol_combo.setCurrentIndex(index)
        self.table.setColumnHidden(SessionColumn.TIME,
                                   not any(s.planned_time for s in draft.sessions))
        if self.selected_position() is None and self.editor.position is not None:
            self.editor.set_position(None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        position = self.selected_position()
        sessions = self.document.draft.sessions
        removable = position is not None and position < len(sessions) and sessions[position].status != "done"
        self.remove_button.setEnabled(self.editable and removable)
        self.add_button.setEnabled(self.editable)

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        for widget in (self.protocol_combo, self.start_edit, self.generate_button):
            widget.setEnabled(editable)
        self.editor.set_editable(editable)
        self._update_buttons()
