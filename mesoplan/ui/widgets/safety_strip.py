"""The safety strip: the patient's safety-relevant screening answers at a glance, coloured by level.

It shows what ``mesoplan.screening.safety_summary`` returns (alerts, cautions, information) as
wrapping tags; when no screening exists that fact itself is shown, prominently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from mesoplan.screening import SummaryItem
from mesoplan.ui.widgets.dates import relative_days
from mesoplan.ui.widgets.flow_layout import FlowLayout
from mesoplan.ui.style import mark

LEVEL_SEVERITY = {"alert": "block", "caution": "acknowledge", "info": "info"}
LEVEL_WORDS = {"alert": "Alert", "caution": "Caution", "info": "Note"}


def chip(text: str, severity: str, tip: str = "") -> QLabel:
    """One coloured tag (plain text: it may quote a patient's answer)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    mark(label, severity=severity)
    mark(label, role="chip")
    label.setContentsMargins(8, 2, 8, 2)  # inside the rounded outline the style draws
    label.setWordWrap(False)
    if tip:
        label.setToolTip(tip)
    return label


class SafetyStrip(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safetyStrip")
        self.heading = QLabel("Safety at a glance")
        mark(self.heading, role="subtitle")
        self.source = QLabel()
        mark(self.source, role="hint")
        self.source.setWordWrap(True)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.heading)
        top.addWidget(self.source, 1)
        self.chips = QWidget()
        self.flow = FlowLayout(self.chips, spacing=6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.chips)
        self._texts: list[str] = []

    def show_summary(self, items: Sequence[SummaryItem], screening_date: dt.date | None) -> None:
        """Show ``items``; ``screening_date`` None means that no screening has been recorded."""
        while self.flow.count():
            taken = self.flow.takeAt(0)
            if taken is not None and taken.widget() is not None:
                taken.widget().deleteLater()
        self._texts = []
        if screening_date is None:
            self.source.setText("")
        else:
            self.source.setText(f"from the screening of {screening_date.isoformat()} "
                                f"({relative_days(screening_date)})")
        for item in items:
            severity = LEVEL_SEVERITY.get(item.level, "info")
            self._add(chip(item.text, severity, LEVEL_WORDS.get(item.level, "")))
        if not items and screening_date is not None:
            self._add(chip("Nothing flagged in the latest screening", "ok"))
        if screening_date is None and not items:
            self._add(chip("No medical screening recorded", "block"))
        self.chips.updateGeometry()

    def _add(self, label: QLabel) -> None:
        if label.property("severity") == "block":
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        self.flow.addWidget(label)
        self._texts.append(label.text())

    def texts(self) -> list[str]:
        """The texts of the tags now shown, in order."""
        return list(self._texts)
