"""The screening questionnaire: the shipped file, answer checking, copying forward, at-a-glance strip."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mesoplan.errors import ValidationError
from mesoplan.screening import (
    SummaryItem,
    default_questionnaire,
    load_questionnaire,
    new_screening_from,
    safety_summary,
    unanswered_safety_questions,
    validate_answers,
)
from mesoplan.safety.questionnaire import KINDS, is_shown

TODAY = dt.date(2025, 6, 2)


@pytest.fixture(scope="module")
def questionnaire():
    return default_questionnaire()


# --- the shipped questionnaire --------------------------------------------------------------------

REQUIRED_KEYS = [
    "pregnant", "possibly_pregnant", "planning_pregnancy", "breastfeeding", "child_bearing_potential",
    "contraception", "weight_kg", "anticoagulant", "antiplatelet", "nsaid", "other_medicines",
    "isotretinoin_stopped_on", "hormonal_contraception_hrt", "immunosuppressant",
    "five_alpha_reductase_inhibitor_use", "minoxidil_use", "thyroid_medication", "dopamine_alpha_agonist",
    "supplement_fish_oil", "supplement_vitamin_e", "supplement_garlic", "supplement_ginkgo",
    "supplement_ginseng", "supplement_turmeric", "supplement_coq10", "supplement_high_dose_biotin",
    "allergy_amide_la", "allergy_ester_la", "allergy_paraben", "allergy_sulfite", "allergy_adrenaline",
    "allergy_latex", "allergy_nickel", "allergy_bee_wasp_venom", "allergy_compositae", "allergy_hyaluronidase",
    "allergy_other", "anaphylaxis_history", "heart_disease", "low_blood_pressure", "high_blood_pressure",
    "raynauds", "epilepsy", "bleeding_disorder", "anaemia", "active_cancer", "cancer_history",
    "autoimmune_disease", "immunodeficiency", "diabetes", "kidney_disease", "kidney_stones", "liver_disease",
    "gallstones", "vte_history", "g6pd_deficiency", "psychiatric_illness", "body_image_concerns",
    "keloid_scarring", "infection_at_site", "cold_sore_at_site", "sunburn_or_broken_skin_at_site",
    "unresolved_bruising", "eczema_psoriasis", "recent_resurfacing_on", "recent_injectable_on",
    "recent_surgery_on", "hair_pattern", "hair_loss_duration_months", "hair_grading", "hair_triggers",
    "scarring_alopecia", "hair_shaft_disorder", "smoker", "alcohol", "previous_mesotherapy",
    "previous_reactions", "goals", "expectations_discussed",
]


def test_shipped_questionnaire_covers_the_screening_topics(questionnaire):
    assert questionnaire.version == "1"
    missing = [k for k in REQUIRED_KEYS if questionnaire.question(k) is None]
    assert missing == []
    assert {q.kind for q in questionnaire.questions()} == set(KINDS)
    diabetes = questionnaire.question("diabetes")
    assert diabetes.option_values == ("none", "diet", "tablets", "insulin", "uncontrolled")
    weight = questionnaire.question("weight_kg")
    assert (weight.unit, weight.min, weight.max, weight.safety) == ("kg", 20.0, 300.0, True)


def test_pregnancy_questions_show_only_when_pregnancy_is_possible(questionnaire):
    pregnant = questionnaire.question("pregnant")
    assert is_shown(pregnant, "female", {}) and is_shown(pregnant, "unknown", {})
    assert is_shown(pregnant, "intersex", {})
    assert not is_shown(pregnant, "male", {})
    pattern = questionnaire.question("hair_pattern")
    assert not is_shown(pattern, "male", {}) and is_shown(pattern, "male", {"hair_concern": True})


def _questionnaire_text(*questions: dict, sections: list | None = None) -> str:
    return json.dumps({"version": "t", "sections": sections or [
        {"key": "s", "title": "S", "questions": list(questions)}]})


def test_questionnaire_faults_are_reported_with_paths():
    text = _questionnaire_text(
        {"key": "a", "label": "A", "kind": "yes_no"},
        {"key": "a", "label": "A again", "kind": "yes_no"},
        {"key": "b", "label": "B", "kind": "yesno"},
        {"key": "c", "label": "C", "kind": "choice"},
        {"key": "d", "label": "D", "kind": "yes_no", "safety": True},
        {"key": "e", "label": "E", "kind": "text", "show_if": {"answer_true": "nowhere"}},
        {"key": "f", "label": "F", "kind": "yes_no", "glance": {"maybe": {"text": "F", "level": "alert"}}},
        {"key": "g", "label": "G", "kind": "text", "past_only": True},
    )
    with pytest.raises(ValidationError) as caught:
        load_questionnaire(text)
    found = [str(p) for p in caught.value.problems]
    assert "sections[0].questions[1].key: 'a' is used by another question" in found
    assert any(p.startswith("sections[0].questions[2].kind: 'yesno' is not a known kind") for p in found)
    assert "sections[0].questions[3].options: a choice question needs a non-empty list of options" in found
    assert "sections[0].questions[4].glance: a safety question needs at-a-glance texts" in found
    assert ("sections[0].questions[5].show_if.answer_true: 'nowhere' is not a question in this questionnaire"
            in found)
    assert any(p.startswith("sections[0].questions[6].glance.maybe: 'maybe' does not fit") for p in found)
    assert "sections[0].questions[7].past_only: only date questions can be past_only" in found


# --- validating answers ---------------------------------------------------------------------------


def test_valid_answers_are_cleaned(questionnaire):
    cleaned = validate_answers(questionnaire, {
        "pregnant": "No", "possibly_pregnant": "not sure", "anticoagulant": True, "weight_kg": "72,5",
        "diabetes": "insulin", "isotretinoin_stopped_on": dt.date(2024, 11, 3),
        "recent_resurfacing_on": "2025-05-01", "allergy_other": "  Penicillin <rash> & \"hives\"  ",
        "other_medicines": "", "nsaid": None,
    }, today=TODAY, decimal_separator=",")
    assert cleaned == {
        "pregnant": False, "possibly_pregnant": "unknown", "anticoagulant": True, "weight_kg": 72.5,
        "diabetes": "insulin", "isotretinoin_stopped_on": "2024-11-03", "recent_resurfacing_on": "2025-05-01",
        "allergy_other": "Penicillin <rash> & \"hives\"",
    }


def test_each_bad_answer_gets_one_problem_naming_label_and_key(questionnaire):
    with pytest.raises(ValidationError) as caught:
        validate_answers(questionnaire, {
            "pregnant": "perhaps",
            "weight_kg": 7200,
            "diabetes": "type 2",
            "isotretinoin_stopped_on": "2025-07-01",
            "allergy_other": 42,
            "favourite_colour": "blue",
            "acne_rosacea": "not sure",
            "smoker": "never",
        }, today=TODAY)
    problems = {p.where: p.message for p in caught.value.problems}
    assert len(caught.value.problems) == 7
    assert problems["Are you pregnant? (pregnant)"] == "expected yes, no or not sure, not 'perhaps'"
    assert problems["Body weight (weight_kg)"] == "must be between 20 and 300 kg, not 7200"
    assert problems["Do you have diabetes? (diabetes)"].startswith("'type 2' is not one of the choices; use one of none")
    stopped = questionnaire.question("isotretinoin_stopped_on").label
    assert problems[f"{stopped} (isotretinoin_stopped_on)"] == "2025-07-01 is in the future; give the date it happened"
    assert problems[f"{questionnaire.question('allergy_other').label} (allergy_other)"] == "expected text, not int"
    assert problems["favourite_colour"] == "is not a question in screening questionnaire version 1"
    assert "expected yes or no" in problems[f"{questionnaire.question('acne_rosacea').label} (acne_rosacea)"]


def test_numbers_and_dates_that_cannot_be_read(questionnaire):
    with pytest.raises(ValidationError) as caught:
        validate_answers(questionnaire, {"weight_kg": "seventy", "hair_loss_duration_months": True,
                                         "recent_surgery_on": "1 May 2025"}, today=TODAY)
    messages = sorted(p.message for p in caught.value.problems)
    assert messages[0] == "'1 May 2025' is not a date; write it as YYYY-MM-DD"
    assert messages[1].startswith("'seventy' is not a number")
    assert messages[2] == "expected a number, not True"


# --- a new screening from the last one ------------------------------------------------------------


def test_new_screening_copies_the_last_one_without_the_ask_each_time_answers(questionnaire):
    previous = {"anticoagulant": True, "weight_kg": 70.0, "allergy_bee_wasp_venom": True,
                "infection_at_site": False, "unresolved_bruising": True, "pregnant": False,
                "breastfeeding": False, "expectations_discussed": True, "retired_question": "x"}
    started = new_screening_from(previous, questionnaire)
    assert started == {"anticoagulant": True, "weight_kg": 70.0, "allergy_bee_wasp_venom": True}
    assert previous["unresolved_bruising"] is True  # the old screening is left alone
    asked_each_time = {q.key for q in questionnaire.questions() if q.ask_each_time}
    assert {"infection_at_site", "unresolved_bruising", "cold_sore_at_site",
            "sunburn_or_broken_skin_at_site", "pregnant"} <= asked_each_time
    assert new_screening_from(None, questionnaire) == {}
    assert new_screening_from(questionnaire, previous) == started  # either argument order


# --- the at-a-glance strip -------------------------------------------------------------------------


def test_safety_summary_lists_alerts_then_cautions_then_information(questionnaire):
    answers = {"allergy_bee_wasp_venom": True, "pregnant": True, "anticoagulant": True, "diabetes": "insulin",
               "smoker": "current", "child_bearing_potential": True, "weight_kg": 64.0, "nsaid": False,
               "contraception": "copper_coil"}
    unanswered = len(unanswered_safety_questions(questionnaire, "female", answers))
    assert unanswered > 50
    items = safety_summary(questionnaire, answers, "female")
    assert items == [
        SummaryItem("alert", "Pregnant", "pregnant"),
        SummaryItem("alert", "Allergy: bee/wasp venom", "allergy_bee_wasp_venom"),
        SummaryItem("alert", f"{unanswered} safety questions not answered", ""),
        SummaryItem("caution", "Anticoagulant", "anticoagulant"),
        SummaryItem("caution", "Diabetes on insulin", "diabetes"),
        SummaryItem("info", "Could become pregnant", "child_bearing_potential"),
        SummaryItem("info", "Weight 64 kg", "weight_kg"),
        SummaryItem("info", "Smoker", "smoker"),
    ]


def test_safety_summary_flags_missing_answers_only_where_the_question_applies(questionnaire):
    female = {item.text for item in safety_summary(questionnaire, {}, "female")}
    male = {item.text for item in safety_summary(questionnaire, {}, "male")}
    assert {"Weight not recorded", "Pregnancy question not answered", "Child-bearing potential not recorded"} <= female
    assert "Weight not recorded" in male
    assert "Pregnancy question not answered" not in male and "Child-bearing potential not recorded" not in male
    assert safety_summary(questionnaire, None, "male") == [
        SummaryItem("alert", "No medical screening recorded", "")]


def test_safety_summary_shows_free_text_answers_shortened_and_unchanged(questionnaire):
    long_text = "<b>Amoxicillin</b> & \"co-amoxiclav\": swelling of the lips and tongue, needed hospital care"
    (item,) = [i for i in safety_summary(questionnaire, {"allergy_other": long_text, "weight_kg": 80}, "male")
               if i.key == "allergy_other"]
    assert item.level == "alert"
    assert item.text.startswith("Other allergy: <b>Amoxicillin</b> & \"co-amoxiclav\"")
    assert item.text.endswith("…") and len(item.text) == len("Other allergy: ") + 60
    unsure = safety_summary(questionnaire, {"possibly_pregnant": "unknown", "pregnant": False, "weight_kg": 60},
                            "female")
    assert SummaryItem("caution", "Pregnancy not ruled out", "possibly_pregnant") in unsure
