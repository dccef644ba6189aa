"""Recording a session as done: which lot of each cocktail item was used, and any reaction.

Lots come from the catalog's batches; one that expired before the session date is refused
with a message naming it (the dialog stays open with everything typed), unless the practitioner
confirms that it really was used and records it as a correction of the record, with the reason:
the history then says what happened, and the safety findings and a search by batch show it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mesoplan.plan import BatchUse, ComponentDraft, SessionDraft
from mesoplan.services.catalog import BatchRecord
from mesoplan.ui import messages
from mesoplan.ui.plan_editor.fields import text_label

ItemKey = tuple[str, str]


@dataclass(frozen=True)
class DoneRecord:
    batches: tuple[BatchUse, ...]
    reactions: str
    notes: str


def batch_text(batch: BatchRecord, session_date: dt.date) -> str:
    expired = " – EXPIRED" if batch.expiry_date < session_date else ""
    return f"Lot {batch.lot_number}, expires {batch.expiry_date.isoformat()}{expired}"


class RecordDoneDialog(QDialog):
    def __init__(self, session: SessionDraft, components: Sequence[ComponentDraft],
                 batches: Mapping[ItemKey, Sequence[BatchRecord]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record session {session.sequence} as done")
        self.setObjectName("recordDoneDialog")
        self.session = session
        self.combos: dict[ItemKey, QComboBox] = {}
        self._batches: dict[int, BatchRecord] = {}
        self._volumes: dict[ItemKey, float] = {}
        form = QFormLayout()
        form.setSpacing(8)
        for component in components:
            key = (component.kind, component.code)
            self._volumes[key] = self._volumes.get(key, 0.0) + component.volume_ml
            if key in self.combos:
                continue
            combo = QComboBox()
            combo.setObjectName(f"batch_{component.code}")
            combo.addItem("No lot recorded", None)
            for batch in batches.get(key, ()):
                combo.addItem(batch_text(batch, session.planned_date), batch.id)
                self._batches[batch.id] = batch
            if combo.count() == 1:
                combo.setToolTip("No lots of this item are recorded in the catalog.")
            combo.setAccessibleName(f"Lot of {component.name}")
            combo.currentIndexChanged.connect(self._show_correction)
            self.combos[key] = combo
            form.addRow(text_label(f"{component.name}:", wrap=False), combo)
        self.reactions_edit = QPlainTextEdit(session.reactions)
        self.reactions_edit.setObjectName("reactions")
        self.reactions_edit.setTabChangesFocus(True)
        self.reactions_edit.setPlaceholderText("Any reaction during or after the session")
        self.notes_edit = QPlainTextEdit(session.notes)
        self.notes_edit.setObjectName("sessionNotes")
        self.notes_edit.setTabChangesFocus(True)
        form.addRow("&Reactions:", self.reactions_edit)
        form.addRow("&Notes:", self.notes_edit)
        self.correction_box = QGroupBox("Correction of the record")
        self.correction_box.setObjectName("correctionBox")
        self.correction_check = QCheckBox(
            "The expired lot shown above was really used: record it as a correction of the record")
        self.correction_check.setObjectName("correctionCheck")
        self.correction_reason = QPlainTextEdit()
        self.correction_reason.setObjectName("correctionReason")
        self.correction_reason.setTabChangesFocus(True)
        self.correction_reason.setPlaceholderText(
            "Why the record names an expired lot (required), e.g. the lot was read from the vial afterwards")
        self.correction_reason.setAccessibleName("Reason for the correction")
        self.correction_reason.setMaximumHeight(70)
        self.correction_reason.setEnabled(False)
        self.correction_check.toggled.connect(self.correction_reason.setEnabled)
        box = QVBoxLayout(self.correction_box)
        box.addWidget(text_label(
            "An expired lot is never chosen for a session to come. If one was really given, record it "
            "so the history is true: the plan then shows a finding, the audit trail keeps the reason, "
            "and the patient is found when the batch is searched."))
        box.addWidget(self.correction_check)
        box.addWidget(self.correction_reason)
        self.correction_box.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Record as done")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(text_label(
            f"Session {session.sequence} on {session.planned_date.isoformat()}. Choose the lot of "
            "each item that was used; the lots are those recorded in the catalog."))
        layout.addLayout(form)
        layout.addWidget(self.correction_box)
        layout.addWidget(buttons)

    def choose(self, code: str, lot_number: str) -> None:
        """Select a lot by number (for keyboard-free use in scripts and tests)."""
        for (_kind, item_code), combo in self.combos.items():
            if item_code == code:
                for i in range(combo.count()):
                    batch = self._batches.get(combo.itemData(i))
                    if batch is not None and batch.lot_number == lot_number:
                        combo.setCurrentIndex(i)
                        return
        raise KeyError(f"no lot {lot_number} of {code}")

    def _expired(self, batch: BatchRecord | BatchUse) -> bool:
        return batch.expiry_date < self.session.planned_date

    def _show_correction(self, _index: int = 0) -> None:
        self.correction_box.setVisible(any(
            self._expired(batch) for batch in (self._batches.get(c.currentData()) for c in self.combos.values())
            if batch is not None))

    def correction_text(self) -> str:
        """The reason typed for recording an expired lot, when the correction is ticked (else empty)."""
        return self.correction_reason.toPlainText().strip() if self.correction_check.isChecked() else ""

    def result_record(self) -> DoneRecord:
        uses = []
        reason = self.correction_text()
        for key, combo in self.combos.items():
            batch = self._batches.get(combo.currentData())
            if batch is not None:
                uses.append(BatchUse(batch.id, batch.lot_number, batch.expiry_date, batch.item_name,
                                     self._volumes.get(key), reason if self._expired(batch) else ""))
        return DoneRecord(tuple(uses), self.reactions_edit.toPlainText().strip(),
                          self.notes_edit.toPlainText().strip())

    def accept(self) -> None:
        expired = [b for b in self.result_record().batches if self._expired(b)]
        lines = "\n".join(f"• Lot {b.lot_number} of {b.item_name} expired on "
                          f"{b.expiry_date.isoformat()}" for b in expired)
        if expired and not self.correction_check.isChecked():
            messages.show_error(self, "Expired lot", (
                f"An expired lot cannot be recorded for a session on "
                f"{self.session.planned_date.isoformat()}:\n{lines}\n\nChoose a lot that was in date "
                "on the day of the session. If this lot really was used, tick \"Correction of the "
                "record\" and give the reason."))
            return
        if expired and not self.correction_text():
            messages.show_error(self, "Reason required", (
                f"Recording an expired lot as a correction of the record needs the reason:\n{lines}\n\n"
                "Type why the record names this lot."))
            self.correction_reason.setFocus()
            return
        super().accept()

    @staticmethod
    def ask(parent: QWidget | None, session: SessionDraft, components: Sequence[ComponentDraft],
            batches: Mapping[ItemKey, Sequence[BatchRecord]]) -> DoneRecord | None:
        """What was recorded, or None when cancelled (tests replace this)."""
        dialog = RecordDoneDialog(session, components, batches, parent)
        return dialog.result_record() if dialog.exec() == QDialog.DialogCode.Accepted else None
