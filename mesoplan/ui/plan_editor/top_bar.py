"""The strip above the plan editor: which plan this is, whether it is saved, its status with
"Mark ready" (disabled, with the reasons, while findings stand in the way) and the template menu.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QVBoxLayout, QWidget

from mesoplan.plan import PLAN_STATUSES
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.plan_editor.fields import DATA_ROLE, text_label
from mesoplan.ui.style import mark

STATUS_LABELS = {"draft": "Draft", "ready": "Ready", "active": "Active", "completed": "Completed",
                 "cancelled": "Cancelled"}
NEEDS_READY = ("ready", "active")
"""Statuses a plan may only have when nothing blocks it and every finding is acknowledged."""


class PlanTopBar(QWidget):
    status_chosen = Signal(str)
    mark_ready_clicked = Signal()

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.editable = True
        self.title_label = text_label("", "subtitle", flexible=True)
        self.title_label.setObjectName("planEditorTitle")
        self.saved_label = text_label("", "hint", flexible=True)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("planStatus")
        for status in PLAN_STATUSES:
            self.status_combo.addItem(STATUS_LABELS.get(status, status), status)
        status_label = QLabel("Stat&us:")
        status_label.setBuddy(self.status_combo)
        self.ready_button = QPushButton("Mark &ready")
        self.ready_button.setObjectName("markReady")
        mark(self.ready_button, primary="true")
        self.ready_button.clicked.connect(self.mark_ready_clicked)
        self.templates_button = QToolButton()
        self.templates_button.setText("Te&mplates")
        self.templates_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.templates_button)
        self.save_template_action = QAction("Save this plan as a template…", self)
        self.manage_templates_action = QAction("Manage templates…", self)
        menu.addAction(self.save_template_action)
        menu.addAction(self.manage_templates_action)
        self.templates_button.setMenu(menu)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title_label)
        titles.addWidget(self.saved_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 0)
        layout.setSpacing(8)
        layout.addLayout(titles, 1)
        layout.addWidget(status_label)
        layout.addWidget(self.status_combo)
        layout.addWidget(self.ready_button)
        layout.addWidget(self.templates_button)
        self.status_combo.currentIndexChanged.connect(self._status_index_changed)

    def _status_index_changed(self, _index: int) -> None:
        status = self.status_combo.currentData(DATA_ROLE)
        if status and status != self.document.draft.status:
            self.status_chosen.emit(status)

    def refresh(self, title: str) -> None:
        draft = self.document.draft
        verdict = self.document.evaluation.verdict
        self.title_label.setText(title)
        blocked = self.status_combo.blockSignals(True)
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(draft.status), 0))
        model = self.status_combo.model()
        for row in range(self.status_combo.count()):
            status = self.status_combo.itemData(row)
            model.item(row).setEnabled(verdict.can_be_ready or status not in NEEDS_READY
                                       or status == draft.status)
        self.status_combo.blockSignals(blocked)
        can_mark = self.editable and draft.status == "draft" and verdict.can_be_ready
        self.ready_button.setEnabled(can_mark)
        self.ready_button.setVisible(draft.status == "draft")
        self.ready_button.setToolTip(
            "Save the plan as ready." if can_mark else
            "Cannot be marked ready:\n" + "\n".join(f"• {r}" for r in verdict.reasons))

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.status_combo.setEnabled(editable)
        self.templates_button.setEnabled(editable)
