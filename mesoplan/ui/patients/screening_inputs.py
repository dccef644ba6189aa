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


class NumberInput(QWidget):
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
        layout.addStretch(1)
        self.setFocusProxy(self.line)
        self.line.textChanged.connect(lambda _t: self.changed.emit())

    def value(self) -> Any:
        return self.line.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.line.setText(numbers.show(value) if isinstance(value, (int, float)) and not isinstance(
            value, bool) else str(value or ""))  # with the clinic's decimal separator


class DateInput(OptionalDateEdit):
    changed = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent, maximum=dt.date.today() if question.past_only else None)
        self.date_changed.connect(lambda _d: self.changed.emit())
        self.line.setMaximumWidth(self.fontMetrics().averageCharWidth() * 30)

    def value(self) -> Any:
        day = self.date()
        return day.isoformat() if day else (self.text() or None)

    def set_value(self, value: Any) -> None:
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
        self.box.setPlainText(str(value or ""))


def make_input(question: Question) -> QWidget:
    """The input for ``question``: it has ``value()``, ``set_value(v)`` and a ``changed`` signal."""
    if question.kind in YES_NO_KINDS:
        options = YES_NO_OPTIONS + ((NOT_SURE_OPTION,) if question.kind == "yes_no_unknown" else ())
        return AnswerButtons(options)
    if question.kind == "choice":
        if sum(len(o.label) for o in question.options) <= BUTTONS_MAX_LABEL_CHARS:
            return AnswerButtons(tuple((o.value, o.label) for o in question.options))
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
            safety_tag.setToolTip("This answer is shown on the patient's safety strip and checked "
                                  "by the safety rules.")
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
