"""Unknown is never safe: findings for answers a rule reads that are "not sure" or missing (pure).

For every rule and every question it reads (``Rule.reads``) whose answer is "not sure", or which is
not answered although it applies to this patient (its ``show_if``), the rule is tried again with each
possible answer to that question in turn. When some answer would make the rule fire for the plan as
it stands (the patient's sex and age, the regions, the cocktail all still count), the question gets a
finding of its own that names it: "confirm before treatment", at the rule's ``severity_when_unknown``.
Works by class, for every rule and every question; nothing is written per rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from mesoplan.safety.conditions import Context, Hit, merge
from mesoplan.safety.questionnaire import (
    UNKNOWN,
    YES_NO_KINDS,
    Question,
    Questionnaire,
    answer_text,
    is_shown,
    is_unanswered,
)
from mesoplan.safety.rules import Rule

NOT_SURE = "not sure"
NOT_ANSWERED = "not answered"


def candidates(question: Question, today: dt.date) -> tuple[Any, ...]:
    """Every kind of answer the question could be given (a recent date stands for all dates)."""
    if question.kind in YES_NO_KINDS:
        return (True, False)
    if question.kind == "choice":
        return question.option_values
    if question.kind == "date":
        return (today.isoformat(), False)
    if question.kind == "number":
        return tuple(v for v in (question.min, question.max) if v is not None)
    return ()


def _with_answer(context: Context, key: str, value: Any) -> Context:
    answers = dict(context.answers)
    answers[key] = value
    other = Context(replace(context.patient, answers=answers), context.plan)
    other._memo = context._memo  # what is memoised is about the plan, not the answers
    return other


def _by_binding(hits: list[Hit]) -> dict[tuple, Hit]:
    found: dict[tuple, Hit] = {}
    for hit in hits:
        earlier = found.get(hit.key)
        found[hit.key] = hit if earlier is None else (merge(earlier, hit) or earlier)
    return found


def _reworded(hit: Hit, question: Question, state: str, candidate: Any) -> Hit:
    """The hit with the supposed answer replaced by what the screening really says."""
    mine = f"'{question.name}:"
    answers = tuple(a for a in hit.answers if not a.startswith(mine)) + (f"'{question.name}: {state}'",)
    supposed = candidate if isinstance(candidate, str) and question.kind == "date" else None
    details = tuple(d for d in hit.details if supposed is None or supposed not in d)
    return replace(hit, answers=answers, details=details)


def unknown_hits(rule: Rule, hits: list[Hit], context: Context, questionnaire: Questionnaire
                 ) -> list[tuple[Hit, Question, str, Any]]:
    """(hit, question, "not sure" | "not answered", the answer that would make the rule fire)."""
    fired = {hit.key for hit in hits}
    answers = context.answers
    found: list[tuple[Hit, Question, str, Any]] = []
    for key in rule.reads:
        question = questionnaire.question(key)
        value = answers.get(key)
        if question is None:
            continue
        if value == UNKNOWN:
            state = NOT_SURE
        elif is_unanswered(value):
            state = NOT_ANSWERED
        else:
            continue
        if not is_shown(question, context.patient.sex, answers):
            continue
        seen: set[tuple] = set()
        for candidate in candidates(question, context.today):
            for binding, hit in _by_binding(rule.check(_with_answer(context, key, candidate))).items():
                if binding in fired or binding in seen:
                    continue
                seen.add(binding)
                found.append((_reworded(hit, question, state, candidate), question, state, candidate))
    return found


def _if_answer(question: Question, candidate: Any) -> str:
    if question.kind == "date":
        return "a recent date" if candidate is not False else "none"
    return answer_text(question, candidate)


def wording(rule: Rule, question: Question, state: str, candidate: Any, severity: str) -> tuple[str, str]:
    """The finding's title and its explanation in plain words."""
    title = f"Confirm before treatment: {question.name} ({state})"
    if state == NOT_SURE:
        start = f"The screening answer to \u201c{question.label}\u201d is \u201cnot sure\u201d."
    else:
        start = f"The question \u201c{question.label}\u201d has not been answered in the latest screening."
    middle = (f" If the answer is \u201c{_if_answer(question, candidate)}\u201d, rule {rule.id} applies "
              f"to this plan: {rule.title}.")
    if severity == "block":
        end = (" Confirm the answer with the patient before treatment and record it in a new screening; "
               "until then the plan cannot be marked ready.")
    elif severity == "acknowledge":
        end = (" Confirm the answer with the patient before treatment and record it in a new screening, "
               "or acknowledge this finding with the reason it does not matter here.")
    else:
        end = " Confirm the answer with the patient at the next visit."
    return title, start + middle + end
