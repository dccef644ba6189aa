"""Loading the screening questionnaire from JSON and checking the file itself (pure).

Every fault is reported together with its JSON path, e.g. ``sections[2].questions[4].kind``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from types import MappingProxyType
from typing import Any

from mesoplan.errors import Problem, ValidationError
from mesoplan.paths import read_resource_text
from mesoplan.safety.facts import SEXES
from mesoplan.safety.questionnaire import (
    KINDS,
    LEVELS,
    UNKNOWN,
    YES_NO_KINDS,
    Glance,
    Option,
    Question,
    Questionnaire,
    Section,
    ShowIf,
)

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_QUESTION_FIELDS = {"key", "label", "short", "kind", "options", "unit", "min", "max", "help", "safety",
                    "show_if", "ask_each_time", "past_only", "glance", "implies", "facts"}


def load_questionnaire(text: str | None = None) -> Questionnaire:
    """Parse questionnaire JSON (the shipped file when ``text`` is None); ValidationError on faults."""
    if text is None:
        return default_questionnaire()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"not valid JSON: {exc}", where="screening questionnaire") from None
    return parse_questionnaire(data)


@cache
def default_questionnaire() -> Questionnaire:
    """The questionnaire shipped in resources/screening.json (read once)."""
    return parse_questionnaire(json.loads(read_resource_text("screening.json")))


def parse_questionnaire(data: Any) -> Questionnaire:
    """Build a questionnaire from parsed JSON, reporting every fault with its JSON path."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ValidationError("the questionnaire must be a JSON object", where="screening questionnaire")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append(Problem("version", "give the questionnaire version as text, e.g. \"1\""))
        version = ""
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.append(Problem("sections", "must be a non-empty list of sections"))
        raw_sections = []
    sections: list[Section] = []
    by_key: dict[str, Question] = {}
    section_keys: set[str] = set()
    targets: list[tuple[str, str]] = []  # (path, key) of every show_if.answer_true
    implied: list[tuple[str, str, Any]] = []  # (path, key, value) of every "implies" entry
    for s_index, raw in enumerate(raw_sections):
        where = f"sections[{s_index}]"
        if not isinstance(raw, dict):
            problems.append(Problem(where, "must be an object with key, title and questions"))
            continue
        key, title = raw.get("key"), raw.get("title")
        if not isinstance(key, str) or not _KEY.match(key):
            problems.append(Problem(f"{where}.key", "must be a snake_case name"))
        elif key in section_keys:
            problems.append(Problem(f"{where}.key", f"'{key}' is used by another section"))
        section_keys.add(str(key))
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(f"{where}.title", "must be non-empty text"))
        raw_questions = raw.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            problems.append(Problem(f"{where}.questions", "must be a non-empty list"))
            raw_questions = []
        questions = []
        for q_index, raw_q in enumerate(raw_questions):
            q_where = f"{where}.questions[{q_index}]"
            question = _parse_question(raw_q, str(key), q_where, problems, targets)
            if question is not None:
                implied.extend((f"{q_where}.implies.{answer}.{target}", target, value)
                               for answer, needs in question.implies.items() for target, value in needs.items())
            if question is None:
                continue
            if question.key in by_key:
                problems.append(Problem(f"{q_where}.key", f"'{question.key}' is used by another question"))
                continue
            by_key[question.key] = question
            questions.append(question)
        sections.append(Section(str(key), str(title or ""), tuple(questions)))
    for where, target in targets:
        found = by_key.get(target)
        if found is None:
            problems.append(Problem(where, f"'{target}' is not a question in this questionnaire"))
        elif found.kind not in YES_NO_KINDS:
            problems.append(Problem(where, f"'{target}' is not a yes/no question"))
    for where, target, value in implied:
        found = by_key.get(target)
        if found is None:
            problems.append(Problem(where, f"'{target}' is not a question in this questionnaire"))
        elif not _fits(found, value):
            problems.append(Problem(where, f"{value!r} is not an answer to '{target}'"))
    if problems:
        raise ValidationError(problems)
    return Questionnaire(version, tuple(sections), MappingProxyType(by_key))


def _parse_question(raw: Any, section: str, where: str, problems: list[Problem],
                    targets: list[tuple[str, str]]) -> Question | None:
    if not isinstance(raw, dict):
        problems.append(Problem(where, "must be an object"))
        return None
    before = len(problems)
    for unknown in sorted(set(raw) - _QUESTION_FIELDS):
        problems.append(Problem(f"{where}.{unknown}", "is not a known question field"))
    key, label, kind = raw.get("key"), raw.get("label"), raw.get("kind")
    if not isinstance(key, str) or not _KEY.match(key):
        problems.append(Problem(f"{where}.key", f"{key!r} is not a snake_case key"))
    if not isinstance(label, str) or not label.strip():
        problems.append(Problem(f"{where}.label", "must be non-empty text"))
    if not isinstance(raw.get("short", ""), str):
        problems.append(Problem(f"{where}.short", "must be text"))
    if kind not in KINDS:
        problems.append(Problem(f"{where}.kind", f"{kind!r} is not a known kind; use one of {', '.join(KINDS)}"))
        return None
    options = _parse_options(raw.get("options"), kind, f"{where}.options", problems)
    low, high, unit = raw.get("min"), raw.get("max"), raw.get("unit", "")
    if kind == "number":
        for name, bound in (("min", low), ("max", high)):
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
                problems.append(Problem(f"{where}.{name}", "must be a number"))
        if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low > high:
            problems.append(Problem(f"{where}.min", f"{low} is above max {high}"))
    else:
        for name in ("min", "max", "unit"):
            if name in raw:
                problems.append(Problem(f"{where}.{name}", f"only number questions have {name}"))
    for flag in ("safety", "ask_each_time", "past_only"):
        if not isinstance(raw.get(flag, False), bool):
            problems.append(Problem(f"{where}.{flag}", "must be true or false"))
    if raw.get("past_only") and kind != "date":
        problems.append(Problem(f"{where}.past_only", "only date questions can be past_only"))
    glance = _parse_glance(raw.get("glance"), kind, options, f"{where}.glance", problems)
    if raw.get("safety") is True and not glance:
        problems.append(Problem(f"{where}.glance", "a safety question needs at-a-glance texts"))
    show_if = _parse_show_if(raw.get("show_if"), f"{where}.show_if", problems)
    implies = _parse_implies(raw.get("implies"), kind, options, f"{where}.implies", problems)
    facts = raw.get("facts", [])
    if not isinstance(facts, list) or not all(isinstance(f, str) and _KEY.match(f) for f in facts):
        problems.append(Problem(f"{where}.facts", "must be a list of snake_case fact names"))
    if len(problems) > before:
        return None
    if show_if is not None and show_if.answer_true is not None:
        targets.append((f"{where}.show_if.answer_true", show_if.answer_true))
    return Question(
        key=key, label=label.strip(), kind=kind, section=section,
        short=str(raw.get("short", "")).strip(), options=options, unit=str(unit or ""),
        min=None if low is None else float(low), max=None if high is None else float(high),
        help=str(raw.get("help", "")), safety=bool(raw.get("safety", False)), show_if=show_if,
        ask_each_time=bool(raw.get("ask_each_time", False)), past_only=bool(raw.get("past_only", False)),
        glance=MappingProxyType(glance), implies=MappingProxyType(implies), facts=tuple(facts),
    )


def _answer_keys(kind: str, options: tuple[Option, ...]) -> tuple[str, ...]:
    if kind in YES_NO_KINDS:
        return ("yes", "no")
    return tuple(o.value for o in options) if kind == "choice" else ()


def _fits(question: Question, value: Any) -> bool:
    """Whether ``value`` (as stored: True/False or an option value) answers ``question``."""
    if question.kind in YES_NO_KINDS:
        return isinstance(value, bool)
    return question.kind == "choice" and isinstance(value, str) and value in question.option_values


def _parse_implies(raw: Any, kind: str, options: tuple[Option, ...], where: str,
                   problems: list[Problem]) -> dict[str, dict[str, Any]]:
    """``{"hormonal": {"hormonal_contraception_hrt": true}}``: this answer means that one too."""
    if raw is None:
        return {}
    allowed = _answer_keys(kind, options)
    if not isinstance(raw, dict) or not allowed:
        problems.append(Problem(where, "must be an object {answer: {question key: answer}} on a yes/no "
                                       "or choice question"))
        return {}
    implies: dict[str, dict[str, Any]] = {}
    for answer, needs in raw.items():
        if answer not in allowed:
            problems.append(Problem(f"{where}.{answer}", f"use one of {', '.join(allowed)}"))
        elif not isinstance(needs, dict) or not needs:
            problems.append(Problem(f"{where}.{answer}", "must be a non-empty object {question key: answer}"))
        else:
            implies[answer] = dict(needs)
    return implies


def _parse_options(raw: Any, kind: str, where: str, problems: list[Problem]) -> tuple[Option, ...]:
    if kind != "choice":
        if raw is not None:
            problems.append(Problem(where, "only choice questions have options"))
        return ()
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(where, "a choice question needs a non-empty list of options"))
        return ()
    options: list[Option] = []
    for index, item in enumerate(raw):
        value = item.get("value") if isinstance(item, dict) else None
        label = item.get("label") if isinstance(item, dict) else None
        if not isinstance(value, str) or not _KEY.match(value) or value == UNKNOWN:
            problems.append(Problem(f"{where}[{index}].value", f"{value!r} is not a snake_case value"))
        elif any(o.value == value for o in options):
            problems.append(Problem(f"{where}[{index}].value", f"'{value}' appears twice"))
        elif not isinstance(label, str) or not label.strip():
            problems.append(Problem(f"{where}[{index}].label", "must be non-empty text"))
        else:
            options.append(Option(value, label.strip()))
    return tuple(options)


def _glance_keys(kind: str, options: tuple[Option, ...]) -> tuple[str, ...]:
    # "unknown" fits every kind: safety questions can all be answered "not sure".
    if kind in YES_NO_KINDS:
        return ("yes", "no", UNKNOWN, "missing")
    if kind == "choice":
        return (*(o.value for o in options), UNKNOWN, "missing")
    if kind == "date":
        return ("answered", "no", UNKNOWN, "missing")
    return ("answered", UNKNOWN, "missing")


def _parse_glance(raw: Any, kind: str, options: tuple[Option, ...], where: str,
                  problems: list[Problem]) -> dict[str, Glance]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(where, "must be an object"))
        return {}
    allowed = _glance_keys(kind, options)
    glance: dict[str, Glance] = {}
    for key, entry in raw.items():
        at = f"{where}.{key}"
        text = entry.get("text") if isinstance(entry, dict) else None
        level = entry.get("level") if isinstance(entry, dict) else None
        if key not in allowed:
            problems.append(Problem(at, f"'{key}' does not fit a {kind} question; use one of {', '.join(allowed)}"))
        elif not isinstance(text, str) or not text.strip():
            problems.append(Problem(f"{at}.text", "must be non-empty text"))
        elif level not in LEVELS:
            problems.append(Problem(f"{at}.level", f"{level!r} is not one of {', '.join(LEVELS)}"))
        elif any(name != "answer" for name in _PLACEHOLDER.findall(text)):
            problems.append(Problem(f"{at}.text", "the only placeholder allowed is {answer}"))
        else:
            glance[key] = Glance(text.strip(), level)
    return glance


def _parse_show_if(raw: Any, where: str, problems: list[Problem]) -> ShowIf | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw or set(raw) - {"sex", "answer_true"}:
        problems.append(Problem(where, "must be an object with 'sex' (a list) and/or 'answer_true' (a key)"))
        return None
    sexes = raw.get("sex")
    if sexes is not None and (not isinstance(sexes, list) or not sexes or any(s not in SEXES for s in sexes)):
        problems.append(Problem(f"{where}.sex", f"must be a list drawn from {', '.join(SEXES)}"))
        return None
    target = raw.get("answer_true")
    if target is not None and not isinstance(target, str):
        problems.append(Problem(f"{where}.answer_true", "must be a question key"))
        return None
    return ShowIf(frozenset(sexes) if sexes else None, target)

