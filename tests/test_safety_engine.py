"""The safety engine: loading rules (errors with JSON paths), findings, overrides, ready check, speed."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace

import pytest

from screening_answers import complete
from mesoplan.errors import ValidationError
from mesoplan.paths import read_resource_text
from mesoplan.safety import (
    CAUTION_TAGS,
    Acknowledgement,
    AnaestheticFacts,
    BatchFacts,
    ConsentFacts,
    ItemFacts,
    PatientFacts,
    PlanFacts,
    SessionFacts,
    apply_overrides,
    default_rules,
    evaluate,
    load_rules,
    ready_check,
)
from mesoplan.screening import default_questionnaire
from mesoplan.safety.rules import condition_kinds_known

TODAY = dt.date(2025, 6, 2)
HYALURONIDASE = ItemFacts("hyaluronidase", "Hyaluronidase", "enzyme", frozenset({"hyaluronidase"}))
VITAMIN = ItemFacts("vitamin_b5", "Dexpanthenol", "vitamin", frozenset())
ADULT = PatientFacts(40, "female", complete({"child_bearing_potential": False}), 1, TODAY, 65.0)


def plan(*items: ItemFacts, **changes) -> PlanFacts:
    base = PlanFacts(items, len(items), "point_by_point", None, frozenset({"face"}),
                     (SessionFacts(1, TODAY + dt.timedelta(days=7), "planned"),), None,
                     ConsentFacts(TODAY, frozenset(i.code for i in items)), "GB-ENG", TODAY)
    return replace(base, **changes)


def rules_text(*rules: dict) -> str:
    return json.dumps({"version": "test", "rules": list(rules)})


def rule(when, **changes) -> dict:
    base = {"id": "X01", "title": "Test rule", "severity": "acknowledge", "explanation": "Because {answer}.",
            "source": "test", "when": when}
    base.update(changes)
    return base


def problems_of(text: str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        load_rules(text)
    return [str(p) for p in caught.value.problems]


# --- loading -------------------------------------------------------------------------------------


def test_shipped_rules_name_only_known_answer_keys_and_tags():
    data = json.loads(read_resource_text("rules.json"))
    questionnaire = default_questionnaire()
    keys, tags = set(), set()

    def walk(node):
        if isinstance(node, dict):
            for kind, value in node.items():
                if kind in ("answer_true", "answer_not_false"):
                    keys.update(value)
                elif kind in ("answer_in", "within_days_of_answer_date", "within_months_of_answer_date"):
                    keys.add(value["answer"])
                elif kind in ("ingredient_tags", "cocktail_has_tags"):
                    tags.update(value)
                walk(value)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for shipped in data["rules"]:
        walk(shipped["when"])
    assert keys and tags
    assert {k for k in keys if questionnaire.question(k) is None} == set()
    assert tags - set(CAUTION_TAGS) == set()


def test_rules_file_documents_exactly_the_condition_kinds_the_engine_knows():
    data = json.loads(read_resource_text("rules.json"))
    assert set(data["conditions"]) == set(condition_kinds_known())


def test_shipped_severities_and_ids():
    rules = default_rules()
    assert rules.ids[:35] == tuple(f"R{n:02d}" for n in range(1, 36))
    assert rules.get("R01").severity == "block"
    assert rules.get("R05").severity == "acknowledge" and "BLOCK" in rules.get("R05").note
    assert rules.get("R34").severity == "info"


def test_unknown_condition_kind_is_reported_with_its_path():
    found = problems_of(rules_text(rule({"all": [{"cocktail_not_empty": True}, {"answer_yes": ["pregnant"]}]})))
    assert len(found) == 1
    assert found[0].startswith("rules[0] (X01).when.all[1].answer_yes: 'answer_yes' is not a known condition kind")


def test_unknown_answer_key_and_tag_are_reported_with_their_paths():
    text = rules_text(
        rule({"answer_true": ["pregnant", "allergy_bees"]}),
        rule({"all": [{"ingredient_tags": ["hyaluronidase", "hyaluronidaze"]}]}, id="X02"),
    )
    found = problems_of(text)
    assert found == [
        "rules[0] (X01).when.answer_true[1]: 'allergy_bees' is not a question in screening questionnaire version 1",
        "rules[1] (X02).when.all[0].ingredient_tags[1]: 'hyaluronidaze' is not a known caution tag",
    ]


def test_answer_conditions_check_the_question_kind_and_values():
    text = rules_text(
        rule({"answer_true": ["weight_kg"]}),
        rule({"answer_in": {"answer": "diabetes", "values": ["sometimes"]}}, id="X02"),
        rule({"within_months_of_answer_date": {"answer": "anticoagulant", "months": 6}}, id="X03"),
    )
    found = problems_of(text)
    assert found[0].startswith("rules[0] (X01).when.answer_true[0]: 'weight_kg' is a number question")
    assert found[1].startswith("rules[1] (X02).when.answer_in.values: ['sometimes'] do not fit 'diabetes'")
    assert found[2].startswith("rules[2] (X03).when.within_months_of_answer_date.answer: 'anticoagulant' is a yes_no")


def test_rule_fields_are_checked():
    text = rules_text(
        rule({"cocktail_not_empty": True}, severity="HARD"),
        rule({"cocktail_not_empty": True}, id="X02", explanation="See {patient}."),
        rule({"cocktail_not_empty": True}, id="X01"),
        rule({"regions": ["legs"]}, id="X04", colour="red"),
        rule({"cocktail_not_empty": False}, id="X05"),
    )
    found = problems_of(text)
    assert "rules[0] (X01).severity: 'HARD' is not one of block, acknowledge, info" in found
    assert any(p.startswith("rules[1] (X02).explanation: {patient} is not a placeholder") for p in found)
    assert "rules[2] (X01).id: 'X01' is used by another rule" in found
    assert "rules[3] (X04).colour: is not a known rule field" in found
    assert "rules[3] (X04).when.regions[0]: 'legs' is not a known region" in found
    assert any(p.startswith("rules[4] (X05).when.cocktail_not_empty: must be true") for p in found)


def test_broken_json_is_a_validation_error():
    with pytest.raises(ValidationError, match="not valid JSON"):
        load_rules("{")


# --- findings ------------------------------------------------------------------------------------


def test_finding_names_ingredient_and_answer():
    patient = replace(ADULT, answers=complete({"allergy_bee_wasp_venom": True, "child_bearing_potential": False}))
    (finding,) = [f for f in evaluate(default_rules(), patient, plan(HYALURONIDASE)) if f.rule_id == "R05"]
    assert finding.subject == "hyaluronidase"
    assert finding.trigger == "Hyaluronidase + answer 'Allergy to bee or wasp stings: yes'"
    assert finding.severity == "acknowledge"
    assert finding.source.startswith("DOMAIN §1.4")


def test_one_finding_per_triggering_ingredient_and_one_per_ingredient_code():
    finasteride = ItemFacts("finasteride", "Finasteride", "hair_drug",
                            frozenset({"five_alpha_reductase_inhibitor"}))
    dutasteride = ItemFacts("dutasteride", "Dutasteride", "hair_drug",
                            frozenset({"five_alpha_reductase_inhibitor", "dutasteride"}))
    in_product = replace(dutasteride, via_product="hair_mix", via_product_name="Hair Mix")
    patient = replace(ADULT, answers=complete({"child_bearing_potential": True}))
    findings = [f for f in evaluate(default_rules(), patient, plan(finasteride, dutasteride, in_product))
                if f.rule_id == "R02"]
    assert sorted(f.subject for f in findings) == ["dutasteride", "finasteride"]
    merged = next(f for f in findings if f.subject == "dutasteride")
    assert merged.trigger.startswith("Dutasteride + Dutasteride (in Hair Mix) + answer")


def test_findings_are_sorted_block_then_acknowledge_then_info_and_placeholders_filled():
    patient = PatientFacts(16, "female", {"pregnant": True, "anticoagulant": True, "unresolved_bruising": True},
                           1, TODAY, None)
    findings = evaluate(default_rules(), patient, plan(HYALURONIDASE, VITAMIN, consent=None))
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=["block", "acknowledge", "info"].index)
    assert {"block", "acknowledge", "info"} <= set(severities)
    assert all("{" not in f.explanation and f.explanation[0].isupper() for f in findings)
    r01 = next(f for f in findings if f.rule_id == "R01")
    assert "Pregnant: yes" in r01.explanation and r01.subject == "plan"


def test_computed_details_read_as_part_of_a_sentence():
    dose = AnaestheticFacts(400.0, 8.0, 4.5, 300.0, False, True, "Lidocaine: 400 mg, that is 8 mg/kg.")
    lidocaine = ItemFacts("lidocaine", "Lidocaine 1%", "local_anaesthetic", frozenset({"amide_local_anaesthetic"}))
    (finding,) = [f for f in evaluate(default_rules(), ADULT, plan(lidocaine, anaesthetic=dose)) if f.rule_id == "R09"]
    assert finding.trigger == "Lidocaine 1% + Lidocaine: 400 mg, that is 8 mg/kg"
    assert "that is 8 mg/kg. Too much" in finding.explanation and ".." not in finding.explanation
    (reason,) = ready_check([finding], []).reasons
    assert ".." not in reason


def test_session_and_batch_findings_have_their_own_subjects():
    batches = (BatchFacts("A1", TODAY - dt.timedelta(days=3), "Dexpanthenol", "vitamin_b5"),
               BatchFacts("B2", TODAY - dt.timedelta(days=1), "Dexpanthenol", "vitamin_b5"))
    sessions = (SessionFacts(4, TODAY, "done", batches=batches),)
    findings = [f for f in evaluate(default_rules(), ADULT, plan(VITAMIN, sessions=sessions)) if f.rule_id == "R31"]
    assert [f.subject for f in findings] == ["session 4 / lot A1", "session 4 / lot B2"]
    assert "expired on 2025-05-30" in findings[0].trigger


def test_interval_findings_come_one_per_session_in_session_order():
    deoxycholate = ItemFacts("deoxycholic_acid", "Deoxycholic acid", "lipolytic", frozenset({"deoxycholate"}))
    vitamin = replace(VITAMIN, min_interval_days=21)
    sessions = tuple(SessionFacts(n, TODAY + dt.timedelta(days=14 * (n - 1)), "planned") for n in range(1, 12))
    findings = [f for f in evaluate(default_rules(), ADULT, plan(deoxycholate, vitamin, sessions=sessions))
                if f.rule_id == "R13"]
    assert [f.subject for f in findings] == [f"session {n}" for n in range(2, 12)]
    assert findings[0].trigger == ("Deoxycholic acid + Dexpanthenol + session 2 on 2025-06-16 comes 14 days after "
                                   "session 1, but Deoxycholic acid needs 28 days, Dexpanthenol needs 21 days")


def test_interval_condition_parameters_are_checked():
    found = problems_of(rules_text(rule({"interval_below_min_days": {"days": 28}})))
    assert len(found) == 1 and found[0].startswith("rules[0] (X01).when.interval_below_min_days: must be true")
    found = problems_of(rules_text(rule({"interval_below_min_days": {"days": 0, "tags": ["lipolysis"]}})))
    assert found == ["rules[0] (X01).when.interval_below_min_days.days: 0 must be a whole number above 0",
                     "rules[0] (X01).when.interval_below_min_days.tags[0]: 'lipolysis' is not a known caution tag"]


def test_patient_text_in_answers_is_carried_as_data():
    text = "<b>Ampicillin</b> & \"penicillin\" {detail}"
    patient = replace(ADULT, answers=complete({"allergy_other": text, "child_bearing_potential": False}))
    assert evaluate(default_rules(), patient, plan(VITAMIN)) == ()


# --- overrides and readiness --------------------------------------------------------------------


def test_overrides_reclassify_and_switch_off_rules():
    patient = replace(ADULT, answers=complete({"allergy_bee_wasp_venom": True, "child_bearing_potential": False}))
    many = plan(HYALURONIDASE, VITAMIN, ItemFacts("c", "C", "vitamin", frozenset()))
    rules = apply_overrides(default_rules(), {"R05": ("block", True), "R34": (None, False), "R99": ("info", True)})
    by_rule = {f.rule_id: f for f in evaluate(rules, patient, many)}
    assert by_rule["R05"].severity == "block"
    assert "R34" not in by_rule
    assert rules.get("R05").shipped_severity == "acknowledge"
    back = apply_overrides(rules, {"R05": (None, True)})
    assert back.get("R05").severity == "acknowledge"
    assert default_rules().get("R05").severity == "acknowledge"  # the shipped set is untouched


def test_compile_rules_applies_overrides_to_the_shipped_rules():
    from mesoplan.safety.engine import compile_rules, evaluate_rules

    rules = compile_rules({"R01": ("acknowledge", True), "R34": (None, False)})
    assert rules.get("R01").severity == "acknowledge" and not rules.get("R34").enabled
    assert compile_rules().ids == default_rules().ids
    patient = replace(ADULT, answers=complete({"pregnant": True}))
    assert [f.severity for f in evaluate_rules(rules, patient, plan(VITAMIN))] == ["acknowledge"]


def test_override_with_unknown_severity_is_refused():
    with pytest.raises(ValidationError, match="rule R05: 'HARD' is not one of block, acknowledge, info"):
        apply_overrides(default_rules(), {"R05": ("HARD", True)})


def _findings_for_ready_check():
    patient = replace(ADULT, answers=complete({"allergy_bee_wasp_venom": True, "anticoagulant": True,
                                      "unresolved_bruising": True, "child_bearing_potential": False}))
    return evaluate(default_rules(), patient, plan(HYALURONIDASE))


def test_ready_check_needs_a_reason_for_every_acknowledge_finding():
    findings = _findings_for_ready_check()
    assert {(f.rule_id, f.severity) for f in findings} == {("R05", "acknowledge"), ("R15", "acknowledge"),
                                                          ("R35", "info")}
    verdict = ready_check(findings, [Acknowledgement("R05", "hyaluronidase", "Skin test negative"),
                                     Acknowledgement("R15", "plan", "   ")])
    assert not verdict.can_be_ready
    assert [f.rule_id for f in verdict.unacknowledged] == ["R15"]
    assert len(verdict.reasons) == 1 and "Acknowledge it with a reason" in verdict.reasons[0]
    wrong_subject = ready_check(findings, [Acknowledgement("R05", "lidocaine", "x"),
                                           Acknowledgement("R15", "plan", "Warned about bruising")])
    assert [f.rule_id for f in wrong_subject.unacknowledged] == ["R05"]
    done = ready_check(findings, [Acknowledgement("R05", "hyaluronidase", "Skin test negative"),
                                  Acknowledgement("R15", "plan", "Warned about bruising")])
    assert done.can_be_ready and done.reasons == []


def test_block_findings_cannot_be_acknowledged_away():
    patient = replace(ADULT, answers=complete({"pregnant": True}))
    findings = evaluate(default_rules(), patient, plan(VITAMIN))
    verdict = ready_check(findings, [Acknowledgement("R01", "plan", "Patient insists")])
    assert not verdict.can_be_ready
    assert [f.rule_id for f in verdict.blocking] == ["R01"]
    assert "cannot be acknowledged" in verdict.reasons[0]
    relaxed = apply_overrides(default_rules(), {"R01": ("acknowledge", True)})
    again = ready_check(evaluate(relaxed, patient, plan(VITAMIN)), [Acknowledgement("R01", "plan", "Policy")])
    assert again.can_be_ready


# --- purity -----------------------------------------------------------------------------


def test_safety_and_screening_import_neither_qt_nor_sqlalchemy():
    code = ("import sys, mesoplan.safety, mesoplan.screening; "
            "print([m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
