"""Showing problems to people: clear messages for known errors; for the rest, what failed and
where the log is (``mesoplan.errorlog``: no record's content ever reaches the screen or the log).

``show_error`` is the one way screens report a failure; tests replace it to capture messages.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from mesoplan import errorlog
from mesoplan.errors import MesoPlanError, ValidationError


def describe(exc: BaseException, log_file: Path | None = None) -> tuple[str, str]:
    """(message for people, technical details or "") for an exception.

    An unexpected exception's own message is never shown (it may carry a patient's record):
    people read its type and where the log is; the details are ``errorlog.safe_report``.
    """
    if isinstance(exc, ValidationError):
        lines = "\n".join(f"• {p}" for p in exc.problems)
        return f"Nothing was saved. Please correct:\n{lines}", ""
    if isinstance(exc, MesoPlanError):
        return str(exc), ""
    return (f"Something unexpected went wrong ({type(exc).__name__}). Nothing you had already "
            f"saved is affected; the step that failed was undone. {errorlog.where_told(log_file)}",
            errorlog.safe_report(exc))


def show_error(parent: QWidget | None, title: str, exc: BaseException | str) -> None:
    if isinstance(exc, str):
        text, details = exc, ""
    elif isinstance(exc, MesoPlanError):
        text, details = describe(exc)
    else:
        text, details = describe(exc, errorlog.record(exc, title))
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
