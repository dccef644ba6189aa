"""The plan editor page: header, cocktail and sessions in tabs beside the live safety findings.

Save model: explicit. The page holds one ``PlanDocument`` (draft + undo stack); Save (Ctrl+S,
the window's action) writes the whole draft in one unit of work and marks the undo stack clean,
so "modified" means "the stack is not at its clean state" (or the plan was never saved).
Closing with changes asks Save / Discard / Cancel. A plan saved meanwhile by someone else is
reported with who and when; reloading is offered, and nothing typed is lost until it is chosen.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from mesoplan.access import Permission
from mesoplan.errors import ConflictError, MesoPlanError, NotFound
from mesoplan.evaluation import CatalogItemInfo, PlanContext
from mesoplan.plan import ComponentDraft, PlanDraft
from mesoplan.schedule import Protocol
from mesoplan.services import catalog, clinic, evaluation, patients, plans, protocols, templates
from mesoplan.services.catalog import BatchRecord
from mesoplan.ui import messages, settings
from mesoplan.ui.context import AppContext
from mesoplan.ui.pages import Page
from mesoplan.ui.plan_editor import prompts
from mesoplan.ui.plan_editor.cocktail_panel import CocktailPanel
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.plan_editor.findings_panel import FindingsPanel
from mesoplan.ui.plan_editor.header_form import PlanHeaderForm
from mesoplan.ui.plan_editor.new_plan_dialog import NewPlanDialog
from mesoplan.ui.plan_editor.sessions_panel import SessionsPanel
from mesoplan.ui.plan_editor.template_dialogs import ManageTemplatesDialog, save_plan_as_template
from mesoplan.ui.plan_editor.top_bar import STATUS_LABELS, PlanTopBar
from mesoplan.ui.widgets.field_errors import refuse_pending
from mesoplan.vocabulary import indication_label

log = logging.getLogger(__name__)
_IGNORED_CHANGES = frozenset({"plan", "plan_template"})
_serials = itertools.count(1)


def _patient_name(ctx: AppContext, patient_id: int) -> str:
    try:
        with ctx.read() as uow:
            return patients.get_summary(uow, patient_id).display_name
    except MesoPlanError:
        return f"Patient {patient_id}"


def _protocols_for(uow, draft: PlanDraft) -> list[Protocol]:
    offered = protocols.list_protocols(uow)
    if draft.protocol_code and all(p.code != draft.protocol_code for p in offered):
        try:
            offered.append(protocols.get_protocol(uow, draft.protocol_code))
        except NotFound:
            pass
    return offered


class PlanEditorPage(Page):
    # --- opening --------------------------------------------------------------------------------

    @classmethod
    def open_existing(cls, ctx: AppContext, plan_id: int, parent: QWidget | None) -> PlanEditorPage | None:
        try:
            with ctx.read() as uow:
                draft = plans.load_plan(uow, plan_id)
                context = evaluation.load_plan_context(uow, draft)
                offered = _protocols_for(uow, draft)
        except MesoPlanError as exc:
            messages.show_error(parent, "The plan cannot be opened", exc)
            return None
        return cls(ctx, draft, context, offered, _patient_name(ctx, draft.patient_id), parent)

    @classmethod
    def start_new(cls, ctx: AppContext, patient_id: int, parent: QWidget | None,
                  template_id: int | None = None) -> PlanEditorPage | None:
        name = _patient_name(ctx, patient_id)
        dialog = NewPlanDialog(ctx, name, template_id, parent)
        if dialog.exec() != NewPlanDialog.DialogCode.Accepted:
            return None
        choice = dialog.choice()
        try:
            with ctx.read() as uow:
                if choice.template_id is not None:
                    draft = templates.draft_from_template(uow, choice.template_id, patient_id)
                else:
                    draft = PlanDraft(patient_id=patient_id, indication=choice.indication)
                if draft.practitioner_id is None:  # the signed-in practitioner, when linked
                    draft = draft.with_changes(practitioner_id=ctx.actor.practitioner_id)
                draft = draft.with_changes(indication=choice.indication,
                                           indication_other=choice.indication_other,
                                           areas=choice.areas, goals=choice.goals)
                context = evaluation.load_plan_context(uow, draft)
                offered = _protocols_for(uow, draft)
        except MesoPlanError as exc:
            messages.show_error(parent, "The plan cannot be started", exc)
            return None
        return cls(ctx, draft, context, offered, name, parent)

    def __init__(self, ctx: AppContext, draft: PlanDraft, context: PlanContext,
                 offered_protocols: Sequence[Protocol], patient_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("planEditorPage")
        self.patient_name = patient_name
        self._serial = next(_serials)
        self.document = PlanDocument(draft, context, self)
        self.editable = ctx.can(Permission.EDIT_CLINICAL)
        self._build(offered_protocols)
        self.document.changed.connect(self._document_changed)
        self.document.undo_stack.cleanChanged.connect(lambda _clean: self._modified_changed())
        ctx.changed.connect(self._records_changed)
        self._apply_editable()
        self._document_changed()

    # --- building -------------------------------------------------------------------------------

    def _build(self, offered_protocols: Sequence[Protocol]) -> None:
        self.top_bar = PlanTopBar(self.document)
        # Shorthands for the top bar's parts (tests and the window's actions use them).
        self.title_label, self.saved_label = self.top_bar.title_label, self.top_bar.saved_label
        self.status_combo, self.ready_button = self.top_bar.status_combo, self.top_bar.ready_button
        self.save_template_action = self.top_bar.save_template_action
        self.top_bar.status_chosen.connect(self._status_chosen)
        self.top_bar.mark_ready_clicked.connect(self.mark_ready)
        self.save_template_action.triggered.connect(self.save_as_template)
        self.top_bar.manage_templates_action.triggered.connect(self.manage_templates)

        self.header_form = PlanHeaderForm(self.document, self._practitioners())
        self.cocktail_panel = CocktailPanel(self.document, self._fetch_info)
        self.cocktail_panel.set_browser_factory(self._make_browser)
        self.sessions_panel = SessionsPanel(self.document, offered_protocols, self._load_batches)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("planEditorTabs")
        self.tabs.addTab(self.header_form, "&Plan")
        self.tabs.addTab(self.cocktail_panel, "&Cocktail")
        self.tabs.addTab(self.sessions_panel, "&Sessions")
        self.tabs.setCurrentIndex(min(max(settings.PLAN_EDITOR_TAB.get(), 0), 2))
        self.tabs.currentChanged.connect(settings.PLAN_EDITOR_TAB.set)
        self.findings_panel = FindingsPanel(self.document)
        self.findings_panel.setObjectName("findingsPanel")
        self.findings_panel.setMinimumWidth(self.fontMetrics().averageCharWidth() * 34)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("planEditorSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.findings_panel)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 2)
        state = settings.PLAN_EDITOR_SPLITTER.get()
        if state.isEmpty() or not self.splitter.restoreState(state):
            unit = self.fontMetrics().averageCharWidth()
            self.splitter.setSizes([unit * 100, unit * 44])
        self.splitter.splitterMoved.connect(
            lambda *_: settings.PLAN_EDITOR_SPLITTER.set(self.splitter.saveState()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.splitter, 1)

    def _make_browser(self) -> QWidget | None:
        """The shared catalog browser, when this version has it (it emits ``item_chosen``)."""
        try:
            from mesoplan.ui.catalog.browser import CatalogBrowser
        except ImportError:
            return None
        try:
            browser = CatalogBrowser(self.ctx, choose_text="&Add to cocktail")
        except Exception:  # noqa: BLE001 - the editor still works without it
            log.exception("the catalog browser could not be created")
            return None
        return browser if hasattr(browser, "item_chosen") else None

    def _apply_editable(self) -> None:
        self.header_form.set_editable(self.editable)
        self.cocktail_panel.set_editable(self.editable)
        self.sessions_panel.set_editable(self.editable)
        self.findings_panel.set_editable(self.editable)
        self.top_bar.set_editable(self.editable)

    # --- services the panels use ----------------------------------------------------------------

    def _practitioners(self) -> list[tuple[int, str, bool]]:
        try:
            with self.ctx.read() as uow:
                return [(p.id, p.name, p.active) for p in clinic.list_practitioners(uow)]
        except MesoPlanError as exc:
            messages.show_error(self, "The practitioners could not be read", exc)
            return []

    def _fetch_info(self, kind: str, code: str) -> CatalogItemInfo:
        with self.ctx.read() as uow:
            return evaluation.item_info(uow, kind, code)

    def _load_batches(self, components: Sequence[ComponentDraft]) -> dict[tuple[str, str], list[BatchRecord]]:
        found: dict[tuple[str, str], list[BatchRecord]] = {}
        with self.ctx.read() as uow:
            for component in components:
                key = (component.kind, component.code)
                if key not in found:
                    found[key] = catalog.list_batches(uow, component.kind, component.code)
        return found

    # --- Page contract --------------------------------------------------------------------------

    def page_key(self) -> tuple:
        plan_id = self.document.draft.id
        return (type(self).__name__, plan_id) if plan_id is not None else (
            type(self).__name__, "new", self._serial)

    def tab_title(self) -> str:
        draft = self.document.draft
        what = indication_label(draft.indication, draft.indication_other)
        prefix = "New plan" if draft.id is None else "Plan"
        return f"{prefix}: {self.patient_name} – {what}"

    def undo_stack(self):
        return self.document.undo_stack

    def is_modified(self) -> bool:
        return self.document.is_modified()

    def can_save(self) -> bool:
        return self.editable and self.is_modified()

    def current_patient_id(self) -> int | None:
        return self.document.draft.patient_id

    def current_plan_id(self) -> int | None:
        return self.document.draft.id

    def save(self) -> bool:
        if not self.editable:
            return False
        if refuse_pending(self, messages.show_error, "The plan was not saved"):
            self.saved_label.setText("Not saved – a field shows an error.")
            return False
        try:
            with self.ctx.work() as uow:
                saved = plans.save_plan(uow, self.document.draft)
        except ConflictError as exc:
            self._conflict(exc)
            return False
        except MesoPlanError as exc:
            messages.show_error(self, "The plan was not saved", exc)
            return False
        self.document.mark_saved(saved)
        self._refresh_context()
        self.saved_label.setText(f"Saved (version {saved.version}).")
        self.title_changed.emit(self.tab_title())
        self._modified_changed()
        return True

    def maybe_close(self) -> bool:
        if not self.is_modified() or not self.editable:
            return True
        choice = prompts.ask_unsaved(self, self.tab_title())
        if choice == prompts.SAVE:
            return self.save()
        return choice == prompts.DISCARD

    # --- actions --------------------------------------------------------------------------------

    def mark_ready(self) -> bool:
        """Set the status to ready and save; refused (and undone) when findings stand in the way."""
        if self.document.draft.status != "draft":
            return False
        self.document.edit("Mark ready", self.document.draft.with_changes(status="ready"))
        if self.save():
            return True
        self.document.undo_stack.undo()
        return False

    def save_as_template(self) -> None:
        record = save_plan_as_template(self.ctx, self, self.document.draft)
        if record is not None:
            self.saved_label.setText(f"Saved as the template '{record.name}'.")

    def manage_templates(self) -> None:
        ManageTemplatesDialog(self.ctx, self).exec()

    def reload(self) -> bool:
        """Drop the unsaved changes and show the plan as stored now."""
        plan_id = self.document.draft.id
        if plan_id is None:
            return False
        try:
            with self.ctx.read() as uow:
                draft = plans.load_plan(uow, plan_id)
                context = evaluation.load_plan_context(uow, draft)
        except MesoPlanError as exc:
            messages.show_error(self, "The plan cannot be reloaded", exc)
            return False
        self.document.reset(draft, context)
        self.saved_label.setText(f"Reloaded (version {draft.version}).")
        self._modified_changed()
        return True

    def _conflict(self, exc: ConflictError) -> None:
        if messages.confirm(
                self, "The plan was changed by someone else",
                f"{exc}\n\nReload shows their version and discards your unsaved changes. Keep "
                "my changes leaves this page as it is so you can note what you changed first.",
                yes="Reload", no="Keep my changes"):
            self.reload()

    def _status_chosen(self, status: str) -> None:
        self.document.edit(f"Set status to {STATUS_LABELS.get(status, status)}",
                           self.document.draft.with_changes(status=status))

    # --- following changes ----------------------------------------------------------------------

    def _document_changed(self) -> None:
        self.top_bar.refresh(self.tab_title())
        self.title_changed.emit(self.tab_title())

    def _modified_changed(self) -> None:
        self.modified_changed.emit(self.is_modified())
        if self.is_modified():
            self.saved_label.setText("Unsaved changes – Ctrl+S saves.")

    def _records_changed(self, kinds) -> None:
        if set(kinds) - _IGNORED_CHANGES:
            self._refresh_context()

    def _refresh_context(self) -> None:
        """Reload patient facts, rules and consent from the database (e.g. a new screening)."""
        try:
            with self.ctx.read() as uow:
                context = evaluation.load_plan_context(uow, self.document.draft,
                                                       today=self.document.context.today)
        except MesoPlanError:
            log.exception("the plan's context could not be reloaded")
            return
        self.document.set_context(context)
