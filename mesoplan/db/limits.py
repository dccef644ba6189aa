"""How long text may be: read from the models' ``String(n)`` columns, the one place limits live.

Services check their inputs with ``too_long`` (naming the field or JSON path); every write
session also runs ``check_flush`` before it sends anything to the database, so a value that is
too long is refused with the same plain message on SQLite (which would store it) and PostgreSQL
(which would fail with an error carrying the row).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from mesoplan.errors import Problem, ValidationError


@cache
def text_limits(model: type) -> dict[str, int]:
    """{attribute name: longest text it may hold} for the model's ``String(n)`` columns."""
    limits = {}
    for attribute in inspect(model).column_attrs:
        column = attribute.columns[0]
        if isinstance(column.type, String) and column.type.length:
            limits[attribute.key] = column.type.length
    return limits


def limit_of(model: type, attribute: str) -> int:
    return text_limits(model)[attribute]


def length_message(length: int, limit: int) -> str:
    return f"is {length} characters long; at most {limit} fit"


def too_long(model: type, values: Mapping[str, Any] | object, where: str = "",
             names: Mapping[str, str] | None = None, sep: str = ".",
             labels: Mapping[str, str] | None = None) -> list[Problem]:
    """Problems for every text in ``values`` (a dict or an object) longer than its column allows.

    ``names`` maps a column to the key or attribute ``values`` uses for it (default: the column's
    own name); ``labels`` maps a column to the word people see (default: that key). The problem is
    placed at ``where + sep + label`` (or just the label when ``where`` is empty).
    """
    names, labels = names or {}, labels or {}
    problems = []
    for column, limit in text_limits(model).items():
        key = names.get(column, column)
        if isinstance(values, Mapping):
            value = values.get(key)
        else:
            value = getattr(values, key, None)
        if isinstance(value, str) and len(value) > limit:
            label = labels.get(column, key)
            place = f"{where}{sep}{label}" if where else label
            problems.append(Problem(place, length_message(len(value), limit)))
    return problems


def check_flush(session: Session, _context: Any = None, _instances: Any = None) -> None:
    """Refuse the flush when a new or changed text is longer than its column (before any SQL)."""
    problems = []
    for obj in list(session.new) + list(session.dirty):
        state = inspect(obj)
        limits = text_limits(type(obj))
        for column, limit in limits.items():
            value = getattr(obj, column, None)
            if not isinstance(value, str) or len(value) <= limit:
                continue
            if obj in session.dirty and not state.attrs[column].history.has_changes():
                continue  # stored earlier (older versions let SQLite keep it): not this change
            label = f"{type(obj).__tablename__.replace('_', ' ')} {column.replace('_', ' ')}"
            problems.append(Problem(label, length_message(len(value), limit)))
    if problems:
        raise ValidationError(problems)


def install_length_check(sessions: sessionmaker) -> None:
    """Check every flush of sessions from ``sessions`` with ``check_flush``."""
    event.listen(sessions, "before_flush", check_flush)
