"""The last line of defence for stored text: every one-line column (``String``) refuses line
breaks, tabs and other control characters, every multi-line column (``Text``) refuses NUL and
the like, and all text is stored in Unicode NFC.

Services check their own fields first, with the names their forms show; this check runs on every
flush, so no route (a screen, an import, a command, a service that forgot) can store a name that
breaks a list or a document. The audit trail's own rows are left alone (their hashes are computed
from the values as given).
"""

from __future__ import annotations

from sqlalchemy import String, Text, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from mesoplan.errors import Problem, ValidationError
from mesoplan.text import multi_line_problem, nfc, one_line_problem

_SKIPPED_TABLES = frozenset({"audit_entry", "audit_head"})


def _text_columns(mapper) -> list[tuple[str, bool]]:
    """(attribute key, multi-line) of the mapper's text columns."""
    found = []
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if isinstance(column.type, Text):
            found.append((prop.key, True))
        elif isinstance(column.type, String):
            found.append((prop.key, False))
    return found


def check_text(session: Session, _context=None, _instances=None) -> None:
    """Normalise the text of new and changed rows to NFC; refuse control characters."""
    problems: list[Problem] = []
    for row in (*session.new, *session.dirty):
        state = inspect(row)
        if state.mapper.local_table.name in _SKIPPED_TABLES:
            continue
        for key, multi_line in _text_columns(state.mapper):
            value = getattr(row, key)
            if not isinstance(value, str) or not value:
                continue
            if state.persistent and not state.attrs[key].history.has_changes():
                continue
            problem = (multi_line_problem if multi_line else one_line_problem)(value)
            if problem:
                problems.append(Problem(key.replace("_", " "), problem))
                continue
            normal = nfc(value)
            if normal != value:
                setattr(row, key, normal)
    if problems:
        raise ValidationError(problems)


def guard(sessions: sessionmaker) -> sessionmaker:
    """Check the text of every flush of sessions made by ``sessions``."""
    event.listen(sessions, "before_flush", check_text)
    return sessions
