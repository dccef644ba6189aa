"""The screening form and safety questions: they are marked, what remains is counted, every one can be
answered "not sure", and "None of these" answers a section's unanswered questions no in one click,
undone by a second click, never as a silent default."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from mesoplan.safety.questionnaire import UNKNOWN
from mesoplan.screening import load_questionnaire, validate_answers
from mesoplan.services import patients as patient_service
from mesoplan.services import screenings as screening_service
from mesoplan.services.patients import PatientInput
from mesoplan.services.uow import read, work
from mesoplan.ui.patients.patient_page import PatientPage
from mesoplan.ui.patients.screening_dialog import ScreeningDialog
from mesoplan.ui.patients.screening_form import NONE_OF_THESE, UNDO_NONE_OF_THESE, ScreeningForm
from mesoplan.ui.patients.screening_inputs import AnswerButtons


@pytest.fixture
def patient_id(db, actor) -> int:
    with work(db, actor) as uow:
        return patient_service.create_patient(
            uow, PatientInput("Mensah", "Abena", dt.date(1991, 8, 21), "female")).id


def choose(qtbot, buttons: AnswerButtons, label: str) -> None:
    qtbot.mouseClick(next(b for b in buttons.buttons if b.text() == label), Qt.MouseButton.LeftButton)


def test_every_safety_question_is_marked_and_can_be_answered_not_sure(qtbot):
    questionnaire = load_questionnaire()
    form = ScreeningForm(questionnaire, "female", {"child_bearing_potential": True})
    qtbot.addWidget(form)
    for question in questionnaire.questions():
        row = form.rows[question.key]
        tags = [label.text() for label in row.findChildren(QLabel) if label.text() == "Safety"]
        assert bool(tags) == question.safety, question.key
        if not question.safety:
            continue
        row.set_value(UNKNOWN)
        assert validate_answers(questionnaire, {question.key: row.value()}) == {question.key: UNKNOWN}
        row.set_value(None)
        assert row.value() is None, question.key


def test_the_form_counts_safety_questions_left_per_section_and_in_all(qtbot):
    form = ScreeningForm(load_questionnaire(), "female")
    qtbot.addWidget(form)
    before = len(form.unanswered_safety())
    in_skin = len(form.unanswered_safety("skin"))
    assert in_skin > 3
    skin_item = next(form.index.item(i) for i in range(form.index.count())
                     if form.index.item(i).data(Qt.ItemDataRole.UserRole) == "skin")
    assert skin_item.text().endswith(f"· {in_skin} safety left")
    assert form.section_notes["skin"].text() == f"{in_skin} safety questions still to answer"
    choose(qtbot, form.rows["keloid_scarring"].input, "Not sure")
    assert len(form.unanswered_safety()) == before - 1
    assert skin_item.text().endswith(f"· {in_skin - 1} safety left")


def test_none_of_these_answers_no_to_the_unanswered_questions_of_one_section_and_undoes(qtbot):
    form = ScreeningForm(load_questionnaire(), "female")
    qtbot.addWidget(form)
    choose(qtbot, form.rows["allergy_latex"].input, "Yes")
    choose(qtbot, form.rows["allergy_amide_la"].input, "Not sure")
    allergies = [q.key for q in form.questionnaire.questions() if q.section == "allergies"]
    before = {key: form.rows[key].value() for key in allergies}
    elsewhere = form.rows["anticoagulant"].value()
    button = form.none_buttons["allergies"]
    assert button.text() == NONE_OF_THESE

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    after = {key: form.rows[key].value() for key in allergies}
    assert after["allergy_latex"] is True and after["allergy_amide_la"] == UNKNOWN  # given answers kept
    assert after["allergy_sulfite"] is False and after["allergy_bee_wasp_venom"] is False
    assert after["allergy_other"] is None  # free text is never made up
    assert form.unanswered_safety("allergies") == []
    assert form.rows["anticoagulant"].value() is elsewhere is None  # other sections untouched
    assert button.text() == UNDO_NONE_OF_THESE

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert {key: form.rows[key].value() for key in allergies} == before
    assert button.text() == NONE_OF_THESE


def test_an_answer_changed_by_hand_ends_the_undo(qtbot):
    form = ScreeningForm(load_questionnaire(), "female")
    qtbot.addWidget(form)
    button = form.none_buttons["skin"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.text() == UNDO_NONE_OF_THESE
    choose(qtbot, form.rows["keloid_scarring"].input, "Yes")
    assert button.text() == NONE_OF_THESE and not button.isEnabled()  # nothing left to answer no
    assert form.rows["keloid_scarring"].value() is True and form.rows["infection_at_site"].value() is False


def test_none_of_these_leaves_a_question_another_answer_contradicts(qtbot):
    form = ScreeningForm(load_questionnaire(), "female", {"child_bearing_potential": True,
                                                         "contraception": "hormonal"})
    qtbot.addWidget(form)
    qtbot.mouseClick(form.none_buttons["medicines"], Qt.MouseButton.LeftButton)
    assert form.rows["hormonal_contraception_hrt"].value() is None
    assert form.rows["anticoagulant"].value() is False


def test_none_of_these_then_save_records_explicit_answers(qtbot, ctx, db, actor, patient_id, messages):
    page = PatientPage(ctx, patient_id)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.clinical_panel.new_screening_button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ScreeningDialog) and w.isVisible())
    qtbot.addWidget(dialog)
    assert "safety questions still to answer" in dialog.progress.text()
    for section in dialog.form.none_buttons:
        if dialog.form.none_buttons[section].isEnabled():
            qtbot.mouseClick(dialog.form.none_buttons[section], Qt.MouseButton.LeftButton)
    choose(qtbot, dialog.form.rows["possibly_pregnant"].input, "Not sure")
    assert [q.key for q in dialog.form.unanswered_safety()] == ["weight_kg"]
    choose(qtbot, dialog.form.rows["weight_kg"].input.specials, "Not sure")
    assert "every safety question answered" in dialog.progress.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and messages.errors == []
    with read(db, actor) as uow:
        [stored] = screening_service.list_screenings(uow, patient_id)
    answers = stored.answers
    assert answers["possibly_pregnant"] == UNKNOWN and answers["weight_kg"] == UNKNOWN
    assert answers["recent_surgery_on"] is False and answers["diabetes"] == "none"
    assert answers["pregnant"] is False and "allergy_other" not in answers
    texts = page.strip.texts()
    assert "Pregnancy not ruled out" in texts and "Weight: not sure" in texts


def test_ctrl_z_undoes_the_latest_none_of_these(qtbot):
    form = ScreeningForm(load_questionnaire(), "male")
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    qtbot.mouseClick(form.none_buttons["supplements"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.none_buttons["allergies"], Qt.MouseButton.LeftButton)
    assert form.rows["allergy_latex"].value() is False and form.rows["supplement_ginkgo"].value() is False
    form.rows["allergy_latex"].input.setFocus()
    qtbot.waitUntil(form.rows["allergy_latex"].input.hasFocus)
    qtbot.keyClick(form.rows["allergy_latex"].input, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert form.rows["allergy_latex"].value() is None and form.none_buttons["allergies"].text() == NONE_OF_THESE
    assert form.rows["supplement_ginkgo"].value() is False
    assert form.undo_none_of_these() and form.rows["supplement_ginkgo"].value() is None
    assert not form.undo_none_of_these()
