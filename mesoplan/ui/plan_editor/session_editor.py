"""The form for one session: date (moving it keeps the series' spacing), time, technique, depth,
needle, zones with volumes, status, reactions and notes, and recording it as done with its lots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from mesoplan.errors import MesoPlanError, ValidationError
from mesoplan.plan import ComponentDraft, SessionDraft
from mesoplan.schedule import PlannedVisit, move_visit
from mesoplan.services.catalog import BatchRecord
from mesoplan.ui import messages
from mesoplan.ui.plan_editor.delegates import mark_invalid
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.plan_editor.fields import (
    DATA_ROLE,
    depth_hint,
    in_error,
    line_accepted,
    needle_combo,
    select_data,
    set_text,
    show_depth,
    technique_combo,
    text_label,
)
from mesoplan.ui.plan_editor.record_done_dialog import RecordDoneDialog
from mesoplan.ui.plan_editor.session_zones import SessionZonesEditor, replace_session
from mesoplan.ui.plan_editor.sessions_model import STATUS_LABELS
from mesoplan.ui.plan_editor.values import read_depth, show_number
from mesoplan.vocabulary import technique_label

BatchLoader = Callable[[Sequence[ComponentDraft]], Mapping[tuple[str, str], Sequence[BatchRecord]]]
EDITABLE_STATUSES = ("planned", "cancelled", "missed")


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class SessionEditor(QWidget):
    def __init__(self, document: PlanDocument, load_batches: BatchLoader,
                 today: Callable[[], dt.date] = dt.date.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.load_batches = load_batches
        self.today = today
        self.position: int | None = None
        self.editable = True
        self._build()
        self._connect()
        document.changed.connect(self.refresh)
        self.set_position(None)

    # --- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = text_label("", "subtitle")
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("sessionDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.shift_later = QCheckBox("Later ones &too")
        self.shift_later.setChecked(True)
        self.shift_later.setToolTip("Move the later sessions by the same number of days, keeping "
                                    "the series' spacing; sessions already done never move.")
        self.time_check = QCheckBox("At")
        self.time_edit = QTimeEdit()
        self.time_edit.setObjectName("sessionTime")
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setEnabled(False)
        self.technique_combo = technique_combo(unset_text="As in the plan")
        self.technique_combo.setObjectName("sessionTechnique")
        self.depth_edit = QLineEdit()
        self.depth_edit.setObjectName("sessionDepth")
        self.depth_hint = text_label("", "hint")
        self.needle_combo = needle_combo(placeholder="As in the plan")
        self.needle_combo.setObjectName("sessionNeedle")
        self.zones = SessionZonesEditor(self.document)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("sessionStatus")
        for status in EDITABLE_STATUSES:
            self.status_combo.addItem(STATUS_LABELS[status], status)
        self.done_label = text_label("")
        self.done_label.setObjectName("sessionDone")
        self.record_button = QPushButton("Record as &done…")
        self.record_button.setObjectName("recordDoneButton")
        self.record_button.clicked.connect(self.record_done)
        self.reactions_edit = QPlainTextEdit()
        self.reactions_edit.setObjectName("sessionReactions")
        self.reactions_edit.setTabChangesFocus(True)
        self.reactions_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("sessionNotesEdit")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)

        date_row = QHBoxLayout()
        date_row.setSpacing(8)
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.shift_later, 1)
        time_row = QHBoxLayout()
        time_row.setSpacing(8)
        time_row.addWidget(self.time_check)
        time_row.addWidget(self.time_edit)
        time_row.addStretch(1)
        status_row = QHBoxLayout()
        status_row.setSpacing(8)
        status_row.addWidget(self.status_combo)
        status_row.addWidget(self.record_button)
        status_row.addStretch(1)
        self.form = QFormLayout()
        self.form.setSpacing(8)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.addRow(_buddy("D&ate:", self.date_edit), date_row)
        self.form.addRow(_buddy("&Time:", self.time_check), time_row)
        self.form.addRow("Tec&hnique:", self.technique_combo)
        self.form.addRow("De&pth (mm):", self.depth_edit)
        self.form.addRow("", self.depth_hint)
        self.form.addRow("Ne&edle:", self.needle_combo)
        self.form.addRow(_buddy("&Zones:", self.zones.table), self.zones)
        self.form.addRow(_buddy("&Status:", self.status_combo), status_row)
        self.form.addRow("", self.done_label)
        self.form.addRow("Rea&ctions:", self.reactions_edit)
        self.form.addRow("N&otes:", self.notes_edit)
        self.empty_label = text_label("Choose a session in the list, or generate the series from a "
                                      "protocol above.", "hint")
        self.body = QWidget()
        self.body.setLayout(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.body)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.date_edit.editingFinished.connect(self._date_finished)
        self.date_edit.calendarWidget().clicked.connect(lambda _d: self._date_finished())
        self.time_check.toggled.connect(self._time_changed)
        self.time_edit.timeChanged.connect(lambda _t: self._time_changed())
        self.technique_combo.currentIndexChanged.connect(
            lambda _i: self._edit("Change session technique",
                                  technique=self.technique_combo.currentData(DATA_ROLE) or ""))
        self.depth_edit.textEdited.connect(self._depth_typed)
        self.needle_combo.currentTextChanged.connect(self._needle_typed)
        self.status_combo.currentIndexChanged.connect(self._status_chosen)
        self.reactions_edit.textChanged.connect(
            lambda: self._edit("Change reactions", ("reactions",),
                               reactions=self.reactions_edit.toPlainText()))
        self.notes_edit.textChanged.connect(
            lambda: self._edit("Change session notes", ("notes",),
                               notes=self.notes_edit.toPlainText()))

    # --- which session --------------------------------------------------------------------------

    def session(self) -> SessionDraft | None:
        sessions = self.document.draft.sessions
        if self.position is None or not 0 <= self.position < len(sessions):
            return None
        return sessions[self.position]

    def set_position(self, position: int | None) -> None:
        self._drop_unfinished_depth()
        self.position = position
        self.depth_edit.setModified(False)  # an unfinished depth belongs to the session left
        mark_invalid(self.depth_edit, "")
        mark_invalid(self.needle_combo.lineEdit(), "")
        self.zones.set_position(position)
        self.refresh()

    # --- edits ----------------------------------------------------------------------------------

    def _edit(self, text: str, merge: tuple = (), **changes) -> None:
        session = self.session()
        if session is None or all(getattr(session, k) == v for k, v in changes.items()):
            return
        key = ("session", self.position, *merge) if merge else None
        replace_session(self.document, self.position, f"{text} (session {session.sequence})", key,
                        **changes)

    def _date_finished(self) -> None:
        session = self.session()
        if session is None:
            return
        new_date = self.date_edit.date().toPython()
        if new_date == session.planned_date:
            return
        self.move_session(new_date, self.shift_later.isChecked())

    def move_session(self, new_date: dt.date, shift_later: bool = True) -> bool:
        """Move the current session (and, by default, the later ones not done) to ``new_date``."""
        session = self.session()
        if session is None:
            return False
        draft = self.document.draft
        visits = [PlannedVisit(s.sequence, s.phase, s.planned_date, s.status == "done")
                  for s in draft.sessions]
        try:
            moved = move_visit(visits, self.position, new_date, shift_later=shift_later)
        except ValidationError as exc:
            messages.show_error(self, "The session cannot move there", exc)
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(qdate(session.planned_date))
            self.date_edit.blockSignals(False)
            return False
        sessions = tuple(replace(s, planned_date=v.date) for s, v in zip(draft.sessions, moved))
        self.document.edit(f"Move session {session.sequence} to {new_date.isoformat()}",
                           draft.with_changes(sessions=sessions))
        return True

    def _time_changed(self) -> None:
        self.time_edit.setEnabled(self.time_check.isChecked())
        value = self.time_edit.time().toPython() if self.time_check.isChecked() else None
        self._edit("Change session time", ("time",), planned_time=value)

    def _drop_unfinished_depth(self) -> None:
        """Leaving a session whose depth shows an error: its beginnings applied while typing
        ("2" of "20") are taken back, so the session keeps the depth it had before."""
        origin, self._depth_origin = getattr(self, "_depth_origin", None), None
        if origin is None or not in_error(self.depth_edit) or origin[0] != self.position:
            return
        session = self.session()
        if session is not None and session.depth_mm != origin[1]:
            self._edit("Change session depth", ("depth",), depth_mm=origin[1])

    def _depth_typed(self, text: str) -> None:
        session = self.session()
        if getattr(self, "_depth_origin", None) is None and session is not None:
            self._depth_origin = (self.position, session.depth_mm)
        try:
            value = read_depth(text, self._technique())
        except ValueError as exc:
            mark_invalid(self.depth_edit, str(exc))
            return
        mark_invalid(self.depth_edit, "")
        self._edit("Change session depth", ("depth",), depth_mm=value)

    def _needle_typed(self, text: str) -> None:
        if line_accepted(self.needle_combo.lineEdit(), "Needle", text):
            self._edit("Change session needle", ("needle",), needle=text.strip())

    def _technique(self) -> str:
        """The technique the current session's depth is held to (its own, else the plan's)."""
        session = self.session()
        return (session.technique if session else "") or self.document.draft.technique

    def _status_chosen(self, _index: int) -> None:
        status = self.status_combo.currentData(DATA_ROLE)
        session = self.session()
        if session is None or session.status == "done" or status == session.status:
            return
        self._edit(f"Mark session {STATUS_LABELS[status].lower()}", status=status)

    def record_done(self) -> None:
        session = self.session()
        if session is None:
            return
        if session.planned_date > self.today():
            messages.show_error(self, "Not yet", (
                f"Session {session.sequence} is on {session.planned_date.isoformat()}, after today; "
                "only sessions on or before today can be recorded as done. Move its date first if "
                "it took place earlier."))
            return
        components = self.document.draft.components
        try:
            batches = self.load_batches(components)
        except MesoPlanError as exc:
            messages.show_error(self, "The lots cannot be listed", exc)
            return
        record = RecordDoneDialog.ask(self, session, components, batches)
        if record is None:
            return
        self._edit("Record as done", status="done", batches=record.batches,
                   reactions=record.reactions or session.reactions,
                   notes=record.notes or session.notes)

    # --- showing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        session = self.session()
        self.empty_label.setVisible(session is None)
        self.body.setVisible(session is not None)
        if session is None:
            self.heading.setText("Session")
            return
        plan = self.document.draft
        phase = f" · {session.phase}" if session.phase else ""
        self.heading.setText(f"Session {session.sequence}{phase}")
        done = session.status == "done"
        for widget in (self.date_edit, self.time_edit, self.time_check):
            widget.blockSignals(True)
        self.date_edit.setDate(qdate(session.planned_date))
        self.time_check.setChecked(session.planned_time is not None)
        if session.planned_time is not None:
            t = session.planned_time
            self.time_edit.setTime(QTime(t.hour, t.minute))
        for widget in (self.date_edit, self.time_edit, self.time_check):
            widget.blockSignals(False)
        self.date_edit.setEnabled(self.editable and not done)
        self.date_edit.setToolTip("Done sessions keep their date." if done else "")
        self.shift_later.setEnabled(self.editable and not done)
        self.time_edit.setEnabled(self.editable and session.planned_time is not None)
        plan_technique = technique_label(plan.technique) if plan.technique else "not set"
        self.technique_combo.setItemText(0, f"As in the plan ({plan_technique})")
        select_data(self.technique_combo, session.technique)
        show_depth(self.depth_edit, session.depth_mm, session.technique or plan.technique)
        plan_depth = "not set" if plan.depth_mm is None else f"{show_number(plan.depth_mm)} mm"
        self.depth_edit.setPlaceholderText(f"As in the plan ({plan_depth})")
        self.depth_hint.setText(depth_hint(session.technique or plan.technique,
                                           session.depth_mm if session.depth_mm is not None
                                           else plan.depth_mm))
        if self.needle_combo.currentText().strip() != session.needle and not in_error(
                self.needle_combo.lineEdit()):
            blocked = self.needle_combo.blockSignals(True)
            self.needle_combo.setEditText(session.needle)
            self.needle_combo.blockSignals(blocked)
        self.needle_combo.lineEdit().setPlaceholderText(f"As in the plan ({plan.needle or 'not set'})")
        self.status_combo.setVisible(not done)
        if not done:
            select_data(self.status_combo, session.status)
        self.record_button.setVisible(not done and session.status == "planned")
        future = session.planned_date > self.today()
        self.record_button.setEnabled(self.editable and not future)
        self.record_button.setToolTip("Only sessions on or before today can be recorded as done."
                                      if future else "Record the lots used and any reaction.")
        self.done_label.setVisible(done)
        if done:
            lots = "; ".join(
                f"{b.item_name} lot {b.lot_number} (expires {b.expiry_date.isoformat()})"
                + (f" – already expired, recorded as a correction: \u201c{b.correction}\u201d" if b.correction else "")
                for b in session.batches) or "no lots recorded"
            who = f" by {session.performed_by}" if session.performed_by else ""
            when = (f" on {session.performed_at:%Y-%m-%d}" if session.performed_at
                    else " (recorded when the plan is saved)")
            self.done_label.setText(f"Done{who}{when}. Lots: {lots}.")
        set_text(self.reactions_edit, session.reactions)
        set_text(self.notes_edit, session.notes)

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        for widget in (self.technique_combo, self.depth_edit, self.needle_combo, self.status_combo,
                       self.time_check):
            widget.setEnabled(editable)
        for widget in (self.reactions_edit, self.notes_edit):
            widget.setReadOnly(not editable)
        self.zones.set_editable(editable)
        self.refresh()

