"""The front desk's day: who comes when, and the consent + aftercare set for every session (service layer).

``sessions_on`` lists a day's sessions with contact details and which documents were already issued,
never clinical notes or the cocktail. ``prepare_day_set`` renders every printable session's consent
form and aftercare sheet with safe, accent-free file names; ``write_pdf_files`` stores them
(owner-only, all or nothing) and ``record_day_set`` records them as issued.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, or_, select

from mesoplan.access import Permission
from mesoplan.db.models import IssuedDocument, Patient, Practitioner, TreatmentPlan, TreatmentSession
from mesoplan.errors import MesoPlanError
from mesoplan.services.documents import (
    IssuedRecord,
    PreparedDocument,
    document_file_name,
    prepare_document,
    record_issue,
    utc_bounds,
)
from mesoplan.services.uow import UnitOfWork
from mesoplan.text import full_name, list_name
from mesoplan.vocabulary import indication_label

Progress = Callable[[int, int, str], None]
DOCUMENT_KINDS = ("consent", "aftercare")
PRINTABLE_SESSION_STATUSES = frozenset({"planned", "done"})
STATUS_LABELS = {"planned": "Planned", "done": "Done", "cancelled": "Cancelled", "missed": "Missed"}


@dataclass(frozen=True)
class DaySession:
    """One session of the day as the front desk sees it (contact fields empty without VIEW_CONTACT)."""

    session_id: int
    plan_id: int
    patient_id: int
    family_name: str
    given_names: str
    date_of_birth: dt.date | None
    phone: str
    practitioner: str
    day: dt.date
    time: dt.time | None
    indication: str
    sequence: int
    session_count: int
    status: str
    plan_status: str
    consent_issued: bool
    aftercare_issued: bool

    @property
    def patient_name(self) -> str:
        return list_name(self.family_name, self.given_names)

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.given_names)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def printable(self) -> bool:
        """Documents are printed for sessions that take place (not cancelled or missed)."""
        return self.status in PRINTABLE_SESSION_STATUSES and self.plan_status != "cancelled"


@dataclass(frozen=True)
class DayDocument:
    session: DaySession
    prepared: PreparedDocument
    file_name: str


def sessions_on(uow: UnitOfWork, day: dt.date) -> list[DaySession]:
    """The day's sessions by time (untimed ones last), with the documents already issued for them."""
    uow.require(Permission.VIEW_SCHEDULE)
    show_contact = uow.actor.can(Permission.VIEW_CONTACT)
    count = (select(func.count(TreatmentSession.id)).where(TreatmentSession.plan_id == TreatmentPlan.id)
             .correlate(TreatmentPlan).scalar_subquery())
    query = (
        select(TreatmentSession, TreatmentPlan, Patient, Practitioner.name, count)
        .join(TreatmentPlan, TreatmentPlan.id == TreatmentSession.plan_id)
        .join(Patient, Patient.id == TreatmentPlan.patient_id)
        .outerjoin(Practitioner, Practitioner.id == TreatmentPlan.practitioner_id)
        .where(TreatmentSession.planned_date == day, Patient.anonymised_at.is_(None))
        .order_by(TreatmentSession.planned_time.is_(None), TreatmentSession.planned_time,
                  Patient.family_key, Patient.given_key, TreatmentSession.id)
    )
    rows = list(uow.session.execute(query))
    plan_ids = {plan.id for _s, plan, *_ in rows}
    session_ids = {session.id for session, *_ in rows}
    consented, aftercare = _issued(uow, plan_ids, session_ids, day)
    return [
        DaySession(
            session_id=session.id, plan_id=plan.id, patient_id=patient.id, family_name=patient.family_name,
            given_names=patient.given_names, date_of_birth=patient.date_of_birth if show_contact else None,
            phone=patient.phone if show_contact else "", practitioner=practitioner or "", day=day,
            time=session.planned_time, indication=indication_label(plan.indication, plan.indication_other),
            sequence=session.sequence, session_count=sessions or 0, status=session.status,
            plan_status=plan.status, consent_issued=plan.id in consented,
            aftercare_issued=session.id in aftercare or (plan.id, None) in aftercare,
        )
        for session, plan, patient, practitioner, sessions in rows
    ]


def _issued(uow: UnitOfWork, plan_ids: set[int], session_ids: set[int], day: dt.date
            ) -> tuple[set[int], set]:
    """Plans with a consent ever issued; sessions (or plans, for sheets not tied to a session but
    issued that day) with an aftercare sheet."""
    if not plan_ids:
        return set(), set()
    consented = set(uow.session.scalars(
        select(IssuedDocument.plan_id).where(IssuedDocument.plan_id.in_(plan_ids),
                                             IssuedDocument.kind == "consent").distinct()))
    start, end = utc_bounds(day)
    aftercare: set = set()
    query = select(IssuedDocument.plan_id, IssuedDocument.session_id).where(
        IssuedDocument.kind == "aftercare",
        or_(IssuedDocument.session_id.in_(session_ids),
            (IssuedDocument.session_id.is_(None) & IssuedDocument.plan_id.in_(plan_ids)
             & (IssuedDocument.issued_at >= start) & (IssuedDocument.issued_at < end))))
    for plan_id, session_id in uow.session.execute(query):
        aftercare.add(session_id if session_id is not None else (plan_id, None))
    return consented, aftercare


# --- the day's set ----------------------------------------------------------------------------------


def prepare_session_documents(uow: UnitOfWork, sessions: Sequence[DaySession], progress: Progress | None = None,
                              *, kinds: Iterable[str] = DOCUMENT_KINDS, today: dt.date | None = None
                              ) -> list[DayDocument]:
    """Render the documents (consent, aftercare) of each session, not yet recorded as issued."""
    kinds = tuple(kinds)
    total = len(sessions) * len(kinds)
    documents: list[DayDocument] = []
    used: set[str] = set()
    for session in sessions:
        for kind in kinds:
            if progress:
                progress(len(documents), total, f"Preparing the {kind} document for {session.full_name}")
            prepared = prepare_document(uow, session.plan_id, kind, session.session_id, today=today)
            name = document_file_name(session.day, session.time, session.family_name, session.given_names, kind)
            if name in used:
                name = name.removesuffix(".pdf") + f"_session-{session.session_id}.pdf"
            used.add(name)
            documents.append(DayDocument(session, prepared, name))
    if progress:
        progress(total, total, "")
    return documents


def prepare_day_set(uow: UnitOfWork, day: dt.date, progress: Progress | None = None,
                    *, today: dt.date | None = None) -> list[DayDocument]:
    """Consent form and aftercare sheet for every session of the day that takes place."""
    sessions = [s for s in sessions_on(uow, day) if s.printable]
    return prepare_session_documents(uow, sessions, progress, today=today)


def record_day_set(uow: UnitOfWork, documents: Iterable[DayDocument]) -> list[IssuedRecord]:
    return [record_issue(uow, document.prepared) for document in documents]


def check_output_folder(folder: str | os.PathLike) -> Path:
    """The folder to write into, or a clear error if it is missing or cannot be written."""
    path = Path(folder).expanduser()
    if not path.exists():
        raise MesoPlanError(f"The folder {path} does not exist; create it first. Nothing was written.")
    if not path.is_dir():
        raise MesoPlanError(f"{path} is a file, not a folder. Nothing was written.")
    if not os.access(path, os.W_OK | os.X_OK):
        raise MesoPlanError(f"You may not write into the folder {path}. Nothing was written.")
    return path


def write_pdf_files(folder: Path, files: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write every file readable by its owner only; on any failure none of them is left behind."""
    partials: list[tuple[Path, Path]] = []
    try:
        for name, data in files:
            target = folder / name
            partial = target.with_name(target.name + ".partial")
            fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            partials.append((partial, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(partial, 0o600)  # an older .partial may have had other permissions
    except OSError as exc:
        for partial, _target in partials:
            partial.unlink(missing_ok=True)
        raise MesoPlanError(f"Could not write {exc.filename or folder}: {exc.strerror or exc}. "
                            "Nothing was written.") from None
    for partial, target in partials:
        os.replace(partial, target)
    return [target for _partial, target in partials]
