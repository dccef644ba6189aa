"""Evaluating the safety rules against a patient and a plan, and deciding whether a plan may be ready.

Besides each rule's own findings, a question a rule reads that is answered "not sure" or not at
all gets a finding of its own when some answer would make the rule apply (``unknown_answers``).

Pure and fast: the conditions were compiled when the rules were loaded, and the facts are frozen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from mesoplan.safety.condition_kinds import screening_recorded
from mesoplan.safety.conditions import Context, Hit, merge
from mesoplan.safety.facts import PatientFacts, PlanFacts
from mesoplan.safety.questionnaire import Question
from mesoplan.safety.questionnaire_file import default_questionnaire
from mesoplan.safety.rules import SEVERITIES, Rule, RuleSet, apply_overrides, default_rules
from mesoplan.safety.unknown_answers import unknown_hits, wording

_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
WHOLE_PLAN = "plan"  # the subject of findings not tied to one ingredient, session or batch


@dataclass(frozen=True)
class Finding:
    """One reason for concern. ``subject`` names what triggered it (stable; used to match
    acknowledgements); ``trigger`` says it in words."""

    rule_id: str
    severity: str  # block | acknowledge | info
    title: str
    explanation: str
    subject: str
    trigger: str
    source: str = ""
    question: str = ""
    """For a finding about an answer that is not known: the question's key (else empty)."""
    answer: str = ""
    """With ``question``: "not sure" or "not answered"."""

    @property
    def blocks(self) -> bool:
        return self.severity == "block"

    @property
    def needs_acknowledgement(self) -> bool:
        return self.severity == "acknowledge"


class AcknowledgementLike(Protocol):
    rule_id: str
    subject: str
    reason: str


@dataclass(frozen=True)
class Acknowledgement:
    rule_id: str
    subject: str
    reason: str


@dataclass(frozen=True)
class ReadyVerdict:
    can_be_ready: bool
    reasons: list[str]
    blocking: tuple[Finding, ...] = field(default=())
    unacknowledged: tuple[Finding, ...] = field(default=())


def evaluate(rules: RuleSet | Iterable[Rule], patient: PatientFacts, plan: PlanFacts) -> tuple[Finding, ...]:
    """Every finding for this patient and plan: block first, then acknowledge, then info."""
    context = Context(patient, plan)
    questionnaire = (rules.questionnaire if isinstance(rules, RuleSet) else None) or default_questionnaire()
    check_unknowns = screening_recorded(patient)
    found: list[tuple[tuple[int, int, str, int, str, str], Finding]] = []
    for rule in rules.rules if isinstance(rules, RuleSet) else rules:
        if not rule.enabled:
            continue
        hits = _grouped(rule.check(context))
        for hit in hits:
            order = (_SEVERITY_RANK[rule.severity], rule.order, hit.item or "",
                     -1 if hit.session is None else hit.session, hit.lot or "", "")
            found.append((order, _finding(rule, hit)))
        if check_unknowns and rule.reads:
            for hit, question, state, candidate in unknown_hits(rule, hits, context, questionnaire):
                finding = _unknown_finding(rule, hit, question, state, candidate)
                order = (_SEVERITY_RANK[finding.severity], rule.order, hit.item or "",
                         -1 if hit.session is None else hit.session, hit.lot or "", finding.question)
                found.append((order, finding))
    found.sort(key=lambda entry: entry[0])
    return tuple(finding for _order, finding in found)


# The names the plan-evaluation module (mesoplan.evaluation) uses for the same things.
CompiledRules = RuleSet
evaluate_rules = evaluate


def compile_rules(overrides: Mapping[str, tuple[str | None, bool]] | None = None) -> RuleSet:
    """The shipped rules (compiled once per process) with a clinic's overrides applied."""
    return apply_overrides(default_rules(), overrides or {})


def _grouped(hits: list[Hit]) -> list[Hit]:
    """One hit per binding, with the words of hits bound to the same thing combined."""
    by_key: dict[tuple[str | None, int | None, str | None], Hit] = {}
    for hit in hits:
        earlier = by_key.get(hit.key)
        by_key[hit.key] = hit if earlier is None else (merge(earlier, hit) or earlier)
    return list(by_key.values())


def subject_of(hit: Hit) -> str:
    parts = []
    if hit.item is not None:
        parts.append(hit.item)
    if hit.session is not None:
        parts.append(f"session {hit.session}")
    if hit.lot is not None:
        parts.append(f"lot {hit.lot}")
    return " / ".join(parts) or WHOLE_PLAN


def trigger_of(hit: Hit) -> str:
    parts = []
    if hit.ingredients:
        parts.append(" + ".join(hit.ingredients))
    if hit.answers:
        parts.append(("answer " if len(hit.answers) == 1 else "answers ") + ", ".join(hit.answers))
    parts.extend(_sentence_part(d) for d in hit.details)
    return " + ".join(parts) or "the plan as a whole"


def _sentence_part(text: str) -> str:
    """A detail without its closing full stop, so that it can sit inside a sentence."""
    return text.strip().rstrip(".").rstrip()


def _finding(rule: Rule, hit: Hit) -> Finding:
    values = {
        "{ingredient}": ", ".join(hit.ingredients) or "this ingredient",
        "{answer}": "; ".join(a.strip("'") for a in hit.answers) or "the screening answers",
        "{detail}": "; ".join(_sentence_part(d) for d in hit.details),
    }
    explanation = rule.explanation
    for placeholder, value in values.items():
        if placeholder in explanation:
            explanation = explanation.replace(placeholder, value)
    explanation = explanation[:1].upper() + explanation[1:]
    return Finding(rule.id, rule.severity, rule.title, explanation, subject_of(hit), trigger_of(hit),
                   rule.source)


def _unknown_finding(rule: Rule, hit: Hit, question: Question, state: str, candidate: Any) -> Finding:
    """A finding of its own for a question the rule reads, answered "not sure" or not at all."""
    severity = rule.severity_when_unknown
    title, explanation = wording(rule, question, state, candidate, severity)
    return Finding(rule.id, severity, title, explanation, f"{subject_of(hit)} · {question.key}: {state}",
                   trigger_of(hit), rule.source, question.key, state)


def ready_check(findings: Iterable[Finding],
                acknowledgements: Iterable[AcknowledgementLike]) -> ReadyVerdict:
    """Whether the plan may be marked ready: no block findings, and every acknowledge finding
    acknowledged (same rule and subject) with a reason. Information findings never stop it."""
    reasons_given = {(a.rule_id, a.subject) for a in acknowledgements if (a.reason or "").strip()}
    reasons: list[str] = []
    blocking: list[Finding] = []
    pending: list[Finding] = []
    for finding in findings:
        if finding.blocks:
            blocking.append(finding)
            reasons.append(
                f"{finding.title} [{finding.rule_id}] – {finding.trigger}. This cannot be acknowledged: "
                "change the plan or the screening, or ask an administrator to re-classify the rule."
            )
        elif finding.needs_acknowledgement and (finding.rule_id, finding.subject) not in reasons_given:
            pending.append(finding)
            reasons.append(
                f"{finding.title} [{finding.rule_id}] – {finding.trigger}. Acknowledge it with a reason first."
            )
    return ReadyVerdict(not reasons, reasons, tuple(blocking), tuple(pending))
