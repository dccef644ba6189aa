"""A reusable catalog browser: filter ingredients and products, see their cautions, choose one.

Embed it anywhere (the catalog page, the plan editor's "add to cocktail"):

    browser = CatalogBrowser(ctx, choose_text="&Add to cocktail")
    browser.item_chosen.connect(lambda kind, code: ...)   # double-click, Enter or the button

Filters: text (any word of code, name, common name, maker or components; accents ignored),
category, indication and region (``set_filters``). The caution line under the table spells out
the chosen entry's caution tags before anything is added. Filtering is in memory and instant.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mesoplan.catalog import CATEGORIES, IngredientEntry, ProductEntry
from mesoplan.ui import messages, settings
from mesoplan.ui.catalog.model import (
    CatalogColumn,
    CatalogModel,
    CatalogRow,
    build_rows,
    category_label,
    tag_meaning,
    tag_word,
)
from mesoplan.ui.catalog.shared import shared_catalog
from mesoplan.ui.context import AppContext
from mesoplan.vocabulary import REGIONS, indications
from mesoplan.ui.style import mark
from mesoplan.ui.widgets.record_model import record_table

CATALOG_KINDS = ("ingredient", "product", "batch")
"""Record kinds (``ctx.changed``) after which the browser reloads."""


def combo(items: list[tuple[str, str | None]], name: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    # Long labels (indications) must not make the browser wider than the space it is given.
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(12)
    for label, value in items:
        box.addItem(label, value)
    return box


class CatalogBrowser(QWidget):
    item_chosen = Signal(str, str)
    """(kind, code): the person chose this entry (double-click, Enter or the choose button)."""
    current_changed = Signal(str, str)
    """(kind, code) of the highlighted entry; ("", "") when none."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 choose_text: str = "", allow_retired: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("catalogBrowser")
        self.model = CatalogModel(self)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("catalogFilter")
        self.filter_edit.setPlaceholderText("Filter by name, code, maker or component")
        self.filter_edit.setClearButtonEnabled(True)
        self.kind_combo = combo([("All kinds", None), ("Ingredients", "ingredient"),
                                 ("Products", "product")], "catalogKind")
        self.category_combo = combo([("All categories", None)]
                                    + [(category_label(c), c) for c in CATEGORIES], "catalogCategory")
        self.indication_combo = combo([("All indications", None)]
                                      + [(i.label, i.code) for i in indications().values()],
                                      "catalogIndication")
        self.region_combo = combo([("All regions", None)] + [(r.capitalize(), r) for r in REGIONS],
                                  "catalogRegion")
        self.retired_check = QCheckBox("Show &retired")
        self.retired_check.setObjectName("showRetired")
        self.retired_check.setVisible(allow_retired)
        self.table = record_table(self.model, "catalogTable")
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        chars = self.fontMetrics().averageCharWidth()
        bold = header.font()
        bold.setBold(True)
        heading = QFontMetrics(bold)
        for column, width in ((CatalogColumn.NAME, 24), (CatalogColumn.CATEGORY, 14),
                              (CatalogColumn.STRENGTH, 9), (CatalogColumn.EVIDENCE, 3),
                              (CatalogColumn.STATUS, 8)):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            header.resizeSection(column, max(chars * width, heading.horizontalAdvance(title) + chars * 4))
        header.setSectionResizeMode(CatalogColumn.CAUTIONS, QHeaderView.ResizeMode.Stretch)
        saved = settings.CATALOG_BROWSER_HEADER.get()
        if not saved.isEmpty():
            header.restoreState(saved)
        header.sectionResized.connect(lambda *_: settings.CATALOG_BROWSER_HEADER.set(header.saveState()))
        self.caution_line = QLabel()
        self.caution_line.setObjectName("cautionLine")
        self.caution_line.setTextFormat(Qt.TextFormat.PlainText)
        self.caution_line.setWordWrap(True)
        mark(self.caution_line, severity="info")
        self.caution_line.setContentsMargins(8, 4, 8, 4)
        self.count_label = QLabel()
        mark(self.count_label, role="hint")
        self.choose_button = QPushButton(choose_text or "&Choose")
        self.choose_button.setObjectName("chooseButton")
        self.choose_button.setVisible(bool(choose_text))
        mark(self.choose_button, primary="true")
        self.choose_button.clicked.connect(self._choose_current)

        filter_label = QLabel("&Filter")
        filter_label.setBuddy(self.filter_edit)
        first = QHBoxLayout()
        first.setSpacing(8)
        first.addWidget(filter_label)
        first.addWidget(self.filter_edit, 1)
        first.addWidget(self.kind_combo)
        second = QHBoxLayout()
        second.setSpacing(8)
        for widget in (self.category_combo, self.indication_combo, self.region_combo):
            second.addWidget(widget, 1)
        second.addWidget(self.retired_check)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.caution_line)
        layout.addLayout(bottom)

        self.filter_edit.textChanged.connect(self._refilter)
        for box in (self.kind_combo, self.category_combo, self.indication_combo, self.region_combo):
            box.currentIndexChanged.connect(self._refilter)
        self.retired_check.toggled.connect(self._refilter)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.model.modelReset.connect(self._after_reset)
        shared_catalog(ctx).changed.connect(self.reload)
        self.reload()

    # --- public API -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the catalog again (keeps the filters and, when still shown, the chosen entry)."""
        try:
            rows = shared_catalog(self.ctx).rows()
        except Exception as exc:  # noqa: BLE001 - the browser stays usable (empty) after a failure
            messages.show_error(self, "The catalog could not be read", exc)
            return
        self._show_rows(rows)

    def set_entries(self, ingredients: list[IngredientEntry], products: list[ProductEntry]) -> None:
        """Show these entries instead of the clinic's catalog."""
        self._show_rows(build_rows(ingredients, products))

    def _show_rows(self, rows: list[CatalogRow]) -> None:
        current = self.current_item()
        self.model.set_rows(rows)
        self._refilter()
        if current is not None:
            self.select(*current)

    def set_filters(self, *, text: str | None = None, category: str | None = ...,
                    indication: str | None = ..., region: str | None = ..., kind: str | None = ...) -> None:
        """Set some filters (None = all); omitted ones stay as they are."""
        if text is not None:
            self.filter_edit.setText(text)
        for box, value in ((self.category_combo, category), (self.indication_combo, indication),
                           (self.region_combo, region), (self.kind_combo, kind)):
            if value is not ...:
                box.setCurrentIndex(max(0, box.findData(value)))

    def current_item(self) -> tuple[str, str] | None:
        row = self._current_row()
        return (row.kind, row.code) if row else None

    def current_entry(self) -> IngredientEntry | ProductEntry | None:
        row = self._current_row()
        return row.entry if row else None

    def select(self, kind: str, code: str) -> bool:
        row = self.model.row_of(kind, code)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def shown_count(self) -> int:
        return self.model.rowCount()

    # --- behaviour ------------------------------------------------------------------------------

    def _refilter(self, *_args) -> None:
        current = self.current_item()
        self.model.apply_filter(self.filter_edit.text(), self.category_combo.currentData(),
                                self.indication_combo.currentData(), self.region_combo.currentData(),
                                self.kind_combo.currentData(), self.retired_check.isChecked())
        if current is None or not self.select(*current):
            if self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(0, 0))

    def _after_reset(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        self.count_label.setText(f"{shown} of {total} entries" if shown != total else f"{total} entries")
        self._current_row_changed(self.table.currentIndex(), QModelIndex())

    def _current_row(self) -> CatalogRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self.caution_line.setText(caution_sentence(row) if row else "Nothing chosen.")
        self.choose_button.setEnabled(row is not None and not row.entry.retired)
        self.current_changed.emit(row.kind if row else "", row.code if row else "")

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is not None and not row.entry.retired:
            self.item_chosen.emit(row.kind, row.code)

    def _choose_current(self) -> None:
        self._activated(self.table.currentIndex())



def caution_sentence(row: CatalogRow) -> str:
    """'Cautions for Finasteride: teratogen — can harm an unborn child …; …' in one line."""
    if not row.tags:
        return f"{row.entry.name}: no caution tags."
    parts = [f"{tag_word(t)} — {tag_meaning(t)}" if tag_meaning(t) else tag_word(t) for t in row.tags]
    return f"Cautions for {row.entry.name}: " + "; ".join(parts) + "."
