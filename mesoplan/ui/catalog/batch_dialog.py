"""Recording a received lot (batch) of an ingredient or product: lot number, expiry, arrival.

A lot that has already expired is refused here, at the expiry field: stock that may not be used
is not taken in. (The service also accepts older lots, e.g. when history is imported.)
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mesoplan.errors import Problem, ValidationError
from mesoplan.services import catalog as catalog_service
from mesoplan.ui import messages
from mesoplan.ui.context import AppContext
from mesoplan.ui.patients.patient_form import text_box
from mesoplan.ui.widgets.dates import DATE_HINT, OptionalDateEdit
from mesoplan.ui.widgets.field_errors import FieldErrors, error_label
from mesoplan.ui.style import mark


def received_lot_problems(expiry: dt.date | None, expiry_text: str, received: dt.date | None,
                          received_text: str, today: dt.date) -> list[Problem]:
    """What is wrong with the dates typed for a newly received lot."""
    problems: list[Problem] = []
    if expiry is None:
        problems.append(Problem("expiry_date", f"'{expiry_text}' is not a date; {DATE_HINT}"
                                if expiry_text else "the expiry date is required"))
    elif expiry < today:
        problems.append(Problem("expiry_date", f"this lot expired on {expiry.isoformat()}; an "
                                "expired lot cannot be taken into stock"))
    if received is None and received_text:
        problems.append(Problem("received_on", f"'{received_text}' is not a date; {DATE_HINT}"))
    elif received is not None and received > today:
        problems.append(Problem("received_on", "is in the future"))
    return problems


class BatchDialog(QDialog):
    saved = Signal(object)
    """The stored ``BatchRecord``."""

    def __init__(self, ctx: AppContext, kind: str, code: str, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.code = code
        self.setObjectName("batchDialog")
        self.setWindowTitle(f"New lot of {name}")
        self.lot = QLineEdit()
        self.lot.setObjectName("lotNumber")
        self.expiry = OptionalDateEdit()
        self.expiry.setObjectName("expiryDate")
        self.received = OptionalDateEdit(maximum=dt.date.today())
        self.received.setObjectName("receivedOn")
        self.received.set_date(dt.date.today())
        self.notes = text_box(2)
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        form = QFormLayout()
        form.setSpacing(8)
        for text, widget, names in (("&Lot number", self.lot, ("lot_number",)),
                                    ("&Expiry date", self.expiry, ("expiry_date",)),
                                    ("&Received on", self.received, ("received_on",)),
                                    ("&Notes", self.notes, ("notes",))):
            self.errors.add_row(form, text, widget, names)
        heading = QLabel(f"{name} ({kind})")
        mark(heading, role="subtitle")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Add lot")
        mark(self.save_button, primary="true")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.lot.setFocus()

    def save(self) -> bool:
        today = dt.date.today()
        problems = received_lot_problems(self.expiry.date(), self.expiry.text(), self.received.date(),
                                         self.received.text(), today)
        try:
            if problems:
                raise ValidationError(problems)
            with self.ctx.work() as uow:
                record = catalog_service.add_batch(uow, self.kind, self.code, self.lot.text(),
                                                   self.expiry.date(), self.received.date(),
                                                   self.notes.toPlainText())
        except ValidationError as exc:
            first = self.errors.show(exc.problems)
            if first is not None:
                first.setFocus()
            return False
        except Exception as exc:  # noqa: BLE001 - shown to the person; the form keeps its text
            messages.show_error(self, "The lot was not added", exc)
            return False
        self.saved.emit(record)
        self.accept()
        return True
