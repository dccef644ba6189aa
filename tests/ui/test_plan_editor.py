"""The plan editor through whole workflows: start a plan, compose the cocktail in the table, plan
the sessions, save, reopen; blocking findings, undo/redo, unsaved changes and conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea

from mesoplan.errors import PlanNotReady
from mesoplan.services import patients, plans, screenings
from mesoplan.ui.plan_editor import prompts
from mesoplan.ui.plan_editor.cocktail_model import CocktailColumn
from mesoplan.ui.plan_editor.editor import PlanEditorPage
from mesoplan.ui.plan_editor.new_plan_dialog import NewPlanDialog

TODAY = dt.date.today()


# --- helpers ------------------------------------------------------------------------------------


def make_patient(ctx, family="Ağaoğlu <b>", answers=None, sex="female") -> int:
    with ctx.work() as uow:
        patient = patients.create_patient(uow, patients.PatientInput(family, "Zeynep & Co",
                                                                     dt.date(1985, 3, 4), sex))
        if answers is not None:
            screenings.add_screening(uow, patient.id, TODAY, answers)
    return patient.id


def when_dialog_opens(handler) -> list:
    """Run ``handler(dialog)`` on the next modal dialog (it is called inside the dialog's loop)."""
    handled: list = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        handled.append(type(dialog).__name__)
        handler(dialog)

    QTimer.singleShot(0, poll)
    return handled


def start_plan(qtbot, ctx, patient_id, indication="androgenetic_alopecia",
               areas=("scalp_vertex",), goals="Less shedding", template_id=None) -> PlanEditorPage:
    def fill(dialog: NewPlanDialog) -> None:
        combo = dialog.indication_combo
        combo.setCurrentIndex(combo.findData(indication))
        for area in areas:
            dialog.areas_picker.set_zone_checked(area, True)
        qtbot.keyClicks(dialog.goals_edit, goals)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    handled = when_dialog_opens(fill)
    page = PlanEditorPage.start_new(ctx, patient_id, None, template_id)
    assert handled == ["NewPlanDialog"]
    assert page is not None
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def add_from_catalog(qtbot, page, kind, code) -> None:
    page.tabs.setCurrentWidget(page.cocktail_panel)
    browser = page.cocktail_panel.browser
    assert browser is not None, "the catalog browser is embedded"
    browser.set_filters(text="")
    assert browser.select(kind, code)
    qtbot.mouseClick(browser.choose_button, Qt.MouseButton.LeftButton)


def scroll_to(widget) -> None:
    """Scroll every enclosing scroll area so that ``widget`` is on screen, as a person would
    (after the layouts have caught up with what the test just changed, as they do on screen)."""
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()


def click(qtbot, button) -> None:
    scroll_to(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_cell(qtbot, view, row, column):
    scroll_to(view)
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    assert editor is not None, "an editor opened in the cell"
    return editor.lineEdit() if isinstance(editor, QComboBox) else editor


def type_into_cell(qtbot, view, row, column, text):
    line = open_cell(qtbot, view, row, column)
    line.selectAll()
    qtbot.keyClicks(line, text)
    return line


def press_enter(qtbot, view, line) -> None:
    """Finish the cell edit with Enter (Qt commits and closes the editor on the next loop turn)."""
    index = view.currentIndex()
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None)


def focus(qtbot, widget) -> None:
    """Give ``widget`` the keyboard focus in an active window (shortcuts need both)."""
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow)
    widget.setFocus()
    assert widget.hasFocus()


def totals_text(page) -> str:
    return page.cocktail_panel.totals.volume_label.text()


def active_concentration(page, name) -> str:
    model = page.cocktail_panel.totals.actives_model
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == name:
            return model.index(row, 1).data()
    raise AssertionError(f"{name} is not in the totals")


# --- the whole workflow -------------------------------------------------------------------------


def test_compose_plan_save_and_reopen_the_same_draft(qtbot, ctx, messages):
    patient_id = make_patient(ctx, answers={"weight_kg": 70, "pregnant": False})
    page = start_plan(qtbot, ctx, patient_id, areas=("scalp_vertex", "scalp_frontal"))
    assert page.document.draft.areas == ("scalp_frontal", "scalp_vertex")
    assert page.document.draft.goals == "Less shedding"
    page.tabs.setCurrentWidget(page.cocktail_panel)

    add_from_catalog(qtbot, page, "ingredient", "dexpanthenol")
    add_from_catalog(qtbot, page, "ingredient", "lidocaine_1pct")
    assert [c.code for c in page.document.draft.components] == ["dexpanthenol", "lidocaine_1pct"]
    assert totals_text(page).startswith("Total volume: 2 mL")

    table = page.cocktail_panel.table
    line = type_into_cell(qtbot, table, 0, CocktailColumn.VOLUME, "2.5")
    # The totals follow the typing, before the cell is left.
    assert totals_text(page).startswith("Total volume: 3.5 mL")
    assert active_concentration(page, "Dexpanthenol") == "179 mg/mL (17.9 %)"
    press_enter(qtbot, table, line)

    line = type_into_cell(qtbot, table, 1, CocktailColumn.STRENGTH, "2")
    assert active_concentration(page, "Lidocaine 1 %") == "5.71 mg/mL (0.571 %)"
    press_enter(qtbot, table, line)
    dose = page.cocktail_panel.totals.anaesthetic_label.text()
    assert "20 mg per session" in dose and "0.286 mg/kg" in dose

    # Invalid input is marked at the cell and never reaches the plan.
    line = type_into_cell(qtbot, table, 0, CocktailColumn.VOLUME, "0")
    assert line.property("invalid") == "true"
    assert "more than 0 mL" in line.toolTip()
    press_enter(qtbot, table, line)
    assert page.document.draft.components[0].volume_ml == 2.5
    assert "Not accepted" in page.cocktail_panel.message_label.text()
    line = type_into_cell(qtbot, table, 1, CocktailColumn.UNIT, "mg/dl")
    assert line.property("invalid") == "true"
    press_enter(qtbot, table, line)
    assert page.document.draft.components[1].strength_unit == "%"
    line = type_into_cell(qtbot, table, 1, CocktailColumn.UNIT, "mg/ml")
    assert line.property("invalid") == "false"
    press_enter(qtbot, table, line)
    assert page.document.draft.components[1].strength_unit == "mg/mL"
    assert active_concentration(page, "Lidocaine 1 %") == "0.571 mg/mL (0.0571 %)"

    # Sessions from a protocol, then one session edited.
    sessions = page.sessions_panel
    page.tabs.setCurrentWidget(sessions)
    sessions.protocol_combo.setCurrentIndex(sessions.protocol_combo.findData("scalp_vitamin_cocktail"))
    start = TODAY + dt.timedelta(days=7)
    sessions.start_edit.setDate(QDate(start.year, start.month, start.day))
    qtbot.mouseClick(sessions.generate_button, Qt.MouseButton.LeftButton)
    generated = page.document.draft.sessions
    assert len(generated) == 12 and generated[0].planned_date == start
    assert page.document.draft.protocol_code == "scalp_vitamin_cocktail"

    sessions.select(1)
    editor = sessions.editor
    assert editor.heading.text() == "Session 2 · Induction"
    moved = generated[1].planned_date + dt.timedelta(days=3)
    editor.date_edit.setDate(QDate(moved.year, moved.month, moved.day))
    qtbot.keyClick(editor.date_edit, Qt.Key.Key_Return)
    after_move = page.document.draft.sessions
    assert after_move[0].planned_date == generated[0].planned_date
    assert [s.planned_date - g.planned_date for s, g in zip(after_move[1:], generated[1:])] == [
        dt.timedelta(days=3)] * 11
    editor.technique_combo.setCurrentIndex(editor.technique_combo.findData("papule"))
    qtbot.keyClicks(editor.depth_edit, "1.5")
    assert "Usual for Papules" in editor.depth_hint.text()
    zones = editor.zones
    zones.zone_combo.setCurrentIndex(zones.zone_combo.findData("scalp_vertex"))
    click(qtbot, zones.add_button)
    line = type_into_cell(qtbot, zones.table, 0, 1, "1.2")
    press_enter(qtbot, zones.table, line)
    session = page.document.draft.sessions[1]
    assert (session.technique, session.depth_mm) == ("papule", 1.5)
    assert [(z.zone, z.volume_ml) for z in session.zones] == [("scalp_vertex", 1.2)]
    assert sessions.model.index(1, 6).data() == "Scalp – crown (vertex) (1.2 mL)"

    assert page.is_modified() and page.can_save()
    assert page.save() is True
    assert messages.errors == []
    plan_id = page.current_plan_id()
    assert plan_id is not None and not page.is_modified()
    assert page.page_key() == ("PlanEditorPage", plan_id)
    assert page.maybe_close() is True
    saved = page.document.draft
    page.close()

    again = PlanEditorPage.open_existing(ctx, plan_id, None)
    qtbot.addWidget(again)
    assert again.document.draft == saved
    draft = again.document.draft
    assert [(c.code, c.volume_ml, c.strength_value, c.strength_unit) for c in draft.components] == [
        ("dexpanthenol", 2.5, 250.0, "mg/mL"), ("lidocaine_1pct", 1.0, 2.0, "mg/mL")]
    assert draft.sessions[1].zones[0].volume_ml == 1.2
    assert again.header_form.goals_edit.toPlainText() == "Less shedding"
    assert again.sessions_panel.model.rowCount() == 12
    assert again.cocktail_panel.model.index(0, CocktailColumn.VOLUME).data() == "2.5"
    assert not again.is_modified()


def test_pregnant_patient_with_a_hormone_is_blocked(qtbot, ctx, messages):
    patient_id = make_patient(ctx, answers={"pregnant": True, "weight_kg": 60})
    page = start_plan(qtbot, ctx, patient_id)
    add_from_catalog(qtbot, page, "ingredient", "progesterone")

    card = page.findings_panel.card_for("R01")
    assert card is not None and card.property("severity") == "block"
    assert "pregnan" in card.trigger_label.text().lower()
    assert card.explanation_label.text()
    assert page.findings_panel.ready_frame.property("severity") == "block"
    assert not page.ready_button.isEnabled()
    assert "[R01]" in page.ready_button.toolTip()
    status_items = page.status_combo.model()
    ready_row = page.status_combo.findData("ready")
    assert not status_items.item(ready_row).isEnabled()

    assert page.save()
    plan_id = page.current_plan_id()
    with pytest.raises(PlanNotReady) as refused, ctx.work() as uow:
        plans.set_status(uow, plan_id, "ready", page.document.draft.version)
    assert any("R01" in reason for reason in refused.value.reasons)
    # Pressing the (disabled) button's action anyway is refused by the service and undone.
    assert page.mark_ready() is False
    assert page.document.draft.status == "draft"
    assert "cannot be marked ready" in messages.errors[-1][1]
    with ctx.read() as uow:
        assert plans.load_plan(uow, plan_id).status == "draft"


def test_mark_ready_once_consent_is_recorded(qtbot, ctx, db, messages):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id)
    add_from_catalog(qtbot, page, "ingredient", "dexpanthenol")
    assert page.save()
    assert page.findings_panel.card_for("R33") is not None
    assert not page.ready_button.isEnabled()
    # The documents screen issues a consent form covering the cocktail, and says so.
    from mesoplan.services.documents import issue_document

    with ctx.work() as uow:
        issue_document(uow, page.current_plan_id(), "consent", today=TODAY)
    ctx.notify({"document"})
    assert "has not been recorded as signed" in page.header_form.consent_hint.text()
    qtbot.mouseClick(page.header_form.consent_edit.check, Qt.MouseButton.LeftButton)
    assert page.document.draft.consent_signed_on == TODAY
    assert page.findings_panel.card_for("R33") is None
    assert page.ready_button.isEnabled()
    qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    assert messages.errors == []
    assert page.document.draft.status == "ready" and not page.is_modified()
    with ctx.read() as uow:
        assert plans.load_plan(uow, page.current_plan_id()).status == "ready"


# --- undo and redo ------------------------------------------------------------------------------


def test_undo_restores_a_removed_component_and_typing_is_one_step(qtbot, ctx):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id)
    for code in ("dexpanthenol", "biotin", "lidocaine_1pct"):
        add_from_catalog(qtbot, page, "ingredient", code)
    stack = page.undo_stack()
    table = page.cocktail_panel.table

    page.cocktail_panel.select_row(1)
    focus(qtbot, table)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert [c.code for c in page.document.draft.components] == ["dexpanthenol", "lidocaine_1pct"]
    assert stack.undoText() == "Remove Biotin"
    stack.undo()
    assert [c.code for c in page.document.draft.components] == ["dexpanthenol", "biotin",
                                                              "lidocaine_1pct"]
    assert page.cocktail_panel.model.rowCount() == 3
    stack.redo()
    assert [c.code for c in page.document.draft.components] == ["dexpanthenol", "lidocaine_1pct"]

    count = stack.count()
    line = type_into_cell(qtbot, table, 0, CocktailColumn.VOLUME, "12.75")
    press_enter(qtbot, table, line)
    assert page.document.draft.components[0].volume_ml == 12.75
    assert stack.count() == count + 1
    stack.undo()
    assert page.document.draft.components[0].volume_ml == 1.0
    assert totals_text(page).startswith("Total volume: 2 mL")

    # Moving a row is an edit too.
    page.cocktail_panel.select_row(0)
    focus(qtbot, table)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [c.code for c in page.document.draft.components] == ["lidocaine_1pct", "dexpanthenol"]
    stack.undo()
    assert [c.code for c in page.document.draft.components] == ["dexpanthenol", "lidocaine_1pct"]

    # Header fields: typing merges; undo past a save keeps the plan's identity.
    qtbot.keyClicks(page.header_form.title_edit, "Crown")
    assert page.document.draft.title == "Crown"
    assert page.save()
    plan_id, version = page.current_plan_id(), page.document.draft.version
    stack.undo()
    assert page.document.draft.title == ""
    assert page.document.draft.id == plan_id and page.document.draft.version == version
    assert page.is_modified()
    assert page.save()
    with ctx.read() as uow:
        assert len(plans.list_plans(uow, patient_id)) == 1


# --- unsaved changes and conflicts --------------------------------------------------------------


def test_closing_with_unsaved_changes_asks(qtbot, ctx, monkeypatch):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id)
    answers = [prompts.CANCEL, prompts.DISCARD, prompts.SAVE]
    asked = []

    def ask(parent, what):
        asked.append(what)
        return answers.pop(0)

    monkeypatch.setattr(prompts, "ask_unsaved", ask)
    assert page.is_modified()  # a new plan is unsaved until saved
    assert page.maybe_close() is False
    assert page.maybe_close() is True
    assert page.current_plan_id() is None
    assert page.maybe_close() is True
    assert page.current_plan_id() is not None
    assert len(asked) == 3 and "Ağaoğlu <b>" in asked[0]
    assert page.maybe_close() is True  # nothing left to ask about
    assert len(asked) == 3


def test_someone_elses_save_is_reported_and_nothing_is_lost_until_reload(qtbot, ctx, messages):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id)
    add_from_catalog(qtbot, page, "ingredient", "dexpanthenol")
    assert page.save()
    other = PlanEditorPage.open_existing(ctx, page.current_plan_id(), None)
    qtbot.addWidget(other)
    qtbot.keyClicks(other.header_form.title_edit, "Their title")
    assert other.save()

    qtbot.keyClicks(page.header_form.title_edit, "My title")
    messages.answers = [False]  # keep my changes
    assert page.save() is False
    assert "changed by Dr Test" in messages.confirmations[-1]
    assert page.document.draft.title == "My title" and page.is_modified()
    messages.answers = [True]  # reload
    assert page.save() is False
    assert page.document.draft.title == "Their title" and not page.is_modified()
    assert page.header_form.title_edit.text() == "Their title"


def test_splitter_positions_come_back(qtbot, ctx):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id)
    total = sum(page.splitter.sizes())
    page.splitter.setSizes([total - 400, 400])
    page.splitter.splitterMoved.emit(total - 400, 1)
    page.tabs.setCurrentWidget(page.sessions_panel)
    second = start_plan(qtbot, ctx, patient_id)
    assert second.splitter.sizes()[1] == page.splitter.sizes()[1]
    assert second.tabs.currentWidget() is second.sessions_panel


def test_plan_form_edits_are_undoable_and_tab_order_follows_the_form(qtbot, ctx):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id)
    form = page.header_form
    form.indication_combo.setCurrentIndex(form.indication_combo.findData("other"))
    assert form.other_edit.isEnabled()
    qtbot.keyClicks(form.other_edit, "Frontal fibrosing <alopecia> & more")
    assert page.document.draft.indication_other == "Frontal fibrosing <alopecia> & more"
    assert "Frontal fibrosing <alopecia> & more" in page.title_label.text()
    qtbot.keyClicks(form.depth_edit, "20")
    assert form.depth_edit.property("invalid") == "true"
    assert page.document.draft.depth_mm == 2.0  # "2" was accepted, "20" is not
    form.needle_combo.lineEdit().clear()
    qtbot.keyClicks(form.needle_combo.lineEdit(), "Nano 34G x 4 mm")
    assert page.document.draft.needle == "Nano 34G x 4 mm"
    form.areas_picker.set_zone_checked("scalp_occipital", True)
    qtbot.waitUntil(lambda: "scalp_occipital" in page.document.draft.areas)
    page.undo_stack().undo()
    assert "scalp_occipital" not in page.document.draft.areas
    assert "scalp_occipital" not in form.areas_picker.areas()

    chain = [form.title_edit]
    while len(chain) < 6:
        chain.append(chain[-1].nextInFocusChain())
        while not chain[-1].focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain[-1] = chain[-1].nextInFocusChain()
    assert chain[1:4] == [form.indication_combo, form.other_edit, form.goals_edit]


def test_in_the_main_window_undo_save_and_close_go_through_the_window(qtbot, ctx, monkeypatch):
    from mesoplan.ui.actions import ActionId
    from mesoplan.ui.main_window import MainWindow
    from mesoplan.ui.navigation import OpenPlan

    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id)
    add_from_catalog(qtbot, page, "ingredient", "dexpanthenol")
    assert page.save()
    plan_id = page.current_plan_id()
    page.close()

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.handle_navigation(OpenPlan(plan_id))
    editor = window.current_page()
    assert isinstance(editor, PlanEditorPage) and editor.current_plan_id() == plan_id
    window.handle_navigation(OpenPlan(plan_id))  # the same plan is not opened twice
    assert sum(isinstance(p, PlanEditorPage) for p in window.pages()) == 1
    assert window.actions_[ActionId.PRINT_CONSENT].isEnabled()

    editor.cocktail_panel.select_row(0)
    editor.cocktail_panel.remove_selected()
    assert window.actions_[ActionId.SAVE].isEnabled()
    assert window.tabs.tabText(window.tabs.currentIndex()).endswith("•")
    window.actions_[ActionId.UNDO].trigger()
    assert [c.code for c in editor.document.draft.components] == ["dexpanthenol"]
    window.actions_[ActionId.REDO].trigger()
    assert editor.document.draft.components == ()
    window.actions_[ActionId.SAVE].trigger()
    assert not editor.is_modified()
    with ctx.read() as uow:
        assert plans.load_plan(uow, plan_id).components == ()

    qtbot.keyClicks(editor.header_form.title_edit, "Changed")
    asked = []
    monkeypatch.setattr(prompts, "ask_unsaved", lambda parent, what: asked.append(what) or prompts.CANCEL)
    assert window.close_tab(window.tabs.indexOf(editor)) is False
    assert asked and editor in window.pages()


def test_the_practitioner_is_chosen_in_the_plan_and_saved(qtbot, ctx, messages):
    from mesoplan.services.clinic import PractitionerRecord, save_practitioner, set_practitioner_active

    with ctx.work() as uow:
        amira = save_practitioner(uow, PractitionerRecord(None, "Dr Amira Haddad", "Physician", "GMC 7654321"))
        retired = save_practitioner(uow, PractitionerRecord(None, "Retired Doctor"))
        set_practitioner_active(uow, retired.id, False)
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id)
    combo = page.header_form.practitioner_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Not assigned yet", "Dr Amira Haddad"]
    combo.setCurrentIndex(combo.findData(amira.id))
    assert page.document.draft.practitioner_id == amira.id
    page.document.undo_stack.undo()
    assert page.document.draft.practitioner_id is None and combo.currentIndex() == 0
    page.document.undo_stack.redo()
    assert page.save() is True
    with ctx.read() as uow:
        assert plans.load_plan(uow, page.current_plan_id()).practitioner_id == amira.id
