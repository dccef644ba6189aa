"""Plan templates from the editor: save a plan as a template, start another patient's plan from
it, retire and restore it; and every table model of the editor passes Qt's model checks."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mesoplan.services import templates
from mesoplan.ui.plan_editor.editor import PlanEditorPage
from mesoplan.ui.plan_editor.new_plan_dialog import NewPlanDialog
from mesoplan.ui.plan_editor.template_dialogs import ManageTemplatesDialog, SaveTemplateDialog

from test_plan_editor import (  # helpers shared with the main editor tests (same folder)
    TODAY,
    add_from_catalog,
    make_patient,
    start_plan,
    type_into_cell,
    press_enter,
    when_dialog_opens,
)
from test_plan_sessions import generate


def composed_page(qtbot, ctx):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id, areas=("scalp_vertex", "scalp_frontal"),
                      goals="Thicker crown")
    add_from_catalog(qtbot, page, "ingredient", "dexpanthenol")
    add_from_catalog(qtbot, page, "ingredient", "biotin")
    add_from_catalog(qtbot, page, "product", "mesoage_vitamin_c")
    table = page.cocktail_panel.table
    press_enter(qtbot, table, type_into_cell(qtbot, table, 0, 3, "2"))
    generate(qtbot, page, TODAY)
    page.header_form.technique_combo.setCurrentIndex(
        page.header_form.technique_combo.findData("nappage"))
    return page


def test_save_as_template_then_start_another_patients_plan_from_it(qtbot, ctx, messages, monkeypatch):
    page = composed_page(qtbot, ctx)
    names = iter(["Scalp <basic> & more", "scalp <BASIC> & more", None])
    monkeypatch.setattr(SaveTemplateDialog, "ask", staticmethod(lambda *a, **k: next(names)))
    page.save_template_action.trigger()
    assert messages.errors == []
    assert "Scalp <basic> & more" in page.saved_label.text()
    page.save_template_action.trigger()  # the same name again is refused; then cancelled
    assert "already exists" in messages.errors[-1][1]
    with ctx.read() as uow:
        (record,) = templates.list_templates(uow)

    other_patient = make_patient(ctx, family="Second", answers={"weight_kg": 55})
    seen = {}

    def choose_template(dialog: NewPlanDialog) -> None:
        dialog.template_combo.setCurrentIndex(dialog.template_combo.findData(record.id))
        seen["indication"] = dialog.indication()
        seen["areas"] = dialog.areas_picker.areas()
        seen["goals"] = dialog.goals_edit.toPlainText()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(choose_template)
    second = PlanEditorPage.start_new(ctx, other_patient, None)
    qtbot.addWidget(second)
    assert seen == {"indication": "androgenetic_alopecia", "areas": ("scalp_frontal", "scalp_vertex"),
                    "goals": "Thicker crown"}
    first_draft, new_draft = page.document.draft, second.document.draft
    assert new_draft.patient_id == other_patient and new_draft.id is None
    assert [(c.kind, c.code, c.strength_value, c.strength_unit, c.volume_ml)
            for c in new_draft.components] == [
        (c.kind, c.code, c.strength_value, c.strength_unit, c.volume_ml) for c in first_draft.components]
    assert new_draft.protocol_code == first_draft.protocol_code == "scalp_vitamin_cocktail"
    assert new_draft.technique == "nappage"
    assert new_draft.sessions == ()
    assert new_draft.template_name == "Scalp <basic> & more"
    assert "Scalp <basic> & more" in second.header_form.template_label.text()
    assert second.sessions_panel.protocol_combo.currentData() == "scalp_vitamin_cocktail"
    assert second.save()


def test_a_template_id_preselects_it_and_retired_templates_are_not_offered(qtbot, ctx, messages):
    page = composed_page(qtbot, ctx)
    with ctx.work() as uow:
        record = templates.save_template(uow, "Crown", page.document.draft)

    def accept(dialog: NewPlanDialog) -> None:
        assert dialog.template_combo.currentData() == record.id
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(accept)
    started = PlanEditorPage.start_new(ctx, page.current_patient_id(), None, record.id)
    qtbot.addWidget(started)
    assert started.document.draft.template_name == "Crown"

    manage = ManageTemplatesDialog(ctx)
    qtbot.addWidget(manage)
    assert manage.model.rowCount() == 1
    manage.table.selectRow(0)
    qtbot.mouseClick(manage.retire_button, Qt.MouseButton.LeftButton)
    assert manage.model.rowCount() == 0
    manage.show_retired.setChecked(True)
    assert manage.model.index(0, 0).data() == "Crown (retired)"
    dialog = NewPlanDialog(ctx, "Someone")
    qtbot.addWidget(dialog)
    assert dialog.template_combo.findData(record.id) == -1
    manage.table.selectRow(0)
    qtbot.mouseClick(manage.restore_button, Qt.MouseButton.LeftButton)
    assert manage.model.index(0, 0).data() == "Crown"


def test_the_new_plan_dialog_needs_an_indication_and_a_description_for_other(qtbot, ctx):
    dialog = NewPlanDialog(ctx, "Someone")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.indication_combo.setCurrentIndex(dialog.indication_combo.findData("other"))
    assert not dialog.ok_button.isEnabled() and dialog.other_edit.isEnabled()
    qtbot.keyClicks(dialog.other_edit, "Lichen <planopilaris>")
    assert dialog.ok_button.isEnabled()
    assert dialog.choice().indication_other == "Lichen <planopilaris>"
    dialog.indication_combo.setCurrentIndex(dialog.indication_combo.findData("rosacea"))
    assert dialog.choice().indication_other == "" and not dialog.other_edit.isEnabled()


def test_every_table_model_passes_the_model_tester(qtbot, request, ctx):
    from pytestqt.modeltest import ModelTester

    page = composed_page(qtbot, ctx)
    page.sessions_panel.select(0)
    editor = page.sessions_panel.editor
    editor.zones.zone_combo.setCurrentIndex(editor.zones.zone_combo.findData("scalp_vertex"))
    editor.zones.add_zone()
    with ctx.work() as uow:
        templates.save_template(uow, "Crown", page.document.draft)
    manage = ManageTemplatesDialog(ctx)
    qtbot.addWidget(manage)
    testers = []
    for model in (page.cocktail_panel.model, page.sessions_panel.model, editor.zones.model,
                  page.cocktail_panel.totals.actives_model, manage.model):
        assert model.rowCount() > 0
        tester = ModelTester(request.config)  # one per model: a tester follows one model's signals
        tester.check(model, force_py=True)
        testers.append(tester)
    # The checks keep running while rows come and go and values change.
    page.cocktail_panel.select_row(1)
    page.cocktail_panel.remove_selected()
    page.undo_stack().undo()
    page.sessions_panel.select(3)
    page.sessions_panel.remove_selected()
    page.undo_stack().undo()
    page.sessions_panel.select(0)
    editor.zones.zone_combo.setCurrentIndex(editor.zones.zone_combo.findData("scalp_frontal"))
    editor.zones.add_zone()
    page.undo_stack().undo()
    page.undo_stack().undo()
    page.undo_stack().redo()
    manage.show_retired.setChecked(True)
    manage.table.selectRow(0)
    manage.retire_button.click()
    assert page.cocktail_panel.model.rowCount() == 3
    assert page.sessions_panel.model.rowCount() == 12
    for tester in testers:
        tester._cleanup()  # as pytest-qt's own qtmodeltester fixture does at teardown
