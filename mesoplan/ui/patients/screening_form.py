"""The screening questionnaire as one scrolling form, generated from ``resources/screening.json``.

Sections follow one another with a jump list beside them (Ctrl+PgDown / Ctrl+PgUp move between
sections); questions that do not apply (``show_if``) are hidden and their answers left out.
Safety questions carry a tag, the jump list counts those still unanswered per section, and each
section's "None of these" answers an explicit no to its unanswered questions in one click (the same
button, or Ctrl+Z, then undoes it, until an answer in the section is changed by hand).
The dialog that records a new screening is ``ScreeningDialog`` in ``screening_dialog``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mesoplan.errors import Problem
from mesoplan.safety.questionnaire import Question, Questionnaire, Section, is_shown
from mesoplan.screening import answered_no
from mesoplan.ui.patients.screening_inputs import QuestionRow
from mesoplan.ui.style import SCREENING_SHEET, mark

NONE_OF_THESE = "None of these"
UNDO_NONE_OF_THESE = "Undo \u201cNone of these\u201d"

_KEY_IN_WHERE = re.compile(r"\(([a-z][a-z0-9_]*)\)\s*$")


def question_key_of(where: str) -> str:
    """The question key a ``Problem.where`` names: 'Weight (weight_kg)' -> 'weight_kg'."""
    match = _KEY_IN_WHERE.search(where or "")
    return match.group(1) if match else (where or "").strip()


class ScreeningForm(QWidget):
    changed = Signal()

    def __init__(self, questionnaire: Questionnaire, sex: str, answers: Mapping[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(SCREENING_SHEET)  # its answer toggles; see mesoplan/ui/style.py
        self.questionnaire = questionnaire
        self.sex = sex
        self._syncing = False
        self._bulk = False
        self.rows: dict[str, QuestionRow] = {}
        self.section_boxes: dict[str, QGroupBox] = {}
        self.none_buttons: dict[str, QPushButton] = {}
        self.section_notes: dict[str, QLabel] = {}
        self._undo: dict[str, dict[str, Any]] = {}  # section -> answers before its "None of these"
        self.index = QListWidget()
        self.index.setObjectName("sectionIndex")
        self.index.setAccessibleName("Sections")
        self.index.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.index.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        body = QWidget()
        body.setObjectName("screeningBody")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        body_layout.setSpacing(12)
        for section in questionnaire.sections:
            body_layout.addWidget(self._build_section(section))
        body_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("screeningScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(body)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.index)
        layout.addWidget(self.scroll, 1)

        for key, value in (answers or {}).items():
            if key in self.rows:
                self.rows[key].set_value(value)
        self._update_visibility()
        longest = max((self.fontMetrics().horizontalAdvance(f"{s.title}  (20/20) · 20 safety left")
                       for s in questionnaire.sections), default=100)
        self.index.setFixedWidth(min(longest + self.fontMetrics().averageCharWidth() * 6,
                                     self.fontMetrics().averageCharWidth() * 40))
        first_shown = next((i for i in range(self.index.count()) if not self.index.item(i).isHidden()), -1)
        self.index.setCurrentRow(first_shown)
        self.index.currentRowChanged.connect(self._index_chosen)
        self.index.activated.connect(self._index_activated)
        self.index.clicked.connect(self._index_activated)
        self.scroll.verticalScrollBar().valueChanged.connect(self._follow_scroll)
        self.undo_action = QAction("Undo \u201cNone of these\u201d", self)
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo_none_of_these)
        self.addAction(self.undo_action)

    def _build_section(self, section: Section) -> QGroupBox:
        box = QGroupBox(section.title)
        box.setObjectName(f"section_{section.key}")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 12, 8, 8)
        layout.setSpacing(2)
        if any(q.needs_answer and q.no_value is not None for q in section.questions):
            head = QHBoxLayout()
            note = QLabel()
            note.setObjectName(f"safetyLeft_{section.key}")
            mark(note, role="hint")
            button = QPushButton(NONE_OF_THESE)
            button.setObjectName(f"noneOfThese_{section.key}")
            button.setAutoDefault(False)
            button.setToolTip("Answer \u201cno\u201d to every question of this section not answered yet "
                              "(answers already given are kept). Click again to undo.")
            button.clicked.connect(lambda _c=False, key=section.key: self.toggle_none_of_these(key))
            head.addWidget(note, 1)
            head.addWidget(button)
            layout.addLayout(head)
            self.none_buttons[section.key] = button
            self.section_notes[section.key] = note
        for question in section.questions:
            row = QuestionRow(question)
            row.input.changed.connect(lambda key=question.key: self._answer_changed(key))
            layout.addWidget(row)
            self.rows[question.key] = row
        self.section_boxes[section.key] = box
        item = QListWidgetItem(section.title)
        item.setData(Qt.ItemDataRole.UserRole, section.key)
        self.index.addItem(item)
        return box

    # --- answers --------------------------------------------------------------------------------

    def raw_answers(self) -> dict[str, Any]:
        """Every answered question that applies to this patient, as typed (checked by the service)."""
        answers: dict[str, Any] = {}
        for key, row in self.rows.items():
            value = row.value()
            if value is not None and not row.isHidden():
                answers[key] = value
        return answers

    def answered_count(self) -> tuple[int, int]:
        """(answered, asked) over the questions that apply."""
        shown = [row for row in self.rows.values() if not row.isHidden()]
        return sum(1 for row in shown if row.value() is not None), len(shown)

    def unanswered_safety(self, section: str | None = None) -> list[Question]:
        """Safety questions that apply (shown) and have no answer yet, in form order."""
        return [row.question for row in self.rows.values()
                if row.question.needs_answer and not row.isHidden() and row.value() is None
                and (section is None or row.question.section == section)]

    def toggle_none_of_these(self, section: str) -> None:
        """"None of these" for a section, or its undo when it was the last thing done there."""
        if section in self._undo:
            self._set_answers(self._undo.pop(section))
        else:
            questions = [q for q in self.questionnaire.questions() if q.section == section]
            answers = {key: row.value() for key, row in self.rows.items() if not row.isHidden()}
            added = answered_no(questions, self.sex, answers, self.questionnaire)
            if not added:
                return
            self._set_answers(added)
            self._undo[section] = {key: None for key in added}
        self._update_visibility()
        self.changed.emit()

    def undo_none_of_these(self) -> bool:
        """Undo the latest "None of these" that can still be undone (Ctrl+Z); False when none can."""
        if not self._undo:
            return False
        self.toggle_none_of_these(next(reversed(self._undo)))
        return True

    def _set_answers(self, answers: Mapping[str, Any]) -> None:
        self._bulk = True
        try:
            for key, value in answers.items():
                self.rows[key].set_value(value)
                self.rows[key].show_error("")
                self._update_visibility()
        finally:
            self._bulk = False

    def _answer_changed(self, key: str) -> None:
        if self._bulk:
            return
        self.rows[key].show_error("")
        self._undo.pop(self.rows[key].question.section, None)  # an answer by hand: nothing to undo
        self._update_visibility()
        self.changed.emit()

    def _update_visibility(self) -> None:
        answers = {key: row.value() for key, row in self.rows.items()}
        for question in self.questionnaire.questions():
            self.rows[question.key].setHidden(not is_shown(question, self.sex, answers))
        for position, section in enumerate(self.questionnaire.sections):
            shown = [self.rows[q.key] for q in section.questions if not self.rows[q.key].isHidden()]
            self.section_boxes[section.key].setHidden(not shown)
            item = self.index.item(position)
            item.setHidden(not shown)
            answered = sum(1 for row in shown if row.value() is not None)
            left = sum(1 for row in shown if row.question.needs_answer and row.value() is None)
            item.setText(f"{section.title}  ({answered}/{len(shown)})"
                         + (f" · {left} safety left" if left else ""))
            item.setToolTip(f"{left} safety question{'s' if left != 1 else ''} not answered yet" if left
                            else "Every safety question answered")
            if section.key in self.none_buttons:
                self._update_section_head(section.key, left)

    def _update_section_head(self, section: str, left: int) -> None:
        button, note = self.none_buttons[section], self.section_notes[section]
        undo = section in self._undo
        button.setText(UNDO_NONE_OF_THESE if undo else NONE_OF_THESE)
        shown = [self.rows[q.key] for q in self.questionnaire.questions()
                 if q.section == section and not self.rows[q.key].isHidden()]
        button.setEnabled(undo or any(r.question.no_value is not None and r.value() is None for r in shown))
        note.setText(f"{left} safety question{'s' if left != 1 else ''} still to answer" if left
                     else "Every safety question in this section is answered")

    # --- problems -------------------------------------------------------------------------------

    def show_problems(self, problems: Iterable[Problem]) -> list[Problem]:
        """Put each problem under its question; scroll to the first. Returns the unplaced ones."""
        for row in self.rows.values():
            row.show_error("")
        first: QuestionRow | None = None
        unplaced: list[Problem] = []
        for problem in problems:
            row = self.rows.get(question_key_of(problem.where))
            if row is None:
                unplaced.append(problem)
                continue
            name = getattr(row.question, "short", "") or row.question.label
            text = f"{name}: {problem.message}"  # the message names its question
            row.show_error(f"{text}." if not text.endswith(".") else text)
            first = first or row
        if first is not None:
            self.scroll_to(first)
            first.input.setFocus(Qt.FocusReason.OtherFocusReason)
        return unplaced

    # --- moving around --------------------------------------------------------------------------

    def scroll_to(self, widget: QWidget) -> None:
        self.scroll.ensureWidgetVisible(widget, 0, self.fontMetrics().height() * 3)

    def jump_to_section(self, key: str, focus: bool = True) -> None:
        """Scroll to section ``key``; with ``focus`` the cursor goes to its first question."""
        box = self.section_boxes[key]
        self._syncing = True
        try:
            position = next(i for i, s in enumerate(self.questionnaire.sections) if s.key == key)
            self.index.setCurrentRow(position)
            self.scroll.verticalScrollBar().setValue(box.y())
        finally:
            self._syncing = False
        first = next((row for row in self.rows.values()
                      if row.question.section == key and not row.isHidden()), None)
        if focus and first is not None:
            first.input.setFocus(Qt.FocusReason.OtherFocusReason)

    def jump_section(self, step: int) -> None:
        visible = [i for i in range(self.index.count()) if not self.index.item(i).isHidden()]
        if not visible:
            return
        current = self.index.currentRow()
        later = [i for i in visible if (i > current if step > 0 else i < current)]
        target = (later[0] if step > 0 else later[-1]) if later else current
        if target >= 0:
            self.jump_to_section(self.index.item(target).data(Qt.ItemDataRole.UserRole))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt naming
        # Keys the questions do not use arrive here: Ctrl+PgDown / Ctrl+PgUp change section.
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.key() in (
                Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self.jump_section(1 if event.key() == Qt.Key.Key_PageDown else -1)
            return
        super().keyPressEvent(event)

    def _index_chosen(self, row: int) -> None:
        # Moving through the index scrolls the form; Enter or a click then moves into it.
        if self._syncing or row < 0:
            return
        self.jump_to_section(self.index.item(row).data(Qt.ItemDataRole.UserRole), focus=False)

    def _index_activated(self, index) -> None:
        self.jump_to_section(index.data(Qt.ItemDataRole.UserRole))

    def _follow_scroll(self, value: int) -> None:
        if self._syncing:
            return
        current = -1
        reading_line = value + self.scroll.viewport().height() // 3
        for position, section in enumerate(self.questionnaire.sections):
            box = self.section_boxes[section.key]
            if not box.isHidden() and box.y() <= reading_line:
                current = position
        if current >= 0 and current != self.index.currentRow():
            self._syncing = True
            try:
                self.index.setCurrentRow(current)
            finally:
                self._syncing = False
