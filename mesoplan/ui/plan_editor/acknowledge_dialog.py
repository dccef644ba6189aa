"""Asking for the reason an "acknowledge" safety finding is accepted; an empty reason is refused."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mesoplan.safety.engine import Finding
from mesoplan.ui.plan_editor.fields import text_label
from mesoplan.ui.style import mark


class AcknowledgeDialog(QDialog):
    def __init__(self, finding: Finding, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Acknowledge a safety finding")
        self.setObjectName("acknowledgeDialog")
        self.finding = finding
        card = QFrame()
        mark(card, severity=finding.severity)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(10, 8, 10, 8)
        title = text_label(f"{finding.title} [{finding.rule_id}]")
        title.setStyleSheet("font-weight: bold;")
        card_layout.addWidget(title)
        card_layout.addWidget(text_label(f"Triggered by: {finding.trigger}", "hint"))
        card_layout.addWidget(text_label(finding.explanation))
        self.reason_edit = QPlainTextEdit(reason)
        self.reason_edit.setObjectName("acknowledgeReason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(
            "Why the plan may go ahead, e.g. what was discussed with the patient or prescriber")
        reason_label = QLabel("&Reason (recorded with your name when the plan is saved):")
        reason_label.setBuddy(self.reason_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Acknowledge")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(card)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.buttons)
        self.reason_edit.setFocus()
        self.resize(self.sizeHint().expandedTo(self.minimumSizeHint()))
        self._update()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.reason()))

    def accept(self) -> None:
        if not self.reason():
            self.ok_button.setEnabled(False)
            return
        super().accept()

    @staticmethod
    def ask(parent: QWidget | None, finding: Finding, reason: str = "") -> str | None:
        """The reason typed, or None when cancelled (tests replace this)."""
        dialog = AcknowledgeDialog(finding, reason, parent)
        return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
