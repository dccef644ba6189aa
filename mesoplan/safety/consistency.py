"""One fact, one place: checking that a fact the rules need is not asked twice without reconciliation (pure).

A question names the facts it asks about in screening.json (``facts``; by default just its own key).
When two questions ask about the same fact and a rule reads one of them, that rule must read all of
them (so either answer triggers it), the questions must be linked by ``implies`` (what one answer
means for the other), and some rule must report answers that disagree (``answers_contradict``).
``unreconciled_overlaps`` lists every place this does not hold; loading the rules refuses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from mesoplan.errors import Problem
from mesoplan.safety.questionnaire import Question, Questionnaire

CONTRADICTION_KIND = "answers_contradict"


class RuleLike(Protocol):
    id: str
    when: Mapping[str, Any]
    reads: tuple[str, ...]


def askers(questionnaire: Questionnaire) -> dict[str, tuple[Question, ...]]:
    """Fact name -> the questions asking about it, in form order."""
    found: dict[str, list[Question]] = {}
    for question in questionnaire.questions():
        for fact in question.fact_names:
            found.setdefault(fact, []).append(question)
    return {fact: tuple(questions) for fact, questions in found.items()}


def _linked(a: Question, b: Question) -> bool:
    return any(b.key in needs for needs in a.implies.values()) or any(
        a.key in needs for needs in b.implies.values())


def _uses_kind(node: Any, kind: str) -> bool:
    if isinstance(node, list):
        return any(_uses_kind(child, kind) for child in node)
    if isinstance(node, Mapping):
        return any(k == kind or _uses_kind(v, kind) for k, v in node.items())
    return False


def unreconciled_overlaps(questionnaire: Questionnaire, rules: Iterable[RuleLike]) -> list[Problem]:
    """Every fact a rule needs that is asked by more than one question without being reconciled."""
    rules = list(rules)
    reports_contradictions = any(_uses_kind(rule.when, CONTRADICTION_KIND) for rule in rules)
    problems: list[Problem] = []
    for fact, questions in askers(questionnaire).items():
        if len(questions) < 2:
            continue
        keys = [q.key for q in questions]
        readers = [rule for rule in rules if any(key in rule.reads for key in keys)]
        if not readers:
            continue
        where = f"fact '{fact}' (asked by {', '.join(keys)})"
        for rule in readers:
            unread = [key for key in keys if key not in rule.reads]
            if unread:
                problems.append(Problem(where, f"rule {rule.id} reads only some of these questions; "
                                               f"make it read {', '.join(unread)} too"))
        for i, first in enumerate(questions):
            for second in questions[i + 1:]:
                if not _linked(first, second):
                    problems.append(Problem(where, f"'{first.key}' and '{second.key}' are not linked by "
                                                   "\"implies\", so a disagreement between them goes unseen"))
        if not reports_contradictions:
            problems.append(Problem(where, f"no rule reports answers that disagree ({CONTRADICTION_KIND})"))
    return problems
