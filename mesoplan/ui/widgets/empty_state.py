"""What the main window shows when no tab is open: where to start, for the signed-in user."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mesoplan.access import Permission
from mesoplan.ui.context import AppContext
from mesoplan.ui.style import mark


def empty_state(ctx: AppContext) -> QWidget:
    """What the window shows with no tab open: where to start."""
    widget = QWidget()
    widget.setObjectName("emptyState")
    title = QLabel("MesoPlan")
    mark(title, role="title")
    title.setAlignment(Qt.AlignmentFlag.AlignCenter)
    hints = []
    if ctx.can_see_patients():
        hints.append("Find a patient in the list on the left (Ctrl+F) and press Enter to open them.")
    if ctx.can(Permission.EDIT_CONTACT):
        hints.append("Add a patient with File › New patient (Ctrl+N).")
    if ctx.can_open_front_desk():
        hints.append("See the day's sessions with View › Today (Ctrl+T).")
    text = QLabel("\n".join(hints))
    mark(text, role="hint")
    text.setAlignment(Qt.AlignmentFlag.AlignCenter)
    text.setWordWrap(True)
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(12, 12, 12, 12)
    layout.addStretch(1)
    layout.addWidget(title)
    layout.addWidget(text)
    layout.addStretch(2)
    return widget
