"""Medical screenings: dated answers to the questionnaire, one new row per screening (service layer).

A later screening never overwrites an earlier one; the newest is what the safety rules use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from mesoplan.access import Permission
from mesoplan import numbers
from mesoplan.db.models import ClinicSettings, Patient, Screening, utcnow
from mesoplan.errors import NotFound, Problem, ValidationError
from mesoplan.screening import load_questionnaire, new_screening_from, validate_answers
from mesoplan.services.uow import UnitOfWork


@dataclass(frozen=True)
class ScreeningRecord:
    id: int
    patient_id: int
    taken_on: dt.date
    recorded_at: dt.datetime
    recorded_by: str
    questionnaire_version: str
    answers: dict[str, Any]
    notes: str


def _record(row: Screening) -> ScreeningRecord:
    return ScreeningRecord(row.id, row.patient_id, row.taken_on, row.recorded_at, row.recorded_by,
                           row.questionnaire_version, dict(row.answers or {}), row.notes)


def list_screenings(uow: UnitOfWork, patient_id: int) -> list[ScreeningRecord]:
    """All screenings of a patient, newest first."""
    uow.require(Permission.VIEW_CLINICAL)
    rows = uow.session.scalars(
        select(Screening).where(Screening.patient_id == patient_id)
        .order_by(Screening.taken_on.desc(), Screening.id.desc())
    )
    return [_record(r) for r in rows]


def latest_screening(uow: UnitOfWork, patient_id: int) -> ScreeningRecord | None:
    uow.require(Permission.VIEW_CLINICAL)
    row = uow.session.scalars(
        select(Screening).where(Screening.patient_id == patient_id)
        .order_by(Screening.taken_on.desc(), Screening.id.desc()).limit(1)
    ).first()
    return _record(row) if row else None


def draft_answers_for_new_screening(uow: UnitOfWork, patient_id: int) -> dict[str, Any]:
    """What a new screening form starts with: the last screening's answers, minus ask-each-time ones."""
    latest = latest_screening(uow, patient_id)
    return new_screening_from(load_questionnaire(), latest.answers) if latest else {}


def _jurisdiction(uow: UnitOfWork) -> str:
    row = uow.session.get(ClinicSettings, 1)
    return row.jurisdiction if row is not None else ""


def add_screening(
    uow: UnitOfWork, patient_id: int, taken_on: dt.date, answers: dict[str, Any], notes: str = "",
    *, recorded_by: str = "", recorded_at: dt.datetime | None = None,
) -> ScreeningRecord:
    """Record a new screening. ``recorded_by``/``recorded_at`` are only given when importing."""
    uow.require(Permission.EDIT_CLINICAL)
    if uow.session.get(Patient, patient_id) is None:
        raise NotFound(f"There is no patient number {patient_id}.")
    if taken_on > dt.date.today():
        raise ValidationError([Problem("screening date", "is in the future")])
    questionnaire = load_questionnaire()
    clean = validate_answers(questionnaire, answers,
                             decimal_separator=numbers.decimal_separator_for(_jurisdiction(uow)))
    row = Screening(patient_id=patient_id, taken_on=taken_on,
                    recorded_by=recorded_by or uow.actor.name, recorded_at=recorded_at or utcnow(),
                    questionnaire_version=questionnaire.version, answers=clean, notes=notes)
    uow.session.add(row)
    uow.session.flush()
    uow.audit("screening.add", "screening", row.id,
              f"Screening of {taken_on.isoformat()} for patient {patient_id}",
              after={"answers": clean, "notes": notes})
    return _record(row)
