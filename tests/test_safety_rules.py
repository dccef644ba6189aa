"""Each shipped safety rule (R01–R39): one case that triggers it and one near miss that must not."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from mesoplan.safety import (
    AnaestheticFacts,
    BatchFacts,
    ConsentFacts,
    ConsentFormFacts,
    ItemFacts,
    PatientFacts,
    PlanFacts,
    SessionFacts,
    default_rules,
    evaluate,
)

TODAY = dt.date(2025, 6, 2)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def item(code: str, *tags: str, name: str = "", **changes) -> ItemFacts:
    return ItemFacts(code, name or code.replace("_", " ").capitalize(), "test", frozenset(tags), **changes)


VITAMIN = item("vitamin_b5", name="Dexpanthenol")
HYALURONIDASE = item("hyaluronidase", "hyaluronidase", "refrigerate", name="Hyaluronidase")
LIDOCAINE = item("lidocaine", "amide_local_anaesthetic", name="Lidocaine 1%")
PROCAINE = item("procaine", "ester_local_anaesthetic", name="Procaine 2%")
FINASTERIDE = item("finasteride", "five_alpha_reductase_inhibitor", "teratogen", name="Finasteride")
DUTASTERIDE = item("dutasteride", "five_alpha_reductase_inhibitor", "dutasteride", "teratogen", name="Dutasteride")
RETINOL = item("retinol", "retinoid", name="Retinol")
PHOSPHATIDYLCHOLINE = item("phosphatidylcholine", "phosphatidylcholine", "lipolytic")
DEOXYCHOLATE = item("deoxycholic_acid", "deoxycholate", "lipolytic", min_interval_days=28)
OILY_VITAMIN_E = item("vitamin_e_oil", vehicle="oil", name="Vitamin E (oily)")
GROWTH_FACTOR = item("egf", "growth_factor", name="EGF")
HYALURONIC_ACID = item("ha_12", "hyaluronic_acid", name="Hyaluronic acid 12 mg/mL")
CHAMOMILE = item("chamomile", "asteraceae", name="Chamomile extract")
TRANEXAMIC_ACID = item("txa", "tranexamic_acid", name="Tranexamic acid")
MINOXIDIL = item("minoxidil", "minoxidil", name="Minoxidil 0.5%")
THYROXINE = item("thyroxine", "thyroid_hormone", "hormone", name="Thyroxine")
PROGESTERONE = item("progesterone", "hormone", name="Progesterone")
VITAMIN_C = item("vitamin_c", "vitamin_c", "acidic", name="Vitamin C")
VITAMIN_C_SULFITE = item("vitamin_c_sulfite", "vitamin_c", "sulfite", name="Vitamin C (with sulfite)")

ADULT = PatientFacts(age_years=40, sex="male", answers={}, screening_id=1, screening_date=TODAY, weight_kg=70.0)


def patient(answers: dict | None = None, **changes) -> PatientFacts:
    return replace(ADULT, answers=answers or {}, **changes)


def woman(answers: dict | None = None, **changes) -> PatientFacts:
    return patient(answers, sex="female", **changes)


def plan(*items: ItemFacts, **changes) -> PlanFacts:
    """A plan that raises nothing by itself: one future session, consent covering every item."""
    items = items or (VITAMIN,)
    base = PlanFacts(
        items=items, component_count=len(items), technique="point_by_point", depth_mm=None,
        regions=frozenset({"face"}), sessions=(SessionFacts(1, day(7), "planned", regions=frozenset({"face"})),),
        anaesthetic=None, consent=ConsentFacts(TODAY, frozenset(i.code for i in items)),
        jurisdiction="GB-ENG", today=TODAY,
    )
    return replace(base, **changes)


def fired(patient_facts: PatientFacts, plan_facts: PlanFacts) -> set[str]:
    return {f.rule_id for f in evaluate(default_rules(), patient_facts, plan_facts)}


def anaesthetic(exceeded: bool) -> AnaestheticFacts:
    total = 400.0 if exceeded else 100.0
    return AnaestheticFacts(total, total / 70, 4.5, 300.0, False, exceeded, f"lidocaine {total:g} mg")


def sessions_apart(days: int, *, middle_cancelled: bool = False) -> tuple[SessionFacts, ...]:
    first = SessionFacts(1, day(1), "planned")
    if middle_cancelled:
        return (first, SessionFacts(2, day(2), "cancelled"), SessionFacts(3, day(1 + days), "planned"))
    return (first, SessionFacts(2, day(1 + days), "planned"))


def done_session(*batches: BatchFacts, on: dt.date = TODAY) -> tuple[SessionFacts, ...]:
    return (SessionFacts(1, on, "done", batches=batches),)


TRIGGERS = [
    pytest.param("R01", woman({"pregnant": True}), plan(), id="R01 pregnant with a cocktail"),
    pytest.param("R01", woman({"breastfeeding": True}), plan(), id="R01 breastfeeding"),
    pytest.param("R02", woman({"child_bearing_potential": True}), plan(FINASTERIDE), id="R02 finasteride, could conceive"),
    pytest.param("R02", woman({}), plan(DUTASTERIDE), id="R02 dutasteride, potential not answered"),
    pytest.param("R02", patient({"child_bearing_potential": "unknown"}, sex="unknown"), plan(FINASTERIDE),
                 id="R02 sex unknown, potential not sure"),
    pytest.param("R03", patient(), plan(DUTASTERIDE), id="R03 man on dutasteride"),
    pytest.param("R04", woman({"planning_pregnancy": True, "child_bearing_potential": True}), plan(RETINOL),
                 id="R04 retinoid while planning pregnancy"),
    pytest.param("R05", patient({"allergy_bee_wasp_venom": True}), plan(HYALURONIDASE), id="R05 venom allergy"),
    pytest.param("R06", patient({"active_cancer": True}), plan(HYALURONIDASE), id="R06 hyaluronidase, cancer"),
    pytest.param("R06", patient({"dopamine_alpha_agonist": True}), plan(HYALURONIDASE), id="R06 alpha-agonist"),
    pytest.param("R07", patient({"allergy_paraben": True}), plan(PROCAINE), id="R07 procaine, paraben allergy"),
    pytest.param("R08", patient({"allergy_amide_la": True}), plan(LIDOCAINE), id="R08 lidocaine, confirmed allergy"),
    pytest.param("R09", patient(), plan(LIDOCAINE, anaesthetic=anaesthetic(True)), id="R09 dose exceeded"),
    pytest.param("R10", patient(), plan(PHOSPHATIDYLCHOLINE, LIDOCAINE), id="R10 PC with lidocaine"),
    pytest.param("R11", patient(), plan(DEOXYCHOLATE, LIDOCAINE), id="R11 lidocaine in a lipolytic mix"),
    pytest.param("R12", patient(), plan(OILY_VITAMIN_E, technique="nappage"), id="R12 oil by nappage"),
    pytest.param("R12", patient(), plan(OILY_VITAMIN_E, technique="", depth_mm=2.0), id="R12 oil at 2 mm"),
    pytest.param("R13", patient(), plan(DEOXYCHOLATE, technique="hypodermic", sessions=sessions_apart(14)),
                 id="R13 deoxycholate 14 days apart"),
    pytest.param("R13", patient(), plan(replace(VITAMIN, min_interval_days=7), sessions=sessions_apart(5)),
                 id="R13 catalog minimum of 7 days"),
    pytest.param("R14", patient(), plan(DEOXYCHOLATE, technique="papule"), id="R14 deoxycholate in papules"),
    pytest.param("R15", patient({"anticoagulant": True}), plan(), id="R15 anticoagulant"),
    pytest.param("R15", patient({"bleeding_disorder": True}), plan(), id="R15 bleeding disorder"),
    pytest.param("R16", patient({"cold_sore_at_site": True}), plan(), id="R16 cold sore today"),
    pytest.param("R16", patient({"sunburn_or_broken_skin_at_site": True}), plan(), id="R16 sunburn today"),
    pytest.param("R17", patient({"active_cancer": True}), plan(GROWTH_FACTOR), id="R17 growth factor, cancer"),
    pytest.param("R18", patient({"immunosuppressant": True}), plan(), id="R18 immunosuppressant"),
    pytest.param("R19", patient({"keloid_scarring": True}), plan(), id="R19 keloid"),
    pytest.param("R20", patient({"diabetes": "insulin"}), plan(), id="R20 diabetes on insulin"),
    pytest.param("R21", patient(age_years=17), plan(HYALURONIC_ACID), id="R21 HA at 17 in England"),
    pytest.param("R21", patient(age_years=None), plan(HYALURONIC_ACID), id="R21 HA, age unknown, England"),
    pytest.param("R22", patient(age_years=16), plan(), id="R22 age 16"),
    pytest.param("R22", patient(age_years=None), plan(), id="R22 age not recorded"),
    pytest.param("R23", patient({"allergy_compositae": True}), plan(CHAMOMILE), id="R23 chamomile, Compositae"),
    pytest.param("R24", patient({"smoker": "current"}), plan(TRANEXAMIC_ACID), id="R24 TXA, smoker"),
    pytest.param("R24", woman({"hormonal_contraception_hrt": True}), plan(TRANEXAMIC_ACID), id="R24 TXA, HRT"),
    pytest.param("R25", patient({"low_blood_pressure": True}), plan(MINOXIDIL), id="R25 minoxidil, low BP"),
    pytest.param("R26", patient(), plan(THYROXINE), id="R26 thyroid hormone"),
    pytest.param("R27", patient({"g6pd_deficiency": True}), plan(VITAMIN_C), id="R27 vitamin C, G6PD"),
    pytest.param("R28", patient({"isotretinoin_stopped_on": day(-90).isoformat()}), plan(),
                 id="R28 isotretinoin stopped 3 months ago"),
    pytest.param("R28", patient({"isotretinoin_current": True}), plan(), id="R28 isotretinoin now"),
    pytest.param("R29", patient({"recent_resurfacing_on": day(-10).isoformat()}), plan(), id="R29 peel 10 days ago"),
    pytest.param("R29", patient({"recent_surgery_on": day(-60).isoformat()}), plan(), id="R29 surgery 2 months ago"),
    pytest.param("R30", patient({"alopecia_areata": True}), plan(regions=frozenset({"scalp"})),
                 id="R30 scalp, alopecia areata"),
    pytest.param("R31", patient(), plan(sessions=done_session(BatchFacts("L1", day(-1), "Dexpanthenol", "vitamin_b5"))),
                 id="R31 batch expired the day before"),
    pytest.param("R32", patient(), plan(sessions=done_session()), id="R32 done session, no batch"),
    pytest.param("R32", patient(), plan(VITAMIN, HYALURONIDASE, sessions=done_session(
        BatchFacts("L1", day(300), "Dexpanthenol", "vitamin_b5"))), id="R32 one of two items has no batch"),
    pytest.param("R33", patient(), plan(consent=None), id="R33 no consent"),
    pytest.param("R33", patient(), plan(VITAMIN, LIDOCAINE, consent=ConsentFacts(TODAY, frozenset({"vitamin_b5"}))),
                 id="R33 consent does not name lidocaine"),
    pytest.param("R33", patient(), plan(consent=ConsentFacts(day(-400), frozenset({"vitamin_b5"}))),
                 id="R33 consent 13 months old"),
    pytest.param("R34", patient(), plan(VITAMIN, VITAMIN_C, HYALURONIC_ACID), id="R34 three components"),
    pytest.param("R35", patient({"unresolved_bruising": True}), plan(), id="R35 bruise still there"),
    pytest.param("R36", patient({"allergy_sulfite": True}), plan(VITAMIN_C_SULFITE), id="R36 sulfite allergy"),
    pytest.param("R37", patient(screening_id=None, screening_date=None), plan(), id="R37 no screening"),
    pytest.param("R38", patient(screening_date=day(-220)), plan(), id="R38 screening 7 months old"),
    pytest.param("R39", patient(weight_kg=None), plan(LIDOCAINE), id="R39 lidocaine, no weight"),
]

NEAR_MISSES = [
    pytest.param("R01", woman({"pregnant": True}), plan(items=()), id="R01 pregnant but nothing in the cocktail"),
    pytest.param("R01", woman({"possibly_pregnant": "unknown"}), plan(), id="R01 possibly pregnant: not sure"),
    pytest.param("R02", woman({"child_bearing_potential": False}), plan(FINASTERIDE), id="R02 woman who cannot conceive"),
    pytest.param("R02", patient(), plan(FINASTERIDE), id="R02 man on finasteride"),
    pytest.param("R03", woman({"child_bearing_potential": False}), plan(DUTASTERIDE), id="R03 woman on dutasteride"),
    pytest.param("R03", patient(), plan(FINASTERIDE), id="R03 man on finasteride only"),
    pytest.param("R04", woman({"planning_pregnancy": True}), plan(VITAMIN), id="R04 planning, no retinoid"),
    pytest.param("R04", woman({"child_bearing_potential": True}), plan(RETINOL), id="R04 retinoid, not planning"),
    pytest.param("R05", patient({"allergy_bee_wasp_venom": True}), plan(VITAMIN), id="R05 venom allergy, no enzyme"),
    pytest.param("R05", patient({"allergy_bee_wasp_venom": False}), plan(HYALURONIDASE), id="R05 enzyme, no allergy"),
    pytest.param("R06", patient({"cancer_history": "Breast, 2010"}), plan(HYALURONIDASE), id="R06 past cancer only"),
    pytest.param("R07", patient({"allergy_ester_la": True}), plan(LIDOCAINE), id="R07 ester allergy, amide used"),
    pytest.param("R08", patient({"allergy_amide_la": "unknown"}), plan(LIDOCAINE), id="R08 allergy not confirmed"),
    pytest.param("R09", patient(), plan(LIDOCAINE, anaesthetic=anaesthetic(False)), id="R09 dose within limit"),
    pytest.param("R10", patient(), plan(PHOSPHATIDYLCHOLINE, PROCAINE), id="R10 PC with procaine"),
    pytest.param("R11", patient(), plan(HYALURONIC_ACID, LIDOCAINE), id="R11 lidocaine without lipolytic"),
    pytest.param("R12", patient(), plan(OILY_VITAMIN_E, technique="hypodermic", depth_mm=8.0),
                 id="R12 oil but deep, not intradermal"),
    pytest.param("R12", patient(), plan(VITAMIN, technique="nappage"), id="R12 aqueous by nappage"),
    pytest.param("R13", patient(), plan(DEOXYCHOLATE, technique="hypodermic", sessions=sessions_apart(28)),
                 id="R13 deoxycholate 28 days apart"),
    pytest.param("R13", patient(), plan(replace(VITAMIN, min_interval_days=7),
                                        sessions=sessions_apart(8, middle_cancelled=True)),
                 id="R13 cancelled session in between is ignored"),
    pytest.param("R14", patient(), plan(DEOXYCHOLATE, technique="hypodermic", depth_mm=8.0),
                 id="R14 deoxycholate into fat"),
    pytest.param("R15", patient({"nsaid": True}), plan(), id="R15 only NSAIDs"),
    pytest.param("R16", patient({"cold_sore_history": True}), plan(), id="R16 cold sores in the past"),
    pytest.param("R17", patient({"cancer_history": "Melanoma 2015"}), plan(GROWTH_FACTOR), id="R17 past cancer"),
    pytest.param("R18", patient({"psychiatric_illness": True}), plan(), id="R18 other condition"),
    pytest.param("R19", patient({"keloid_scarring": False}), plan(), id="R19 no keloid"),
    pytest.param("R20", patient({"diabetes": "tablets"}), plan(), id="R20 diabetes on tablets"),
    pytest.param("R21", patient(age_years=17), plan(HYALURONIC_ACID, jurisdiction="ES"), id="R21 outside England"),
    pytest.param("R21", patient(age_years=18), plan(HYALURONIC_ACID), id="R21 just 18"),
    pytest.param("R22", patient(age_years=18), plan(), id="R22 age 18"),
    pytest.param("R23", patient(), plan(CHAMOMILE), id="R23 chamomile, no allergy"),
    pytest.param("R24", patient({"smoker": "former"}), plan(TRANEXAMIC_ACID), id="R24 former smoker"),
    pytest.param("R24", patient({"vte_history": True}), plan(VITAMIN), id="R24 clot history, no TXA"),
    pytest.param("R25", patient({"high_blood_pressure": "uncontrolled"}), plan(MINOXIDIL), id="R25 high BP"),
    pytest.param("R26", patient(), plan(PROGESTERONE), id="R26 other hormone"),
    pytest.param("R27", patient({"kidney_disease": True}), plan(VITAMIN_C), id="R27 kidney disease, not stones"),
    pytest.param("R28", patient({"isotretinoin_stopped_on": day(-210).isoformat()}), plan(),
                 id="R28 isotretinoin stopped 7 months ago"),
    pytest.param("R29", patient({"recent_resurfacing_on": day(-40).isoformat()}), plan(), id="R29 peel 40 days ago"),
    pytest.param("R30", patient({"alopecia_areata": True}), plan(), id="R30 alopecia areata, face plan"),
    pytest.param("R31", patient(), plan(sessions=done_session(BatchFacts("L1", TODAY, "Dexpanthenol", "vitamin_b5"))),
                 id="R31 batch expires on the session day"),
    pytest.param("R32", patient(), plan(sessions=done_session(), batch_required=False), id="R32 clinic does not require"),
    pytest.param("R32", patient(), plan(sessions=done_session(BatchFacts("L1", day(300), "DEXPANTHENOL"))),
                 id="R32 batch matched by name"),
    pytest.param("R32", patient(), plan(sessions=(SessionFacts(1, day(7), "planned"),)), id="R32 planned session"),
    pytest.param("R33", patient(), plan(replace(VITAMIN, via_product="cocktail_x"),
                                        consent=ConsentFacts(TODAY, frozenset({"cocktail_x"}))),
                 id="R33 consent names the product"),
    pytest.param("R34", patient(), plan(VITAMIN, VITAMIN_C), id="R34 two components"),
    pytest.param("R35", patient({"unresolved_bruising": False}), plan(), id="R35 no bruise"),
    pytest.param("R36", patient({"allergy_sulfite": True}), plan(VITAMIN_C), id="R36 sulfite allergy, no sulfite"),
    pytest.param("R37", patient(screening_id=None, screening_date=None, answers={"smoker": "never"}), plan(),
                 id="R37 unsaved screening with answers"),
    pytest.param("R38", patient(screening_date=day(-150)), plan(), id="R38 screening 5 months old"),
    pytest.param("R39", patient(weight_kg=70.0), plan(LIDOCAINE), id="R39 weight recorded"),
]


# R70–R79: consent signatures read against the forms issued, expired batches recorded as corrections.
FORM = ConsentFormFacts(day(-3), frozenset({"vitamin_b5"}), frozenset(), None)
CORRECTED = BatchFacts("L1", day(-1), "Dexpanthenol", "vitamin_b5", correction="Lot read from the vial afterwards")
TRIGGERS += [
    pytest.param("R70", patient(), plan(consent=ConsentFacts(day(-5), forms=(FORM,))),
                 id="R70 signed two days before the form was printed"),
    pytest.param("R70", patient(), plan(consent=ConsentFacts(day(-5), forms=())), id="R70 signed, no form issued"),
    pytest.param("R71", patient(), plan(consent=ConsentFacts(day(1), forms=(FORM,))), id="R71 signed tomorrow"),
    pytest.param("R72", patient(), plan(sessions=done_session(CORRECTED)), id="R72 expired batch recorded as a correction"),
]
NEAR_MISSES += [
    pytest.param("R70", patient(), plan(consent=ConsentFacts(day(-3), forms=(FORM,))), id="R70 signed the day it was printed"),
    pytest.param("R70", patient(), plan(consent=ConsentFacts(None, forms=(FORM,))), id="R70 printed, not signed"),
    pytest.param("R71", patient(), plan(consent=ConsentFacts(TODAY, forms=(FORM,))), id="R71 signed today"),
    pytest.param("R72", patient(), plan(sessions=(SessionFacts(1, day(7), "planned", batches=(CORRECTED,)),)),
                 id="R72 a correction on a planned session does not count"),
    pytest.param("R31", patient(), plan(sessions=done_session(CORRECTED)), id="R31 expired batch recorded as a correction"),
]


def test_the_baseline_patient_and_plan_raise_nothing():
    assert fired(ADULT, plan()) == set()


@pytest.mark.parametrize(("rule_id", "patient_facts", "plan_facts"), TRIGGERS)
def test_rule_triggers(rule_id, patient_facts, plan_facts):
    assert rule_id in fired(patient_facts, plan_facts)


@pytest.mark.parametrize(("rule_id", "patient_facts", "plan_facts"), NEAR_MISSES)
def test_rule_near_miss_does_not_trigger(rule_id, patient_facts, plan_facts):
    assert rule_id not in fired(patient_facts, plan_facts)


def test_every_shipped_rule_has_a_trigger_and_a_near_miss():
    shipped = set(default_rules().ids)
    assert {p.values[0] for p in TRIGGERS} == shipped
    assert {p.values[0] for p in NEAR_MISSES} == shipped


def test_consent_not_covering_is_one_finding_naming_every_missing_item():
    from mesoplan.safety import default_rules, evaluate

    facts = plan(VITAMIN, LIDOCAINE, replace(VITAMIN_C, via_product="cocktail_x", via_product_name="Cocktail X"),
                 consent=ConsentFacts(TODAY, frozenset({"vitamin_b5"})))
    findings = [f for f in evaluate(default_rules(), patient(), facts) if f.rule_id == "R33"]
    assert len(findings) == 1
    assert "Lidocaine" in findings[0].explanation and "Cocktail X" in findings[0].explanation
    assert "Dexpanthenol" not in findings[0].explanation
