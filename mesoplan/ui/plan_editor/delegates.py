"""Cell editors that check what is typed as it is typed: invalid text is shown as invalid at the
cell and never reaches the model; valid text is committed at once, so totals follow the typing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget
from mesoplan.ui.widgets.field_errors import set_input_error

log = logging.getLogger(__name__)
Reader = Callable[[str], Any]
Index = QModelIndex | QPersistentModelIndex


def mark_invalid(widget: QWidget, message: str) -> None:
    """Show ``widget`` as invalid (style property) with ``message`` as its tooltip; "" clears it.
    A field marked so blocks saving until it is fixed (``field_errors.refuse_pending``)."""
    set_input_error(widget, message)


class LiveEditDelegate(QStyledItemDelegate):
    """Line editors (or editable combo boxes, for columns with choices) checked by ``readers``."""

    rejected = Signal(str)
    """A finished edit was not accepted; the text says why."""

    def __init__(self, readers: Mapping[int, Reader], choices: Mapping[int, Sequence[str]] | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.readers = dict(readers)
        self.choices = dict(choices or {})

    # --- editors --------------------------------------------------------------------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        column = index.column()
        model = index.model()
        if hasattr(model, "edit_session"):
            model.edit_session += 1
        if column in self.choices:
            editor = QComboBox(parent)
            editor.setEditable(True)
            editor.addItems(list(self.choices[column]))
            editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            line = editor.lineEdit()
            line.textEdited.connect(lambda _text, e=editor, c=column: self._typed(e, c))
            editor.activated.connect(lambda _i, e=editor, c=column: self._typed(e, c))
        else:
            editor = QLineEdit(parent)
            editor.textEdited.connect(lambda _text, e=editor, c=column: self._typed(e, c))
        editor.setAccessibleName(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
        editor.cell_index = QPersistentModelIndex(index)  # type: ignore[attr-defined]
        stored = model.data(index, Qt.ItemDataRole.EditRole)
        editor.original_text = "" if stored is None else str(stored)  # type: ignore[attr-defined]
        return editor

    @staticmethod
    def _line(editor: QWidget) -> QLineEdit:
        return editor.lineEdit() if isinstance(editor, QComboBox) else editor  # type: ignore[return-value]

    def _read(self, column: int, text: str, index: Index | None = None) -> tuple[bool, Any, str]:
        """(accepted, value, message). A model with ``check_cell(index, value)`` holds the value
        to what the row allows (a strength to the bounds of the row's unit, say)."""
        reader = self.readers.get(column)
        if reader is None:
            return True, text, ""
        try:
            value = reader(text)
            model = index.model() if index is not None and index.isValid() else None
            if model is not None and hasattr(model, "check_cell"):
                model.check_cell(index, value)
            return True, value, ""
        except ValueError as exc:
            return False, None, str(exc)

    def _typed(self, editor: QWidget, column: int) -> None:
        ok, _value, message = self._read(column, self._line(editor).text(),
                                         getattr(editor, "cell_index", None))
        mark_invalid(self._line(editor), message)
        if ok:
            self.commitData.emit(editor)

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        line = self._line(editor)
        stored = index.model().data(index, Qt.ItemDataRole.EditRole)
        stored = "" if stored is None else str(stored)
        current_ok, current, _ = self._read(index.column(), line.text(), index)
        stored_ok, wanted, _ = self._read(index.column(), stored, index)
        if (current_ok and stored_ok and current == wanted) or (not current_ok and line.isModified()):
            return  # the person is typing this value (or an unfinished one): leave it alone
        line.setText(stored)
        mark_invalid(line, "")

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        text = self._line(editor).text()
        ok, _value, message = self._read(index.column(), text, index)
        if not ok:
            # Valid beginnings of the text ("2" of "20") were applied while typing: the cell
            # goes back to what it held before this edit, never to a prefix of what was typed.
            original = getattr(editor, "original_text", None)
            if original is not None and original != model.data(index, Qt.ItemDataRole.EditRole):
                try:
                    model.setData(index, original, Qt.ItemDataRole.EditRole)
                except Exception:  # noqa: BLE001 - see below
                    log.exception("a cell could not be put back")
            self.rejected.emit(f"Not accepted – {message}; the cell keeps its earlier value")
            return
        try:
            model.setData(index, text, Qt.ItemDataRole.EditRole)
        except Exception:  # noqa: BLE001 - an exception escaping a Qt virtual call ends the program
            log.exception("a cell edit could not be applied")

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        editor.setGeometry(option.rect)

