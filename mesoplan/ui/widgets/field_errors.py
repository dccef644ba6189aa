"""Showing validation problems at the field they are about, instead of in a box far away.

A form registers each input with the ``Problem.where`` names the services use for it; ``show``
puts each message under its input (red outline, message text), anything unmatched in the form's
general message, and returns the first input with a problem so the form can scroll and focus.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from mesoplan.errors import Problem
from mesoplan.ui.style import mark


def error_label(parent: QWidget | None = None) -> QLabel:
    """A hidden, word-wrapping red message label (plain text: messages may quote what was typed)."""
    label = QLabel(parent)
    mark(label, role="error")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.hide()
    return label


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Set the style's ``invalid`` property (red outline) on ``widget`` and repaint it."""
    target = widget.focusProxy() or widget
    for item in {widget, target}:
        mark(item, invalid="true" if invalid else "false")


class FieldErrors:
    """The inputs of one form and the message label under each."""

    def __init__(self, general: QLabel) -> None:
        self.general = general
        self._fields: list[tuple[frozenset[str], QWidget, QLabel]] = []

    def add(self, names: Iterable[str], widget: QWidget, label: QLabel) -> None:
        """Register ``widget``; problems whose ``where`` is one of ``names`` go to ``label``."""
        self._fields.append((frozenset(_key(n) for n in names), widget, label))

    def add_row(self, form: QFormLayout, text: str, widget: QWidget, names: Iterable[str],
                target: QWidget | None = None) -> None:
        """A form row: ``text`` as the label, ``widget`` with its message label under it.
        ``target`` is the input to mark and focus when it is not ``widget`` itself."""
        label = QLabel(text)
        label.setBuddy(widget)
        message = error_label()
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(2)
        box_layout.addWidget(widget)
        box_layout.addWidget(message)
        form.addRow(label, box)
        self.add(names, target or widget, message)

    def clear(self) -> None:
        for _names, widget, label in self._fields:
            label.clear()
            label.hide()
            mark_invalid(widget, False)
        self.general.clear()
        self.general.hide()

    def show(self, problems: Iterable[Problem]) -> QWidget | None:
        """Show every problem; returns the first input that has one (None if all were general)."""
        self.clear()
        messages: dict[int, list[str]] = {}
        general: list[str] = []
        for problem in problems:
            index = self._index_of(problem.where)
            if index is None:
                general.append(str(problem))
            else:
                messages.setdefault(index, []).append(_sentence(problem))
        first: QWidget | None = None
        for index, (_names, widget, label) in enumerate(self._fields):
            if index in messages:
                label.setText("\n".join(messages[index]))
                label.show()
                mark_invalid(widget, True)
                first = first or widget
        if general:
            self.general.setText("\n".join(general))
            self.general.show()
        return first

    def message_for(self, widget: QWidget) -> str:
        """The message now shown for ``widget`` ('' when none): for tests and accessibility."""
        for _names, candidate, label in self._fields:
            if candidate is widget:
                return "" if label.isHidden() else label.text()
        return ""

    def _index_of(self, where: str) -> int | None:
        key = _key(where or "")
        for index, (names, _widget, _label) in enumerate(self._fields):
            if key in names:
                return index
        return None


def _key(name: str) -> str:
    """Field names compared loosely: 'lot_number' and 'Lot number' are the same field."""
    return " ".join(name.casefold().replace("_", " ").split())


def _sentence(problem: Problem) -> str:
    """('family name', 'is required') -> 'Family name is required.': a sentence under the field."""
    text = problem.message.strip()
    if not text:
        return text
    if text.startswith(("is ", "are ", "must ")) and problem.where:
        text = f"{problem.where} {text}"
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


# --- inputs checked as they are typed ---------------------------------------------------------------
# A field checked while the person types shows its problem at once (red outline, the message as
# its tooltip) and keeps the text typed. Such a field must never be saved past: every form and
# page asks ``refuse_pending(root)`` before saving, which names the first field to fix.

INPUT_ERROR = "input_error"
"""Widget property holding the message of an input in error ("" or None when it is fine)."""


def set_input_error(widget: QWidget, message: str) -> None:
    """Show ``widget`` as invalid with ``message`` (its tooltip); "" shows it as fine again."""
    invalid = "true" if message else "false"
    if widget.property("invalid") != invalid:
        mark(widget, invalid=invalid)
    widget.setProperty(INPUT_ERROR, message or "")
    widget.setToolTip(message)


def _counts(widget: QWidget, root: QWidget) -> bool:
    """The widget is part of what ``root`` shows: not hidden on purpose itself or inside something
    hidden on purpose, except pages of stacked widgets (tabs not in front still count). A form
    not shown yet counts whole."""
    from PySide6.QtWidgets import QStackedWidget

    node: QWidget | None = widget
    while node is not None and node is not root:
        parent = node.parentWidget()
        hidden = node.isHidden() and node.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
        if hidden and not isinstance(parent, QStackedWidget):
            return False
        node = parent
    return True


def pending_input_errors(root: QWidget) -> list[tuple[QWidget, str]]:
    """Every input under ``root`` now showing a typing error, with its message, in tab order."""
    found = []
    for widget in root.findChildren(QWidget):
        message = widget.property(INPUT_ERROR)
        if message and widget.property("invalid") == "true" and _counts(widget, root):
            found.append((widget, str(message)))
    return found


def reveal(widget: QWidget) -> None:
    """Bring ``widget`` to the front (the tabs holding it) and give it the focus."""
    from PySide6.QtWidgets import QScrollArea, QStackedWidget, QTabWidget

    node: QWidget | None = widget
    while node is not None:
        parent = node.parentWidget()
        if isinstance(parent, QStackedWidget):
            tabs = parent.parentWidget()
            if isinstance(tabs, QTabWidget) and tabs.indexOf(node) >= 0:
                tabs.setCurrentWidget(node)  # keeps the tab bar in step
            else:
                parent.setCurrentWidget(node)
        if isinstance(parent, QScrollArea) or (parent is not None
                                               and isinstance(parent.parentWidget(), QScrollArea)):
            area = parent if isinstance(parent, QScrollArea) else parent.parentWidget()
            area.ensureWidgetVisible(widget)
        node = parent
    widget.setFocus()


def pending_message(errors: list[tuple[QWidget, str]], what: str = "Nothing was saved") -> str:
    """'Nothing was saved. Fix this field first: Depth: must be ...' for the errors found."""
    lines = "\n".join(f"• {message}" for _widget, message in errors)
    fields = "this field" if len(errors) == 1 else "these fields"
    return f"{what}. Fix {fields} first:\n{lines}"


def refuse_pending(root: QWidget, show, title: str = "Not saved") -> bool:
    """True (and the first field shown, the problems told through ``show(parent, title, text)``)
    when a field under ``root`` shows a typing error; False when saving may go on."""
    errors = pending_input_errors(root)
    if not errors:
        return False
    reveal(errors[0][0])
    show(root, title, pending_message(errors))
    return True
