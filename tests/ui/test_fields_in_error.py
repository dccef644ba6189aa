"""A field that shows an error can never be saved, and saving names the field to fix (issue 10):
depth and volume typed wrong in the plan editor, one-line fields given a pasted line break, and
the clinic's decimal separator followed by every number field."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from mesoplan import numbers
from mesoplan.services import clinic, plans
from mesoplan.ui.plan_editor.cocktail_model import CocktailColumn

from tests.ui.test_plan_editor import (
    add_from_catalog,
    make_patient,
    press_enter,
    start_plan,
    type_into_cell,
)


@pytest.fixture(autouse=True)
def point_afterwards():
    yield
    numbers.use_decimal_separator(".")


def saved_plan(ctx, page):
    with ctx.read() as uow:
        return plans.load_plan(uow, page.current_plan_id())


def saved_page(qtbot, ctx, depth="1.5"):
    page = start_plan(qtbot, ctx, make_patient(ctx, answers={"weight_kg": 70}))
    form = page.header_form
    form.technique_combo.setCurrentIndex(form.technique_combo.findData("nappage"))
    qtbot.keyClicks(form.depth_edit, depth)
    add_from_catalog(qtbot, page, "ingredient", "dexpanthenol")
    assert page.save()
    return page


def paste(widget, text: str) -> None:
    QApplication.clipboard().setText(text)
    widget.setFocus()
    widget.selectAll()
    widget.paste()


@pytest.mark.parametrize("typed", ["20", "0", "-2", "6", "1_5", "1e9", "1,5"])
def test_a_plan_depth_in_error_blocks_saving_and_names_the_field(qtbot, ctx, messages, typed):
    page = saved_page(qtbot, ctx)
    form = page.header_form
    page.tabs.setCurrentWidget(page.cocktail_panel)
    form.depth_edit.selectAll()
    qtbot.keyClicks(form.depth_edit, typed)
    assert form.depth_edit.property("invalid") == "true"
    assert form.depth_edit.toolTip().startswith("Depth: ")
    page.header_form.title_edit.setFocus()  # leaving the field keeps it in error
    assert form.depth_edit.property("invalid") == "true"

    assert page.save() is False
    title, text = messages.errors[-1]
    assert title == "The plan was not saved"
    assert "Depth:" in text
    if typed in ("20", "0", "-2", "6"):
        assert "between 0.5 and 4 mm for Nappage" in text
    assert "Saved" not in page.saved_label.text()
    assert page.tabs.currentIndex() == page.tabs.indexOf(page.header_form)  # taken to the field
    assert saved_plan(ctx, page).depth_mm == 1.5

    form.depth_edit.selectAll()
    qtbot.keyClicks(form.depth_edit, "2")
    assert form.depth_edit.property("invalid") == "false"
    assert page.save()
    assert saved_plan(ctx, page).depth_mm == 2.0


def test_a_session_depth_in_error_blocks_saving(qtbot, ctx, messages):
    page = saved_page(qtbot, ctx)
    sessions = page.sessions_panel
    page.tabs.setCurrentWidget(sessions)
    sessions.protocol_combo.setCurrentIndex(sessions.protocol_combo.findData("scalp_vitamin_cocktail"))
    qtbot.mouseClick(sessions.generate_button, __import__("PySide6").QtCore.Qt.MouseButton.LeftButton)
    assert page.save()
    sessions.select(0)
    editor = sessions.editor
    qtbot.keyClicks(editor.depth_edit, "20")
    assert page.document.draft.sessions[0].depth_mm == 2.0  # "2" was on its way to "20"
    assert editor.depth_edit.property("invalid") == "true"
    page.tabs.setCurrentWidget(page.header_form)
    assert page.save() is False
    assert "Depth: must be between 0.5 and 4 mm for Nappage, not 20" in messages.errors[-1][1]
    assert page.tabs.currentIndex() == page.tabs.indexOf(sessions)
    assert saved_plan(ctx, page).sessions[0].depth_mm is None

    sessions.select(1)  # leaving the session takes back the "2" applied on the way to "20"
    assert page.document.draft.sessions[0].depth_mm is None
    assert editor.depth_edit.property("invalid") == "false"
    assert page.save()
    assert saved_plan(ctx, page).sessions[0].depth_mm is None


def test_a_technique_chosen_after_the_depth_puts_the_depth_in_error(qtbot, ctx, messages):
    page = saved_page(qtbot, ctx)
    form = page.header_form
    form.technique_combo.setCurrentIndex(form.technique_combo.findData("hypodermic"))
    assert form.depth_edit.property("invalid") == "true"
    assert "between 4 and 13 mm for Deep" in form.depth_edit.toolTip()
    assert page.save() is False
    assert "Depth:" in messages.errors[-1][1]


@pytest.mark.parametrize("typed", ["1_5", "1,500", "1e9", "+2", "inf", "500", "0"])
def test_a_volume_cell_in_error_blocks_saving_and_never_stores_a_prefix(qtbot, ctx, messages, typed):
    page = saved_page(qtbot, ctx)
    table = page.cocktail_panel.table
    line = type_into_cell(qtbot, table, 0, CocktailColumn.VOLUME, typed)
    assert line.property("invalid") == "true"
    assert line.toolTip().startswith("Volume: ")
    assert page.save() is False
    assert "Volume:" in messages.errors[-1][1]
    press_enter(qtbot, table, line)
    # The cell went back to what it held, never to "1" of "1_5" or "1,500".
    assert page.document.draft.components[0].volume_ml == 1.0
    assert "Not accepted" in page.cocktail_panel.message_label.text()
    assert saved_plan(ctx, page).components[0].volume_ml == 1.0


def test_a_strength_beyond_the_bounds_of_its_unit_is_refused(qtbot, ctx, messages):
    page = saved_page(qtbot, ctx)
    table = page.cocktail_panel.table
    line = type_into_cell(qtbot, table, 0, CocktailColumn.STRENGTH, "5000")
    assert line.property("invalid") == "true"
    assert "Strength: must be between 0 and 1000 mg/mL" in line.toolTip()
    assert page.save() is False
    press_enter(qtbot, table, line)
    assert page.document.draft.components[0].strength_value == 250.0  # as before, not 500


def test_a_comma_clinic_types_decimal_commas(qtbot, ctx, messages):
    with ctx.work() as uow:
        current = clinic.get_clinic_settings(uow)
        clinic.update_clinic_settings(uow, current.details.__class__(
            **{**current.details.__dict__, "jurisdiction": "DE"}), current.version)
    assert numbers.decimal_separator() == ","
    page = saved_page(qtbot, ctx, depth="1,5")
    assert page.header_form.depth_edit.text() == "1,5"
    assert saved_plan(ctx, page).depth_mm == 1.5
    table = page.cocktail_panel.table
    line = type_into_cell(qtbot, table, 0, CocktailColumn.VOLUME, "2,5")
    assert line.property("invalid") == "false"
    press_enter(qtbot, table, line)
    assert page.document.draft.components[0].volume_ml == 2.5
    assert table.model().index(0, CocktailColumn.VOLUME).data() == "2,5"  # shown as typed
    line = type_into_cell(qtbot, table, 0, CocktailColumn.VOLUME, "1.5")
    assert line.property("invalid") == "true"
    assert "comma (2,5)" in line.toolTip()
    press_enter(qtbot, table, line)
    assert page.document.draft.components[0].volume_ml == 2.5


@pytest.mark.parametrize("pasted", ["Crown\nand vertex", "Crown\tcourse", "Crown\u202ecourse",
                                    "Crown\x00"])
def test_a_one_line_plan_field_refuses_a_pasted_control_character(qtbot, ctx, messages, pasted):
    page = saved_page(qtbot, ctx)
    form = page.header_form
    paste(form.title_edit, pasted)
    assert form.title_edit.property("invalid") == "true"
    assert form.title_edit.toolTip().startswith("Title: must be one line")
    assert page.document.draft.title == ""
    assert page.save() is False
    assert "Title: must be one line" in messages.errors[-1][1]
    paste(form.title_edit, "Crown course")
    assert form.title_edit.property("invalid") == "false"
    assert page.save()
    assert saved_plan(ctx, page).title == "Crown course"


def test_a_session_needle_refuses_a_line_break(qtbot, ctx, messages):
    page = saved_page(qtbot, ctx)
    needle = page.header_form.needle_combo.lineEdit()
    paste(needle, "30G\n4 mm")
    assert needle.property("invalid") == "true"
    assert page.save() is False
    assert "Needle: must be one line" in messages.errors[-1][1]


@pytest.mark.parametrize("field, pasted, where", [
    ("family_name", "Smith\nJones", "Family name"), ("given_names", "Ann\tMarie", "Given names"),
    ("phone", "0123\u202e456", "Phone")])
def test_the_patient_form_refuses_a_pasted_control_character_at_the_field(qtbot, ctx, messages,
                                                                           field, pasted, where):
    from mesoplan.services import patients
    from mesoplan.ui.patients.patient_form import NewPatientDialog

    dialog = NewPatientDialog(ctx)
    qtbot.addWidget(dialog)
    paste(dialog.form.family_name, "Smith")
    paste(getattr(dialog.form, field), pasted)
    assert dialog.save() is False
    message = dialog.form.errors.message_for(getattr(dialog.form, field))
    assert message.startswith(f"{where} must be one line")
    with ctx.read() as uow:
        assert patients.count_patients(uow) == 0
    paste(getattr(dialog.form, field), "Fine")
    assert dialog.save() is True


def test_the_ingredient_dialog_refuses_an_implausible_strength(qtbot, ctx, messages):
    from mesoplan.ui.catalog.ingredient_dialog import IngredientDialog

    dialog = IngredientDialog(ctx, None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code, "test_item")
    qtbot.keyClicks(dialog.name, "Test item")
    for typed, expected in (("1e9", "without an exponent"), ("1_5", "underscores"),
                            ("500", "between 0 and 100 %")):
        dialog.strength_value.clear()
        qtbot.keyClicks(dialog.strength_value, typed)
        dialog.strength_unit.setCurrentText("%")
        assert dialog.save() is False
        assert expected in dialog.errors.message_for(dialog.strength_value)
    dialog.strength_value.clear()
    qtbot.keyClicks(dialog.strength_value, "2.5")
    dialog.name.setText("Test\nitem")
    assert dialog.save() is False
    assert "must be one line" in dialog.errors.message_for(dialog.name)


def test_screening_weight_follows_the_clinic_separator_and_comes_back_in_it(qtbot, ctx, db, actor,
                                                                            messages):
    from tests.ui.test_screening_form import open_new_screening, stored_screenings

    from mesoplan.ui.patients.patient_page import PatientPage

    patient_id = make_patient(ctx)
    page = PatientPage(ctx, patient_id)
    qtbot.addWidget(page)
    dialog = open_new_screening(qtbot, page)
    weight = dialog.form.rows["weight_kg"]
    for typed, expected in (("61,5", "point (2.5)"), ("1e2", "exponent"), ("6_1", "underscores"),
                            ("900", "between 20 and 300 kg")):
        weight.input.line.clear()
        qtbot.keyClicks(weight.input.line, typed)
        assert dialog.save() is False
        assert expected in weight.error.text() and weight.error.text().startswith("Weight: ")
    assert stored_screenings(db, actor, patient_id) == []

    with ctx.work() as uow:  # the clinic moves to Germany: decimal commas
        current = clinic.get_clinic_settings(uow)
        clinic.update_clinic_settings(uow, current.details.__class__(
            **{**current.details.__dict__, "jurisdiction": "DE"}), current.version)
    weight.input.line.clear()
    qtbot.keyClicks(weight.input.line, "61,5")
    assert dialog.save() is True
    [stored] = stored_screenings(db, actor, patient_id)
    assert stored.answers["weight_kg"] == 61.5
    again = open_new_screening(qtbot, page)
    assert again.form.rows["weight_kg"].input.line.text() == "61,5"
    assert again.save() is True
