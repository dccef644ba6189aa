"""Keeping a table model's cached rows in step with a new draft, with the right Qt signals:
one inserted or removed row becomes insertRows/removeRows (selection and editors survive),
anything else of a different length a reset, and every case ends with dataChanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex


def _single_difference(shorter: Sequence, longer: Sequence) -> int | None:
    """Where ``longer`` has one extra element, if that is the only difference."""
    for at in range(len(longer)):
        if tuple(longer[:at]) + tuple(longer[at + 1:]) == tuple(shorter):
            return at
    return None


def sync_rows(model: QAbstractTableModel, old: Sequence, new: Sequence,
              assign: Callable[[Sequence], None]) -> None:
    """Replace the model's rows ``old`` by ``new``; ``assign`` stores them in the model."""
    at = None
    if len(new) == len(old) + 1:
        at = _single_difference(old, new)
        if at is not None:
            model.beginInsertRows(QModelIndex(), at, at)
            assign(new)
            model.endInsertRows()
    elif len(new) == len(old) - 1:
        at = _single_difference(new, old)
        if at is not None:
            model.beginRemoveRows(QModelIndex(), at, at)
            assign(new)
            model.endRemoveRows()
    if at is None and len(new) != len(old):
        model.beginResetModel()
        assign(new)
        model.endResetModel()
        return
    assign(new)
    columns = model.columnCount()
    if new and columns:
        model.dataChanged.emit(model.index(0, 0), model.index(len(new) - 1, columns - 1))
