"""The front desk's page: a day's sessions, which documents were issued, and printing them.

One click prints the selected session's consent form and aftercare sheet as one job (one system
print dialog, no preview: the forms are fixed templates and the patient is waiting; "Preview…" is
there for a look first). The whole day's set can be printed or saved as PDF files (see
``day_documents``). No clinical details are shown here: no notes, no cocktail.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mesoplan.access import Permission
from mesoplan.errors import MesoPlanError
from mesoplan.services.day_schedule import DaySession, sessions_on
from mesoplan.ui.context import AppContext
from mesoplan.ui.frontdesk.day_documents import DayDocumentJobs
from mesoplan.ui.frontdesk.day_model import Column, DaySessionTableModel, SessionRole, SortRole
from mesoplan.ui.navigation import OpenPatient
from mesoplan.ui.pages import Page
from mesoplan.ui.widgets.banner import Banner
from mesoplan.ui.widgets.columns import size_columns
from mesoplan.ui.widgets.record_model import record_table
from mesoplan.ui.style import mark

REFRESH_ON = frozenset({"document", "plan", "patient", "session", "screening", "clinic_settings"})


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


class FrontDeskPage(Page):
    def __init__(self, ctx: AppContext, day: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("frontDeskPage")
        self.day = day or dt.date.today()
        self.model = DaySessionTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.jobs = DayDocumentJobs(ctx, self, lambda text, severity: self.banner.show_message(text, severity))
        self._build()
        self._connect()
        self._apply_permissions()
        self.refresh()

    # --- building -----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel()
        mark(self.title, role="title")
        self.summary = QLabel()
        mark(self.summary, role="hint")
        self.previous_button = QPushButton("◀ P&revious day")
        self.next_button = QPushButton("Ne&xt day ▶")
        self.today_button = QPushButton("T&oday")
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("dayEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        date_label = QLabel("&Day")
        date_label.setBuddy(self.date_edit)
        self.print_day_button = QPushButton("Print &whole day…")
        self.save_day_button = QPushButton("&Save whole day as PDF files…")

        top = QHBoxLayout()
        top.setSpacing(8)
        for widget in (date_label, self.previous_button, self.date_edit, self.next_button, self.today_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.print_day_button)
        top.addWidget(self.save_day_button)

        self.table = record_table(self.proxy, "daySessions", row_padding=10)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.TIME, Qt.SortOrder.AscendingOrder)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        size_columns(self.table, {
            Column.TIME: "88:88", Column.PATIENT: "Fernández García, María José",
            Column.CONSENT: "✓", Column.AFTERCARE: "✓", Column.SESSION: "88 of 88",
            Column.BORN: "8888-88-88 (88)", Column.PHONE: "+88 888 8888 8888",
            Column.PRACTITIONER: "Dr Amira Haddad"}, stretch=Column.INDICATION)
        header.setMinimumSectionSize(self.fontMetrics().averageCharWidth() * 6)
        self.empty_label = QLabel("No sessions are booked on this day.")
        mark(self.empty_label, role="hint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.print_button = QPushButton("&Print consent + aftercare…")
        mark(self.print_button, primary="true")
        self.preview_consent_button = QPushButton("Preview &consent…")
        self.preview_aftercare_button = QPushButton("Preview a&ftercare…")
        self.open_patient_button = QPushButton("Open &patient")
        selected_label = QLabel("Selected session:")
        mark(selected_label, role="hint")
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        bottom.addWidget(selected_label)
        for widget in (self.print_button, self.preview_consent_button, self.preview_aftercare_button,
                       self.open_patient_button):
            bottom.addWidget(widget)
        bottom.addStretch(1)

        self.banner = Banner(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addStretch(1)
        heading.addWidget(self.summary)
        layout.addLayout(heading)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(bottom)
        QWidget.setTabOrder(self.date_edit, self.table)
        QWidget.setTabOrder(self.table, self.print_button)

    def _connect(self) -> None:
        self.previous_button.clicked.connect(lambda: self.set_day(self.day - dt.timedelta(days=1)))
        self.next_button.clicked.connect(lambda: self.set_day(self.day + dt.timedelta(days=1)))
        self.today_button.clicked.connect(lambda: self.set_day(dt.date.today()))
        self.date_edit.dateChanged.connect(lambda qdate: self.set_day(qdate.toPython()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda _index: self.open_patient())
        self.print_button.clicked.connect(self.print_selected)
        self.preview_consent_button.clicked.connect(lambda: self.preview_selected("consent"))
        self.preview_aftercare_button.clicked.connect(lambda: self.preview_selected("aftercare"))
        self.open_patient_button.clicked.connect(self.open_patient)
        self.print_day_button.clicked.connect(self.print_day)
        self.save_day_button.clicked.connect(self.save_day)
        self.ctx.changed.connect(self._records_changed)
        self.ctx.actor_changed.connect(lambda _actor: (self._apply_permissions(), self.refresh()))

    def _apply_permissions(self) -> None:
        can_issue = self.ctx.can(Permission.ISSUE_DOCUMENTS)
        for button in (self.print_button, self.preview_consent_button, self.preview_aftercare_button,
                       self.print_day_button, self.save_day_button):
            button.setVisible(can_issue)
        self.open_patient_button.setVisible(self.ctx.can(Permission.VIEW_CONTACT))
        self._update_buttons()

    # --- Page contract ------------------------------------------------------------------------------

    def _selection_changed(self) -> None:
        self._update_buttons()
        self.record_changed.emit()

    def page_key(self) -> tuple:
        return ("FrontDeskPage",)

    def take_request_from(self, duplicate: Page) -> None:
        if isinstance(duplicate, FrontDeskPage):
            self.set_day(duplicate.day)

    def tab_title(self) -> str:
        return "Today" if self.day == dt.date.today() else f"Day {self.day.isoformat()}"

    def current_patient_id(self) -> int | None:
        session = self.selected_session()
        return session.patient_id if session else None

    def current_plan_id(self) -> int | None:
        session = self.selected_session()
        return session.plan_id if session else None

    # --- the day ------------------------------------------------------------------------------------

    def set_day(self, day: dt.date) -> None:
        if day == self.day and self.date_edit.date().toPython() == day:
            return
        self.day = day
        self.banner.hide()
        self.refresh()
        self.title_changed.emit(self.tab_title())

    def refresh(self) -> None:
        """Reload the day's sessions, keeping the selected one selected."""
        selected = self.selected_session()
        try:
            with self.ctx.read() as uow:
                day_sessions = sessions_on(uow, self.day)
        except MesoPlanError as exc:
            day_sessions = []
            self.banner.show_message(str(exc), "block")
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(self.day.year, self.day.month, self.day.day))
        self.date_edit.blockSignals(False)
        self.model.set_sessions(day_sessions)
        self._fit_patient_column()
        self.title.setText(long_date(self.day) + ("  (today)" if self.day == dt.date.today() else ""))
        self.summary.setText(self._summary_text(day_sessions))
        self.table.setVisible(bool(day_sessions))
        self.empty_label.setVisible(not day_sessions)
        if selected is not None:
            self.select_session(selected.session_id)
        elif day_sessions:
            self.table.selectRow(0)
        self._update_buttons()

    def _fit_patient_column(self) -> None:
        """As wide as the longest name, up to about 28 characters (longer names are elided)."""
        chars = self.fontMetrics().averageCharWidth()
        wanted = max(self.table.sizeHintForColumn(Column.PATIENT), chars * 12)
        self.table.horizontalHeader().resizeSection(Column.PATIENT, min(wanted, chars * 28))

    @staticmethod
    def _summary_text(day_sessions: list[DaySession]) -> str:
        taking_place = [s for s in day_sessions if s.printable]
        if not day_sessions:
            return ""
        consent = sum(s.consent_issued for s in taking_place)
        aftercare = sum(s.aftercare_issued for s in taking_place)
        return (f"{len(taking_place)} session{'s' if len(taking_place) != 1 else ''} taking place · consent "
                f"issued for {consent} · aftercare issued for {aftercare}")

    def _records_changed(self, kinds) -> None:
        if set(kinds) & REFRESH_ON:
            self.refresh()

    def selected_session(self) -> DaySession | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(SessionRole) if rows else None

    def select_session(self, session_id: int) -> bool:
        row = self.model.row_of(session_id)
        if row is None:
            return False
        self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        return True

    def _update_buttons(self) -> None:
        session = self.selected_session()
        self.print_button.setEnabled(bool(session and session.printable))
        for button in (self.preview_consent_button, self.preview_aftercare_button, self.open_patient_button):
            button.setEnabled(session is not None)
        has_printable = any(s.printable for s in self.model.sessions())
        self.print_day_button.setEnabled(has_printable)
        self.save_day_button.setEnabled(has_printable)

    # --- actions ------------------------------------------------------------------------------------

    def open_patient(self) -> None:
        session = self.selected_session()
        if session and self.ctx.can(Permission.VIEW_CONTACT):
            self.ctx.open(OpenPatient(session.patient_id))

    def preview_selected(self, kind: str) -> None:
        session = self.selected_session()
        if session is None:
            return
        from mesoplan.ui.documents.preview import show_document

        show_document(self.ctx, session.plan_id, kind, self, session_id=session.session_id)

    def print_selected(self) -> None:
        session = self.selected_session()
        if session is not None and session.printable:
            self.jobs.print_sessions([session], self.day)

    def print_day(self) -> None:
        self.jobs.print_sessions([s for s in self.model.sessions() if s.printable], self.day)

    def save_day(self) -> None:
        self.jobs.save_sessions([s for s in self.model.sessions() if s.printable], self.day)
