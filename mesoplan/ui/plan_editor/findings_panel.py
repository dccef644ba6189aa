"""The live safety findings beside the plan: whether it may be marked ready, then one card per
finding coloured by severity (block, acknowledge, info) with what triggered it and why it
matters; "acknowledge" findings take a reason (an undoable plan edit).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mesoplan.plan import Acknowledgement
from mesoplan.safety.engine import Finding
from mesoplan.ui.plan_editor.acknowledge_dialog import AcknowledgeDialog
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.plan_editor.fields import text_label
from mesoplan.ui.style import mark

SEVERITY_TAGS = {"block": "Blocks “ready”", "acknowledge": "Needs acknowledging",
                 "info": "For information"}


class FindingCard(QFrame):
    def __init__(self, finding: Finding, acknowledgement: Acknowledgement | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        self.setObjectName(f"finding_{finding.rule_id}")
        mark(self, severity=finding.severity)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        title = text_label(finding.title, flexible=True)
        title.setStyleSheet("font-weight: bold;")
        tag = text_label(f"{SEVERITY_TAGS.get(finding.severity, finding.severity)} · {finding.rule_id}"
                         + ("" if finding.subject == "plan" else f" · {finding.subject}"), "hint",
                         flexible=True)
        self.trigger_label = text_label(f"Triggered by: {finding.trigger}", "hint", flexible=True)
        self.explanation_label = text_label(finding.explanation, flexible=True)
        for widget in (title, tag, self.trigger_label, self.explanation_label):
            layout.addWidget(widget)
        self.acknowledge_button: QPushButton | None = None
        self.withdraw_button: QPushButton | None = None
        self.acknowledgement_label = None
        if finding.needs_acknowledgement:
            if acknowledgement is not None:
                who = f" by {acknowledgement.by}" if acknowledgement.by else ""
                when = f" on {acknowledgement.at:%Y-%m-%d}" if acknowledgement.at else ""
                pending = "" if acknowledgement.at else " (recorded when the plan is saved)"
                self.acknowledgement_label = text_label(
                    f"Acknowledged{who}{when}{pending}: {acknowledgement.reason}", flexible=True)
                self.acknowledgement_label.setStyleSheet("font-style: italic;")
                layout.addWidget(self.acknowledgement_label)
            row = QHBoxLayout()
            row.setSpacing(8)
            self.acknowledge_button = QPushButton("Change…" if acknowledgement
                                                  else "Acknowledge…")
            self.acknowledge_button.setObjectName("acknowledgeButton")
            row.addWidget(self.acknowledge_button)
            if acknowledgement is not None:
                self.withdraw_button = QPushButton("Withdraw")
                self.withdraw_button.setObjectName("withdrawButton")
                row.addWidget(self.withdraw_button)
            row.addStretch(1)
            layout.addLayout(row)


class FindingsPanel(QWidget):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.editable = True
        self._shown: tuple | None = None
        self.cards: list[FindingCard] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(text_label("Safety findings", "subtitle", flexible=True))
        self.ready_frame = QFrame()
        self.ready_frame.setObjectName("readyVerdict")
        ready_layout = QVBoxLayout(self.ready_frame)
        ready_layout.setContentsMargins(10, 8, 10, 8)
        self.ready_label = text_label(flexible=True)
        self.ready_label.setObjectName("readyVerdictText")
        ready_layout.addWidget(self.ready_label)
        layout.addWidget(self.ready_frame)
        self.counts_label = text_label("", "hint", flexible=True)
        layout.addWidget(self.counts_label)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cards_box = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_box)
        self.cards_layout.setContentsMargins(0, 0, 4, 0)
        self.cards_layout.setSpacing(8)
        self.cards_layout.addStretch(1)
        self.scroll.setWidget(self.cards_box)
        layout.addWidget(self.scroll, 1)
        document.changed.connect(self.refresh)
        self.refresh()

    # --- showing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        evaluation = self.document.evaluation
        draft = self.document.draft
        self._show_verdict()
        shown = (evaluation.findings, draft.acknowledgements, self.editable)
        if shown == self._shown:
            return
        self._shown = shown
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        acks = {(a.rule_id, a.subject): a for a in draft.acknowledgements if a.reason.strip()}
        for finding in evaluation.findings:
            card = FindingCard(finding, acks.get((finding.rule_id, finding.subject)))
            if card.acknowledge_button is not None:
                card.acknowledge_button.setEnabled(self.editable)
                card.acknowledge_button.clicked.connect(lambda _c=False, f=finding: self.acknowledge(f))
            if card.withdraw_button is not None:
                card.withdraw_button.setEnabled(self.editable)
                card.withdraw_button.clicked.connect(lambda _c=False, f=finding: self.withdraw(f))
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
            self.cards.append(card)
        counts = {s: sum(1 for f in evaluation.findings if f.severity == s) for s in SEVERITY_TAGS}
        self.counts_label.setText(
            f"{counts['block']} blocking · {counts['acknowledge']} to acknowledge · "
            f"{counts['info']} for information" if evaluation.findings else "No findings for this plan.")

    def _show_verdict(self) -> None:
        evaluation = self.document.evaluation
        verdict = evaluation.verdict
        status = self.document.draft.status
        if verdict.can_be_ready:
            severity = "ok"
            text = ("Nothing stops this plan from being marked ready." if status == "draft"
                    else f"The plan is {status}; no finding stands in the way.")
        else:
            blocking, pending = len(verdict.blocking), len(verdict.unacknowledged)
            parts = []
            if blocking:
                parts.append(f"{blocking} blocking finding{'s' if blocking != 1 else ''} to resolve")
            if pending:
                parts.append(f"{pending} finding{'s' if pending != 1 else ''} to acknowledge")
            if evaluation.problems:
                parts.append("the cocktail's problems to correct (Cocktail tab)")
            severity = "block" if blocking or evaluation.problems else "acknowledge"
            intro = ("Marked ready, but cannot be saved so until there are no more"
                     if status in ("ready", "active") else "Cannot be marked ready yet")
            text = f"{intro}: {'; '.join(parts)}."
        self.ready_label.setText(text)
        self.ready_label.setToolTip("\n".join(verdict.reasons))
        if self.ready_frame.property("severity") != severity:
            mark(self.ready_frame, severity=severity)

    def card_for(self, rule_id: str) -> FindingCard | None:
        return next((c for c in self.cards if c.finding.rule_id == rule_id), None)

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self._shown = None
        self.refresh()

    # --- acknowledging --------------------------------------------------------------------------

    def acknowledge(self, finding: Finding) -> None:
        draft = self.document.draft
        current = next((a for a in draft.acknowledgements
                        if (a.rule_id, a.subject) == (finding.rule_id, finding.subject)), None)
        reason = AcknowledgeDialog.ask(self, finding, current.reason if current else "")
        if reason is None or not reason.strip():
            return
        others = tuple(a for a in draft.acknowledgements if a is not current)
        self.document.edit(f"Acknowledge {finding.rule_id}", draft.with_changes(
            acknowledgements=(*others, Acknowledgement(finding.rule_id, finding.subject,
                                                       reason.strip()))))

    def withdraw(self, finding: Finding) -> None:
        draft = self.document.draft
        kept = tuple(a for a in draft.acknowledgements
                     if (a.rule_id, a.subject) != (finding.rule_id, finding.subject))
        self.document.edit(f"Withdraw acknowledgement of {finding.rule_id}",
                           draft.with_changes(acknowledgements=kept))
