"""Showing problems to people: clear messages for known errors, details tucked away for the rest.

``show_error`` is the one way screens report a failure; tests replace it to capture messages.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from mesoplan.errors import MesoPlanError, ValidationError

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> tuple[str, str]:
    """(message for people, technical details or "") for an exception."""
    if isinstance(exc, ValidationError):
        lines = "\n".join(f"• {p}" for p in exc.problems)
        return f"Nothing was saved. Please correct:\n{lines}", ""
    if isinstance(exc, MesoPlanError):
        return str(exc), ""
    details = getattr(exc, "__traceback_text__", "") or "".join(
        traceback.format_exception(type(exc), exc, exc.__traceback__))
    return (f"Something unexpected went wrong ({type(exc).__name__}: {exc}). "
            "Nothing you had already saved is affected.", details)


def show_error(parent: QWidget | None, title: str, exc: BaseException | str) -> None:
    if isinstance(exc, str):
        text, details = exc, ""
    else:
        text, details = describe(exc)
        if details:
            log.error("%s: %s", title, details)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "Yes", no: str = "Cancel") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes_button
