"""One input per kind of screening question (yes/no, yes/no/not sure, choice, number, date, text) and
the row that shows a question with its help, safety mark and error message.

Inputs hand back raw answers (True/False/"unknown", an option value, typed text); checking them is
``mesoplan.screening.validate_answers``'s job, through the service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mesoplan import numbers
from mesoplan.safety.questionnaire import UNKNOWN, YES_NO_KINDS, Question
from mesoplan.ui.patients.patient_form import text_box
from mesoplan.ui.widgets.dates import DATE_HINT, OptionalDateEdit
from mesoplan.ui.widgets.field_errors import error_label, mark_invalid
from mesoplan.ui.style import mark

YES_NO_OPTIONS = ((True, "Yes"), (False, "No"))
NOT_SURE_OPTION = (UNKNOWN, "Not sure")
NONE_OPTION = (False, "None")
BUTTONS_MAX_LABEL_CHARS = 40
_ANSWER_KEYS: dict[str, Any] = {"y": True, "n": False, "u": UNKNOWN, "?": UNKNOWN}


class AnswerButtons(QFrame):
    """A row of toggle buttons, one per answer; clicking the chosen one again clears it.

    Keyboard: one Tab stop; 1-9 pick by position, Y / N / U pick yes / no / not sure, Left and
    Right move the choice, Delete clears. Picking by key moves on to the next question.
    """

    changed = Signal()

    def __init__(self, options: tuple[tuple[Any, str], ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answerButtons")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.options = options
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(4)
        self.buttons: list[QToolButton] = []
        for position, (_value, label) in enumerate(options):
            button = QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.group.addButton(button, position)
            layout.addWidget(button)
            self.buttons.append(button)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.group.idClicked.connect(self._clicked)
        self.setToolTip("Keys: Y yes, N no, U not sure, 1-9 by position, Delete clears")
        self._chosen: int | None = None

    def value(self) -> Any:
        return None if self._chosen is None else self.options[self._chosen][0]

    def set_value(self, value: Any) -> None:
        position = next((i for i, (v, _label) in enumerate(self.options)
                         if v == value and type(v) is type(value)), None)
        self._choose(position, notify=False)

    def _clicked(self, position: int) -> None:
        self._choose(None if self._chosen == position else position)

    def _choose(self, position: int | None, notify: bool = True) -> None:
        self._chosen = position
        for index, button in enumerate(self.buttons):
            button.setChecked(index == position)
        if notify:
            self.changed.emit()

    def _position_for_key(self, event: QKeyEvent) -> int | None:
        text = event.text().casefold()
        if not text or not text.isprintable():
            return None
        if text.isascii() and text.isdigit() and 1 <= int(text) <= len(self.options):
            return int(text) - 1
        if text in _ANSWER_KEYS:
            wanted = _ANSWER_KEYS[text]
            for index, (value, _label) in enumerate(self.options):
                if value == wanted and type(value) is type(wanted):
                    return index
        for index, (_value, label) in enumerate(self.options):
            if label.casefold().startswith(text):
                return index
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt naming
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._choose(None)
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = 1 if key == Qt.Key.Key_Right else -1
            start = self._chosen if self._chosen is not None else (-1 if step == 1 else len(self.options))
            self._choose(max(0, min(len(self.options) - 1, start + step)))
            return
        if key == Qt.Key.Key_Space:
            self._choose(0 if self._chosen is None else (self._chosen + 1) % len(self.options))
            return
        position = self._position_for_key(event) if not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier) else None
        if position is not None:
            self._choose(position)
            self.focusNextChild()
            return
        super().keyPressEvent(event)


class ChoiceBox(QComboBox):
    """A drop-down for choices with long labels; the first entry means "not answered"."""

    changed = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem("— not answered —", None)
        for option in question.options:
            self.addItem(option.label, option.value)
        if question.accepts_not_sure:
            self.addItem(NOT_SURE_OPTION[1], UNKNOWN)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt naming
        # Scrolling the form over a drop-down must not change the answer.
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        self.setCurrentIndex(max(0, self.findData(value)) if value is not None else 0)


class _SpecialAnswers:
    """Toggle buttons beside a typed answer for the answers that are not typed ("None", "Not sure");
    choosing one clears the typed text, typing clears the choice."""

    def _add_specials(self, layout: QHBoxLayout, specials: tuple[tuple[Any, str], ...]) -> None:
        self.specials = AnswerButtons(specials) if specials else None
        if self.specials is not None:
            self.specials.changed.connect(self._special_chosen)
            layout.addWidget(self.specials)

    def _special(self) -> Any:
        return self.specials.value() if self.specials is not None else None

    def _special_chosen(self) -> None:
        if self._special() is not None:
            self._clear_typed()
        self.changed.emit()

    def _typed(self) -> None:
        if self.specials is not None and self._typed_value() is not None:
            self.specials.set_value(None)

    def _set_special(self, value: Any) -> bool:
        """Show ``value`` on the buttons when it is one of theirs; True then."""
        if self.specials is None:
            return False
        known = any(v == value and type(v) is type(value) for v, _label in self.specials.options)
        self.specials.set_value(value if known else None)
        return known


def _specials(question: Question, *extra: tuple[Any, str]) -> tuple[tuple[Any, str], ...]:
    return (*extra, *((NOT_SURE_OPTION,) if question.accepts_not_sure else ()))


class NumberInput(QWidget, _SpecialAnswers):
    changed = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setMaximumWidth(self.fontMetrics().averageCharWidth() * 12)
        if question.min is not None and question.max is not None:
            self.line.setPlaceholderText(f"{question.min:g}–{question.max:g}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        if question.unit:
            layout.addWidget(QLabel(question.unit))
        self._add_specials(layout, _specials(question))
        layout.addStretch(1)
        self.setFocusProxy(self.line)
        self.line.textChanged.connect(self._text_changed)

    def _text_changed(self, _text: str) -> None:
        self._typed()
        self.changed.emit()

    def _typed_value(self) -> Any:
        return self.line.text().strip() or None

    def _clear_typed(self) -> None:
        self.line.blockSignals(True)
        self.line.clear()
        self.line.blockSignals(False)

    def value(self) -> Any:
        return self._special() if self._special() is not None else self._typed_value()

    def set_value(self, value: Any) -> None:
        if self._set_special(value):
            self._clear_typed()
            return
        self.line.setText(numbers.show(value) if isinstance(value, (int, float)) and not isinstance(
            value, bool) else str(value or ""))


class DateInput(QWidget, _SpecialAnswers):
    """A date, or (for safety questions) "None" (it never happened) or "Not sure"."""

    changed = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = OptionalDateEdit(maximum=dt.date.today() if question.past_only else None)
        self.line = self.field.line
        self.line.setMinimumWidth(self.fontMetrics().averageCharWidth() * 26)
        self.line.setMaximumWidth(self.fontMetrics().averageCharWidth() * 30)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        self._add_specials(layout, _specials(question, *((NONE_OPTION,) if question.safety else ())))
        layout.addStretch(1)
        self.setFocusProxy(self.line)
        self.field.date_changed.connect(self._date_changed)

    def _date_changed(self, _day: Any) -> None:
        self._typed()
        self.changed.emit()

    def _typed_value(self) -> Any:
        day = self.field.date()
        return day.isoformat() if day else (self.field.text() or None)

    def _clear_typed(self) -> None:
        self.field.blockSignals(True)
        self.line.clear()
        self.field.blockSignals(False)

    def date(self) -> dt.date | None:
        return self.field.date()

    def text(self) -> str:
        return self.field.text()

    def value(self) -> Any:
        return self._special() if self._special() is not None else self._typed_value()

    def set_value(self, value: Any) -> None:
        if self._set_special(value):
            self._clear_typed()
            return
        self.line.setText(str(value or ""))


class TextInput(QWidget):
    changed = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = text_box(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        self.setFocusProxy(self.box)
        self.box.textChanged.connect(self.changed.emit)

    def value(self) -> Any:
        return self.box.toPlainText().strip() or None

    def set_value(self, value: Any) -> None:
        # "not sure" is stored as "unknown"; it is shown (and typed) as the words
        self.box.setPlainText(NOT_SURE_OPTION[1].lower() if value == UNKNOWN else str(value or ""))


def make_input(question: Question) -> QWidget:
    """The input for ``question``: it has ``value()``, ``set_value(v)`` and a ``changed`` signal."""
    not_sure = (NOT_SURE_OPTION,) if question.accepts_not_sure else ()
    if question.kind in YES_NO_KINDS:
        return AnswerButtons(YES_NO_OPTIONS + not_sure)
    if question.kind == "choice":
        if sum(len(o.label) for o in question.options) <= BUTTONS_MAX_LABEL_CHARS:
            return AnswerButtons(tuple((o.value, o.label) for o in question.options) + not_sure)
        return ChoiceBox(question)
    if question.kind == "number":
        return NumberInput(question)
    if question.kind == "date":
        return DateInput(question)
    return TextInput(question)


class QuestionRow(QFrame):
    """A question: its label (marked when safety-relevant), help text, input and error message."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setObjectName(f"question_{question.key}")
        mark(self, role="question")
        self.label = QLabel(question.label)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.input = make_input(question)
        self.input.setAccessibleName(question.label)
        self.label.setBuddy(self.input)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.label, 1)
        if question.safety:
            safety_tag = QLabel("Safety")
            mark(safety_tag, role="tag")
            safety_tag.setContentsMargins(4, 0, 4, 0)
            safety_tag.setToolTip("Safety question: shown on the patient's safety strip and checked by "
                                  "the safety rules. A plan cannot be marked ready while it is unanswered; "
                                  "answer \u201cNot sure\u201d when the patient does not know."
                                  if question.needs_answer else
                                  "Shown on the patient's safety strip; may be left empty.")
            top.addWidget(safety_tag, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        if question.help:
            help_label = QLabel(question.help)
            mark(help_label, role="hint")
            help_label.setTextFormat(Qt.TextFormat.PlainText)
            help_label.setWordWrap(True)
            layout.addWidget(help_label)
        if question.kind == "date":
            self.input.line.setToolTip(DATE_HINT)
        if isinstance(self.input, AnswerButtons):
            layout.addWidget(self.input, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            layout.addWidget(self.input)
        self.error = error_label()
        layout.addWidget(self.error)

    def value(self) -> Any:
        return self.input.value()

    def set_value(self, value: Any) -> None:
        self.input.set_value(value)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        mark_invalid(self.input, bool(message))
