"""One fact, one place: the questionnaire and the rules are walked together, and a fact a rule needs
that is asked by two questions must be reconciled (both read, linked by "implies", contradictions ruled)."""

from __future__ import annotations

import copy
import json

import pytest

from mesoplan.errors import ValidationError
from mesoplan.paths import read_resource_text
from mesoplan.safety import default_rules, load_rules
from mesoplan.safety.consistency import askers, unreconciled_overlaps
from mesoplan.safety.questionnaire_file import parse_questionnaire
from mesoplan.safety.rules import default_env
from mesoplan.screening import default_questionnaire, validate_answers

SCREENING = json.loads(read_resource_text("screening.json"))
RULES = json.loads(read_resource_text("rules.json"))


def test_shipped_questionnaire_and_rules_ask_each_needed_fact_once_or_reconcile_it():
    questionnaire, rules = default_questionnaire(), default_rules()
    assert unreconciled_overlaps(questionnaire, rules.rules) == []
    needed = {fact for rule in rules.rules for key in rule.reads
              for fact in questionnaire.question(key).fact_names}
    for fact, questions in askers(questionnaire).items():
        if fact in needed and len(questions) > 1:
            keys = {q.key for q in questions}
            for rule in rules.rules:
                if keys & set(rule.reads):
                    assert keys <= set(rule.reads), f"{rule.id} reads only part of {sorted(keys)}"


def test_contraception_kind_and_hormone_question_are_one_reconciled_fact():
    questionnaire = default_questionnaire()
    overlap = {q.key for q in askers(questionnaire)["hormonal_contraception"]}
    assert overlap == {"contraception", "hormonal_contraception_hrt"}
    assert {"contraception", "hormonal_contraception_hrt"} <= set(default_rules().get("R24").reads)


def test_every_question_a_rule_reads_is_a_safety_question_that_takes_not_sure():
    questionnaire = default_questionnaire()
    for rule in default_rules().rules:
        for key in rule.reads:
            question = questionnaire.question(key)
            assert question.safety, f"{rule.id} reads {key}"
    for question in questionnaire.questions():
        if question.safety:
            assert validate_answers(questionnaire, {question.key: "not sure"}) == {question.key: "unknown"}


def _with_second_weight_question() -> dict:
    data = copy.deepcopy(SCREENING)
    body = next(s for s in data["sections"] if s["key"] == "body")
    body["questions"].append({"key": "weight_again", "label": "How much do you weigh?", "kind": "number",
                              "facts": ["weight"], "safety": True,
                              "glance": {"answered": {"text": "Weighs {answer}", "level": "info"}}})
    first = next(q for s in data["sections"] for q in s["questions"] if q["key"] == "weight_kg")
    first["facts"] = ["weight"]
    return data


def test_a_fact_asked_twice_without_reconciliation_is_refused():
    questionnaire = parse_questionnaire(_with_second_weight_question())
    problems = unreconciled_overlaps(questionnaire, [])
    assert problems == []  # no rule needs the fact yet

    class Reader:
        id, when, reads = "X01", {"answer_true": ["weight_kg"]}, ("weight_kg",)

    found = [str(p) for p in unreconciled_overlaps(questionnaire, [Reader()])]
    assert any("X01 reads only some" in p and "weight_again" in p for p in found)
    assert any("not linked by \"implies\"" in p for p in found)
    assert any("answers_contradict" in p for p in found)


def test_loading_rules_refuses_a_rule_reading_half_of_an_overlap():
    data = copy.deepcopy(RULES)
    r24 = next(r for r in data["rules"] if r["id"] == "R24")
    r24["when"]["all"][1]["any"].pop()  # forget the kind of contraception again
    with pytest.raises(ValidationError) as caught:
        load_rules(json.dumps(data))
    assert any("R24 reads only some" in str(p) and "contraception" in str(p) for p in caught.value.problems)


def test_loading_rules_refuses_a_rule_reading_a_question_not_marked_safety():
    data = copy.deepcopy(SCREENING)
    acne = next(q for s in data["sections"] for q in s["questions"] if q["key"] == "acne_rosacea")
    assert not acne.get("safety")
    env = default_env(parse_questionnaire(data))
    rules = copy.deepcopy(RULES)
    rules["rules"].append({"id": "X02", "title": "Acne", "severity": "info", "explanation": "Because {answer}.",
                           "source": "test", "when": {"answer_true": ["acne_rosacea"]}})
    with pytest.raises(ValidationError) as caught:
        load_rules(json.dumps(rules), env)
    assert any("acne_rosacea" in str(p) and "safety question" in str(p) for p in caught.value.problems)
