"""Session protocols and the schedules they produce (pure domain: no Qt, no SQLAlchemy).

A protocol is a list of phases, each "one session every N days/weeks/months, K times". This module
reads protocols from data, turns one into dated visits, moves visits while keeping the protocol's
spacing, and lists visits that fall closer together than an ingredient's minimum interval.

Date rules (also written at the top of resources/protocols.json):
- The first session falls on the start date.
- Inside a phase, each session comes ``every`` units after the session before it.
- The first session of a later phase comes *that* phase's ``every`` units after the last session
  of the phase before it.
- A week is 7 days. Months are calendar months counted from the previous session; a day missing
  from the target month becomes its last day (31 Jan + 1 month = 28/29 Feb), and the next monthly
  session is then counted from that clamped day.
- With ``avoid_weekdays``, a date on an avoided weekday moves to the next allowed day, and the next
  session is counted from the moved date, so no gap is ever shorter than the protocol asks.

Moving sessions (``move_visit``):
- Done sessions never move, and a session cannot be moved onto or before the session before it.
- By default the later sessions that are not done move by the same number of days, up to the next
  done session (which stays put); so the gaps the protocol asked for are kept. The move is refused
  when it would push a session onto or past that done session.
- With ``shift_later=False`` only the one session moves; it must stay strictly between its
  neighbours.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from mesoplan.errors import Problem, ValidationError
from mesoplan.paths import read_resource_text
from mesoplan.vocabulary import indications as known_indications

SHIPPED_FILE = "protocols.json"
UNITS = ("days", "weeks", "months")
GROUPS = ("hair", "face", "pigmentation", "body")
MAX_EVERY = 365
MAX_COUNT = 100
CODE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_]{0,79}")
_PROTOCOL_KEYS = ("code", "name", "group", "description", "indications", "phases")
_PHASE_KEYS = ("name", "every", "unit", "count")
_FILE_KEYS = ("version", "note", "protocols")


@dataclass(frozen=True)
class Phase:
    """One step of a protocol: a session every ``every`` ``unit``, ``count`` times."""

    name: str
    every: int
    unit: str  # days | weeks | months
    count: int

    def describe(self) -> str:
        """For people, e.g. '3 sessions, every 2 weeks' or '4 sessions, every week'."""
        unit = self.unit[:-1] if self.every == 1 else self.unit
        spacing = f"every {unit}" if self.every == 1 else f"every {self.every} {unit}"
        sessions = "1 session" if self.count == 1 else f"{self.count} sessions"
        return f"{sessions}, {spacing}"


@dataclass(frozen=True)
class Protocol:
    """A named session schedule; ``custom`` and ``retired`` describe how the clinic stores it."""

    code: str
    name: str
    group: str  # hair | face | pigmentation | body
    description: str
    indications: tuple[str, ...]
    phases: tuple[Phase, ...]
    custom: bool = False
    retired: bool = False

    @property
    def session_count(self) -> int:
        return sum(phase.count for phase in self.phases)

    def describe(self) -> str:
        """All phases in one line, e.g. 'Induction: 4 sessions, every week; then Maintenance: ...'."""
        return "; then ".join(f"{phase.name}: {phase.describe()}" for phase in self.phases)


@dataclass(frozen=True)
class PlannedVisit:
    """One session of a schedule: its number (from 1), phase name, date and whether it is done."""

    sequence: int
    phase: str
    date: dt.date
    done: bool = False


# --- reading protocols from data ----------------------------------------------------------------


def parse_protocols(data: Any, *, source: str = "") -> list[Protocol]:
    """Protocols from parsed JSON (the file's object, or its list of protocols).

    Raises ``ValidationError`` listing every problem with its JSON path, e.g.
    ``protocols[2].phases[0].every: must be a whole number of at least 1``.
    """
    problems: list[Problem] = []
    entries: Any = data
    if isinstance(data, Mapping):
        for key in data:
            if key not in _FILE_KEYS:
                problems.append(Problem(str(key), _unknown_field(_FILE_KEYS)))
        entries = data.get("protocols")
    protocols: list[Protocol] = []
    if not isinstance(entries, list):
        problems.append(Problem("protocols", "must be a list of protocols"))
    else:
        first_use: dict[str, str] = {}
        for index, entry in enumerate(entries):
            where = f"protocols[{index}]"
            protocol = _parse_protocol(entry, where, problems)
            code = entry.get("code") if isinstance(entry, Mapping) else None
            if isinstance(code, str) and code.strip() in first_use:
                problems.append(Problem(f"{where}.code", f"'{code.strip()}' is already used by "
                                                         f"{first_use[code.strip()]}"))
            elif isinstance(code, str) and code.strip():
                first_use[code.strip()] = where
            if protocol is not None:
                protocols.append(protocol)
    if problems:
        if source:
            problems = [Problem(f"{source}, {p.where}", p.message) for p in problems]
        raise ValidationError(problems)
    return protocols


def parse_protocol(entry: Any, where: str = "protocol") -> Protocol:
    """One protocol from a JSON-like mapping; raises ``ValidationError`` naming each problem."""
    problems: list[Problem] = []
    protocol = _parse_protocol(entry, where, problems)
    if problems or protocol is None:
        raise ValidationError(problems)
    return protocol


def protocol_to_data(protocol: Protocol) -> dict[str, Any]:
    """The JSON form of a protocol, as in resources/protocols.json (``parse_protocol`` reads it)."""
    return {
        "code": protocol.code, "name": protocol.name, "group": protocol.group,
        "description": protocol.description, "indications": list(protocol.indications),
        "phases": [phase_to_data(phase) for phase in protocol.phases],
    }


def phase_to_data(phase: Phase) -> dict[str, Any]:
    return {"name": phase.name, "every": phase.every, "unit": phase.unit, "count": phase.count}


def parse_phases(entries: Any, where: str = "phases") -> tuple[Phase, ...]:
    """Phases from a JSON list (as stored in the database); raises ``ValidationError``."""
    problems: list[Problem] = []
    phases = _parse_phases(entries, where, problems)
    if problems:
        raise ValidationError(problems)
    return phases


@cache
def load_shipped_protocols() -> tuple[Protocol, ...]:
    """The starter protocols shipped in resources/protocols.json."""
    try:
        data = json.loads(read_resource_text(SHIPPED_FILE))
    except json.JSONDecodeError as exc:
        raise ValidationError(f"line {exc.lineno}, column {exc.colno}: {exc.msg}",
                              where=SHIPPED_FILE) from exc
    return tuple(parse_protocols(data, source=SHIPPED_FILE))


def _parse_protocol(entry: Any, where: str, problems: list[Problem]) -> Protocol | None:
    if not isinstance(entry, Mapping):
        problems.append(Problem(where, "must be an object with code, name, group and phases"))
        return None
    before = len(problems)
    for key in entry:
        if key not in _PROTOCOL_KEYS:
            problems.append(Problem(f"{where}.{key}", _unknown_field(_PROTOCOL_KEYS)))
    code = _text(entry, "code", where, problems, max_length=80)
    if code and not CODE_PATTERN.fullmatch(code):
        problems.append(Problem(f"{where}.code", f"'{code}' may only hold lower-case letters, "
                                                 "digits and underscores, starting with a letter or digit"))
    name = _text(entry, "name", where, problems, max_length=200)
    group = entry.get("group")
    if group not in GROUPS:
        shown = "missing" if group is None else f"{group!r} is not a known group"
        problems.append(Problem(f"{where}.group", f"{shown}; use one of {', '.join(GROUPS)}"))
    description = _text(entry, "description", where, problems, required=False)
    indications = _indications(entry.get("indications", []), f"{where}.indications", problems)
    phases = _parse_phases(entry.get("phases"), f"{where}.phases", problems)
    if len(problems) > before:
        return None
    return Protocol(code=code, name=name, group=str(group), description=description,
                    indications=indications, phases=phases)


def _parse_phases(entries: Any, where: str, problems: list[Problem]) -> tuple[Phase, ...]:
    if not isinstance(entries, list) or not entries:
        problems.append(Problem(where, "must be a list of at least one phase"))
        return ()
    phases: list[Phase] = []
    for index, entry in enumerate(entries):
        at = f"{where}[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(Problem(at, "must be an object with name, every, unit and count"))
            continue
        for key in entry:
            if key not in _PHASE_KEYS:
                problems.append(Problem(f"{at}.{key}", _unknown_field(_PHASE_KEYS)))
        name = _text(entry, "name", at, problems, max_length=60)
        every = _whole(entry, "every", at, problems, maximum=MAX_EVERY)
        count = _whole(entry, "count", at, problems, maximum=MAX_COUNT)
        unit = entry.get("unit")
        if unit not in UNITS:
            shown = "missing" if unit is None else f"{unit!r} is not a known unit"
            problems.append(Problem(f"{at}.unit", f"{shown}; use one of {', '.join(UNITS)}"))
        phases.append(Phase(name=name, every=every, unit=str(unit), count=count))
    return tuple(phases)


def _text(entry: Mapping[str, Any], key: str, where: str, problems: list[Problem], *,
          required: bool = True, max_length: int | None = None) -> str:
    value = entry.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(Problem(f"{where}.{key}", "must be some text" if required else "must be text"))
        return ""
    if max_length is not None and len(value) > max_length:
        problems.append(Problem(f"{where}.{key}", f"is {len(value)} characters long; "
                                                  f"at most {max_length} fit"))
    return value.strip()


def _whole(entry: Mapping[str, Any], key: str, where: str, problems: list[Problem], *,
           maximum: int) -> int:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(Problem(f"{where}.{key}", "must be a whole number of at least 1"))
        return 0
    if value > maximum:
        problems.append(Problem(f"{where}.{key}", f"{value} is too large; at most {maximum}"))
    return value


def _indications(value: Any, where: str, problems: list[Problem]) -> tuple[str, ...]:
    if not isinstance(value, list):
        problems.append(Problem(where, "must be a list of indication codes"))
        return ()
    known = known_indications()
    codes: list[str] = []
    for index, code in enumerate(value):
        if not isinstance(code, str) or code not in known:
            problems.append(Problem(f"{where}[{index}]", f"{code!r} is not a known indication; "
                                                         "see indications.json for the codes"))
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _unknown_field(expected: Sequence[str]) -> str:
    return f"unknown field; expected one of {', '.join(expected)}"


# --- dates --------------------------------------------------------------------------------------


def add_interval(day: dt.date, every: int, unit: str) -> dt.date:
    """``day`` plus ``every`` days, weeks or calendar months (clamped to the month's last day)."""
    if unit == "days":
        return day + dt.timedelta(days=every)
    if unit == "weeks":
        return day + dt.timedelta(weeks=every)
    if unit == "months":
        years, month_index = divmod(day.month - 1 + every, 12)
        year, month = day.year + years, month_index + 1
        return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    raise ValidationError(f"{unit!r} is not a known unit; use one of {', '.join(UNITS)}")


def generate_schedule(protocol: Protocol, start_date: dt.date, *,
                      avoid_weekdays: Collection[int] = ()) -> tuple[PlannedVisit, ...]:
    """The protocol's sessions from ``start_date`` (rules in the module docstring).

    ``avoid_weekdays`` holds ``date.weekday()`` numbers (Monday 0 … Sunday 6) never to plan on.
    """
    avoid = frozenset(avoid_weekdays)
    if not avoid <= frozenset(range(7)) or len(avoid) == 7:
        raise ValidationError("Days to avoid must be weekday numbers 0 (Monday) to 6 (Sunday), "
                              "leaving at least one day of the week free.")
    visits: list[PlannedVisit] = []
    previous: dt.date | None = None
    try:
        for phase in protocol.phases:
            for _ in range(phase.count):
                day = start_date if previous is None else add_interval(previous, phase.every,
                                                                       phase.unit)
                while day.weekday() in avoid:
                    day += dt.timedelta(days=1)
                visits.append(PlannedVisit(len(visits) + 1, phase.name, day))
                previous = day
    except (OverflowError, ValueError) as exc:
        raise ValidationError(f"The schedule of {protocol.name} starting {start_date.isoformat()} "
                              "runs past the last date the calendar can hold.") from exc
    return tuple(visits)


def move_visit(visits: Sequence[PlannedVisit], index: int, new_date: dt.date, *,
               shift_later: bool = True) -> tuple[PlannedVisit, ...]:
    """The schedule with ``visits[index]`` (0-based) on ``new_date``; rules in the module docstring.

    Raises ``ValidationError`` naming the session and dates when the move is not allowed.
    """
    visits = tuple(visits)
    if not 0 <= index < len(visits):
        raise ValidationError(f"There is no session number {index + 1}; the schedule has "
                              f"{len(visits)} sessions.")
    moving = visits[index]
    if new_date == moving.date:
        return visits
    label = f"Session {moving.sequence}"
    if moving.done:
        raise ValidationError(f"{label} on {moving.date.isoformat()} is done; done sessions keep "
                              "their date.")
    if index > 0 and new_date <= visits[index - 1].date:
        before = visits[index - 1]
        raise ValidationError(f"{label} cannot move to {new_date.isoformat()}: it must come after "
                              f"session {before.sequence} on {before.date.isoformat()}.")
    last = index
    if shift_later:
        while last + 1 < len(visits) and not visits[last + 1].done:
            last += 1
    delta = new_date - moving.date
    try:
        moved = [replace(visit, date=visit.date + delta) for visit in visits[index:last + 1]]
    except OverflowError as exc:
        raise ValidationError(f"{label} cannot move to {new_date.isoformat()}: later sessions "
                              "would fall past the last date the calendar can hold.") from exc
    if last + 1 < len(visits) and moved[-1].date >= visits[last + 1].date:
        fixed = visits[last + 1]
        state = "done" if fixed.done else "planned"
        if len(moved) == 1:
            reason = "it must come before"
        else:
            reason = (f"session {moved[-1].sequence} would move to {moved[-1].date.isoformat()}, "
                      "not before")
        raise ValidationError(f"{label} cannot move to {new_date.isoformat()}: {reason} session "
                              f"{fixed.sequence}, {state} on {fixed.date.isoformat()}.")
    return visits[:index] + tuple(moved) + visits[last + 1:]


def interval_violations(dates: Iterable[dt.date], min_interval_days: int | None
                        ) -> list[tuple[dt.date, dt.date, int]]:
    """Pairs of consecutive dates closer than ``min_interval_days``: (earlier, later, days apart).

    Dates may come in any order; two sessions on one day are 0 days apart. No minimum, no pairs.
    """
    if not min_interval_days or min_interval_days <= 0:
        return []
    ordered = sorted(dates)
    return [(earlier, later, (later - earlier).days)
            for earlier, later in zip(ordered, ordered[1:])
            if (later - earlier).days < min_interval_days]
