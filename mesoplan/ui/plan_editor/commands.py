"""Undo commands for the plan editor: every edit swaps one immutable draft for another.

A command holds the draft before and after the edit; ``redo`` shows the after-draft and ``undo``
the before-draft, and every view refreshes from the document. Commands with the same merge key
(consecutive keystrokes in one cell or field) become one step.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from mesoplan.plan import PlanDraft

if TYPE_CHECKING:
    from mesoplan.ui.plan_editor.document import PlanDocument

_MERGEABLE_ID = 0x504C  # any fixed number; only commands with a merge key use it


class DraftEdit(QUndoCommand):
    """One edit of the plan, undone by restoring the draft it replaced."""

    def __init__(self, document: PlanDocument, before: PlanDraft, after: PlanDraft, text: str,
                 merge_key: Hashable | None = None) -> None:
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def redo(self) -> None:
        self.document.apply(self.after)

    def undo(self) -> None:
        self.document.apply(self.before)

    def id(self) -> int:  # noqa: A003 - Qt's name
        return _MERGEABLE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, DraftEdit) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        if self.after == self.before:
            self.setObsolete(True)
        return True
