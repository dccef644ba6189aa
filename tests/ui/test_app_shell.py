"""The main window: start-up, pages in tabs, placeholders for missing screens, actions and their
shortcuts, undo routing, saving, and the layout restored after reopening."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication

from mesoplan.access import Permission
from mesoplan.services import patients as patient_service
from mesoplan.services.patients import PatientInput
from mesoplan.services.uow import read
from mesoplan.ui import messages as _messages  # noqa: F401 - imported so the fixture can patch it
from mesoplan.ui.actions import ActionId
from mesoplan.ui.context import AppContext
from mesoplan.ui.main_window import MainWindow
from mesoplan.ui.navigation import OpenCatalog, OpenPatient, OpenPlan, ShowDocument
from mesoplan.ui.pages import Page, UnavailablePage
from mesoplan.ui.patients.patient_form import NewPatientDialog
from mesoplan.ui.patients.patient_page import PatientPage

OTHER_SCREENS = ("mesoplan.ui.frontdesk.day_view", "mesoplan.ui.plan_editor.editor",
                 "mesoplan.ui.documents.preview")


@pytest.fixture
def without_other_screens(monkeypatch):
    """Make the screens other people write look missing, as in an installation without them."""
    for module in OTHER_SCREENS:
        monkeypatch.setitem(sys.modules, module, None)


@pytest.fixture
def window(qtbot, ctx, without_other_screens):
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    with qtbot.waitActive(main):
        main.show()
        main.activateWindow()
    return main


@pytest.fixture
def patient_id(ctx) -> int:
    with ctx.work() as uow:
        return patient_service.create_patient(uow, PatientInput("Østergaard", "Bjørn", dt.date(1970, 9, 30))).id


class CountingPage(Page):
    """A page with an undo stack, standing in for an editor."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.stack = QUndoStack(self)
        self.value = 0

    def page_key(self) -> tuple:
        return ("CountingPage",)

    def tab_title(self) -> str:
        return "Counter"

    def undo_stack(self) -> QUndoStack:
        return self.stack

    def add_one(self) -> None:
        page = self

        class AddOne(QUndoCommand):
            def redo(self) -> None:
                page.value += 1

            def undo(self) -> None:
                page.value -= 1

        self.stack.push(AddOne("add one"))


def test_window_starts_and_shows_placeholders_for_screens_it_does_not_have(window, ctx, messages):
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Today"]
    today = window.current_page()
    assert isinstance(today, UnavailablePage) and "no today screen" in today.message
    ctx.open(OpenPlan(5))
    assert isinstance(window.current_page(), UnavailablePage) and window.current_page().tab_title() == "Plan"
    ctx.open(ShowDocument(5, "consent"))
    assert messages.errors == [("Documents are not available", messages.errors[0][1])]
    assert window.tabs.count() == 2


def test_a_record_opens_once_and_unsaved_changes_are_asked_about(qtbot, window, ctx, patient_id, messages):
    ctx.open(OpenPatient(patient_id))
    ctx.open(OpenPatient(patient_id))
    pages = [p for p in window.pages() if isinstance(p, PatientPage)]
    assert len(pages) == 1 and window.current_page() is pages[0]
    page = pages[0]
    assert window.actions_[ActionId.NEW_PLAN].isEnabled()
    qtbot.keyClicks(page.form.phone, "+45 20 12 34 56")
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Østergaard, Bjørn •"
    assert window.actions_[ActionId.SAVE].isEnabled()
    messages.answers = [False]
    window.actions_[ActionId.CLOSE_TAB].trigger()
    assert window.current_page() is page
    window.actions_[ActionId.SAVE].trigger()
    assert window.statusBar().currentMessage() == "Saved Østergaard, Bjørn"
    with read(ctx.database, ctx.actor) as uow:
        assert patient_service.get_patient(uow, patient_id).phone == "+45 20 12 34 56"
    window.actions_[ActionId.CLOSE_TAB].trigger()
    assert page not in window.pages() and len(messages.confirmations) == 1


def test_undo_and_redo_act_on_the_current_page(window, ctx):
    page = window.show_page(CountingPage(ctx))
    undo, redo = window.actions_[ActionId.UNDO], window.actions_[ActionId.REDO]
    assert not undo.isEnabled()
    page.add_one()
    page.add_one()
    assert undo.isEnabled() and undo.text() == "&Undo add one"
    undo.trigger()
    assert page.value == 1 and redo.isEnabled()
    window.handle_navigation(OpenCatalog())
    assert not undo.isEnabled()             # the catalog has no undo history
    window.tabs.setCurrentWidget(page)
    redo.trigger()
    assert page.value == 2


def test_next_and_previous_tab_actions_cycle_through_tabs(window, ctx, patient_id):
    ctx.open(OpenPatient(patient_id))
    ctx.open(OpenCatalog())
    titles = lambda: window.tabs.tabText(window.tabs.currentIndex())  # noqa: E731
    assert titles() == "Catalog"
    window.actions_[ActionId.NEXT_TAB].trigger()
    assert titles() == "Today"
    window.actions_[ActionId.PREVIOUS_TAB].trigger()
    window.actions_[ActionId.PREVIOUS_TAB].trigger()
    assert titles() == "Østergaard, Bjørn"


def test_ctrl_f_focuses_the_search_and_ctrl_n_opens_the_new_patient_form(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.patient_panel.search_edit.hasFocus()
    qtbot.keyClick(window.patient_panel.search_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, NewPatientDialog) and w.isVisible())
    qtbot.addWidget(dialog)
    assert dialog.form.family_name.text() == ""
    dialog.reject()


def test_front_desk_window_offers_no_clinical_commands(qtbot, db, front_desk_actor, without_other_screens):
    desk = AppContext(db, front_desk_actor)
    main = MainWindow(desk)
    qtbot.addWidget(main)
    main.show()
    actions = main.actions_
    assert not actions[ActionId.CATALOG].isVisible() and not actions[ActionId.NEW_PLAN].isVisible()
    assert actions[ActionId.NEW_PATIENT].isVisible() and actions[ActionId.FIND].isVisible()
    assert main.patient_dock.isVisible()
    assert not desk.can(Permission.VIEW_CLINICAL)


def test_window_geometry_dock_and_splitters_are_restored_after_reopening(qtbot, ctx, patient_id,
                                                                        without_other_screens):
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.show()
    first.resize(790, 620)  # the offscreen screen is 800 x 800
    first.resizeDocks([first.patient_dock], [300], Qt.Orientation.Horizontal)
    ctx.open(OpenPatient(patient_id))
    page = first.current_page()
    qtbot.waitUntil(lambda: page.splitter.width() > 400)
    page.splitter.setSizes([200, page.splitter.width() - 200])
    sizes = page.splitter.sizes()
    dock_width = first.patient_dock.width()
    first.close()
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (790, 620)
    assert second.patient_dock.width() == dock_width
    second.handle_navigation(OpenPatient(patient_id))
    reopened = second.current_page()
    qtbot.waitUntil(lambda: reopened.splitter.sizes() == sizes)


def test_mesoplan_starts_unattended_on_a_fresh_database(qtbot, tmp_path, monkeypatch,
                                                        without_other_screens):
    from mesoplan.ui import app as app_module

    monkeypatch.setenv("MESOPLAN_LOCAL_ADMIN", "1")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    seen = []

    def look_and_close(_app) -> int:
        """Instead of running the event loop: note the window that is up, then close it."""
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend((w.ctx.actor.name, w.windowTitle()) for w in windows)
        for window in windows:
            window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", look_and_close)
    assert app_module.run_app(f"sqlite:///{tmp_path / 'fresh.sqlite3'}") == 0
    assert len(seen) == 1 and seen[0][0].startswith("command line")


def test_a_broken_sign_in_module_is_an_error_not_a_silent_fallback(monkeypatch):
    from mesoplan.ui import app as app_module

    monkeypatch.setitem(sys.modules, "mesoplan.ui.sign_in", types.ModuleType("mesoplan.ui.sign_in"))
    with pytest.raises(ImportError):
        app_module._obtain_actor(None)
