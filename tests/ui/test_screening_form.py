"""The screening form: generated from the questionnaire, answered with mouse and keys, saved as a
new dated screening, problems shown at the question, the next one starting from the last."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from mesoplan.screening import load_questionnaire
from mesoplan.services import patients as patient_service
from mesoplan.services import screenings as screening_service
from mesoplan.services.patients import PatientInput
from mesoplan.services.uow import read, work
from mesoplan.ui import messages as _messages  # noqa: F401 - imported so the fixture can patch it
from mesoplan.ui.patients.patient_page import PatientPage
from mesoplan.ui.patients.screening_dialog import ScreeningDialog
from mesoplan.ui.patients.screening_form import ScreeningForm, question_key_of
from mesoplan.ui.patients.screening_inputs import AnswerButtons


@pytest.fixture
def patient_id(db, actor) -> int:
    with work(db, actor) as uow:
        return patient_service.create_patient(
            uow, PatientInput("Dubois", "Chloé", dt.date(1996, 1, 12), "female")).id


def click_answer(qtbot, dialog: ScreeningDialog, key: str, label: str) -> None:
    buttons = dialog.form.rows[key].input
    assert isinstance(buttons, AnswerButtons)
    button = next(b for b in buttons.buttons if b.text() == label)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_new_screening(qtbot, page: PatientPage) -> ScreeningDialog:
    qtbot.mouseClick(page.clinical_panel.new_screening_button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ScreeningDialog) and w.isVisible())
    qtbot.addWidget(dialog)
    return dialog


def stored_screenings(db, actor, patient_id: int):
    with read(db, actor) as uow:
        return screening_service.list_screenings(uow, patient_id)


def test_every_question_of_the_questionnaire_has_an_input_in_its_section(qtbot):
    questionnaire = load_questionnaire()
    form = ScreeningForm(questionnaire, "female")
    qtbot.addWidget(form)
    assert list(form.rows) == [q.key for q in questionnaire.questions()]
    assert form.index.count() == len(questionnaire.sections)
    weight = form.rows["weight_kg"]
    assert weight.question.safety and "Safety" in [label.text() for label in weight.findChildren(QLabel)]
    assert [form.index.item(i).isHidden() for i in range(form.index.count())].count(False) > 5


def test_filled_screening_is_saved_and_the_safety_strip_shows_it(qtbot, ctx, db, actor, patient_id, messages):
    page = PatientPage(ctx, patient_id)
    qtbot.addWidget(page)
    assert page.strip.texts() == ["No medical screening recorded"]
    dialog = open_new_screening(qtbot, page)
    assert "first screening" in dialog.origin.text()
    click_answer(qtbot, dialog, "pregnant", "Yes")
    breastfeeding = dialog.form.rows["breastfeeding"].input
    breastfeeding.setFocus()
    qtbot.keyClick(breastfeeding, Qt.Key.Key_N)        # N answers "No" and moves on
    assert breastfeeding.value() is False
    qtbot.keyClicks(dialog.form.rows["weight_kg"].input.line, "61.5")  # a GB clinic: decimal point
    qtbot.keyClicks(dialog.notes, "Patient brought her own list <meds> & notes")
    assert dialog.progress.text().startswith("3 of ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and messages.errors == []
    [stored] = stored_screenings(db, actor, patient_id)
    assert stored.taken_on == dt.date.today()
    assert stored.answers == {"pregnant": True, "breastfeeding": False, "weight_kg": 61.5}
    assert stored.notes == "Patient brought her own list <meds> & notes"
    assert "Pregnant" in page.strip.texts()
    assert page.clinical_panel.screenings_model.rowCount() == 1
    assert "Pregnant" in page.clinical_panel.screenings_model.index(0, 1).data()


def test_problem_is_shown_at_its_question_and_nothing_typed_is_lost(qtbot, ctx, db, actor, patient_id, messages):
    page = PatientPage(ctx, patient_id)
    qtbot.addWidget(page)
    dialog = open_new_screening(qtbot, page)
    dialog.resize(900, 600)
    click_answer(qtbot, dialog, "anticoagulant", "Yes")
    weight = dialog.form.rows["weight_kg"]
    qtbot.keyClicks(weight.input.line, "900")
    dialog.form.scroll.verticalScrollBar().setValue(dialog.form.scroll.verticalScrollBar().maximum())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and messages.errors == []
    assert "between 20 and 300 kg" in weight.error.text() and not weight.error.isHidden()
    scroll = dialog.form.scroll
    top = weight.mapTo(scroll.widget(), weight.rect().topLeft()).y()
    assert scroll.verticalScrollBar().value() <= top <= scroll.verticalScrollBar().value() + scroll.viewport().height()
    assert dialog.form.rows["anticoagulant"].value() is True and weight.value() == "900"
    assert stored_screenings(db, actor, patient_id) == []
    weight.input.line.clear()
    qtbot.keyClicks(weight.input.line, "70")
    assert weight.error.isHidden()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [s.answers for s in stored_screenings(db, actor, patient_id)] == [
        {"anticoagulant": True, "weight_kg": 70.0}]


def test_new_screening_starts_from_the_last_one_and_earlier_ones_stay(qtbot, ctx, db, actor, patient_id, messages):
    with work(db, actor) as uow:
        first = screening_service.add_screening(
            uow, patient_id, dt.date(2024, 3, 1),
            {"pregnant": True, "anticoagulant": True, "allergy_bee_wasp_venom": False})
    page = PatientPage(ctx, patient_id)
    qtbot.addWidget(page)
    dialog = open_new_screening(qtbot, page)
    assert "2024-03-01" in dialog.origin.text()
    rows = dialog.form.rows
    assert rows["anticoagulant"].value() is True                  # carried over
    assert rows["allergy_bee_wasp_venom"].value() is False
    assert rows["pregnant"].value() is None                        # asked every time
    click_answer(qtbot, dialog, "pregnant", "No")
    click_answer(qtbot, dialog, "anticoagulant", "Yes")            # clicking the chosen answer clears it
    assert rows["anticoagulant"].value() is None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    newest, earliest = stored_screenings(db, actor, patient_id)
    assert earliest == first
    assert newest.answers == {"pregnant": False, "allergy_bee_wasp_venom": False}
    assert page.clinical_panel.screenings_model.rowCount() == 2
    assert "Pregnant" not in page.strip.texts()


def test_follow_up_questions_appear_only_when_they_apply(qtbot, ctx, patient_id):
    with ctx.read() as uow:
        patient = patient_service.get_patient(uow, patient_id)
    dialog = ScreeningDialog(ctx, patient)
    qtbot.addWidget(dialog)
    rows = dialog.form.rows
    assert rows["hair_pattern"].isHidden()
    click_answer(qtbot, dialog, "hair_concern", "Yes")
    assert not rows["hair_pattern"].isHidden()
    pattern = rows["hair_pattern"].input
    pattern.setCurrentIndex(pattern.findText("Crown"))
    assert dialog.form.raw_answers()["hair_pattern"] == "crown"
    click_answer(qtbot, dialog, "hair_concern", "No")
    assert rows["hair_pattern"].isHidden() and "hair_pattern" not in dialog.form.raw_answers()


def test_pregnancy_section_is_not_asked_of_a_male_patient(qtbot):
    form = ScreeningForm(load_questionnaire(), "male")
    qtbot.addWidget(form)
    assert form.section_boxes["pregnancy"].isHidden()
    assert form.index.item(0).isHidden()
    assert not form.section_boxes["medicines"].isHidden()


def test_sections_can_be_jumped_to_from_the_index_and_with_keys(qtbot):
    form = ScreeningForm(load_questionnaire(), "female")
    qtbot.addWidget(form)
    form.resize(900, 500)
    with qtbot.waitActive(form):
        form.show()
        form.activateWindow()
    skin = next(i for i in range(form.index.count()) if form.index.item(i).data(Qt.ItemDataRole.UserRole) == "skin")
    form.index.setCurrentRow(skin)
    bar = form.scroll.verticalScrollBar()
    assert bar.value() == min(form.section_boxes["skin"].y(), bar.maximum()) and bar.value() > 0
    assert form.index.hasFocus() or not form.rows["keloid_scarring"].input.hasFocus()
    qtbot.keyClick(form.index, Qt.Key.Key_Return)                 # Enter moves into the section
    first_skin = next(r for r in form.rows.values() if r.question.section == "skin")
    assert first_skin.input.hasFocus()
    qtbot.keyClick(first_skin.input, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert form.index.currentRow() == skin + 1
    first_hair = next(r for r in form.rows.values() if r.question.section == "hair")
    assert first_hair.input.hasFocus() and bar.value() > 0


def test_reading_an_earlier_screening_shows_answers_as_text(qtbot, ctx, db, actor, patient_id):
    with work(db, actor) as uow:
        screening_service.add_screening(uow, patient_id, dt.date(2024, 3, 1),
                                        {"pregnant": True, "weight_kg": 58},
                                        notes="Said <b>no</b> & meant it")
    page = PatientPage(ctx, patient_id)
    qtbot.addWidget(page)
    view = page.view_screening(page.clinical_panel.screenings_model.record(0))
    qtbot.addWidget(view)
    text = view.browser.toPlainText()
    assert "Are you pregnant?" in text and "58 kg" in text
    assert "Said <b>no</b> & meant it" in text
    assert "Pregnant" in view.strip.texts()


def test_question_key_is_read_from_a_problem_location():
    assert question_key_of("Body weight (weight_kg)") == "weight_kg"
    assert question_key_of("pregnant") == "pregnant"
