"""The screening questionnaire's shape: sections and questions as frozen data, and reading answers.

Pure (no Qt, no database). ``questionnaire_file`` loads and checks resources/screening.json; answer
checking, copying and the at-a-glance strip live in ``mesoplan.screening``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

KINDS = ("yes_no", "yes_no_unknown", "choice", "number", "date", "text")
YES_NO_KINDS = frozenset({"yes_no", "yes_no_unknown"})
LEVELS = ("alert", "caution", "info")
UNKNOWN = "unknown"
NO_CHOICE_VALUES = ("none", "no", "never")
"""Option values that mean "no" for a choice question (what "None of these" records)."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Glance:
    """What the at-a-glance strip shows for one answer; ``{answer}`` stands for the answer."""

    text: str
    level: str  # alert | caution | info


@dataclass(frozen=True)
class ShowIf:
    """Ask only when the sex is listed (if given) and another question was answered yes (if given)."""

    sexes: frozenset[str] | None = None
    answer_true: str | None = None


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    kind: str
    section: str
    short: str = ""  # a short statement naming the question in findings and lists
    options: tuple[Option, ...] = ()
    unit: str = ""
    min: float | None = None
    max: float | None = None
    help: str = ""
    safety: bool = False
    show_if: ShowIf | None = None
    ask_each_time: bool = False
    past_only: bool = False
    glance: Mapping[str, Glance] = field(default_factory=lambda: MappingProxyType({}))
    implies: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    """Answer value ("yes"/"no"/option) -> answers other questions must then have (``facts`` shared)."""
    facts: tuple[str, ...] = ()
    """The facts this question asks about (default: its key); two questions sharing one overlap."""

    @property
    def accepts_not_sure(self) -> bool:
        """Whether "not sure" is an answer: yes/no/not-sure questions and every safety question."""
        return self.kind == "yes_no_unknown" or self.safety

    @property
    def needs_answer(self) -> bool:
        """A safety question that must be answered (yes, no, not sure, ...) before a plan is ready.

        Free-text safety questions are read but never required: an empty box means "nothing to add".
        """
        return self.safety and self.kind != "text"

    @property
    def no_value(self) -> Any:
        """The answer "None of these" records: no (also "none" for a date), or the choice meaning no."""
        if self.kind in YES_NO_KINDS or self.kind == "date":
            return False
        if self.kind == "choice":
            return next((v for v in NO_CHOICE_VALUES if v in self.option_values), None)
        return None

    @property
    def fact_names(self) -> tuple[str, ...]:
        return self.facts or (self.key,)

    @property
    def name(self) -> str:
        """How findings and lists name the question: the short form, else the label."""
        return self.short or self.label

    def option_label(self, value: str) -> str:
        return next((o.label for o in self.options if o.value == value), value)

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    version: str
    sections: tuple[Section, ...]
    by_key: Mapping[str, Question]

    def question(self, key: str) -> Question | None:
        return self.by_key.get(key)

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions


# --- reading answers ------------------------------------------------------------------------------


def is_shown(question: Question, sex: str, answers: Mapping[str, Any]) -> bool:
    """Whether the question applies to this patient (its ``show_if``)."""
    rule = question.show_if
    if rule is None:
        return True
    if rule.sexes is not None and sex not in rule.sexes:
        return False
    return rule.answer_true is None or answers.get(rule.answer_true) is True


def is_unanswered(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def unanswered_safety_questions(questionnaire: Questionnaire, sex: str,
                                answers: Mapping[str, Any]) -> tuple[Question, ...]:
    """Safety questions that apply to this patient (``show_if``) and have no answer, in form order."""
    return tuple(q for q in questionnaire.questions()
                 if q.needs_answer and is_unanswered(answers.get(q.key)) and is_shown(q, sex, answers))


def answer_text(question: Question, value: Any) -> str:
    """An answer in words: yes / no / not sure, a choice's label, a number with its unit, a date."""
    if is_unanswered(value):
        return "not answered"
    if value == UNKNOWN:
        return "not sure"
    if question.kind == "date" and value is False:
        return "none"
    if question.kind in YES_NO_KINDS:
        if isinstance(value, bool):
            return "yes" if value else "no"
        return "not sure" if value == UNKNOWN else str(value)
    if question.kind == "choice":
        return question.option_label(str(value))
    if question.kind == "number" and isinstance(value, (int, float)):
        number = f"{value:g}"
        return f"{number} {question.unit}".strip()
    return str(value)


def answer_date(answers: Mapping[str, Any], key: str) -> dt.date | None:
    """A date answer (stored as ISO text) as a date; None when missing or unreadable."""
    value = answers.get(key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
