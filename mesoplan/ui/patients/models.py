"""Table models of the patient page: the patient's treatment plans and their dated screenings.

Both hold frozen records from the services with their display text worked out once; the page
replaces the rows with ``set_rows`` after every reload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QObject

from mesoplan.services.plans import PlanSummary
from mesoplan.services.screenings import ScreeningRecord
from mesoplan.ui.widgets.dates import format_date, relative_days
from mesoplan.ui.widgets.record_model import RECORD_ID_ROLE, RECORD_ROLE, RecordTableModel

__all__ = ["RECORD_ID_ROLE", "RECORD_ROLE", "PlanColumn", "PlanListModel", "ScreeningColumn",
           "ScreeningListModel", "PLAN_STATUS_LABELS"]

PLAN_STATUS_LABELS = {"draft": "Draft", "ready": "Ready", "active": "In progress",
                      "completed": "Completed", "cancelled": "Cancelled"}


class PlanColumn(IntEnum):
    INDICATION = 0
    STATUS = 1
    START = 2
    NEXT = 3
    SESSIONS = 4


class PlanListModel(RecordTableModel[PlanSummary]):
    headers = ("Indication", "Status", "Start", "Next session", "Sessions")

    def cells(self, plan: PlanSummary) -> tuple[str, ...]:
        return (plan.indication_label, PLAN_STATUS_LABELS.get(plan.status, plan.status),
                format_date(plan.start_date, "—"), format_date(plan.next_session, "—"),
                str(plan.session_count))


class ScreeningColumn(IntEnum):
    DATE = 0
    FLAGS = 1
    RECORDED_BY = 2


class ScreeningListModel(RecordTableModel[ScreeningRecord]):
    """Screenings, newest first; ``flags`` says how many alerts and cautions each one raised."""

    headers = ("Date", "At a glance", "Recorded by")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._flags: dict[int, str] = {}

    def set_screenings(self, records: Sequence[ScreeningRecord], flags: dict[int, str]) -> None:
        self._flags = dict(flags)
        self.set_rows(records)

    def cells(self, screening: ScreeningRecord) -> tuple[str, ...]:
        return (format_date(screening.taken_on), self._flags.get(screening.id, ""),
                screening.recorded_by)

    def tooltip(self, screening: ScreeningRecord, column: int) -> str | None:
        if column == ScreeningColumn.DATE:
            return (f"Taken {relative_days(screening.taken_on, dt.date.today())}; recorded "
                    f"{screening.recorded_at:%Y-%m-%d %H:%M} (UTC)")
        return None
