"""The contract between the main window and the pages in its tabs.

A page is a QWidget that may hold unsaved work: it names itself, saves on request, has its own
undo stack, and says whether it may close. The main window only talks to pages through this.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from mesoplan.ui.context import AppContext
from mesoplan.ui.style import mark


class Page(QWidget):
    title_changed = Signal(str)
    modified_changed = Signal(bool)
    record_changed = Signal()
    """The page now shows another patient or plan (e.g. a different row): the window re-checks
    which record actions (print, new plan, export) apply."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def page_key(self) -> tuple:
        """Identifies the page so the same record is never opened in two tabs."""
        return (type(self).__name__,)

    def take_request_from(self, duplicate: "Page") -> None:
        """The window opened a second page for this record; adopt what it was asked to show
        (e.g. another day on the front desk) before it is thrown away."""

    def tab_title(self) -> str:
        return ""

    def undo_stack(self) -> QUndoStack | None:
        return None

    def is_modified(self) -> bool:
        return False

    def can_save(self) -> bool:
        return False

    def save(self) -> bool:
        """Save the page's work; returns False if nothing was saved (the page explains why)."""
        return True

    def maybe_close(self) -> bool:
        """Ask about unsaved work; True when the page may close."""
        return True

    def current_patient_id(self) -> int | None:
        return None

    def current_plan_id(self) -> int | None:
        return None

    def focus_search(self) -> bool:
        return False

    def save_view_state(self) -> None:
        """Remember how the page is laid out (splitters, columns); called before it closes."""


class UnavailablePage(Page):
    """Stands in for a screen that this installation does not have (its module is missing)."""

    def __init__(self, ctx: AppContext, key: tuple, title: str, text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QLabel, QVBoxLayout

        self._key = key
        self._title = title
        self.setObjectName("unavailablePage")
        heading = QLabel(f"{title}: not available")
        mark(heading, role="subtitle")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        message = QLabel(text)
        mark(message, role="hint")
        message.setWordWrap(True)
        message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(message)
        layout.addStretch(2)
        self.message = text

    def page_key(self) -> tuple:
        return ("UnavailablePage", *self._key)

    def tab_title(self) -> str:
        return self._title
