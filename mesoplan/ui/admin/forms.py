"""Small building blocks the administration dialogs share: labelled rows with their error line,
headings, button rows, and the file choosers and owner-only file writing tests replace.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mesoplan.ui import settings
from mesoplan.ui.widgets.field_errors import FieldErrors, error_label
from mesoplan.ui.style import mark


def form_layout() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setSpacing(8)
    return form


def add_row(form: QFormLayout, text: str, widget: QWidget, errors: FieldErrors | None = None,
            names: Iterable[str] = (), hint: str = "") -> QLabel:
    """A row with a mnemonic label whose buddy is ``widget``, an optional hint and error line."""
    label = QLabel(text)
    label.setBuddy(widget.focusProxy() or widget)
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    if hint:
        column.addWidget(hint_label(hint))
    if errors is not None:
        message = error_label()
        column.addWidget(message)
        errors.add(tuple(names), widget, message)
    form.addRow(label, box)
    return label


def heading(text: str, role: str = "title") -> QLabel:
    label = QLabel(text)
    mark(label, role=role)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    mark(label, role="hint")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def dialog_buttons(accept_text: str, cancel_text: str = "Cancel") -> tuple[QDialogButtonBox, QPushButton]:
    """OK/Cancel buttons with a primary accept button called ``accept_text``."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    accept = buttons.button(QDialogButtonBox.StandardButton.Ok)
    accept.setText(accept_text)
    mark(accept, primary="true")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
    return buttons, accept


def dialog_layout(owner: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(12, 12, 12, 12)
    layout.setSpacing(8)
    return layout


def fit_width(dialog: QWidget, characters: int) -> None:
    """Give ``dialog`` room for about ``characters`` average characters (scales with the font)."""
    dialog.resize(max(dialog.sizeHint().width(), dialog.fontMetrics().averageCharWidth() * characters),
                  dialog.sizeHint().height())


# --- files ---------------------------------------------------------------------------------------


def _start_folder() -> str:
    return settings.LAST_EXPORT_FOLDER.get() or str(Path.home())


def ask_save_path(parent: QWidget | None, title: str, suggested_name: str, file_filter: str) -> Path | None:
    """A new file name chosen by the person (None when cancelled); the service refuses to overwrite."""
    path, _chosen = QFileDialog.getSaveFileName(
        parent, title, str(Path(_start_folder()) / suggested_name), file_filter,
        options=QFileDialog.Option.DontConfirmOverwrite)
    if not path:
        return None
    settings.LAST_EXPORT_FOLDER.set(str(Path(path).parent))
    return Path(path)


def ask_open_path(parent: QWidget | None, title: str, file_filter: str) -> Path | None:
    path, _chosen = QFileDialog.getOpenFileName(parent, title, _start_folder(), file_filter)
    if not path:
        return None
    settings.LAST_EXPORT_FOLDER.set(str(Path(path).parent))
    return Path(path)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """A plain message that something finished (tests replace it)."""
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(parent, title, text)


def fit_to_screen(dialog: QWidget, characters: int, lines: int) -> None:
    """Size ``dialog`` for about ``characters`` × ``lines`` of text, but never beyond 90 % of the screen."""
    metrics = dialog.fontMetrics()
    width, height = metrics.averageCharWidth() * characters, metrics.height() * lines
    screen = dialog.screen() if dialog.screen() is not None else None
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, int(available.width() * 0.9))
        height = min(height, int(available.height() * 0.9))
    dialog.resize(max(width, dialog.minimumSizeHint().width()), max(height, dialog.minimumSizeHint().height()))


def grow_to_fit(dialog: QWidget) -> None:
    """Make ``dialog`` taller when messages appeared in it (wrapped text needs the height for its width)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    needed = dialog.heightForWidth(dialog.width())
    if needed < 0:
        needed = dialog.sizeHint().height()
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


def scroll_area(widget: QWidget) -> QWidget:
    """``widget`` in a frameless scroll area, so nothing is squeezed on a small screen."""
    from PySide6.QtWidgets import QFrame, QScrollArea

    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def fit_scrolling(dialog: QWidget, area, characters: int) -> None:
    """Size a dialog whose body scrolls: the whole body when the screen allows, else 90 % of it."""
    metrics = dialog.fontMetrics()
    body = area.widget()
    margins = dialog.layout().contentsMargins()
    scrollbar = area.verticalScrollBar().sizeHint().width()
    width = max(metrics.averageCharWidth() * characters, dialog.minimumSizeHint().width(),
                body.minimumSizeHint().width() + margins.left() + margins.right() + scrollbar)
    inner = width - margins.left() - margins.right()
    body_height = body.heightForWidth(inner) if body.hasHeightForWidth() else -1
    if body_height < 0:
        body_height = body.sizeHint().height()
    height = dialog.layout().sizeHint().height() - area.sizeHint().height() + body_height + 2
    screen = dialog.screen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, int(available.width() * 0.9))
        height = min(height, int(available.height() * 0.9))
    dialog.resize(width, height)
