"""The catalog page (a tab): browse ingredients and products, read an entry's evidence, sources and
cautions, and (for practitioners) add or edit ingredients, retire or restore entries, add lots.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mesoplan.access import Permission
from mesoplan.catalog import IngredientEntry, ProductEntry
from mesoplan.services import catalog as catalog_service
from mesoplan.services.catalog import BatchRecord
from mesoplan.ui import messages, settings
from mesoplan.ui.catalog.browser import CatalogBrowser
from mesoplan.ui.catalog.model import category_label, strength_text, tag_meaning, tag_word
from mesoplan.ui.context import AppContext
from mesoplan.ui.pages import Page
from mesoplan.ui.widgets.dates import format_date
from mesoplan.ui.widgets.record_model import RecordTableModel, record_table
from mesoplan.vocabulary import indication_label
from mesoplan.ui.style import mark

GRADE_WORDS = {"A": "peer-reviewed or regulatory sources", "B": "professional society or textbook",
               "C": "clinic, vendor or blog sources"}


class BatchListModel(RecordTableModel[BatchRecord]):
    headers = ("Lot", "Expires", "Received", "State")

    def cells(self, batch: BatchRecord) -> tuple[str, ...]:
        state = "expired" if batch.expired_on(dt.date.today()) else "in date"
        return batch.lot_number, format_date(batch.expiry_date), format_date(batch.received_on, "—"), state


def entry_html(entry: IngredientEntry | ProductEntry, kind: str) -> str:
    """Everything known about an entry, as escaped HTML for the detail pane."""
    def row(label: str, value: str) -> str:
        return f"<tr><td style='color:#5b6b75'>{escape(label)}</td><td>{escape(value)}</td></tr>" if value else ""

    facts = [row("Code", entry.code), row("Kind", kind), row("Category", category_label(entry.category)),
             row("Strength", strength_text(entry))]
    if isinstance(entry, IngredientEntry):
        facts += [row("Common name", entry.common_name), row("Presentation", entry.presentation),
                  row("Vehicle", entry.vehicle), row("Typical volume", entry.typical_volume),
                  row("Minimum interval", f"{entry.min_interval_days} days"
                      if entry.min_interval_days is not None else ""),
                  row("Storage", entry.storage)]
    else:
        facts += [row("Maker", entry.maker), row("Presentation", entry.presentation)]
    facts += [row("Legal status", entry.legal_status), row("Regions", ", ".join(entry.regions)),
              row("Indications", ", ".join(indication_label(c) for c in entry.conditions)),
              row("Off-label", "yes" if entry.off_label else "no"),
              row("State", "retired" if entry.retired else ("clinic's own entry" if entry.custom else ""))]
    parts = [f"<h2>{escape(entry.name)}</h2><table cellpadding='2'>{''.join(facts)}</table>"]
    if isinstance(entry, ProductEntry) and entry.components:
        items = "".join(f"<li>{escape(_component_text(p))}</li>" for p in entry.components)
        parts.append(f"<h3>Components</h3><ul>{items}</ul>")
    if entry.caution_tags:
        items = "".join(f"<li><b>{escape(tag_word(t))}</b>: {escape(tag_meaning(t))}</li>"
                        for t in entry.caution_tags)
        parts.append(f"<h3>Caution tags</h3><ul>{items}</ul>")
    if getattr(entry, "cautions", ""):
        parts.append(f"<h3>Cautions</h3><p>{escape(entry.cautions)}</p>")
    grade = f" (grade {entry.evidence_grade}: {GRADE_WORDS.get(entry.evidence_grade, '')})" \
        if entry.evidence_grade else " (no grade)"
    parts.append(f"<h3>Evidence{escape(grade)}</h3><p>{escape(entry.evidence or 'None recorded.')}</p>")
    if entry.sources:
        parts.append(f"<h3>Sources</h3><p>{escape(entry.sources)}</p>")
    if entry.notes:
        parts.append(f"<h3>Notes</h3><p>{escape(entry.notes)}</p>")
    return "".join(parts)


def _component_text(part) -> str:
    strength = "" if part.strength_value is None else f" {part.strength_value:g} {part.strength_unit or ''}"
    return f"{part.ingredient_name or part.ingredient_code}{strength}".rstrip()


class CatalogPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("catalogPage")
        may_edit = ctx.can(Permission.EDIT_CATALOG)
        title = QLabel("Ingredient catalog")
        mark(title, role="title")
        hint = QLabel("Starting points gathered from published sources; the clinic may edit them. "
                      "Not medical advice.")
        mark(hint, role="hint")
        hint.setWordWrap(True)
        self.browser = CatalogBrowser(ctx, allow_retired=True)
        self.browser.current_changed.connect(lambda _k, _c: self._show_current())
        self.detail = QTextBrowser()
        self.detail.setObjectName("catalogDetail")
        self.detail.setOpenLinks(False)
        self.batches_model = BatchListModel(self)
        self.batches_table = record_table(self.batches_model, "batchesTable")
        self.batches_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.batches_table.setMaximumHeight(self.fontMetrics().lineSpacing() * 9)
        batches_label = QLabel("Lots in stock")
        mark(batches_label, role="subtitle")

        self.add_button = QPushButton("&New ingredient…")
        self.add_button.setObjectName("newIngredientButton")
        self.add_button.clicked.connect(self.add_ingredient)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setObjectName("editIngredientButton")
        self.edit_button.clicked.connect(self.edit_current)
        self.retire_button = QPushButton("&Retire")
        self.retire_button.setObjectName("retireButton")
        self.retire_button.clicked.connect(self.toggle_retired)
        self.batch_button = QPushButton("Add &lot…")
        self.batch_button.setObjectName("addBatchButton")
        self.batch_button.clicked.connect(self.add_batch)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.add_button, self.edit_button, self.retire_button, self.batch_button):
            button.setVisible(may_edit)
            buttons.addWidget(button)
        buttons.addStretch(1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(8)
        right_layout.addWidget(self.detail, 1)
        right_layout.addWidget(batches_label)
        right_layout.addWidget(self.batches_table)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("catalogSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        state = settings.CATALOG_PAGE_SPLITTER.get()
        if state.isEmpty() or not self.splitter.restoreState(state):
            chars = self.fontMetrics().averageCharWidth()
            self.splitter.setSizes([chars * 90, chars * 60])
        self.splitter.splitterMoved.connect(
            lambda *_: settings.CATALOG_PAGE_SPLITTER.set(self.splitter.saveState()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.splitter, 1)
        ctx.changed.connect(self._records_changed)
        self._show_current()

    def page_key(self) -> tuple:
        return ("CatalogPage",)

    def tab_title(self) -> str:
        return "Catalog"

    def save_view_state(self) -> None:
        settings.CATALOG_PAGE_SPLITTER.set(self.splitter.saveState())
        settings.CATALOG_BROWSER_HEADER.set(self.browser.table.horizontalHeader().saveState())

    def focus_search(self) -> bool:
        self.browser.focus_filter()
        return True

    # --- showing --------------------------------------------------------------------------------

    def _show_current(self) -> None:
        entry = self.browser.current_entry()
        item = self.browser.current_item()
        may_edit = self.ctx.can(Permission.EDIT_CATALOG)
        self.edit_button.setEnabled(may_edit and isinstance(entry, IngredientEntry))
        self.edit_button.setToolTip("" if isinstance(entry, IngredientEntry) or entry is None else
                                    "Products are changed through the catalog files "
                                    "(mesoplan catalog import).")
        self.retire_button.setEnabled(may_edit and entry is not None)
        self.retire_button.setText("&Restore" if entry is not None and entry.retired else "&Retire")
        self.batch_button.setEnabled(may_edit and entry is not None and not entry.retired)
        if entry is None or item is None:
            self.detail.setHtml("<p>Choose an entry on the left to read about it.</p>")
            self.batches_model.set_rows([])
            return
        self.detail.setHtml(entry_html(entry, item[0]))
        try:
            with self.ctx.read() as uow:
                self.batches_model.set_rows(catalog_service.list_batches(uow, *item))
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, "The lots could not be read", exc)

    def _records_changed(self, kinds: frozenset[str]) -> None:
        if "batch" in kinds:
            self._show_current()

    # --- editing --------------------------------------------------------------------------------

    def add_ingredient(self):
        from mesoplan.ui.catalog.ingredient_dialog import IngredientDialog

        dialog = IngredientDialog(self.ctx, None, self)
        dialog.saved.connect(lambda entry: self.browser.select("ingredient", entry.code))
        dialog.open()
        return dialog

    def edit_current(self):
        entry = self.browser.current_entry()
        if not isinstance(entry, IngredientEntry):
            return None
        from mesoplan.ui.catalog.ingredient_dialog import IngredientDialog

        dialog = IngredientDialog(self.ctx, entry, self)
        dialog.saved.connect(lambda _entry: self._show_current())
        dialog.open()
        return dialog

    def toggle_retired(self) -> None:
        entry, item = self.browser.current_entry(), self.browser.current_item()
        if entry is None or item is None:
            return
        if not entry.retired and not messages.confirm(
                self, "Retire this entry?",
                f"{entry.name} will no longer be offered for new cocktails. Plans and lots that "
                "use it keep it, and it can be restored later.", yes="Retire", no="Cancel"):
            return
        if not entry.retired:
            self.browser.retired_check.setChecked(True)  # keep the entry in view, now greyed
        try:
            with self.ctx.work() as uow:
                (catalog_service.unretire_item if entry.retired else catalog_service.retire_item)(uow, *item)
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, "The entry was not changed", exc)
            return
        self.browser.select(*item)
        self._show_current()

    def add_batch(self):
        entry, item = self.browser.current_entry(), self.browser.current_item()
        if entry is None or item is None:
            return None
        from mesoplan.ui.catalog.batch_dialog import BatchDialog

        dialog = BatchDialog(self.ctx, item[0], item[1], entry.name, self)
        dialog.open()
        return dialog
