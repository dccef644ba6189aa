"""Screening answers: checking them against the questionnaire, starting a new screening from the last
one, and the at-a-glance safety strip for the patient's page (pure domain, no Qt or database).

Cleaned answers are a plain JSON-ready dict keyed by question key: yes/no → True/False, "not sure" →
"unknown", choices → the option value, numbers → float, dates → ISO text, text → stripped text.
Every safety question also takes "not sure" ("unknown"), and a safety date question takes
"no"/"none" (False: it never happened). Unanswered questions are simply absent.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mesoplan import numbers
from mesoplan.errors import Problem, ValidationError
from mesoplan.safety.questionnaire import (
    LEVELS,
    UNKNOWN,
    YES_NO_KINDS,
    Question,
    Questionnaire,
    answer_date,
    answer_text,
    is_shown,
    is_unanswered,
    unanswered_safety_questions,
)
from mesoplan.safety.questionnaire_file import default_questionnaire, load_questionnaire

__all__ = [
    "SummaryItem", "validate_answers", "new_screening_from", "safety_summary", "answered_no",
    "unanswered_safety_questions",
    "load_questionnaire", "default_questionnaire", "answer_text", "answer_date", "is_shown",
]

TEXT_MAX_CHARS = 4000
GLANCE_ANSWER_MAX_CHARS = 60
_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}
_NOT_SURE = {UNKNOWN, "not sure", "not_sure", "don't know"}
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class SummaryItem:
    """One entry of the at-a-glance strip, e.g. ("alert", "Pregnant", "pregnant")."""

    level: str  # alert | caution | info
    text: str
    key: str  # the question it comes from; "" for the screening as a whole


class _BadAnswer(Exception):
    pass


def validate_answers(questionnaire: Questionnaire, answers: Mapping[str, Any],
                     today: dt.date | None = None, decimal_separator: str = ".") -> dict[str, Any]:
    """Cleaned answers, or ValidationError with one Problem per bad answer (label and key named).

    Numbers typed as text are read with ``decimal_separator`` (the clinic's) by the one number
    reader, and held to the bounds of resources/numbers.json where a quantity is named for the
    question (weight), else to the questionnaire's own range."""
    today = today or dt.date.today()
    cleaned: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in answers.items():
        question = questionnaire.question(key)
        if question is None:
            problems.append(Problem(
                str(key), f"is not a question in screening questionnaire version {questionnaire.version}"))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            cleaned[key] = _clean(question, value, today, decimal_separator)
        except _BadAnswer as exc:
            problems.append(Problem(f"{question.label} ({key})", str(exc)))
    if problems:
        raise ValidationError(problems)
    return cleaned


def _clean(question: Question, value: Any, today: dt.date, separator: str = ".") -> Any:
    kind = question.kind
    if kind in YES_NO_KINDS:
        return _clean_yes_no(value, allow_unknown=question.accepts_not_sure)
    if question.accepts_not_sure and _is_not_sure(value):
        return UNKNOWN
    if kind == "date" and question.safety and (value is False or (isinstance(value, str) and value.strip().casefold()
                                              in _NO | {"none", "never"})):
        return False
    if kind == "choice":
        if isinstance(value, str) and value in question.option_values:
            return value
        sure = " or not sure" if question.accepts_not_sure else ""
        raise _BadAnswer(f"{value!r} is not one of the choices; use one of "
                         f"{', '.join(question.option_values)}{sure}")
    if kind == "number":
        return _clean_number(question, value, separator)
    if kind == "date":
        return _clean_date(question, value, today)
    if not isinstance(value, str):
        raise _BadAnswer(f"expected text, not {type(value).__name__}")
    text = value.strip()
    if len(text) > TEXT_MAX_CHARS:
        raise _BadAnswer(f"is {len(text)} characters long; the most allowed is {TEXT_MAX_CHARS}")
    return text


def _is_not_sure(value: Any) -> bool:
    return isinstance(value, str) and value.strip().casefold() in _NOT_SURE


def _clean_yes_no(value: Any, allow_unknown: bool) -> bool | str:
    if isinstance(value, bool):
        return value
    word = value.strip().casefold() if isinstance(value, str) else None
    if word in _YES:
        return True
    if word in _NO:
        return False
    if allow_unknown and word in _NOT_SURE:
        return UNKNOWN
    allowed = "yes, no or not sure" if allow_unknown else "yes or no"
    raise _BadAnswer(f"expected {allowed}, not {value!r}")


QUANTITY_OF_QUESTION = {"weight_kg": "weight"}
"""Questions whose bounds are those of a quantity in resources/numbers.json."""


def _clean_number(question: Question, value: Any, separator: str = ".") -> float:
    if isinstance(value, bool):
        raise _BadAnswer(f"expected a number, not {value!r}")
    if isinstance(value, str):
        try:
            number = numbers.parse_number(value, "", separator)
        except numbers.NumberError as exc:
            raise _BadAnswer(exc.message) from None
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        raise _BadAnswer(f"expected a number, not {type(value).__name__}")
    if not math.isfinite(number):
        raise _BadAnswer(f"{value!r} is not a usable number")
    quantity = QUANTITY_OF_QUESTION.get(question.key)
    if quantity is not None:
        try:
            return numbers.check(number, quantity, question.label, separator=separator)
        except numbers.NumberError as exc:
            raise _BadAnswer(exc.message) from None
    low, high = question.min, question.max
    if (low is not None and number < low) or (high is not None and number > high):
        unit = f" {question.unit}" if question.unit else ""
        raise _BadAnswer(f"{number:g}{unit} is outside the allowed range {low:g}–{high:g}{unit}"
                         if low is not None and high is not None else
                         f"{number:g}{unit} is out of range")
    return number


def _clean_date(question: Question, value: Any, today: dt.date) -> str:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and len(value.strip()) == 10:
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _BadAnswer(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    else:
        raise _BadAnswer(f"{value!r} is not a date; write it as YYYY-MM-DD")
    if question.past_only and day > today:
        raise _BadAnswer(f"{day.isoformat()} is in the future; give the date it happened")
    return day.isoformat()


def new_screening_from(previous_answers: Mapping[str, Any] | Questionnaire | None,
                       questionnaire: Questionnaire | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The starting answers of a new screening: the last one's, minus questions asked every time.

    Answers to questions the current questionnaire no longer has are left out too. The two
    arguments may also be given the other way round, ``new_screening_from(questionnaire, answers)``.
    """
    if isinstance(previous_answers, Questionnaire):
        previous_answers, questionnaire = questionnaire, previous_answers
    table = questionnaire if isinstance(questionnaire, Questionnaire) else default_questionnaire()
    result: dict[str, Any] = {}
    for key, value in (previous_answers if isinstance(previous_answers, Mapping) else {}).items():
        question = table.question(key)
        if question is not None and not question.ask_each_time:
            result[key] = value
    return result


def safety_summary(questionnaire: Questionnaire, answers: Mapping[str, Any] | None,
                   sex: str) -> list[SummaryItem]:
    """The at-a-glance strip: alerts first, then cautions, then information, in questionnaire order.

    ``answers`` None means no screening has been recorded at all.
    """
    if answers is None:
        return [SummaryItem("alert", "No medical screening recorded", "")]
    items: list[SummaryItem] = []
    for question in questionnaire.questions():
        if not question.safety:
            continue
        value = answers.get(question.key)
        if is_unanswered(value):
            entry = question.glance.get("missing") if is_shown(question, sex, answers) else None
        else:
            entry = question.glance.get(_glance_key(question, value))
            if entry is None and value == UNKNOWN:
                # "Not sure" to a safety question is never silent on the patient's page.
                items.append(SummaryItem("caution", f"{question.name}: not sure", question.key))
                continue
        if entry is not None:
            shown = _shorten(answer_text(question, value))
            items.append(SummaryItem(entry.level, entry.text.replace("{answer}", shown), question.key))
    missing = unanswered_safety_questions(questionnaire, sex, answers)
    if missing:
        items.append(SummaryItem("alert", f"{len(missing)} safety question{'s' if len(missing) != 1 else ''} "
                                          "not answered", ""))
    items.sort(key=lambda item: _LEVEL_RANK[item.level])
    return items


def _glance_key(question: Question, value: Any) -> str:
    if value == UNKNOWN:
        return UNKNOWN
    if question.kind == "date" and value is False:
        return "no"
    if question.kind in YES_NO_KINDS:
        return "yes" if value is True else "no" if value is False else UNKNOWN
    if question.kind == "choice":
        return str(value)
    return "answered"


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= GLANCE_ANSWER_MAX_CHARS else text[: GLANCE_ANSWER_MAX_CHARS - 1] + "…"


def answered_no(questions: Iterable[Question], sex: str, answers: Mapping[str, Any],
                questionnaire: Questionnaire | None = None) -> dict[str, Any]:
    """The answers "None of these" adds: an explicit no to each question given that applies to the
    patient, has no answer yet and has a "no" (``Question.no_value``). Answers given are kept, and a
    question another answer says otherwise about (``implies``) is left for the person to answer."""
    implied = implied_answers(questionnaire or default_questionnaire(), answers)
    added: dict[str, Any] = {}
    for question in questions:
        no = question.no_value
        if no is None or not is_unanswered(answers.get(question.key)):
            continue
        if question.key in implied and implied[question.key] != no:
            continue
        if is_shown(question, sex, {**answers, **added}):
            added[question.key] = no
    return added


def implied_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """What the answers given say about other questions (``implies``): key -> the answer it must have."""
    implied: dict[str, Any] = {}
    for question in questionnaire.questions():
        if not question.implies:
            continue
        value = answers.get(question.key)
        said = ("yes" if value else "no") if isinstance(value, bool) else value
        for key, needed in question.implies.get(said, {}).items() if isinstance(said, str) else ():
            implied[key] = needed
    return implied
