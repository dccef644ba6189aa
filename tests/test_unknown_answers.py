"""Unknown is never safe: for every rule that reads a screening answer, and every question it reads,
the answers yes / no / not sure / unanswered (cases built from rules.json and screening.json, so a new
rule or question is covered without editing this file)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from mesoplan.errors import ValidationError
from mesoplan.paths import read_resource_text
from mesoplan.safety import (
    ConsentFacts,
    ItemFacts,
    PatientFacts,
    PlanFacts,
    SessionFacts,
    apply_overrides,
    default_rules,
    evaluate,
    load_rules,
)
from mesoplan.safety.questionnaire import UNKNOWN, Question
from mesoplan.safety.tags import CAUTION_TAGS
from mesoplan.safety.unknown_answers import candidates
from mesoplan.screening import default_questionnaire
from screening_answers import complete

TODAY = dt.date(2025, 6, 2)
QUESTIONNAIRE = default_questionnaire()
EVERYTHING = ItemFacts("everything", "Every-tag ingredient", "test", frozenset(CAUTION_TAGS))
PLAN = PlanFacts(
    items=(EVERYTHING,), component_count=1, technique="point_by_point", depth_mm=None,
    regions=frozenset({"face", "scalp", "body"}),
    sessions=(SessionFacts(1, TODAY + dt.timedelta(days=7), "planned", regions=frozenset({"face", "scalp"})),),
    anaesthetic=None, consent=ConsentFacts(TODAY, frozenset({"everything"})), jurisdiction="GB-ENG", today=TODAY,
)
"""A plan in which every non-answer condition of the shipped rules can hold (every tag, every region)."""


def sex_for(question: Question) -> str:
    sexes = question.show_if.sexes if question.show_if and question.show_if.sexes else None
    return "female" if sexes is None or "female" in sexes else sorted(sexes)[0]


def patient_with(question: Question, value, *, leave_out: bool = False) -> PatientFacts:
    """A complete screening ("no" to everything else) with ``value`` for the question."""
    given = {}
    if question.show_if and question.show_if.answer_true:
        given[question.show_if.answer_true] = True
    given[question.key] = None if leave_out else value
    answers = complete(given, sex_for(question))
    return PatientFacts(40, sex_for(question), answers, 1, TODAY, 70.0)


def firing_answer(rule, question: Question):
    """An answer to the question that makes the rule fire on its own (the "yes" case)."""
    for value in candidates(question, TODAY):
        findings = evaluate([rule], patient_with(question, value), PLAN)
        if any(not f.question and f.rule_id == rule.id for f in findings):
            return value
    return None


CASES = [pytest.param(rule.id, key, id=f"{rule.id}-{key}")
         for rule in default_rules().rules for key in rule.reads]


def test_every_rule_reading_answers_is_covered():
    readers = {rule.id for rule in default_rules().rules if rule.reads}
    assert readers >= {"R01", "R02", "R05", "R06", "R08", "R15", "R16", "R20", "R24", "R28", "R29"}
    assert {p.values[0] for p in CASES} == readers


@pytest.mark.parametrize(("rule_id", "key"), CASES)
def test_yes_no_not_sure_and_unanswered(rule_id, key):
    rule = default_rules().get(rule_id)
    question = QUESTIONNAIRE.question(key)
    assert question.safety, f"{key} is read by {rule_id} and must be a safety question"
    assert question.accepts_not_sure

    def about(findings):
        return [f for f in findings if f.rule_id == rule_id and (f.question == key or question.name in f.trigger)]

    # yes: the rule itself fires
    value = firing_answer(rule, question)
    assert value is not None, f"no answer to {key} makes {rule_id} fire"

    # no: nothing about this question
    no = question.no_value
    if no is not None and no != value:
        assert about(evaluate([rule], patient_with(question, no), PLAN)) == []

    # not sure and unanswered: a finding naming the question, at the rule's severity for unknowns
    for state, patient in (("not sure", patient_with(question, UNKNOWN)),
                           ("not answered", patient_with(question, None, leave_out=True))):
        found = about(evaluate([rule], patient, PLAN))
        assert found, f"{rule_id}: {key} {state} gives no finding"
        for finding in found:
            if finding.question:  # a finding of its own about the unknown answer
                assert finding.answer == state
                assert finding.severity == rule.severity_when_unknown
                assert question.name in finding.title and question.label in finding.explanation
                assert "Confirm" in finding.explanation and "{" not in finding.explanation
            else:  # the rule already treats silence as a yes (answer_not_false)
                assert f"{question.name}: {state}" in finding.trigger


NOT_ASKED_OF_MEN = [p for p in CASES if (q := QUESTIONNAIRE.question(p.values[1])).show_if
                    and q.show_if.sexes and "male" not in q.show_if.sexes]


def test_some_questions_are_not_asked_of_men():
    assert {p.values[1] for p in NOT_ASKED_OF_MEN} >= {"pregnant", "breastfeeding", "contraception"}


@pytest.mark.parametrize(("rule_id", "key"), NOT_ASKED_OF_MEN)
def test_the_question_must_apply_to_the_patient(rule_id, key):
    """Unanswered questions that are not asked of this patient (show_if) raise nothing."""
    answers = complete({}, "male")
    patient = PatientFacts(40, "male", answers, 1, TODAY, 70.0)
    assert [f for f in evaluate(default_rules(), patient, PLAN) if f.question == key] == []


def test_unanswered_needs_the_rest_of_the_rule_to_hold():
    """Lidocaine-allergy question unanswered: a finding only when the cocktail has an amide anaesthetic."""
    question = QUESTIONNAIRE.question("allergy_amide_la")
    patient = patient_with(question, None, leave_out=True)
    lidocaine = ItemFacts("lidocaine", "Lidocaine", "test", frozenset({"amide_local_anaesthetic"}))
    vitamin = ItemFacts("vitamin", "Vitamin", "test", frozenset())
    with_it = [f for f in evaluate(default_rules(), patient, replace(PLAN, items=(lidocaine,)))
               if f.question == "allergy_amide_la"]
    assert [(f.rule_id, f.severity, f.answer) for f in with_it] == [("R08", "block", "not answered")]
    assert with_it[0].subject == "lidocaine · allergy_amide_la: not answered"
    without = [f for f in evaluate(default_rules(), patient, replace(PLAN, items=(vitamin,)))
               if f.question == "allergy_amide_la"]
    assert without == []


def test_possibly_pregnant_not_sure_blocks_and_says_confirm_before_treatment():
    question = QUESTIONNAIRE.question("possibly_pregnant")
    findings = [f for f in evaluate(default_rules(), patient_with(question, UNKNOWN), PLAN)
                if f.question == "possibly_pregnant"]
    assert [(f.rule_id, f.severity) for f in findings] == [("R01", "block")]
    assert findings[0].title == "Confirm before treatment: Could be pregnant now (not sure)"
    assert "“not sure”" in findings[0].explanation and "Pregnancy or breastfeeding" in findings[0].explanation


def test_severity_for_unknowns_follows_the_data_and_the_clinic():
    rules = default_rules()
    assert rules.get("R35").severity_when_unknown == "acknowledge"  # an info rule: acknowledge by default
    assert rules.get("R15").severity_when_unknown == "acknowledge"
    assert rules.get("R01").severity_when_unknown == "block"
    changed = apply_overrides(rules, {"R15": ("block", True), "R01": (None, False)})
    assert changed.get("R15").severity_when_unknown == "block"
    patient = patient_with(QUESTIONNAIRE.question("pregnant"), None, leave_out=True)
    assert not [f for f in evaluate(changed, patient, PLAN) if f.rule_id == "R01"]


def test_a_rule_can_set_the_severity_of_its_unknown_answers_in_its_data():
    data = json.loads(read_resource_text("rules.json"))
    r35 = next(r for r in data["rules"] if r["id"] == "R35")
    r35["unknown_severity"] = "info"
    rules = load_rules(json.dumps(data))
    patient = patient_with(QUESTIONNAIRE.question("unresolved_bruising"), None, leave_out=True)
    found = [f for f in evaluate(rules, patient, PLAN) if f.question == "unresolved_bruising"]
    assert [(f.rule_id, f.severity) for f in found] == [("R35", "info")]
    r35["unknown_severity"] = "urgent"
    with pytest.raises(ValidationError, match="unknown_severity"):
        load_rules(json.dumps(data))


def test_a_rule_that_fires_already_gets_no_second_finding_for_the_same_thing():
    answers = complete({"pregnant": True, "breastfeeding": None, "child_bearing_potential": True,
                        "contraception": "none"})
    findings = [f for f in evaluate(default_rules(), PatientFacts(30, "female", answers, 1, TODAY, 60.0), PLAN)
                if f.rule_id == "R01"]
    assert [(f.question, f.severity) for f in findings] == [("", "block")]


def test_no_screening_at_all_is_one_finding_not_one_per_question():
    patient = PatientFacts(40, "female", {}, None, None, 70.0)
    findings = evaluate(default_rules(), patient, PLAN)
    assert not [f for f in findings if f.question]
    assert "R37" in {f.rule_id for f in findings} and "R40" not in {f.rule_id for f in findings}
