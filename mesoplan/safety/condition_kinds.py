"""The condition kinds about the screening answers and the patient (age, sex, weight, screening).

Each function checks its parameters when rules.json is loaded and returns the compiled check; see
the "conditions" section at the top of resources/rules.json for what each kind means.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mesoplan.errors import Problem
from mesoplan.safety.conditions import (
    BARE,
    Check,
    CompileEnv,
    Context,
    Hit,
    add_months,
    condition_kind,
    need_names,
    need_positive_int,
    need_question,
    need_true,
    reads_answers,
)
from mesoplan.safety.facts import SEXES, PatientFacts
from mesoplan.safety.questionnaire import (
    UNKNOWN,
    YES_NO_KINDS,
    Question,
    answer_date,
    answer_text,
    unanswered_safety_questions,
)


def _said(question: Question, value: Any) -> str:
    return f"'{question.name}: {answer_text(question, value)}'"


# --- screening answers --------------------------------------------------------------------------


def _questions(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> list[Question] | None:
    if not isinstance(value, list) or not value:
        problems.append(Problem(path, "must be a non-empty list of question keys"))
        return None
    found = [need_question(key, f"{path}[{i}]", env, problems, YES_NO_KINDS) for i, key in enumerate(value)]
    return None if any(q is None for q in found) else found  # type: ignore[return-value]


def _listed(value: Any) -> tuple[str, ...]:
    return tuple(k for k in value if isinstance(k, str)) if isinstance(value, list) else ()


def _named(value: Any) -> tuple[str, ...]:
    key = value.get("answer") if isinstance(value, dict) else None
    return (key,) if isinstance(key, str) else ()


@reads_answers(_listed)
@condition_kind("answer_true")
def _answer_true(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    questions = _questions(value, path, env, problems)
    if questions is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        said = tuple(_said(q, True) for q in questions if ctx.answers.get(q.key) is True)
        return [Hit(answers=said)] if said else []
    return check


@reads_answers(_listed)
@condition_kind("answer_not_false")
def _answer_not_false(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    questions = _questions(value, path, env, problems)
    if questions is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        said = tuple(_said(q, ctx.answers.get(q.key)) for q in questions if ctx.answers.get(q.key) is not False)
        return [Hit(answers=said)] if said else []
    return check


@reads_answers(_named)
@condition_kind("answer_in")
def _answer_in(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not isinstance(value, dict) or set(value) != {"answer", "values"}:
        problems.append(Problem(path, "must be {\"answer\": question key, \"values\": [answers]}"))
        return None
    question = need_question(value["answer"], f"{path}.answer", env, problems,
                             ("choice", "yes_no", "yes_no_unknown"))
    values = value["values"]
    if question is None:
        return None
    sure: tuple[Any, ...] = (UNKNOWN,) if question.accepts_not_sure else ()
    allowed: tuple[Any, ...] = (question.option_values if question.kind == "choice" else (True, False)) + sure
    if not isinstance(values, list) or not values:
        problems.append(Problem(f"{path}.values", "must be a non-empty list"))
        return None
    bad = [v for v in values if not any(v is a or (isinstance(a, str) and v == a) for a in allowed)]
    if bad:
        problems.append(Problem(f"{path}.values", f"{bad!r} do not fit '{question.key}'; use some of {list(allowed)!r}"))
        return None
    wanted = tuple(values)

    def check(ctx: Context) -> list[Hit]:
        answer = ctx.answers.get(question.key)
        if answer is None or not any(answer is w or (isinstance(w, str) and answer == w) for w in wanted):
            return []
        return [Hit(answers=(_said(question, answer),))]
    return check


def _date_window(value: Any, path: str, env: CompileEnv, problems: list[Problem], unit: str) -> Check | None:
    if not isinstance(value, dict) or set(value) != {"answer", unit}:
        problems.append(Problem(path, f"must be {{\"answer\": date question key, \"{unit}\": number}}"))
        return None
    question = need_question(value["answer"], f"{path}.answer", env, problems, ("date",))
    amount = need_positive_int(value[unit], f"{path}.{unit}", problems)
    if question is None or amount is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        day = answer_date(ctx.answers, question.key)
        if day is None:
            return []
        limit = add_months(day, amount) if unit == "months" else day + dt.timedelta(days=amount)
        if ctx.today >= limit:
            return []
        return [Hit(answers=(_said(question, day.isoformat()),),
                    details=(f"{day.isoformat()} is less than {amount} {unit} before {ctx.today.isoformat()}",))]
    return check


@reads_answers(_named)
@condition_kind("within_months_of_answer_date")
def _within_months(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    return _date_window(value, path, env, problems, "months")


@reads_answers(_named)
@condition_kind("within_days_of_answer_date")
def _within_days(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    return _date_window(value, path, env, problems, "days")


_NAMED_AT_MOST = 6  # unanswered questions named in the finding; the screening form lists them all


@condition_kind("safety_questions_unanswered")
def _safety_unanswered(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None
    questionnaire = env.questionnaire

    def check(ctx: Context) -> list[Hit]:
        if not screening_recorded(ctx.patient):
            return []  # "no screening at all" is a rule of its own
        missing = unanswered_safety_questions(questionnaire, ctx.patient.sex, ctx.answers)
        if not missing:
            return []
        count = f"{len(missing)} safety question{'s' if len(missing) != 1 else ''} not answered"
        names = [q.name for q in missing[:_NAMED_AT_MOST]]
        more = len(missing) - len(names)
        listed = ", ".join(names) + (f" and {more} more" if more else "")
        return [Hit(details=(f"{count}: {listed}",))]
    return check


def _stored(question: Question, text: str) -> Any:
    """An ``implies`` key ("yes", "no" or an option value) as the stored answer."""
    if question.kind in YES_NO_KINDS:
        return text == "yes"
    return text


@condition_kind("answers_contradict")
def _answers_contradict(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None
    links = [(q, _stored(q, given), env.questionnaire.question(target), needed)
             for q in env.questionnaire.questions() for given, needs in q.implies.items()
             for target, needed in needs.items()]

    def check(ctx: Context) -> list[Hit]:
        hits = []
        for source, given, target, needed in links:
            said, other = ctx.answers.get(source.key), ctx.answers.get(target.key)
            if not _same(said, given) or other is None or other == UNKNOWN or _same(other, needed):
                continue
            hits.append(Hit(answers=(_said(source, said), _said(target, other))))
        return hits
    return check


def _same(a: Any, b: Any) -> bool:
    return a == b and type(a) is type(b)


def screening_recorded(p: PatientFacts) -> bool:
    """Whether any screening was recorded for the patient."""
    return not (p.screening_id is None and p.screening_date is None and not p.answers)


# --- the patient --------------------------------------------------------------------------------


@condition_kind("sex")
def _sex(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    sexes = need_names(value, path, problems, frozenset(SEXES), "sex")
    if sexes is None:
        return None
    return lambda ctx: [BARE] if ctx.patient.sex in sexes else []


@condition_kind("age_below")
def _age_below(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    limit = need_positive_int(value, path, problems)
    if limit is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        age = ctx.patient.age_years
        return [Hit(details=(f"age {age}",))] if age is not None and age < limit else []
    return check


@condition_kind("age_unknown")
def _age_unknown(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None
    missing = [Hit(details=("date of birth not recorded",))]
    return lambda ctx: missing if ctx.patient.age_years is None else []


@condition_kind("weight_missing")
def _weight_missing(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None
    missing = [Hit(details=("weight not recorded",))]
    return lambda ctx: missing if ctx.patient.weight_kg is None else []


@condition_kind("screening_missing")
def _screening_missing(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    if not need_true(value, path, problems):
        return None
    missing = [Hit(details=("no medical screening recorded",))]

    return lambda ctx: [] if screening_recorded(ctx.patient) else missing


@condition_kind("screening_older_than_months")
def _screening_old(value: Any, path: str, env: CompileEnv, problems: list[Problem]) -> Check | None:
    months = need_positive_int(value, path, problems)
    if months is None:
        return None

    def check(ctx: Context) -> list[Hit]:
        taken = ctx.patient.screening_date
        if taken is None or add_months(taken, months) >= ctx.today:
            return []
        return [Hit(details=(f"latest screening taken on {taken.isoformat()}",))]
    return check
