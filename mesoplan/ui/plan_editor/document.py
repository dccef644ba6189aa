"""The open plan: the current draft, what evaluating it found, and its undo stack.

Views never change the draft themselves: they ask ``edit(text, after, merge_key)``, which pushes
an undo command; the command calls ``apply``, the draft is re-evaluated and ``changed`` tells
every view to refresh. After a save the stored identity (plan id, version, session ids) is kept
here and stamped on every draft applied later, so undoing past a save never loses it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from mesoplan.evaluation import CatalogItemInfo, PlanContext, PlanEvaluation, evaluate
from mesoplan.plan import PlanDraft
from mesoplan.ui.plan_editor.commands import DraftEdit


class PlanDocument(QObject):
    changed = Signal()
    """The draft, the context or the evaluation changed; views refresh from ``draft``/``evaluation``."""

    def __init__(self, draft: PlanDraft, context: PlanContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        stack = self.undo_stack
        # The stack clears itself when it is destroyed with the page; nobody should hear of it.
        self.destroyed.connect(lambda *_: stack.blockSignals(True))
        self._context = context
        self._applying = False
        self._remember_identity(draft)
        self._draft = draft
        self._evaluation = evaluate(draft, context)

    # --- reading --------------------------------------------------------------------------------

    @property
    def draft(self) -> PlanDraft:
        return self._draft

    @property
    def context(self) -> PlanContext:
        return self._context

    @property
    def evaluation(self) -> PlanEvaluation:
        return self._evaluation

    def item_info(self, kind: str, code: str) -> CatalogItemInfo | None:
        return self._context.items.get((kind, code))

    def is_modified(self) -> bool:
        return self._draft.id is None or not self.undo_stack.isClean()

    # --- editing --------------------------------------------------------------------------------

    def edit(self, text: str, after: PlanDraft, merge_key: Hashable | None = None) -> bool:
        """Make ``after`` the draft as one undoable step; False when nothing changes.

        Edits that arrive while a draft is being shown (an open cell editor committing because
        undo removed its row, say) are ignored: they were made against a draft that is gone.
        """
        if self._applying or after == self._draft:
            return False
        self.undo_stack.push(DraftEdit(self, self._draft, after, text, merge_key))
        return True

    def apply(self, draft: PlanDraft) -> None:
        """Show ``draft`` (called by undo commands); re-evaluates and tells the views."""
        self._draft = self._with_identity(draft)
        self._refresh()

    def extend_context(self, *items: CatalogItemInfo) -> None:
        """Teach the context catalog entries added to the cocktail (before the edit is pushed)."""
        missing = [i for i in items if self._context.items.get((i.kind, i.code)) != i]
        if missing:
            self._context = self._context.with_items(*missing)

    def set_context(self, context: PlanContext) -> None:
        """Use a freshly loaded context (new screening, consent issued, rules changed)."""
        known = dict(self._context.items)
        known.update(context.items)
        self._context = replace(context, items=known) if known != dict(context.items) else context
        self._refresh()

    def mark_saved(self, saved: PlanDraft) -> None:
        """The draft as stored: remember its identity and call this state 'saved'."""
        self._remember_identity(saved)
        self._draft = saved
        self.undo_stack.setClean()
        self._refresh()

    def reset(self, draft: PlanDraft, context: PlanContext) -> None:
        """Start again from a stored draft (reload): the undo history is dropped."""
        self._remember_identity(draft)
        self._context = context
        self._draft = draft
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self._refresh()

    # --- internals ------------------------------------------------------------------------------

    def _refresh(self) -> None:
        self._evaluation = evaluate(self._draft, self._context)
        self._applying = True
        try:
            self.changed.emit()
        finally:
            self._applying = False

    def _remember_identity(self, draft: PlanDraft) -> None:
        self._plan_id = draft.id
        self._version = draft.version
        self._session_ids = {s.sequence: s.id for s in draft.sessions if s.id is not None}

    def _with_identity(self, draft: PlanDraft) -> PlanDraft:
        used = {s.id for s in draft.sessions if s.id is not None}
        sessions = []
        for session in draft.sessions:
            known = self._session_ids.get(session.sequence)
            if session.id is None and known is not None and known not in used:
                session = replace(session, id=known)
                used.add(known)
            sessions.append(session)
        return draft.with_changes(id=self._plan_id, version=self._version, sessions=tuple(sessions))
