"""Patients: search-as-you-type, the patient record, adding and editing (service layer).

Search works on any word of a name (prefix), on a date of birth, or on phone digits, through
indexed columns, so it stays instant with a hundred thousand patients. Medical notes are only
returned to users allowed to see clinical data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from sqlalchemy import delete, func, select

from mesoplan.access import Permission
from mesoplan.db.limits import too_long
from mesoplan.db.models import Patient, PatientNameToken, utcnow
from mesoplan.errors import ConflictError, NotFound, Problem, ValidationError
from mesoplan.services.uow import UnitOfWork
from mesoplan.services.patient_search import matching_ids, search_keys
from mesoplan.text import full_name, list_name, multi_line_problem, nfc, one_line_problem

SEXES = ("female", "male", "intersex", "unknown")
CONTACT_FIELDS = ("family_name", "given_names", "date_of_birth", "sex", "phone", "email", "address",
                  "gp_details")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class PatientSummary:
    """A row of the patient list: enough to find and recognise a patient."""

    id: int
    family_name: str
    given_names: str
    date_of_birth: dt.date | None
    sex: str
    phone: str
    sort_key: tuple[str, str, int]

    @property
    def display_name(self) -> str:
        return list_name(self.family_name, self.given_names)

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.given_names)


@dataclass(frozen=True)
class PatientInput:
    """What a person types into the patient form."""

    family_name: str
    given_names: str = ""
    date_of_birth: dt.date | None = None
    sex: str = "unknown"
    phone: str = ""
    email: str = ""
    address: str = ""
    gp_details: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PatientRecord:
    id: int
    family_name: str
    given_names: str
    date_of_birth: dt.date | None
    sex: str
    phone: str
    email: str
    address: str
    gp_details: str
    notes: str | None
    """Medical notes; None when the acting user may not see clinical data."""
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str
    anonymised_at: dt.datetime | None

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.given_names)

    def age_on(self, day: dt.date) -> int | None:
        return age_on(self.date_of_birth, day)

    def as_input(self) -> PatientInput:
        return PatientInput(self.family_name, self.given_names, self.date_of_birth, self.sex,
                            self.phone, self.email, self.address, self.gp_details, self.notes or "")


def age_on(date_of_birth: dt.date | None, day: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def validate_patient(data: PatientInput, today: dt.date | None = None) -> PatientInput:
    """Trim and check a patient form; every problem is named with its field."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    family = (data.family_name or "").strip()
    if not family:
        problems.append(Problem("family name", "is required"))
    problems += too_long(Patient, {"family name": family, "given names": (data.given_names or "").strip(),
                                   "phone": (data.phone or "").strip(),
                                   "email": (data.email or "").strip()},
                         names={"family_name": "family name", "given_names": "given names"})
    if data.date_of_birth is not None:
        if data.date_of_birth > today:
            problems.append(Problem("date of birth", "is in the future"))
        elif data.date_of_birth.year < today.year - 130:
            problems.append(Problem("date of birth", "is more than 130 years ago"))
    if data.sex not in SEXES:
        problems.append(Problem("sex", f"must be one of {', '.join(SEXES)}"))
    for where, value, multi_line in (
            ("family name", data.family_name, False), ("given names", data.given_names, False),
            ("phone", data.phone, False), ("email", data.email, False),
            ("address", data.address, True), ("gp details", data.gp_details, True),
            ("notes", data.notes, True)):
        problem = (multi_line_problem if multi_line else one_line_problem)(value or "")
        if problem:
            problems.append(Problem(where, problem))
    email = (data.email or "").strip()
    if email and not _EMAIL.match(email) and not one_line_problem(email):
        problems.append(Problem("email", "this address does not look like an e-mail address "
                                        "(name@example.org)"))
    if problems:
        raise ValidationError(problems)
    return PatientInput(
        family_name=nfc(family), given_names=nfc((data.given_names or "").strip()),
        date_of_birth=data.date_of_birth, sex=data.sex, phone=nfc((data.phone or "").strip()),
        email=nfc(email), address=nfc((data.address or "").strip()),
        gp_details=nfc((data.gp_details or "").strip()), notes=nfc(data.notes or ""),
    )


def _summary(row) -> PatientSummary:
    return PatientSummary(row.id, row.family_name, row.given_names, row.date_of_birth, row.sex,
                          row.phone, (row.family_key, row.given_key, row.id))


def _record(patient: Patient, uow: UnitOfWork) -> PatientRecord:
    notes = patient.notes if uow.actor.can(Permission.VIEW_CLINICAL) else None
    return PatientRecord(patient.id, patient.family_name, patient.given_names, patient.date_of_birth,
                         patient.sex, patient.phone, patient.email, patient.address,
                         patient.gp_details, notes, patient.version, patient.created_at,
                         patient.updated_at, patient.updated_by, patient.anonymised_at)


_SUMMARY_COLUMNS = (Patient.id, Patient.family_name, Patient.given_names, Patient.date_of_birth,
                    Patient.sex, Patient.phone, Patient.family_key, Patient.given_key)


def search_patients(
    uow: UnitOfWork, text: str = "", *, limit: int = 200,
    after: tuple[str, str, int] | None = None,
) -> list[PatientSummary]:
    """Patients matching ``text`` in name order; ``after`` continues from a previous page's last key.

    Every word must match: a word of a name (prefix, accents and case ignored), a birth date
    (2001-03-14, 14.03.2001, 14/03/2001), a birth year, or the start of a phone number.
    """
    uow.require(Permission.VIEW_CONTACT)
    ids = matching_ids(uow.session, text, limit, after)
    if not ids:
        return []
    rows = {row.id: row for row in uow.session.execute(
        select(*_SUMMARY_COLUMNS).where(Patient.id.in_(ids)))}
    return [_summary(rows[i]) for i in ids if i in rows]


def count_patients(uow: UnitOfWork) -> int:
    uow.require(Permission.VIEW_CONTACT)
    return uow.session.scalar(select(func.count(Patient.id)).where(Patient.anonymised_at.is_(None)))


def get_summary(uow: UnitOfWork, patient_id: int) -> PatientSummary:
    uow.require(Permission.VIEW_CONTACT)
    row = uow.session.execute(select(*_SUMMARY_COLUMNS).where(Patient.id == patient_id)).one_or_none()
    if row is None:
        raise NotFound(f"There is no patient number {patient_id}.")
    return _summary(row)


def _load(uow: UnitOfWork, patient_id: int) -> Patient:
    patient = uow.session.get(Patient, patient_id)
    if patient is None:
        raise NotFound(f"There is no patient number {patient_id}.")
    return patient


def get_patient(uow: UnitOfWork, patient_id: int) -> PatientRecord:
    uow.require(Permission.VIEW_CONTACT)
    return _record(_load(uow, patient_id), uow)


def _set_search_keys(uow: UnitOfWork, patient: Patient) -> None:
    family_key, given_key, phone_digits, tokens = search_keys(
        patient.family_name, patient.given_names, patient.phone)
    patient.family_key, patient.given_key, patient.phone_digits = family_key, given_key, phone_digits
    uow.session.execute(delete(PatientNameToken).where(PatientNameToken.patient_id == patient.id))
    uow.session.add_all(PatientNameToken(patient_id=patient.id, token=t, family_key=family_key,
                                         given_key=given_key) for t in tokens)


def _audit_view(patient: Patient) -> dict:
    return {field: str(getattr(patient, field) or "") for field in (*CONTACT_FIELDS, "notes")}


def create_patient(uow: UnitOfWork, data: PatientInput) -> PatientRecord:
    uow.require(Permission.EDIT_CONTACT)
    clean = validate_patient(data)
    if clean.notes:
        uow.require(Permission.EDIT_CLINICAL)
    patient = Patient(**asdict(clean), updated_by=uow.actor.name)
    uow.session.add(patient)
    uow.session.flush()
    _set_search_keys(uow, patient)
    uow.audit("patient.create", "patient", patient.id, f"Added {clean.family_name}",
              after=_audit_view(patient))
    return _record(patient, uow)


def update_patient(
    uow: UnitOfWork, patient_id: int, data: PatientInput, expected_version: int
) -> PatientRecord:
    """Save a patient form; refused with a clear message if someone else saved it first."""
    uow.require(Permission.EDIT_CONTACT)
    clean = validate_patient(data)
    patient = _load(uow, patient_id)
    if patient.version != expected_version:
        raise ConflictError(f"Patient {patient.family_name}", patient.updated_by, patient.updated_at)
    before = _audit_view(patient)
    changes = {f: getattr(clean, f) for f in CONTACT_FIELDS if getattr(clean, f) != getattr(patient, f)}
    if uow.actor.can(Permission.VIEW_CLINICAL) and clean.notes != patient.notes:
        uow.require(Permission.EDIT_CLINICAL)
        changes["notes"] = clean.notes
    if not changes:
        return _record(patient, uow)
    with uow.session.no_autoflush:  # one UPDATE, one version step
        for name, value in changes.items():
            setattr(patient, name, value)
        patient.updated_at = utcnow()
        patient.updated_by = uow.actor.name
        _set_search_keys(uow, patient)
    uow.session.flush()
    uow.audit("patient.update", "patient", patient.id, f"Changed {', '.join(sorted(changes))}",
              before={k: before[k] for k in changes}, after={k: str(v or "") for k, v in changes.items()})
    return _record(patient, uow)
