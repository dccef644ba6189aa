"""The main window: composes the patient dock, the page tabs, menus, toolbar and status bar.

It holds no clinical logic: pages do their own work; the window opens pages on request
(``ctx.navigate``), routes Save/Undo/Close to the current page and restores its own layout.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QUndoGroup
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QToolBar,
)

from mesoplan import __version__
from mesoplan.ui import messages, settings
from mesoplan.ui.actions import MENUS, TOOLBAR, ActionId, ActionRegistry
from mesoplan.ui.context import AppContext
from mesoplan.ui.navigation import NewPlan, OpenCatalog, OpenFrontDesk, ShowDocument
from mesoplan.ui.pages import Page
from mesoplan.ui.widgets.empty_state import empty_state
from mesoplan.ui.style import mark


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("MainWindow")
        self.setWindowTitle("MesoPlan")
        self.setMinimumSize(720, 480)  # small laptop screens at 200 % scaling
        self.actions_ = ActionRegistry(self)
        self.undo_group = QUndoGroup(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("pageTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._current_page_changed)
        self.empty_state = empty_state(ctx)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.empty_state)
        self.central.addWidget(self.tabs)
        self.setCentralWidget(self.central)
        self._build_patient_dock()
        self._build_menus_and_toolbar()
        self._build_status_bar()
        self._connect_actions()
        ctx.navigate.connect(self.handle_navigation)
        ctx.actor_changed.connect(lambda _actor: self._actor_changed())
        self._apply_permissions()
        self._restore_layout()
        if ctx.can_open_front_desk():
            self.handle_navigation(OpenFrontDesk())
        self._current_page_changed()

    # --- building -------------------------------------------------------------------------------

    def _build_patient_dock(self) -> None:
        from mesoplan.ui.patients.list_panel import PatientListPanel

        self.patient_panel = PatientListPanel(self.ctx)
        self.patient_dock = QDockWidget("Patients", self)
        self.patient_dock.setObjectName("patientDock")
        self.patient_dock.setWidget(self.patient_panel)
        self.patient_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                      | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                                      | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.patient_dock)

    def _build_menus_and_toolbar(self) -> None:
        for title, ids in MENUS:
            menu = self.menuBar().addMenu(title)
            for action_id in ids:
                if action_id is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.actions_[action_id])
            if title == "&View":
                toggle = self.patient_dock.toggleViewAction()
                toggle.setText("&Patient list")
                toggle.setShortcut("F9")
                menu.addSeparator()
                menu.addAction(toggle)
        toolbar = QToolBar("Main toolbar", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action_id in TOOLBAR:
            if action_id is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(self.actions_[action_id])
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    def _build_status_bar(self) -> None:
        self.user_label = QLabel()
        self.database_label = QLabel(self.ctx.database.describe())
        mark(self.database_label, role="hint")
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.database_label)

    def _connect_actions(self) -> None:
        a = self.actions_
        a[ActionId.SAVE].triggered.connect(self.save_current)
        a[ActionId.CLOSE_TAB].triggered.connect(lambda: self.close_tab(self.tabs.currentIndex()))
        a[ActionId.QUIT].triggered.connect(self.close)
        a[ActionId.UNDO].triggered.connect(self.undo_group.undo)
        a[ActionId.REDO].triggered.connect(self.undo_group.redo)
        self.undo_group.canUndoChanged.connect(a[ActionId.UNDO].setEnabled)
        self.undo_group.canRedoChanged.connect(a[ActionId.REDO].setEnabled)
        self.undo_group.undoTextChanged.connect(
            lambda text: a[ActionId.UNDO].setText(f"&Undo {text}" if text else "&Undo"))
        self.undo_group.redoTextChanged.connect(
            lambda text: a[ActionId.REDO].setText(f"&Redo {text}" if text else "&Redo"))
        a[ActionId.UNDO].setEnabled(False)
        a[ActionId.REDO].setEnabled(False)
        a[ActionId.FIND].triggered.connect(self.focus_search)
        a[ActionId.TODAY].triggered.connect(lambda: self.handle_navigation(OpenFrontDesk()))
        a[ActionId.CATALOG].triggered.connect(lambda: self.handle_navigation(OpenCatalog()))
        a[ActionId.NEW_PATIENT].triggered.connect(self.patient_panel.new_patient)
        a[ActionId.NEW_PLAN].triggered.connect(self._new_plan_for_current_patient)
        a[ActionId.PRINT_CONSENT].triggered.connect(lambda: self._show_document("consent"))
        a[ActionId.PRINT_AFTERCARE].triggered.connect(lambda: self._show_document("aftercare"))
        a[ActionId.ABOUT].triggered.connect(self._about)
        a[ActionId.NEXT_TAB].triggered.connect(lambda: self._step_tab(1))
        a[ActionId.PREVIOUS_TAB].triggered.connect(lambda: self._step_tab(-1))
        from mesoplan.ui import window_extras

        window_extras.connect(self)

    # --- pages ----------------------------------------------------------------------------------

    def pages(self) -> list[Page]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def current_page(self) -> Page | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, Page) else None

    def show_page(self, page: Page) -> Page:
        """Show ``page`` in a tab, or switch to the tab already showing the same record."""
        for existing in self.pages():
            if existing.page_key() == page.page_key():
                existing.take_request_from(page)
                page.deleteLater()
                self.tabs.setCurrentWidget(existing)
                return existing
        index = self.tabs.addTab(page, _tab_text(page.tab_title()))
        page.title_changed.connect(lambda _title: self._page_state_changed())
        page.modified_changed.connect(lambda _m: self._page_state_changed())
        page.record_changed.connect(self._update_record_actions)
        stack = page.undo_stack()
        if stack is not None:
            self.undo_group.addStack(stack)
        self.tabs.setCurrentIndex(index)
        return page

    def close_tab(self, index: int) -> bool:
        page = self.tabs.widget(index)
        if page is None:
            return True
        if isinstance(page, Page) and not page.maybe_close():
            return False
        if isinstance(page, Page):
            page.save_view_state()
        if isinstance(page, Page) and page.undo_stack() is not None:
            self.undo_group.removeStack(page.undo_stack())
        self.tabs.removeTab(index)
        page.deleteLater()
        self._current_page_changed()
        return True

    def handle_navigation(self, request) -> None:
        from mesoplan.ui import page_factory

        try:
            page = page_factory.create(self.ctx, request, self)
        except Exception as exc:  # noqa: BLE001 - a page that cannot open must not end the app
            messages.show_error(self, "This could not be opened", exc)
            return
        if page is not None:
            self.show_page(page)

    def _step_tab(self, step: int) -> None:
        if self.tabs.count() > 1:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _current_page_changed(self, *_args) -> None:
        self.central.setCurrentWidget(self.tabs if self.tabs.count() else self.empty_state)
        page = self.current_page()
        stack = page.undo_stack() if page else None
        self.undo_group.setActiveStack(stack)
        self._update_save_action()
        self._update_record_actions()

    def _update_save_action(self) -> None:
        page = self.current_page()
        self.actions_[ActionId.SAVE].setEnabled(bool(page and page.can_save()))
        for p in self.pages():
            index = self.tabs.indexOf(p)
            title = p.tab_title()
            self.tabs.setTabText(index, _tab_text(f"{title} •" if p.is_modified() else title))
            self.tabs.setTabToolTip(index, f"{title} (not saved)" if p.is_modified() else title)
        self.setWindowModified(bool(page and page.is_modified()))
        self.setWindowTitle(f"{page.tab_title()}[*] — MesoPlan" if page else "MesoPlan")

    def _page_state_changed(self) -> None:
        """A page renamed itself or was saved: e.g. a new plan's first save enables printing."""
        self._update_save_action()
        self._update_record_actions()

    def _update_record_actions(self) -> None:
        page = self.current_page()
        has_plan = bool(page and page.current_plan_id())
        has_patient = bool(page and page.current_patient_id())
        self.actions_[ActionId.PRINT_CONSENT].setEnabled(has_plan)
        self.actions_[ActionId.PRINT_AFTERCARE].setEnabled(has_plan)
        self.actions_[ActionId.NEW_PLAN].setEnabled(has_patient)
        self.actions_[ActionId.EXPORT_PATIENT].setEnabled(has_patient)

    def save_current(self) -> None:
        page = self.current_page()
        if page and page.can_save():
            if page.save():
                self.statusBar().showMessage(f"Saved {page.tab_title()}", 4000)
            self._update_save_action()

    def focus_search(self) -> None:
        if not self.ctx.can_see_patients():
            return
        self.patient_dock.show()
        self.patient_dock.raise_()
        self.patient_panel.focus_search()

    def _new_plan_for_current_patient(self) -> None:
        page = self.current_page()
        patient_id = page.current_patient_id() if page else None
        if patient_id:
            self.handle_navigation(NewPlan(patient_id))

    def _show_document(self, kind: str) -> None:
        page = self.current_page()
        plan_id = page.current_plan_id() if page else None
        if plan_id:
            self.handle_navigation(ShowDocument(plan_id, kind))

    def _actor_changed(self) -> None:
        """Another user signed in: their permissions, and an empty page that speaks to them."""
        old, self.empty_state = self.empty_state, empty_state(self.ctx)
        self.central.insertWidget(0, self.empty_state)
        self.central.removeWidget(old)
        old.deleteLater()
        self._apply_permissions()
        self._current_page_changed()

    def _apply_permissions(self) -> None:
        self.actions_.apply_permissions(self.ctx.can)
        self.user_label.setText(f"Signed in: {self.ctx.actor.name}")
        self.patient_dock.setVisible(self.ctx.can_see_patients())

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self, "About MesoPlan",
            f"<b>MesoPlan {__version__}</b><br>Treatment planning for mesotherapy clinics.<br><br>"
            "The catalog, protocols and safety rules are editable starting points from published "
            "sources, not medical advice.<br>Font: DejaVu Sans (Bitstream Vera licence).")

    # --- layout ---------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = settings.MAIN_WINDOW_GEOMETRY.get()
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = settings.MAIN_WINDOW_STATE.get()
        self._size_docks_when_shown = state.isEmpty() or not self.restoreState(state)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._size_docks_when_shown:
            # First start: room for a name, a birth date and a phone number in the patient list.
            self._size_docks_when_shown = False
            self.resizeDocks([self.patient_dock], [self.patient_panel.sizeHint().width()],
                             Qt.Orientation.Horizontal)

    def save_layout(self) -> None:
        settings.MAIN_WINDOW_GEOMETRY.set(self.saveGeometry())
        settings.MAIN_WINDOW_STATE.set(self.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self.pages():
            if isinstance(page, Page) and not page.maybe_close():
                self.tabs.setCurrentWidget(page)
                event.ignore()
                return
        for page in self.pages():
            if isinstance(page, Page):
                page.save_view_state()
        self.save_layout()
        event.accept()


def _tab_text(title: str) -> str:
    """Tab titles show patient names as typed: '&' is not a shortcut marker here."""
    return title.replace("&", "&&")
