"""Dates on screen: reading what people type (2001-03-14, 14.03.2001, 14/03/2001), showing dates and
ages the same way everywhere, and ``OptionalDateEdit``, a date field that may be left empty.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QToolButton, QWidget

from mesoplan.services.patients import age_on
from mesoplan.ui.style import mark

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y")
DATE_HINT = "e.g. 2001-03-14 or 14.03.2001"


def parse_date_text(text: str) -> dt.date | None:
    """The date written in ``text`` in one of DATE_FORMATS, or None when it is not a date."""
    text = (text or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def format_date(day: dt.date | None, empty: str = "") -> str:
    """ISO dates on screen: unambiguous in every country."""
    return day.isoformat() if day else empty


def format_birth(date_of_birth: dt.date | None, today: dt.date | None = None) -> str:
    """'2001-03-14 (24)': the date of birth with the age today; '' when unknown."""
    if date_of_birth is None:
        return ""
    age = age_on(date_of_birth, today or dt.date.today())
    return f"{date_of_birth.isoformat()} ({age})"


def format_timestamp(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def relative_days(day: dt.date, today: dt.date | None = None) -> str:
    """'today', '3 days ago', '5 months ago': how old a dated record is, in words."""
    days = ((today or dt.date.today()) - day).days
    if days < 0:
        return "in the future"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    months = days // 30
    if months < 24:
        return f"{months} months ago"
    return f"{days // 365} years ago"


class OptionalDateEdit(QWidget):
    """A date typed as text (several formats) or picked from a calendar; empty means "no date".

    ``date()`` is None when the field is empty or not a date; ``has_error()`` tells the two apart.
    Alt+Down opens the calendar.
    """

    date_changed = Signal(object)
    """The new date (``datetime.date``) or None, whenever the text changes."""

    def __init__(self, parent: QWidget | None = None, *, maximum: dt.date | None = None,
                 placeholder: str = DATE_HINT) -> None:
        super().__init__(parent)
        self.maximum = maximum
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(placeholder)
        self.line.setClearButtonEnabled(True)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("Pick the date from a calendar (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.show_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.line.textChanged.connect(self._text_changed)
        self.line.editingFinished.connect(self._tidy)
        self.line.installEventFilter(self)
        self._calendar: QCalendarWidget | None = None

    # --- value ----------------------------------------------------------------------------------

    def date(self) -> dt.date | None:
        return parse_date_text(self.line.text())

    def text(self) -> str:
        return self.line.text().strip()

    def has_error(self) -> bool:
        """True when something is typed that is not a date."""
        return bool(self.text()) and self.date() is None

    def set_date(self, day: dt.date | None) -> None:
        self.line.setText(format_date(day))

    def clear(self) -> None:
        self.line.clear()

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt naming
        self.line.setReadOnly(read_only)
        self.button.setVisible(not read_only)

    # --- behaviour ------------------------------------------------------------------------------

    def _text_changed(self, _text: str) -> None:
        mark(self.line, invalid="true" if self.has_error() else "false")
        self.date_changed.emit(self.date())

    def _tidy(self) -> None:
        day = self.date()
        if day is not None and self.line.text() != day.isoformat():
            self.line.setText(day.isoformat())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if (watched is self.line and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down
                and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.show_calendar()
            return True
        return super().eventFilter(watched, event)

    def show_calendar(self) -> None:
        if self.line.isReadOnly():
            return
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setGridVisible(True)
        if self.maximum is not None:
            calendar.setMaximumDate(QDate(self.maximum.year, self.maximum.month, self.maximum.day))
        start = self.date() or dt.date.today()
        calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        calendar.clicked.connect(lambda qdate: self._picked(calendar, qdate))
        calendar.activated.connect(lambda qdate: self._picked(calendar, qdate))
        calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        calendar.show()
        calendar.setFocus()
        self._calendar = calendar

    def _picked(self, calendar: QCalendarWidget, qdate: QDate) -> None:
        self.set_date(dt.date(qdate.year(), qdate.month(), qdate.day()))
        calendar.close()
        calendar.deleteLater()
        self._calendar = None
        self.line.setFocus()
