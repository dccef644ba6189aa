"""Safety screening: rules as data, evaluated against a patient and a plan (pure, no Qt or database).

Typical use: ``evaluate(apply_overrides(default_rules(), clinic_overrides), patient, plan)`` and then
``ready_check(findings, acknowledgements)`` before a plan is marked ready.
"""

from mesoplan.safety.engine import (
    Acknowledgement,
    Finding,
    ReadyVerdict,
    compile_rules,
    evaluate,
    ready_check,
)
from mesoplan.safety.facts import (
    AnaestheticFacts,
    BatchFacts,
    ConsentFacts,
    ConsentFormFacts,
    ItemFacts,
    PatientFacts,
    PlanFacts,
    SessionFacts,
)
from mesoplan.safety.rules import Rule, RuleSet, apply_overrides, default_rules, load_rules
from mesoplan.safety.tags import CAUTION_TAGS, VEHICLES

__all__ = [
    "Acknowledgement", "Finding", "ReadyVerdict", "compile_rules", "evaluate", "ready_check",
    "AnaestheticFacts", "BatchFacts", "ConsentFacts", "ConsentFormFacts", "ItemFacts", "PatientFacts", "PlanFacts",
    "SessionFacts", "Rule", "RuleSet", "apply_overrides", "default_rules", "load_rules",
    "CAUTION_TAGS", "VEHICLES",
]
