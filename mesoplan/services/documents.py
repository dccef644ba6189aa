"""Consent forms and aftercare sheets as issued records: prepare, issue, reprint, verify (service layer).

``prepare_document`` fills and renders a document without recording it (a preview);
``record_issue`` stores what was prepared as an ``IssuedDocument`` (the request as JSON, its
fingerprint, the catalog codes the consent covers) and audits it; ``issue_document`` does both.
A reprint re-renders the stored request and refuses if the copy would not be identical.
Front-desk users may issue documents (``ISSUE_DOCUMENTS``) without being allowed to read clinical
records: the request is filled through the internal read in ``document_requests``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from mesoplan.access import Permission
from mesoplan.db.models import IssuedDocument, Patient, TreatmentPlan, TreatmentSession, utcnow
from mesoplan.documents.codec import request_from_json, request_to_dict
from mesoplan.documents.content import DocumentRequest
from mesoplan.documents.fingerprint import content_fingerprint
from mesoplan.errors import MesoPlanError, NotFound, ValidationError
from mesoplan.evaluation import plan_zone_codes
from mesoplan.services import plans as plan_service
from mesoplan.services.document_requests import build_request, document_reader
from mesoplan.services.uow import UnitOfWork
from mesoplan.text import full_name

if TYPE_CHECKING:
    from mesoplan.documents.render import RenderedDocument

KIND_LABELS = {"consent": "Consent form", "aftercare": "Aftercare sheet"}
_HEX = re.compile(r"^[0-9a-f]+$")
MIN_FINGERPRINT_PREFIX = 8


@dataclass(frozen=True)
class PreparedDocument:
    """A filled and rendered document that is not (yet) recorded as issued."""

    plan_id: int
    patient_id: int
    session_id: int | None
    request: DocumentRequest = field(repr=False)
    rendered: "RenderedDocument" = field(repr=False)
    covered_codes: tuple[str, ...] = ()
    file_name: str = ""
    covered_zones: tuple[str, ...] = ()
    """The zone codes a consent form names (the plan's areas and its sessions' zones)."""
    practitioner_id: int | None = None
    """The practitioner the form names (the plan's, else the issuing user's)."""
    """A safe, accent-free name to suggest when the document is saved."""

    @property
    def kind(self) -> str:
        return self.request.kind

    @property
    def pdf(self) -> bytes:
        return self.rendered.pdf

    @property
    def fingerprint(self) -> str:
        return self.rendered.fingerprint

    @property
    def title(self) -> str:
        return f"{KIND_LABELS[self.kind]} – {self.request.patient.full_name}"


@dataclass(frozen=True)
class IssuedRecord:
    """An issued document as the screens see it (never its clinical content).

    ``pdf`` is filled only by the calls that just rendered it (issue, record); listings leave it None.
    """

    id: int
    plan_id: int
    session_id: int | None
    patient_id: int
    patient_name: str
    kind: str
    template_version: str
    language: str
    page_size: str
    fingerprint: str
    issued_by: str
    issued_at: dt.datetime
    times_printed: int
    pdf: bytes | None = field(default=None, repr=False)
    page_count: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def render(request: DocumentRequest) -> "RenderedDocument":
    """ReportLab is loaded on the first document, not when the window starts."""
    from mesoplan.documents.render import render as render_pdf

    return render_pdf(request)


def _record(row: IssuedDocument, patient: Patient, rendered: "RenderedDocument | None" = None) -> IssuedRecord:
    return IssuedRecord(
        id=row.id, plan_id=row.plan_id, session_id=row.session_id, patient_id=patient.id,
        patient_name=full_name(patient.family_name, patient.given_names), kind=row.kind,
        template_version=row.template_version, language=row.language, page_size=row.page_size,
        fingerprint=row.fingerprint, issued_by=row.issued_by, issued_at=row.issued_at,
        times_printed=row.times_printed, pdf=rendered.pdf if rendered else None,
        page_count=rendered.page_count if rendered else None,
    )


def prepare_document(uow: UnitOfWork, plan_id: int, kind: str, session_id: int | None = None,
                     *, today: dt.date | None = None) -> PreparedDocument:
    """Fill and render a document for a plan, without recording it.

    ``session_id`` names the session an aftercare sheet is for; without it, an aftercare sheet is
    for the plan's session today if there is exactly one.
    """
    uow.require(Permission.ISSUE_DOCUMENTS)
    today = today or dt.date.today()
    if kind == "aftercare" and session_id is None:
        session_id = _session_on(uow, plan_id, today)
    request, codes = build_request(uow, plan_id, kind, session_id, today)
    plan = uow.session.get(TreatmentPlan, plan_id)
    session = uow.session.get(TreatmentSession, session_id) if session_id is not None else None
    patient = plan.patient
    name = document_file_name(session.planned_date if session else today, session.planned_time if session else None,
                              patient.family_name, patient.given_names, kind)
    zones = plan_zone_codes(plan_service.load_plan(document_reader(uow), plan_id))
    return PreparedDocument(plan_id=plan_id, patient_id=plan.patient_id, session_id=session_id,
                            request=request, rendered=render(request), covered_codes=tuple(codes), file_name=name,
                            covered_zones=tuple(sorted(zones)),
                            practitioner_id=plan.practitioner_id or uow.actor.practitioner_id)


def _session_on(uow: UnitOfWork, plan_id: int, day: dt.date) -> int | None:
    ids = list(uow.session.scalars(select(TreatmentSession.id).where(
        TreatmentSession.plan_id == plan_id, TreatmentSession.planned_date == day,
        TreatmentSession.status.in_(("planned", "done")))))
    return ids[0] if len(ids) == 1 else None


def record_issue(uow: UnitOfWork, prepared: PreparedDocument) -> IssuedRecord:
    """Record a prepared document as issued (printed or saved once) and audit it."""
    uow.require(Permission.ISSUE_DOCUMENTS)
    if content_fingerprint(prepared.request) != prepared.fingerprint:
        raise MesoPlanError("The document's content changed after it was rendered; prepare it again.")
    patient = uow.session.get(Patient, prepared.patient_id)
    if patient is None or uow.session.get(TreatmentPlan, prepared.plan_id) is None:
        raise NotFound(f"Plan {prepared.plan_id} no longer exists; nothing was recorded.")
    request = prepared.request
    row = IssuedDocument(
        plan_id=prepared.plan_id, session_id=prepared.session_id, kind=request.kind,
        template_version=prepared.rendered.template_version, language=request.language,
        page_size=request.page_size, fingerprint=prepared.fingerprint,
        content={"request": request_to_dict(request), "covered_codes": list(prepared.covered_codes),
                 "covered_zones": list(prepared.covered_zones), "practitioner_id": prepared.practitioner_id},
        issued_by=uow.actor.name, issued_at=utcnow(), times_printed=1,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit("document.issue", "document", row.id,
              f"{KIND_LABELS[request.kind]} for plan {prepared.plan_id} (patient {patient.id})",
              after={"kind": request.kind, "plan_id": prepared.plan_id, "session_id": prepared.session_id,
                     "template_version": row.template_version, "fingerprint": row.fingerprint})
    return _record(row, patient, prepared.rendered)


def issue_document(uow: UnitOfWork, plan_id: int, kind: str, session_id: int | None = None,
                   *, today: dt.date | None = None) -> IssuedRecord:
    """Render a document for the plan, record it as issued and return it with its PDF."""
    return record_issue(uow, prepare_document(uow, plan_id, kind, session_id, today=today))


def _load(uow: UnitOfWork, document_id: int) -> tuple[IssuedDocument, Patient]:
    row = uow.session.get(IssuedDocument, document_id)
    if row is None:
        raise NotFound(f"There is no issued document number {document_id}.")
    plan = uow.session.get(TreatmentPlan, row.plan_id)
    return row, uow.session.get(Patient, plan.patient_id)


def reprint(uow: UnitOfWork, document_id: int) -> bytes:
    """The identical PDF of an issued document, re-rendered from what was stored.

    Refused (``MesoPlanError``) when the stored request can no longer give the same document,
    e.g. because the document wording has changed since: issue a new document instead.
    """
    uow.require(Permission.ISSUE_DOCUMENTS)
    row, patient = _load(uow, document_id)
    request = request_from_json((row.content or {}).get("request") or {})
    rendered = render(request)
    if rendered.fingerprint != row.fingerprint:
        raise MesoPlanError(
            f"Document {document_id} ({KIND_LABELS.get(row.kind, row.kind)}, {row.template_version}) cannot be "
            f"reprinted identically: the document wording has changed since it was issued (now "
            f"{rendered.template_version}). Issue a new document instead.")
    row.times_printed = (row.times_printed or 0) + 1
    uow.audit("document.reprint", "document", row.id,
              f"Reprint {row.times_printed} of {KIND_LABELS.get(row.kind, row.kind).lower()} {row.id} "
              f"for plan {row.plan_id} (patient {patient.id})",
              after={"times_printed": row.times_printed, "fingerprint": row.fingerprint})
    return rendered.pdf


def _clean_fingerprint(text: str) -> str:
    cleaned = "".join((text or "").split()).lower()
    if not cleaned or not _HEX.match(cleaned):
        raise ValidationError("type the hexadecimal fingerprint printed at the foot of the page "
                              "(digits 0-9 and letters a-f)", where="fingerprint")
    if len(cleaned) < MIN_FINGERPRINT_PREFIX:
        raise ValidationError(f"type at least its first {MIN_FINGERPRINT_PREFIX} characters", where="fingerprint")
    if len(cleaned) > 64:
        raise ValidationError("a fingerprint has 64 characters; this has more", where="fingerprint")
    return cleaned


def verify_fingerprint(uow: UnitOfWork, fingerprint: str) -> list[IssuedRecord]:
    """The issued documents with this fingerprint (or a unique start of it), oldest first.

    An empty list means the paper was not issued by this clinic's database. Identical content issued
    twice (the same form printed again the same day) has the same fingerprint, so several may match.
    """
    uow.require(Permission.ISSUE_DOCUMENTS)
    cleaned = _clean_fingerprint(fingerprint)
    column = IssuedDocument.fingerprint
    query = _with_patients().where(column == cleaned if len(cleaned) == 64 else column.startswith(cleaned))
    rows = list(uow.session.execute(query.order_by(IssuedDocument.issued_at, IssuedDocument.id)))
    distinct = {row.fingerprint for row, _patient in rows}
    if len(distinct) > 1:
        raise ValidationError(f"'{cleaned}' is the start of {len(distinct)} different fingerprints; "
                              "type more of it", where="fingerprint")
    return [_record(row, patient) for row, patient in rows]


def _with_patients():
    return (select(IssuedDocument, Patient)
            .join(TreatmentPlan, TreatmentPlan.id == IssuedDocument.plan_id)
            .join(Patient, Patient.id == TreatmentPlan.patient_id))


def list_issued(uow: UnitOfWork, plan_id: int | None = None, day: dt.date | None = None) -> list[IssuedRecord]:
    """Issued documents, newest first: of one plan, and/or issued on one (local) day."""
    uow.require(Permission.ISSUE_DOCUMENTS)
    query = _with_patients().order_by(IssuedDocument.issued_at.desc(), IssuedDocument.id.desc())
    if plan_id is not None:
        query = query.where(IssuedDocument.plan_id == plan_id)
    if day is not None:
        start, end = utc_bounds(day)
        query = query.where(IssuedDocument.issued_at >= start, IssuedDocument.issued_at < end)
    return [_record(row, patient) for row, patient in uow.session.execute(query)]


def utc_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The stored (naive UTC) times at which a local calendar day starts and the next one starts."""
    def to_utc(moment: dt.datetime) -> dt.datetime:
        return moment.astimezone().astimezone(dt.timezone.utc).replace(tzinfo=None)

    start = dt.datetime.combine(day, dt.time.min)
    return to_utc(start), to_utc(start + dt.timedelta(days=1))


# --- file names -------------------------------------------------------------------------------------

_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
                          "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"})
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def safe_name_part(text: str, limit: int = 60) -> str:
    """Letters and digits without accents, other runs of characters as one '-': 'Zoë Ann' -> 'Zoe-Ann'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LETTERS))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _UNSAFE.sub("-", ascii_text).strip("-")[:limit].strip("-")


def document_file_name(day: dt.date, time: dt.time | None, family_name: str, given_names: str, kind: str) -> str:
    """'2026-11-25_1030_Lukasiewicz-Agaoglu_Zoe_consent.pdf' (no time part when none is booked)."""
    parts = [day.isoformat()]
    if time is not None:
        parts.append(time.strftime("%H%M"))
    parts += [safe_name_part(family_name) or "patient", safe_name_part(given_names)]
    parts.append(kind)
    return "_".join(part for part in parts if part) + ".pdf"
