"""The Cocktail tab: the cocktail table and its totals side by side, the catalog browser below.

Adding comes from any widget with an ``item_chosen(kind, code)`` signal (the catalog browser);
removing (Delete), moving (Alt+Up/Alt+Down) and in-place edits are undoable plan edits.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mesoplan.errors import MesoPlanError
from mesoplan.evaluation import CatalogItemInfo
from mesoplan.plan import ComponentDraft
from mesoplan.ui import messages, settings
from mesoplan.ui.plan_editor.cocktail_model import READERS, CocktailColumn, CocktailTableModel
from mesoplan.ui.plan_editor.delegates import LiveEditDelegate
from mesoplan.ui.plan_editor.document import PlanDocument
from mesoplan.ui.widgets.columns import size_columns
from mesoplan.units import KNOWN_UNITS
from mesoplan.ui.style import mark

NEW_COMPONENT_VOLUME_ML = 1.0
"""Where a new component's volume starts; the practitioner sets the real one in the table."""


def _label(text: str, role: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if role:
        mark(label, role=role)
    return label


class CocktailPanel(QWidget):
    component_added = Signal(int)
    """Row of a component just added."""

    def __init__(self, document: PlanDocument, fetch_info: Callable[[str, str], CatalogItemInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.fetch_info = fetch_info
        self._browser: QWidget | None = None
        self._browser_factory: Callable[[], QWidget | None] | None = None
        self.model = CocktailTableModel(document, self)
        self._build()
        document.changed.connect(self._update_buttons)
        self._update_buttons()

    # --- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.browser_box = QWidget()
        self.browser_box.setObjectName("catalogBrowserBox")
        browser_layout = QVBoxLayout(self.browser_box)
        browser_layout.setContentsMargins(0, 0, 0, 0)
        browser_layout.setSpacing(8)
        browser_layout.addWidget(_label("Add from the catalog", "subtitle"))
        self.browser_placeholder = _label(
            "The catalog browser is not available in this version; components cannot be added "
            "here yet.", "hint")
        browser_layout.addWidget(self.browser_placeholder)

        self.table = QTableView()
        self.table.setObjectName("cocktailTable")
        self.table.setModel(self.model)
        self.delegate = LiveEditDelegate(READERS, {CocktailColumn.UNIT: ("", *KNOWN_UNITS)}, self.table)
        self.table.setItemDelegate(self.delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._edit_triggers = (QAbstractItemView.EditTrigger.DoubleClicked
                               | QAbstractItemView.EditTrigger.EditKeyPressed
                               | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setEditTriggers(self._edit_triggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        size_columns(self.table, {CocktailColumn.STRENGTH: "not recorded", CocktailColumn.UNIT: "µg/mL",
                                  CocktailColumn.VOLUME: "88.88"}, stretch=CocktailColumn.NAME)
        self.table.setAccessibleName("Cocktail components")
        self.table.setToolTip("Type a strength, unit or volume into its cell; Delete removes the "
                              "selected component, Alt+Up and Alt+Down move it.")
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.delegate.rejected.connect(self._show_rejected)

        self.remove_action = self._table_action("Remove component", QKeySequence.StandardKey.Delete,
                                                self.remove_selected)
        self.up_action = self._table_action("Move up", "Alt+Up", lambda: self.move_selected(-1))
        self.down_action = self._table_action("Move down", "Alt+Down", lambda: self.move_selected(1))
        self.up_button = QPushButton("Up")
        self.up_button.setToolTip("Move the selected component up (Alt+Up)")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton("Down")
        self.down_button.setToolTip("Move the selected component down (Alt+Down)")
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected component (Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.message_label = _label("", "hint")
        self.message_label.setObjectName("cocktailMessage")
        self.message_label.hide()

        from mesoplan.ui.plan_editor.totals_panel import TotalsPanel

        self.totals = TotalsPanel(self.document)
        heading = QHBoxLayout()
        heading.setSpacing(8)
        heading.addWidget(_label("Cocktail", "subtitle"), 1)
        for button in (self.up_button, self.down_button, self.remove_button):
            heading.addWidget(button)
        cocktail_box = QWidget()
        cocktail_layout = QVBoxLayout(cocktail_box)
        cocktail_layout.setContentsMargins(0, 0, 0, 0)
        cocktail_layout.setSpacing(8)
        cocktail_layout.addLayout(heading)
        cocktail_layout.addWidget(self.table, 1)
        cocktail_layout.addWidget(self.message_label)

        self.top_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.top_splitter.setObjectName("cocktailTotalsSplitter")
        self.top_splitter.setChildrenCollapsible(False)
        self.top_splitter.addWidget(cocktail_box)
        self.top_splitter.addWidget(self.totals)
        self.top_splitter.setStretchFactor(0, 1)
        self.top_splitter.setStretchFactor(1, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("cocktailSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.top_splitter)
        self.splitter.addWidget(self.browser_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.splitter)
        _restore(self.splitter, settings.PLAN_EDITOR_LEFT_SPLITTER)
        _restore(self.top_splitter, settings.PLAN_EDITOR_TOTALS_SPLITTER)
        self.splitter.splitterMoved.connect(
            lambda *_: settings.PLAN_EDITOR_LEFT_SPLITTER.set(self.splitter.saveState()))
        self.top_splitter.splitterMoved.connect(
            lambda *_: settings.PLAN_EDITOR_TOTALS_SPLITTER.set(self.top_splitter.saveState()))

    def _table_action(self, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self.table)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.table.addAction(action)
        return action

    def attach_browser(self, browser: QWidget) -> None:
        """Show ``browser`` beside the cocktail; its ``item_chosen(kind, code)`` adds a component."""
        self.browser_placeholder.hide()
        self.browser_box.layout().addWidget(browser)
        browser.item_chosen.connect(self.add_component)
        self._browser = browser

    def set_browser_factory(self, factory: Callable[[], QWidget | None]) -> None:
        """Make the catalog browser only when the cocktail is first shown (opening a plan stays fast)."""
        self._browser_factory = factory

    @property
    def browser(self) -> QWidget | None:
        if self._browser is None and self._browser_factory is not None:
            factory, self._browser_factory = self._browser_factory, None
            made = factory()
            if made is not None:
                self.attach_browser(made)
        return self._browser

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        _ = self.browser

    def set_editable(self, editable: bool) -> None:
        self.browser_box.setEnabled(editable)
        self.table.setEditTriggers(self._edit_triggers if editable
                                   else QAbstractItemView.EditTrigger.NoEditTriggers)
        for widget in (self.up_button, self.down_button, self.remove_button):
            widget.setVisible(editable)
        for action in (self.remove_action, self.up_action, self.down_action):
            action.setEnabled(editable)

    # --- editing --------------------------------------------------------------------------------

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select_row(self, row: int) -> None:
        index = self.model.index(row, CocktailColumn.NAME)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def add_component(self, kind: str, code: str) -> None:
        """Add a catalog ingredient or product at the end of the cocktail (one undoable step)."""
        try:
            info = self.document.item_info(kind, code) or self.fetch_info(kind, code)
        except MesoPlanError as exc:
            messages.show_error(self, "The component was not added", exc)
            return
        self.document.extend_context(info)
        strength = ((info.strength_value, info.strength_unit) if kind == "ingredient"
                    else (None, None))
        component = ComponentDraft(kind=kind, code=code, name=info.name,
                                   volume_ml=NEW_COMPONENT_VOLUME_ML, strength_value=strength[0],
                                   strength_unit=strength[1])
        draft = self.document.draft
        self.document.edit(f"Add {info.name}",
                           draft.with_changes(components=(*draft.components, component)))
        row = len(self.document.draft.components) - 1
        self.select_row(row)
        self._say(f"{info.name} added with {NEW_COMPONENT_VOLUME_ML:g} mL; set its volume in the "
                  "table.")
        self.component_added.emit(row)

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        draft = self.document.draft
        removed = draft.components[row]
        components = draft.components[:row] + draft.components[row + 1:]
        self.document.edit(f"Remove {removed.name or removed.code}",
                           draft.with_changes(components=components))
        if components:
            self.select_row(min(row, len(components) - 1))
        self._say(f"{removed.name or removed.code} removed (Undo brings it back).")

    def move_selected(self, step: int) -> None:
        row = self.selected_row()
        if row is None:
            return
        target = row + step
        components = list(self.document.draft.components)
        if not 0 <= target < len(components):
            return
        components[row], components[target] = components[target], components[row]
        moved = components[target]
        self.document.edit(f"Move {moved.name or moved.code} {'up' if step < 0 else 'down'}",
                           self.document.draft.with_changes(components=tuple(components)))
        self.select_row(target)

    def _show_rejected(self, message: str) -> None:
        self._say(message)

    def _say(self, message: str) -> None:
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))

    def _update_buttons(self) -> None:
        row = self.selected_row()
        count = len(self.document.draft.components)
        self.remove_button.setEnabled(row is not None)
        self.up_button.setEnabled(row is not None and row > 0)
        self.down_button.setEnabled(row is not None and row < count - 1)


def _restore(splitter: QSplitter, key) -> None:
    state = key.get()
    if state.isEmpty() or not splitter.restoreState(state):
        splitter.setSizes([1000, 1000])
