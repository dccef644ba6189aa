"""The clinical half of the patient page: the patient's treatment plans and dated screenings.

Only built for users who may see clinical data. Opening or starting a plan goes through
navigation requests (``OpenPlan``, ``NewPlan``); screenings open in their own dialogs.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mesoplan.access import Permission
from mesoplan.services.plans import PlanSummary
from mesoplan.services.screenings import ScreeningRecord
from mesoplan.services.templates import PlanTemplateRecord
from mesoplan.ui import settings
from mesoplan.ui.context import AppContext
from mesoplan.ui.navigation import NewPlan, OpenPlan
from mesoplan.ui.widgets.record_model import record_table
from mesoplan.ui.patients.models import (
    RECORD_ID_ROLE,
    RECORD_ROLE,
    PlanColumn,
    PlanListModel,
    ScreeningColumn,
    ScreeningListModel,
)
from mesoplan.ui.style import mark


class ClinicalPanel(QSplitter):
    view_screening = Signal(object)
    """A ``ScreeningRecord`` the person asked to read."""
    new_screening = Signal()

    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.setObjectName("clinicalSplitter")
        self.setChildrenCollapsible(False)
        may_edit = ctx.can(Permission.EDIT_CLINICAL)

        self.plans_model = PlanListModel(self)
        self.plans_table = record_table(self.plans_model, "plansTable")
        header = self.plans_table.horizontalHeader()
        header.setSectionResizeMode(PlanColumn.INDICATION, QHeaderView.ResizeMode.Stretch)
        for column in (PlanColumn.STATUS, PlanColumn.START, PlanColumn.NEXT, PlanColumn.SESSIONS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.plans_table.activated.connect(self._open_plan_at)
        self.plans_empty = QLabel("No treatment plans yet.")
        mark(self.plans_empty, role="hint")
        self.new_plan_button = QPushButton("New &plan")
        self.new_plan_button.setObjectName("newPlanButton")
        self.new_plan_button.clicked.connect(lambda: ctx.open(NewPlan(patient_id)))
        self.template_button = QPushButton("From &template")
        self.template_button.setObjectName("newPlanFromTemplateButton")
        self.template_menu = QMenu(self.template_button)
        self.template_button.setMenu(self.template_menu)
        self.open_plan_button = QPushButton("&Open plan")
        self.open_plan_button.clicked.connect(lambda: self._open_plan_at(self.plans_table.currentIndex()))
        for button in (self.new_plan_button, self.template_button):
            button.setVisible(may_edit)
        plans_box = self._group("Treatment plans", self.plans_table, self.plans_empty,
                                (self.new_plan_button, self.template_button, self.open_plan_button))

        self.screenings_model = ScreeningListModel(self)
        self.screenings_table = record_table(self.screenings_model, "screeningsTable")
        header = self.screenings_table.horizontalHeader()
        header.setSectionResizeMode(ScreeningColumn.DATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ScreeningColumn.FLAGS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ScreeningColumn.RECORDED_BY, QHeaderView.ResizeMode.ResizeToContents)
        self.screenings_table.activated.connect(self._view_screening_at)
        self.screenings_empty = QLabel("No screening recorded. Record one before planning treatment.")
        mark(self.screenings_empty, role="hint")
        self.screenings_empty.setWordWrap(True)
        self.new_screening_button = QPushButton("New &screening…")
        self.new_screening_button.setObjectName("newScreeningButton")
        self.new_screening_button.setVisible(may_edit)
        self.new_screening_button.clicked.connect(self.new_screening.emit)
        self.view_screening_button = QPushButton("&Read screening")
        self.view_screening_button.clicked.connect(
            lambda: self._view_screening_at(self.screenings_table.currentIndex()))
        screenings_box = self._group("Screenings", self.screenings_table, self.screenings_empty,
                                     (self.new_screening_button, self.view_screening_button))
        self.addWidget(plans_box)
        self.addWidget(screenings_box)
        state = settings.PATIENT_PAGE_RIGHT_SPLITTER.get()
        if state.isEmpty() or not self.restoreState(state):
            self.setSizes([1, 1])
        self.splitterMoved.connect(lambda *_: settings.PATIENT_PAGE_RIGHT_SPLITTER.set(self.saveState()))

    def _group(self, title: str, table: QTableView, empty: QLabel,
               buttons: tuple[QPushButton, ...]) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 12, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(table, 1)
        layout.addWidget(empty)
        row = QHBoxLayout()
        row.setSpacing(8)
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    # --- data -----------------------------------------------------------------------------------

    def show_plans(self, plans: Sequence[PlanSummary], templates: Sequence[PlanTemplateRecord]) -> None:
        self.plans_model.set_rows(plans)
        self.plans_empty.setVisible(not plans)
        self.open_plan_button.setEnabled(bool(plans))
        if plans:
            self.plans_table.selectRow(0)
        self.template_menu.clear()
        for template in templates:
            action = self.template_menu.addAction(f"{template.name} ({template.indication_label})")
            action.triggered.connect(
                lambda _checked=False, t=template.id: self.ctx.open(NewPlan(self.patient_id, t)))
        self.template_button.setVisible(bool(templates) and self.ctx.can(Permission.EDIT_CLINICAL))

    def show_screenings(self, screenings: Sequence[ScreeningRecord], flags: dict[int, str]) -> None:
        self.screenings_model.set_screenings(screenings, flags)
        self.screenings_empty.setVisible(not screenings)
        self.view_screening_button.setEnabled(bool(screenings))
        if screenings:
            self.screenings_table.selectRow(0)

    # --- opening --------------------------------------------------------------------------------

    def _open_plan_at(self, index: QModelIndex) -> None:
        plan_id = index.data(RECORD_ID_ROLE) if index.isValid() else None
        if plan_id is not None:
            self.ctx.open(OpenPlan(plan_id))

    def _view_screening_at(self, index: QModelIndex) -> None:
        record = index.data(RECORD_ROLE) if index.isValid() else None
        if record is not None:
            self.view_screening.emit(record)
