"""Tests for mesoplan.schedule: protocol data, generated dates, moving visits, interval checks."""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import json
import subprocess
import sys

import pytest

from mesoplan.errors import ValidationError
from mesoplan.paths import read_resource_text
from mesoplan.schedule import (
    Phase,
    PlannedVisit,
    Protocol,
    add_interval,
    generate_schedule,
    interval_violations,
    load_shipped_protocols,
    move_visit,
    parse_protocol,
    parse_protocols,
    protocol_to_data,
)

D = dt.date


def shipped(code: str) -> Protocol:
    return next(p for p in load_shipped_protocols() if p.code == code)


def dates(visits) -> list[str]:
    return [v.date.isoformat() for v in visits]


def gaps(visits) -> list[int]:
    return [(b.date - a.date).days for a, b in zip(visits, visits[1:])]


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def one_phase(every: int, unit: str, count: int) -> Protocol:
    return Protocol("test", "Test", "face", "", (), (Phase("Only", every, unit, count),))


# --- shipped protocols --------------------------------------------------------------------------


def test_shipped_file_holds_the_starter_protocols_of_every_group():
    protocols = load_shipped_protocols()
    codes = {p.code for p in protocols}
    assert {"scalp_vitamin_cocktail", "scalp_dutasteride", "face_biorevitalisation", "melasma",
            "body_lipolysis", "body_cellulite"} <= codes
    assert {p.group for p in protocols} == {"hair", "face", "pigmentation", "body"}
    raw = json.loads(read_resource_text("protocols.json"))
    assert raw["note"], "the file documents its own format"
    assert len(protocols) == len(raw["protocols"])
    for protocol in protocols:
        assert "not a recommendation" in protocol.description
        assert protocol.indications, f"{protocol.code} names the indications it is meant for"


@pytest.mark.parametrize("protocol", load_shipped_protocols(), ids=lambda p: p.code)
@pytest.mark.parametrize("start", [D(2024, 1, 31), D(2023, 8, 31), D(2025, 3, 3)])
def test_every_shipped_protocol_generates_its_sessions_with_the_phase_spacing(protocol, start):
    visits = generate_schedule(protocol, start)
    expected_phases = [phase.name for phase in protocol.phases for _ in range(phase.count)]
    assert len(visits) == sum(phase.count for phase in protocol.phases)
    assert [v.sequence for v in visits] == list(range(1, len(visits) + 1))
    assert [v.phase for v in visits] == expected_phases
    assert visits[0].date == start
    assert not any(v.done for v in visits)
    spacing = [phase for phase in protocol.phases for _ in range(phase.count)][1:]
    for earlier, later, phase in zip(visits, visits[1:], spacing):
        if phase.unit == "months":
            assert months_between(earlier.date, later.date) == phase.every
            last_day = calendar.monthrange(later.date.year, later.date.month)[1]
            assert later.date.day == min(earlier.date.day, last_day)
        else:
            per_unit = 7 if phase.unit == "weeks" else 1
            assert (later.date - earlier.date).days == phase.every * per_unit


def test_scalp_vitamin_course_dates_by_hand():
    visits = generate_schedule(shipped("scalp_vitamin_cocktail"), D(2024, 1, 1))
    assert dates(visits) == [
        "2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22",  # weekly x4
        "2024-02-05", "2024-02-19", "2024-03-04",  # every 2 weeks after the last weekly one
        "2024-04-04", "2024-05-04", "2024-06-04",  # monthly
        "2024-09-04", "2024-12-04",  # every 3 months
    ]
    assert [v.phase for v in visits[3:5]] == ["Induction", "Tapering"]


def test_melasma_phase_boundary_counts_from_the_last_fortnightly_visit():
    visits = generate_schedule(shipped("melasma"), D(2024, 3, 1))
    assert dates(visits) == ["2024-03-01", "2024-03-15", "2024-03-29", "2024-04-12",
                             "2024-04-26", "2024-05-10", "2024-06-10", "2024-07-10"]
    assert visits[5].phase == "Induction" and visits[6].phase == "Tapering"


def test_months_clamp_to_month_end_and_count_on_from_the_clamped_day():
    leap = generate_schedule(shipped("face_biorevitalisation_monthly"), D(2024, 1, 31))
    assert dates(leap) == ["2024-01-31", "2024-02-29", "2024-03-29", "2024-04-29",
                           "2024-07-29", "2024-10-29"]
    plain = generate_schedule(one_phase(1, "months", 3), D(2023, 1, 31))
    assert dates(plain) == ["2023-01-31", "2023-02-28", "2023-03-28"]
    quarterly = generate_schedule(shipped("scalp_dutasteride"), D(2024, 5, 31))
    assert dates(quarterly) == ["2024-05-31", "2024-08-31", "2024-11-30", "2025-02-28"]


def test_add_interval_units():
    assert add_interval(D(2024, 12, 30), 3, "days") == D(2025, 1, 2)
    assert add_interval(D(2024, 2, 26), 1, "weeks") == D(2024, 3, 4)
    assert add_interval(D(2024, 11, 30), 3, "months") == D(2025, 2, 28)
    assert add_interval(D(2024, 3, 31), 1, "months") == D(2024, 4, 30)
    with pytest.raises(ValidationError, match="'fortnights' is not a known unit"):
        add_interval(D(2024, 1, 1), 1, "fortnights")


def test_avoided_weekdays_push_to_the_next_allowed_day_and_later_dates_follow():
    sunday = 6
    visits = generate_schedule(one_phase(3, "days", 4), D(2024, 1, 5), avoid_weekdays={sunday})
    # Fri 5, Mon 8, Thu 11, Sun 14 -> Mon 15
    assert dates(visits) == ["2024-01-05", "2024-01-08", "2024-01-11", "2024-01-15"]
    started_on_sunday = generate_schedule(one_phase(1, "weeks", 2), D(2024, 1, 7),
                                          avoid_weekdays={sunday})
    assert dates(started_on_sunday) == ["2024-01-08", "2024-01-15"]
    with pytest.raises(ValidationError, match="at least one day of the week free"):
        generate_schedule(one_phase(1, "weeks", 2), D(2024, 1, 7), avoid_weekdays=range(7))


def test_describe_reads_like_a_sentence():
    assert shipped("melasma").describe() == (
        "Induction: 6 sessions, every 2 weeks; then Tapering: 2 sessions, every month")
    assert Phase("Top-up", 1, "days", 1).describe() == "1 session, every day"


# --- protocol data validation -------------------------------------------------------------------


def valid_entry(code: str = "custom_face") -> dict:
    return {"code": code, "name": "Custom face", "group": "face", "description": "Mine.",
            "indications": ["wrinkles"],
            "phases": [{"name": "Induction", "every": 2, "unit": "weeks", "count": 3}]}


def test_round_trip_through_data_keeps_every_shipped_protocol():
    for protocol in load_shipped_protocols():
        assert parse_protocol(protocol_to_data(protocol)) == protocol


def test_invalid_protocol_data_reports_every_problem_with_its_path():
    bad_every = valid_entry("second")
    bad_every["phases"] = [
        {"name": "Induction", "every": 0, "unit": "weeks", "count": 3},
        {"name": "Later", "every": 1, "unit": "fortnights", "count": 2.5, "evrey": 1},
    ]
    duplicate = valid_entry("first")
    duplicate["group"] = "legs"
    duplicate["indications"] = ["wrinkles", "baldness"]
    no_phases = valid_entry("fourth")
    no_phases["name"] = "  "
    no_phases["phases"] = []
    data = {"note": "x", "protocols": [valid_entry("first"), bad_every, duplicate, no_phases,
                                       "not an object"]}
    with pytest.raises(ValidationError) as caught:
        parse_protocols(data)
    found = {p.where: p.message for p in caught.value.problems}
    assert found["protocols[1].phases[0].every"] == "must be a whole number of at least 1"
    assert "'fortnights' is not a known unit" in found["protocols[1].phases[1].unit"]
    assert found["protocols[1].phases[1].count"] == "must be a whole number of at least 1"
    assert found["protocols[1].phases[1].evrey"].startswith("unknown field")
    assert found["protocols[2].code"] == "'first' is already used by protocols[0]"
    assert "'legs' is not a known group" in found["protocols[2].group"]
    assert "'baldness' is not a known indication" in found["protocols[2].indications[1]"]
    assert found["protocols[3].name"] == "must be some text"
    assert found["protocols[3].phases"] == "must be a list of at least one phase"
    assert "must be an object" in found["protocols[4]"]
    assert len(caught.value.problems) == 10
    assert "protocols[1].phases[0].every: must be a whole number of at least 1" in str(caught.value)


def test_validation_rejects_odd_values_and_prefixes_the_source():
    entry = valid_entry()
    entry["code"] = "Face Plan"
    entry["phases"][0].update(every=True, count=500)
    entry["phases"][0].pop("unit")
    with pytest.raises(ValidationError) as caught:
        parse_protocols([entry], source="protocols.json")
    found = {p.where: p.message for p in caught.value.problems}
    assert "lower-case letters" in found["protocols.json, protocols[0].code"]
    assert found["protocols.json, protocols[0].phases[0].every"] == (
        "must be a whole number of at least 1")
    assert "at most 100" in found["protocols.json, protocols[0].phases[0].count"]
    assert found["protocols.json, protocols[0].phases[0].unit"].startswith("missing; use one of")
    with pytest.raises(ValidationError, match="protocols: must be a list"):
        parse_protocols({"protocols": {}})


def test_a_valid_file_parses_without_touching_its_input():
    data = {"version": "1", "protocols": [valid_entry("a"), valid_entry("b")]}
    untouched = copy.deepcopy(data)
    protocols = parse_protocols(data)
    assert [p.code for p in protocols] == ["a", "b"]
    assert protocols[0].phases == (Phase("Induction", 2, "weeks", 3),)
    assert data == untouched


# --- moving visits -------------------------------------------------------------------------------


def lipolysis_from(start: dt.date) -> tuple[PlannedVisit, ...]:
    return generate_schedule(shipped("body_lipolysis"), start)  # every 4 weeks x4


def test_moving_a_middle_session_shifts_the_later_ones_and_keeps_the_gaps():
    visits = generate_schedule(shipped("melasma"), D(2024, 3, 1))
    moved = move_visit(visits, 3, D(2024, 4, 16))  # session 4 from 12 Apr, 4 days later
    assert moved[:3] == visits[:3]
    assert moved[3].date == D(2024, 4, 16)
    assert [(b.date - a.date).days for a, b in zip(visits[3:], moved[3:])] == [4] * 5
    assert gaps(moved[3:]) == gaps(visits[3:])
    assert [(v.sequence, v.phase) for v in moved] == [(v.sequence, v.phase) for v in visits]
    earlier = move_visit(visits, 3, D(2024, 4, 10))
    assert gaps(earlier[3:]) == gaps(visits[3:]) and earlier[3].date == D(2024, 4, 10)


def test_moving_to_the_same_day_changes_nothing():
    visits = lipolysis_from(D(2024, 1, 1))
    assert move_visit(visits, 2, visits[2].date) == visits


def test_done_sessions_never_move():
    visits = lipolysis_from(D(2024, 1, 1))
    with_done = tuple(PlannedVisit(v.sequence, v.phase, v.date, done=v.sequence <= 2)
                      for v in visits)
    with pytest.raises(ValidationError) as caught:
        move_visit(with_done, 1, D(2024, 2, 1))
    assert str(caught.value) == "Session 2 on 2024-01-29 is done; done sessions keep their date."
    moved = move_visit(with_done, 2, D(2024, 3, 4))
    assert moved[:2] == with_done[:2]
    assert dates(moved[2:]) == ["2024-03-04", "2024-04-01"]


def test_a_later_done_session_stays_put_and_limits_the_shift():
    visits = list(lipolysis_from(D(2024, 1, 1)))  # 1 Jan, 29 Jan, 26 Feb, 25 Mar
    visits[2] = PlannedVisit(3, "Course", visits[2].date, done=True)
    moved = move_visit(visits, 1, D(2024, 2, 5))
    assert dates(moved) == ["2024-01-01", "2024-02-05", "2024-02-26", "2024-03-25"]
    with pytest.raises(ValidationError) as caught:
        move_visit(visits, 1, D(2024, 2, 26))
    assert str(caught.value) == ("Session 2 cannot move to 2024-02-26: it must come before "
                                 "session 3, done on 2024-02-26.")


def test_moving_onto_or_before_the_previous_session_is_refused():
    visits = lipolysis_from(D(2024, 1, 1))
    for target in (D(2024, 1, 29), D(2024, 1, 10)):
        with pytest.raises(ValidationError) as caught:
            move_visit(visits, 2, target)
        assert str(caught.value) == (f"Session 3 cannot move to {target.isoformat()}: it must "
                                     "come after session 2 on 2024-01-29.")


def test_moving_only_one_session_keeps_the_others_and_stays_between_neighbours():
    visits = lipolysis_from(D(2024, 1, 1))
    moved = move_visit(visits, 1, D(2024, 2, 2), shift_later=False)
    assert dates(moved) == ["2024-01-01", "2024-02-02", "2024-02-26", "2024-03-25"]
    with pytest.raises(ValidationError, match="it must come before session 3, planned on "
                                              "2024-02-26"):
        move_visit(visits, 1, D(2024, 2, 27), shift_later=False)


def test_moving_a_session_that_does_not_exist_is_refused():
    visits = lipolysis_from(D(2024, 1, 1))
    with pytest.raises(ValidationError, match="no session number 5; the schedule has 4"):
        move_visit(visits, 4, D(2024, 6, 1))


# --- minimum interval -----------------------------------------------------------------------------


def test_interval_violations_lists_consecutive_dates_closer_than_the_minimum():
    planned = [D(2024, 3, 25), D(2024, 1, 1), D(2024, 2, 20), D(2024, 1, 29)]
    assert interval_violations(planned, 28) == [
        (D(2024, 1, 29), D(2024, 2, 20), 22)]
    assert interval_violations(planned, 29) == [
        (D(2024, 1, 1), D(2024, 1, 29), 28), (D(2024, 1, 29), D(2024, 2, 20), 22)]
    assert interval_violations([D(2024, 1, 1), D(2024, 1, 1)], 28) == [
        (D(2024, 1, 1), D(2024, 1, 1), 0)]
    assert interval_violations(planned, None) == []
    assert interval_violations(planned, 0) == []
    assert interval_violations([], 28) == []


def test_moving_a_lipolysis_visit_earlier_breaks_the_deoxycholate_minimum():
    visits = lipolysis_from(D(2024, 1, 1))
    assert interval_violations([v.date for v in visits], 28) == []
    moved = move_visit(visits, 2, D(2024, 2, 19), shift_later=False)
    assert interval_violations([v.date for v in moved], 28) == [
        (D(2024, 1, 29), D(2024, 2, 19), 21)]


def test_schedule_module_imports_neither_qt_nor_sqlalchemy():
    code = ("import sys, mesoplan.schedule; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
