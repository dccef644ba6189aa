"""The condition vocabulary of rules.json, compiled once into small functions (pure).

A compiled condition takes the evaluation ``Context`` and returns a list of ``Hit``s: empty when the
condition does not hold. A hit may be bound to one ingredient, session and/or batch; ``all`` joins
hits on those bindings, so a rule yields one finding per triggering ingredient, session or batch.
The kinds themselves are in ``condition_kinds.py`` (screening and patient) and ``plan_kinds.py``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mesoplan.errors import Problem
from mesoplan.safety.facts import PatientFacts, PlanFacts, SessionFacts
from mesoplan.safety.questionnaire import Question, Questionnaire


@dataclass(frozen=True, slots=True)
class Hit:
    """One way a condition holds: what it is bound to, and the words saying why."""

    item: str | None = None  # ingredient code
    session: int | None = None  # session sequence number
    lot: str | None = None  # batch lot number
    ingredients: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    details: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str | None, int | None, str | None]:
        return (self.item, self.session, self.lot)


BARE = Hit()


def merge(a: Hit, b: Hit) -> Hit | None:
    """The two hits combined, or None when they are bound to different things."""
    if a.item is not None and b.item is not None and a.item != b.item:
        return None
    if a.session is not None and b.session is not None and a.session != b.session:
        return None
    if a.lot is not None and b.lot is not None and a.lot != b.lot:
        return None
    if b is BARE:
        return a
    if a is BARE:
        return b
    return Hit(
        a.item if a.item is not None else b.item,
        a.session if a.session is not None else b.session,
        a.lot if a.lot is not None else b.lot,
        _union(a.ingredients, b.ingredients),
        _union(a.answers, b.answers),
        _union(a.details, b.details),
    )


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    if not b:
        return a
    if not a:
        return b
    return a + tuple(x for x in b if x not in a)


class Context:
    """The facts being checked plus answers worked out once and shared by all rules."""

    __slots__ = ("patient", "plan", "answers", "today", "_memo")

    def __init__(self, patient: PatientFacts, plan: PlanFacts) -> None:
        self.patient = patient
        self.plan = plan
        self.answers = patient.answers
        self.today = plan.today
        self._memo: dict[str, Any] = {}

    def memo(self, name: str, compute: Callable[[Context], Any]) -> Any:
        try:
            return self._memo[name]
        except KeyError:
            value = self._memo[name] = compute(self)
            return value

    @property
    def active_sessions(self) -> tuple[SessionFacts, ...]:
        """Planned and done sessions in date order."""
        return self.memo("active_sessions", lambda ctx: tuple(sorted(
            (s for s in ctx.plan.sessions if s.active), key=lambda s: (s.date, s.sequence))))


Check = Callable[[Context], list[Hit]]


@dataclass(frozen=True)
class CompileEnv:
    """What conditions are checked against when rules.json is loaded."""

    questionnaire: Questionnaire
    known_tags: frozenset[str]
    intradermal_by_technique: Mapping[str, bool]  # technique code -> goes into the skin
    technique_labels: Mapping[str, str]
    regions: frozenset[str]
    vehicles: frozenset[str]


Compiler = Callable[[Any, str, CompileEnv, list[Problem]], "Check | None"]
COMPILERS: dict[str, Compiler] = {}


def condition_kind(name: str) -> Callable[[Compiler], Compiler]:
    def register(function: Compiler) -> Compiler:
        COMPILERS[name] = function
        function.__condition_kind__ = name  # type: ignore[attr-defined]
        return function
    return register


QuestionReader = Callable[[Any], "tuple[str, ...]"]
READS: dict[str, QuestionReader] = {}
"""Condition kind -> the screening question keys a condition of that kind reads from its value."""


def reads_answers(reader: QuestionReader) -> Callable[[Compiler], Compiler]:
    """Register a condition kind as reading screening answers (see ``questions_read``)."""
    def register(function: Compiler) -> Compiler:
        READS[function.__condition_kind__] = reader  # type: ignore[attr-defined]
        return function
    return register


def questions_read(when: Any) -> tuple[str, ...]:
    """Every screening question a (well-formed) condition reads, in order, each once."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, Mapping):
            for kind, value in node.items():
                if kind in ("all", "any", "not"):
                    walk(value)
                elif kind in READS:
                    found.extend(k for k in READS[kind](value) if k not in found)
    walk(when)
    return tuple(found)


def compile_condition(raw: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    """Compile one condition object; faults are added to ``problems`` with their JSON path."""
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.append(Problem(path, "a condition must be an object with exactly one kind, "
                                      "e.g. {\"answer_true\": [\"pregnant\"]}"))
        return None
    (kind, value), = raw.items()
    compiler = COMPILERS.get(kind)
    if compiler is None:
        problems.append(Problem(f"{path}.{kind}", f"'{kind}' is not a known condition kind; use one of "
                                                  f"{', '.join(sorted(COMPILERS))}"))
        return None
    return compiler(value, f"{path}.{kind}", env, problems)


# --- logic ----------------------------------------------------------------------------------------


def _children(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> list[Check] | None:
    if not isinstance(value, list) or not value:
        problems.append(Problem(path, "must be a non-empty list of conditions"))
        return None
    compiled = [compile_condition(child, f"{path}[{i}]", env, problems) for i, child in enumerate(value)]
    return None if any(c is None for c in compiled) else compiled  # type: ignore[return-value]


@condition_kind("all")
def _all(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    children = _children(value, path, env, problems)
    if children is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        hits = [BARE]
        for child in children:
            found = child(ctx)
            if not found:
                return []
            hits = [m for a in hits for b in found if (m := merge(a, b)) is not None]
            if not hits:
                return []
        return hits
    return check


@condition_kind("any")
def _any(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    children = _children(value, path, env, problems)
    if children is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        return [hit for child in children for hit in child(ctx)]
    return check


@condition_kind("not")
def _not(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    child = compile_condition(value, path, env, problems)
    if child is None:
        return None
    return lambda ctx: [] if child(ctx) else [BARE]


# --- helpers shared by the condition kinds ----------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), moved back to the month's end when needed."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def need_true(value: Any, path: str, problems: list[Problem]) -> bool:
    if value is True:
        return True
    problems.append(Problem(path, "must be true (remove the condition to switch it off)"))
    return False


def need_positive_int(value: Any, path: str, problems: list[Problem]) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    problems.append(Problem(path, f"{value!r} must be a whole number above 0"))
    return None


def need_names(value: Any, path: str, problems: list[Problem], allowed: frozenset[str] | None = None,
               what: str = "value") -> frozenset[str] | None:
    """A non-empty list of strings, each (when ``allowed`` is given) one of the known names."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        problems.append(Problem(path, f"must be a non-empty list of {what}s"))
        return None
    ok = True
    for index, name in enumerate(value):
        if allowed is not None and name not in allowed:
            problems.append(Problem(f"{path}[{index}]", f"'{name}' is not a known {what}"))
            ok = False
    return frozenset(value) if ok else None


def need_question(key: Any, path: str, env: CompileEnv, problems: list[Problem],
                  kinds: frozenset[str] | tuple[str, ...]) -> Question | None:
    question = env.questionnaire.question(key) if isinstance(key, str) else None
    if question is None:
        problems.append(Problem(path, f"{key!r} is not a question in screening questionnaire "
                                      f"version {env.questionnaire.version}"))
        return None
    if question.kind not in kinds:
        problems.append(Problem(path, f"'{key}' is a {question.kind} question; this condition needs "
                                      f"{' or '.join(sorted(kinds))}"))
        return None
    return question
