"""Privacy requests (service layer): a patient's complete record, and anonymisation after retention.

The complete record is the exchange export of the patient (importable elsewhere: portability)
plus, under ``privacy_request``, the documents issued to them and the audit entries about them.
Anonymisation is allowed once ``ClinicSettings.retention_years`` have passed since the patient's
last record (counted conservatively: the latest date of any screening, plan, session, document or
the patient's creation). It blanks identifying fields and free text, keeps the clinical numbers
(indication, areas, cocktail, volumes, depths, dates, batches) for statistics, keeps only the
year of birth, and redacts the patient's old audit entries (their digests keep the chain whole).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select

from mesoplan.access import Permission
from mesoplan.audit_chain import redacted_content, redaction_digest
from mesoplan.db.models import (
    AuditEntry,
    FindingAcknowledgement,
    IssuedDocument,
    Patient,
    PatientNameToken,
    Screening,
    TreatmentPlan,
    TreatmentSession,
    utcnow,
)
from mesoplan.errors import NotFound, Problem, ValidationError
from mesoplan.screening import load_questionnaire
from mesoplan.services.audit import entries_about
from mesoplan.services.exchange import export_document
from mesoplan.services.uow import UnitOfWork
from mesoplan.services.users import get_safety_settings

ANONYMISED_NAME = "Anonymised"
REMOVED = "(removed at anonymisation)"


@dataclass(frozen=True)
class RetentionStatus:
    patient_id: int
    last_record_on: dt.date
    retention_years: int
    may_anonymise_from: dt.date
    anonymised_at: dt.datetime | None

    def may_anonymise(self, today: dt.date) -> bool:
        return self.anonymised_at is None and today >= self.may_anonymise_from


@dataclass(frozen=True)
class AnonymisationResult:
    patient_id: int
    screenings: int
    plans: int
    sessions: int
    documents: int
    audit_entries_redacted: int


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def _patient(uow: UnitOfWork, patient_id: int) -> Patient:
    patient = uow.session.get(Patient, patient_id)
    if patient is None:
        raise NotFound(f"There is no patient number {patient_id}.")
    return patient


def _day(value: dt.date | dt.datetime | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _last_record_dates(uow: UnitOfWork, patient_id: int | None = None) -> dict[int, dt.date]:
    """Patient id -> the latest date of anything recorded for them (set-based: a few queries)."""
    plan_of = TreatmentPlan.patient_id
    sources = [
        (Patient.id, Patient.created_at, None),
        (Screening.patient_id, Screening.taken_on, None),
        (Screening.patient_id, Screening.recorded_at, None),
        (plan_of, TreatmentPlan.updated_at, None),
        (plan_of, TreatmentPlan.consent_signed_on, None),
        (plan_of, TreatmentSession.planned_date, TreatmentSession.plan_id == TreatmentPlan.id),
        (plan_of, TreatmentSession.performed_at, TreatmentSession.plan_id == TreatmentPlan.id),
        (plan_of, IssuedDocument.issued_at, IssuedDocument.plan_id == TreatmentPlan.id),
    ]
    latest: dict[int, dt.date] = {}
    for who, when, join in sources:
        query = select(who, func.max(when)).group_by(who)
        if join is not None:
            query = query.select_from(TreatmentPlan).join(when.class_, join)
        if patient_id is not None:
            query = query.where(who == patient_id)
        for key, value in uow.session.execute(query):
            day = _day(value)
            if day is not None and (key not in latest or day > latest[key]):
                latest[key] = day
    return latest


def last_record_on(uow: UnitOfWork, patient_id: int) -> dt.date:
    """The latest date of anything recorded for the patient (the retention period starts there)."""
    _patient(uow, patient_id)
    return _last_record_dates(uow, patient_id)[patient_id]


def retention_status(uow: UnitOfWork, patient_id: int) -> RetentionStatus:
    uow.require(Permission.ANONYMISE)
    years = get_safety_settings(uow).retention_years
    last = last_record_on(uow, patient_id)
    return RetentionStatus(patient_id, last, years, add_years(last, years),
                           _patient(uow, patient_id).anonymised_at)


def anonymisation_candidates(uow: UnitOfWork, today: dt.date | None = None) -> list[RetentionStatus]:
    """Patients whose retention period has passed and who are not anonymised yet, by id."""
    uow.require(Permission.ANONYMISE)
    today = today or dt.date.today()
    years = get_safety_settings(uow).retention_years
    pending = set(uow.session.scalars(select(Patient.id).where(Patient.anonymised_at.is_(None))))
    statuses = (RetentionStatus(pid, last, years, add_years(last, years), None)
                for pid, last in sorted(_last_record_dates(uow).items()) if pid in pending)
    return [status for status in statuses if status.may_anonymise(today)]


# --- the complete record ---------------------------------------------------------------------------


def _patient_entities(uow: UnitOfWork, patient_id: int) -> list[tuple[str, str]]:
    plan_ids = list(uow.session.scalars(select(TreatmentPlan.id)
                                        .where(TreatmentPlan.patient_id == patient_id)))
    screening_ids = uow.session.scalars(select(Screening.id).where(Screening.patient_id == patient_id))
    session_ids = uow.session.scalars(select(TreatmentSession.id)
                                      .where(TreatmentSession.plan_id.in_(plan_ids)))
    document_ids = list(uow.session.scalars(select(IssuedDocument.id)
                                            .where(IssuedDocument.plan_id.in_(plan_ids))))
    entities = [("patient", str(patient_id))]
    entities += [("plan", str(i)) for i in plan_ids]
    entities += [("screening", str(i)) for i in screening_ids]
    entities += [("session", str(i)) for i in session_ids]
    entities += [(kind, str(i)) for i in document_ids for kind in ("document", "issued_document")]
    return entities


def export_patient_record(uow: UnitOfWork, patient_id: int) -> dict[str, Any]:
    """Everything held about one patient, for an access or portability request (audited)."""
    uow.require(Permission.EXPORT_DATA)
    uow.require(Permission.VIEW_CLINICAL)
    document = export_document(uow, patient_id)
    plan_ids = select(TreatmentPlan.id).where(TreatmentPlan.patient_id == patient_id)
    documents = uow.session.scalars(select(IssuedDocument).where(IssuedDocument.plan_id.in_(plan_ids))
                                    .order_by(IssuedDocument.issued_at, IssuedDocument.id))
    patient = _patient(uow, patient_id)
    document["privacy_request"] = {
        "patient_id": patient_id,
        "exported_at": utcnow().isoformat(timespec="seconds") + "Z",
        "exported_by": uow.actor.name,
        "anonymised_at": patient.anonymised_at.isoformat() if patient.anonymised_at else None,
        "issued_documents": [
            {"id": d.id, "plan_id": d.plan_id, "session_id": d.session_id, "kind": d.kind,
             "template_version": d.template_version, "language": d.language,
             "issued_at": d.issued_at.isoformat(), "issued_by": d.issued_by,
             "times_printed": d.times_printed, "fingerprint": d.fingerprint, "content": d.content}
            for d in documents
        ],
        "audit_trail": [
            {"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
             "entity_type": e.entity_type, "entity_id": e.entity_id, "summary": e.summary,
             "before": e.before, "after": e.after}
            for e in entries_about(uow, _patient_entities(uow, patient_id))
        ],
    }
    uow.audit("privacy.export", "patient", patient_id,
              f"Complete record of patient {patient_id} exported for an access or portability "
              f"request ({len(document['privacy_request']['audit_trail'])} audit entries, "
              f"{len(document['privacy_request']['issued_documents'])} documents)")
    return document


# --- anonymisation ---------------------------------------------------------------------------------


def _scrub_answers(answers: dict[str, Any], questionnaire) -> dict[str, Any]:
    """Keep coded answers (yes/no, choices, numbers, dates); drop typed-in text and unknown keys."""
    kept = {}
    for key, value in (answers or {}).items():
        question = questionnaire.question(key)
        if question is not None and question.kind != "text":
            kept[key] = value
    return kept


def anonymise_patient(uow: UnitOfWork, patient_id: int,
                      today: dt.date | None = None) -> AnonymisationResult:
    """Remove what identifies the patient, once the retention period allows it (audited)."""
    uow.require(Permission.ANONYMISE)
    today = today or dt.date.today()
    patient = _patient(uow, patient_id)
    if patient.anonymised_at is not None:
        raise ValidationError([Problem(f"patient {patient_id}", "was already anonymised on "
                                       f"{patient.anonymised_at:%Y-%m-%d}")])
    status = retention_status(uow, patient_id)
    if not status.may_anonymise(today):
        raise ValidationError([Problem(
            f"patient {patient_id}",
            f"the records must be kept for {status.retention_years} years after the last one "
            f"({status.last_record_on.isoformat()}), so they can be anonymised from "
            f"{status.may_anonymise_from.isoformat()}, not before. Nothing was changed.")])
    entities = _patient_entities(uow, patient_id)
    for field in ("phone", "email", "address", "gp_details", "notes", "given_names", "given_key",
                  "phone_digits"):
        setattr(patient, field, "")
    patient.family_name = ANONYMISED_NAME
    patient.family_key = ANONYMISED_NAME.lower()
    if patient.date_of_birth is not None:
        patient.date_of_birth = dt.date(patient.date_of_birth.year, 1, 1)
    patient.anonymised_at = patient.updated_at = utcnow()
    patient.updated_by = uow.actor.name
    uow.session.execute(delete(PatientNameToken).where(PatientNameToken.patient_id == patient_id))
    questionnaire = load_questionnaire()
    screenings = list(uow.session.scalars(select(Screening).where(Screening.patient_id == patient_id)))
    for screening in screenings:
        screening.notes = ""
        screening.answers = _scrub_answers(screening.answers, questionnaire)
    plans = list(uow.session.scalars(select(TreatmentPlan).where(TreatmentPlan.patient_id == patient_id)))
    plan_ids = [plan.id for plan in plans]
    for plan in plans:
        plan.title = plan.goals = plan.notes = ""
        plan.indication_other = REMOVED if plan.indication_other else ""
    sessions = list(uow.session.scalars(select(TreatmentSession)
                                        .where(TreatmentSession.plan_id.in_(plan_ids))))
    for session in sessions:
        session.reactions = session.notes = ""
    for ack in uow.session.scalars(select(FindingAcknowledgement)
                                   .where(FindingAcknowledgement.plan_id.in_(plan_ids))):
        ack.reason = REMOVED
    documents = list(uow.session.scalars(select(IssuedDocument)
                                         .where(IssuedDocument.plan_id.in_(plan_ids))))
    for document in documents:
        document.content = {"removed": REMOVED}
    redacted = _redact_audit_entries(uow, entities)
    uow.session.flush()
    uow.audit("patient.anonymise", "patient", patient_id,
              f"Anonymised patient {patient_id}: retention of {status.retention_years} years "
              f"after {status.last_record_on.isoformat()} had passed",
              after={"screenings": len(screenings), "plans": len(plans), "sessions": len(sessions),
                     "documents": len(documents), "audit_entries_redacted": redacted})
    return AnonymisationResult(patient_id, len(screenings), len(plans), len(sessions),
                               len(documents), redacted)


def _redact_audit_entries(uow: UnitOfWork, entities: list[tuple[str, str]]) -> int:
    """Replace the content of the patient's audit entries by its digest (the chain still verifies)."""
    ids = [record.id for record in entries_about(uow, entities)
           if redaction_digest(record.before) is None]
    count = 0
    for start in range(0, len(ids), 500):
        for entry in uow.session.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids[start:start + 500]))):
            entry.summary, entry.before, entry.after = redacted_content(entry.summary, entry.before,
                                                                        entry.after)
            count += 1
    return count
