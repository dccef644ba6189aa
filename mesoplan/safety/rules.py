"""Safety rules as data: loading and checking rules.json, and a clinic's overrides (pure).

Every condition is compiled once at load time, so evaluating all rules on each keystroke stays cheap.
Faults in the file are reported together, each with its JSON path. ``patient_text`` (optional) is the
rule's wording for the patient's consent form; ``explanation`` is written for the clinician.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from types import MappingProxyType
from typing import Any

from mesoplan.errors import Problem, ValidationError
from mesoplan.paths import read_resource_text
from mesoplan.safety import condition_kinds, plan_kinds  # noqa: F401 - registers the condition kinds
from mesoplan.safety.conditions import COMPILERS, Check, CompileEnv, compile_condition, questions_read
from mesoplan.safety.consistency import unreconciled_overlaps
from mesoplan.safety.questionnaire import Questionnaire
from mesoplan.safety.questionnaire_file import default_questionnaire
from mesoplan.safety.tags import KNOWN_TAGS, VEHICLES
from mesoplan.vocabulary import REGIONS, techniques

SEVERITIES = ("block", "acknowledge", "info")
PLACEHOLDERS = ("ingredient", "answer", "detail")
_RULE_FIELDS = {"id", "title", "severity", "explanation", "patient_text", "source", "when", "note", "enabled",
                "unknown_severity"}
_RULE_ID = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Rule:
    """One safety rule. ``shipped_severity`` is the severity in rules.json before any override."""

    id: str
    title: str
    severity: str  # block | acknowledge | info
    explanation: str
    source: str
    when: Mapping[str, Any]
    check: Check = field(compare=False, repr=False)
    note: str = ""
    enabled: bool = True
    shipped_severity: str = ""
    order: int = 0
    patient_text: str = ""
    """Plain words for the patient's form; its placeholders are filled like the explanation's. Empty: none."""
    reads: tuple[str, ...] = ()
    """The screening questions the condition reads (answered "not sure" or not at all: see the engine)."""
    unknown_severity: str = ""
    """Severity of a finding about one of ``reads`` left unanswered or answered "not sure"; empty:
    the rule's own severity when it blocks, else acknowledge (``severity_when_unknown``)."""

    @property
    def severity_when_unknown(self) -> str:
        if self.unknown_severity:
            return self.unknown_severity
        return "block" if self.severity == "block" else "acknowledge"


@dataclass(frozen=True)
class RuleSet:
    version: str
    rules: tuple[Rule, ...]
    questionnaire: Questionnaire | None = field(default=None, compare=False, repr=False)
    """The questionnaire the rules were checked against (None: the shipped one)."""

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)


def default_env(questionnaire: Questionnaire | None = None,
                known_tags: frozenset[str] = KNOWN_TAGS) -> CompileEnv:
    """What shipped rules are checked against: the questionnaire, caution tags, techniques, regions."""
    table = techniques()
    return CompileEnv(
        questionnaire=questionnaire or default_questionnaire(),
        known_tags=frozenset(known_tags),
        intradermal_by_technique=MappingProxyType({c: t.intradermal for c, t in table.items()}),
        technique_labels=MappingProxyType({c: t.label for c, t in table.items()}),
        regions=frozenset(REGIONS),
        vehicles=frozenset(VEHICLES),
    )


@cache
def default_rules() -> RuleSet:
    """The rules shipped in resources/rules.json, compiled once."""
    return load_rules()


def load_rules(text: str | None = None, env: CompileEnv | None = None) -> RuleSet:
    """Parse and compile rules JSON (the shipped file when ``text`` is None)."""
    source = read_resource_text("rules.json") if text is None else text
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"not valid JSON: {exc}", where="safety rules") from None
    return parse_rules(data, env or default_env())


def parse_rules(data: Any, env: CompileEnv) -> RuleSet:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ValidationError("the rules file must be a JSON object", where="safety rules")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append(Problem("version", "give the rules version as text, e.g. \"1\""))
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ValidationError(problems + [Problem("rules", "must be a non-empty list of rules")])
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules):
        rule_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(rule_id, str) and rule_id in seen:
            problems.append(Problem(f"rules[{index}] ({rule_id}).id", f"'{rule_id}' is used by another rule"))
        seen.add(str(rule_id))
        rule = _parse_rule(raw, index, env, problems)
        if rule is not None:
            rules.append(rule)
    if not problems:
        problems.extend(unreconciled_overlaps(env.questionnaire, rules))
    if problems:
        raise ValidationError(problems)
    return RuleSet(str(version), tuple(rules), env.questionnaire)


def _parse_rule(raw: Any, index: int, env: CompileEnv, problems: list[Problem]) -> Rule | None:
    where = f"rules[{index}]"
    if not isinstance(raw, dict):
        problems.append(Problem(where, "must be an object"))
        return None
    rule_id = raw.get("id")
    if isinstance(rule_id, str) and _RULE_ID.match(rule_id):
        where = f"rules[{index}] ({rule_id})"
    else:
        problems.append(Problem(f"{where}.id", f"{rule_id!r} must be 1–20 letters, digits, '-' or '_'"))
    before = len(problems)
    for unknown in sorted(set(raw) - _RULE_FIELDS):
        problems.append(Problem(f"{where}.{unknown}", "is not a known rule field"))
    for name in ("title", "explanation", "source"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            problems.append(Problem(f"{where}.{name}", "must be non-empty text"))
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        problems.append(Problem(f"{where}.severity", f"{severity!r} is not one of {', '.join(SEVERITIES)}"))
    explanation = raw.get("explanation")
    if isinstance(explanation, str):
        for name in _PLACEHOLDER.findall(explanation):
            if name not in PLACEHOLDERS:
                problems.append(Problem(f"{where}.explanation", f"{{{name}}} is not a placeholder; use "
                                        f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}"))
    patient_text = raw.get("patient_text", "")
    if not isinstance(patient_text, str) or ("patient_text" in raw and not patient_text.strip()):
        problems.append(Problem(f"{where}.patient_text", "must be non-empty text (or leave the field out)"))
    elif patient_text and isinstance(explanation, str):
        _check_patient_text(patient_text, explanation, f"{where}.patient_text", problems)
    if not isinstance(raw.get("note", ""), str) or not isinstance(raw.get("enabled", True), bool):
        problems.append(Problem(where, "note must be text and enabled true or false"))
    unknown_severity = raw.get("unknown_severity", "")
    if "unknown_severity" in raw and unknown_severity not in SEVERITIES:
        problems.append(Problem(f"{where}.unknown_severity",
                                f"{unknown_severity!r} is not one of {', '.join(SEVERITIES)}"))
    check = compile_condition(raw.get("when"), f"{where}.when", env, problems)
    if len(problems) > before or check is None:
        return None
    reads = questions_read(raw["when"])
    for key in reads:
        question = env.questionnaire.question(key)
        if question is not None and not question.safety:
            problems.append(Problem(f"{where}.when", f"reads '{key}', which screening.json does not mark "
                                                     "as a safety question (add \"safety\": true)"))
    if len(problems) > before:
        return None
    return Rule(
        id=rule_id, title=raw["title"].strip(), severity=severity, explanation=explanation.strip(),
        source=raw["source"].strip(), when=MappingProxyType(raw["when"]), check=check,
        note=raw.get("note", "").strip(), enabled=raw.get("enabled", True),
        shipped_severity=severity, order=index, patient_text=patient_text.strip(),
        reads=reads, unknown_severity=unknown_severity,
    )


def _check_patient_text(text: str, explanation: str, where: str, problems: list[Problem]) -> None:
    """Every {name} in the patient text is a placeholder the explanation uses too (same finding, same values)."""
    for name in _PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS:
            problems.append(Problem(where, f"{{{name}}} is not a placeholder; use "
                                    f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}"))
        elif "{" + name + "}" not in explanation:
            problems.append(Problem(where, f"{{{name}}} can only be used when the explanation uses it too "
                                           "(both are filled from the same finding)"))
    outside = _PLACEHOLDER.sub("", text)
    if "{" in outside or "}" in outside:
        problems.append(Problem(where, "has a stray brace; placeholders are written like {ingredient}"))


def condition_kinds_known() -> tuple[str, ...]:
    """Every condition kind the engine understands (for documentation and tests)."""
    return tuple(sorted(COMPILERS))


def apply_overrides(rules: RuleSet, overrides: Mapping[str, tuple[str | None, bool]]) -> RuleSet:
    """The rules with a clinic's choices applied: ``{rule_id: (severity or None, enabled)}``.

    A severity of None keeps the shipped one. Overrides for rules that no longer exist are ignored
    (a newer rules file may have dropped them); an unknown severity is refused.
    """
    problems = [Problem(f"rule {rule_id}", f"{severity!r} is not one of {', '.join(SEVERITIES)}")
                for rule_id, (severity, _enabled) in overrides.items()
                if severity is not None and severity not in SEVERITIES]
    if problems:
        raise ValidationError(problems)
    changed = []
    for rule in rules.rules:
        if rule.id in overrides:
            severity, enabled = overrides[rule.id]
            rule = replace(rule, severity=severity or rule.shipped_severity, enabled=bool(enabled))
        changed.append(rule)
    return RuleSet(rules.version, tuple(changed), rules.questionnaire)
