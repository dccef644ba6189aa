"""The front desk's page: a day's sessions, which documents were issued, and printing them.

One click prints the selected session's consent form and aftercare sheet as one job (one system
print dialog, no preview: the forms are fixed templates and the patient is waiting; "Preview…" is
there for a look first). The whole day's set can be printed or saved as PDF files. Slow work
(rendering, printing, writing) runs through ``ctx.tasks`` with a cancellable progress dialog; nothing
is recorded as issued unless it was really printed or saved. No clinical details are shown here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mesoplan.access import Permission
from mesoplan.errors import MesoPlanError
from mesoplan.services.day_schedule import (
    DayDocument,
    DaySession,
    check_output_folder,
    prepare_session_documents,
    record_day_set,
    sessions_on,
    write_pdf_files,
)
from mesoplan.services.documents import IssuedRecord
from mesoplan.services.uow import read, work
from mesoplan.ui import messages
from mesoplan.ui.context import AppContext
from mesoplan.ui.documents import printing
from mesoplan.ui.frontdesk.day_model import Column, DaySessionTableModel, SessionRole, SortRole
from mesoplan.ui.navigation import OpenPatient
from mesoplan.ui.pages import Page
from mesoplan.ui.tasks import TaskCancelled
from mesoplan.ui.widgets.banner import Banner

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
        self._build()
        self._connect()
        self._apply_permissions()
        self.refresh()

    # --- building -----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.summary = QLabel()
        self.summary.setProperty("role", "hint")
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

        self.table = QTableView()
        self.table.setObjectName("daySessions")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.TIME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.INDICATION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.PATIENT, QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(self.fontMetrics().averageCharWidth() * 6)
        self.empty_label = QLabel("No sessions are booked on this day.")
        self.empty_label.setProperty("role", "hint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.print_button = QPushButton("&Print consent + aftercare…")
        self.print_button.setProperty("primary", "true")
        self.preview_consent_button = QPushButton("Preview &consent…")
        self.preview_aftercare_button = QPushButton("Preview a&ftercare…")
        self.open_patient_button = QPushButton("Open &patient")
        selected_label = QLabel("Selected session:")
        selected_label.setProperty("role", "hint")
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
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
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

    def page_key(self) -> tuple:
        return ("FrontDeskPage",)

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
        if session is None or not session.printable:
            return
        self._prepare([session], self._print_prepared,
                      f"Preparing the consent form and aftercare sheet for {session.full_name}…")

    def print_day(self) -> None:
        sessions = [s for s in self.model.sessions() if s.printable]
        if sessions:
            self._prepare(sessions, self._print_prepared, f"Preparing {2 * len(sessions)} documents…")

    def save_day(self) -> None:
        sessions = [s for s in self.model.sessions() if s.printable]
        if not sessions:
            return
        chosen = printing.ask_folder(self, f"Save the documents of {self.day.isoformat()} in")
        if chosen is None:
            return
        try:
            folder = check_output_folder(chosen)
        except MesoPlanError as exc:
            messages.show_error(self, "Documents not saved", exc)
            return
        self._prepare(sessions, lambda documents: self._save_prepared(documents, folder),
                      f"Preparing {2 * len(sessions)} documents…")

    def _prepare(self, sessions: list[DaySession], then: Callable[[list[DayDocument]], None], label: str) -> None:
        database, actor = self.ctx.database, self.ctx.actor

        def job(progress) -> list[DayDocument]:
            with read(database, actor) as uow:
                return prepare_session_documents(uow, sessions, progress)

        self.ctx.tasks.run(job, then, lambda exc: self._failed(exc, "Documents not prepared"), label=label,
                           parent=self, cancellable=True)

    def _print_prepared(self, documents: list[DayDocument]) -> None:
        pages = sum(d.prepared.rendered.page_count for d in documents)
        sessions = {d.session.session_id for d in documents}
        title = (f"Print {len(documents)} documents for {documents[0].session.full_name}" if len(sessions) == 1
                 else f"Print {len(documents)} documents for {self.day.isoformat()}")
        printer = printing.choose_printer(self, title, pages)
        if printer is None:
            self.banner.show_message("Nothing was printed or recorded.", "info")
            return
        database, actor = self.ctx.database, self.ctx.actor
        pdfs = [d.prepared.pdf for d in documents]

        def job(progress) -> list[IssuedRecord]:
            printing.print_pdfs(printer, pdfs, progress)
            with work(database, actor) as uow:
                return record_day_set(uow, documents)

        self.ctx.tasks.run(job, lambda records: self._issued(records, "printed"),
                           lambda exc: self._failed(exc, "Documents not printed"), label="Printing…",
                           parent=self, cancellable=True)

    def _save_prepared(self, documents: list[DayDocument], folder) -> None:
        database, actor = self.ctx.database, self.ctx.actor

        def job(_progress) -> list[IssuedRecord]:
            paths = write_pdf_files(folder, [(d.file_name, d.prepared.pdf) for d in documents])
            try:
                with work(database, actor) as uow:
                    return record_day_set(uow, documents)
            except BaseException:
                for path in paths:
                    path.unlink(missing_ok=True)
                raise

        self.ctx.tasks.run(job, lambda records: self._issued(records, f"saved in {folder}"),
                           lambda exc: self._failed(exc, "Documents not saved"), label="Saving…", parent=self)

    def _issued(self, records: list[IssuedRecord], how: str) -> None:
        self.ctx.notify({"document"})
        patients = sorted({r.patient_name for r in records})
        who = patients[0] if len(patients) == 1 else f"{len(patients)} patients"
        self.banner.show_message(f"{len(records)} document{'s' if len(records) != 1 else ''} for {who} {how} "
                                 "and recorded as issued.", "ok")

    def _failed(self, exc: BaseException, title: str) -> None:
        if isinstance(exc, TaskCancelled):
            self.banner.show_message("Cancelled: nothing was printed, saved or recorded.", "info")
            return
        messages.show_error(self, title, exc)
