"""Export and import of patient records in the exchange format (service layer).

Import is all or nothing: the whole document is checked (format, unknown keys, text lengths,
catalog codes, batches, screening answers, plans) before anything is written, and it is written
in one unit of work, so a cancelled or failed import leaves nothing behind. Every export carries
an identifier; importing a file whose identifier was exported from or imported into this
database before is refused (``AlreadyImported``) unless a copy is asked for. Both report
progress per patient through an optional ``progress(done, total, text)`` callback, which may
raise to cancel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from mesoplan.access import Permission
from mesoplan.db.limits import too_long
from mesoplan.db.models import (
    AuditEntry,
    Batch,
    CocktailComponent,
    FindingAcknowledgement,
    Ingredient,
    Patient,
    Practitioner,
    Product,
    Screening,
    TreatmentPlan,
    TreatmentSession,
)
from mesoplan.errors import MesoPlanError, NotFound, Problem, ValidationError
from mesoplan.exchange import (
    PATIENT_FIELDS,
    ExchangeDocument,
    document_header,
    plan_to_json,
    read_document,
    records_fingerprint,
)
from mesoplan.plan import BatchUse, validate_draft
from mesoplan.screening import load_questionnaire, validate_answers
from mesoplan.services import plans as plan_service
from mesoplan.services.patients import PatientInput, create_patient, validate_patient
from mesoplan.services.exchange_documents import export_plan_documents, import_plan_documents
from mesoplan.services.screenings import add_screening
from mesoplan.services.uow import UnitOfWork


Progress = Callable[[int, int, str], None]
FILE_ENTITY = "exchange_file"
"""The audit trail's entity type for an exchange file; its entity id is the file's identifier."""


class AlreadyImported(MesoPlanError):
    """The file was exported from, or imported into, this database before."""

    def __init__(self, file_id: str, how: str, when: dt.datetime, by: str, patients: int) -> None:
        self.file_id, self.how, self.when, self.by, self.patients = file_id, how, when, by, patients
        verb = "exported from" if how == "export" else "imported into"
        super().__init__(
            f"This file was already {verb} this database on {when:%Y-%m-%d %H:%M} (UTC) by "
            f"{by or 'someone'}, so its {patients} patient(s) are here already; nothing was "
            "imported. Import it as a copy only if you want a second record of each.")


def _no_progress(_done: int, _total: int, _text: str = "") -> None:
    return None


@dataclass(frozen=True)
class ImportSummary:
    patients: int
    screenings: int
    plans: int
    sessions: int
    documents: int = 0


def _patient_json(patient: Patient) -> dict[str, Any]:
    return {
        "family_name": patient.family_name, "given_names": patient.given_names,
        "date_of_birth": patient.date_of_birth.isoformat() if patient.date_of_birth else None,
        "sex": patient.sex, "phone": patient.phone, "email": patient.email,
        "address": patient.address, "gp_details": patient.gp_details, "notes": patient.notes,
    }


def export_document(uow: UnitOfWork, patient_id: int | None = None,
                    progress: Progress | None = None) -> dict[str, Any]:
    """Every patient (or one) with screenings, plans, cocktails and sessions, as a JSON-ready dict.

    The document is named by a fingerprint of its records (``export_id``), recorded in the
    audit trail.
    """
    uow.require(Permission.EXPORT_DATA)
    progress = progress or _no_progress
    query = select(Patient).where(Patient.anonymised_at.is_(None))
    if patient_id is not None:
        query = select(Patient).where(Patient.id == patient_id)
    patients = list(uow.session.scalars(query.order_by(Patient.family_key, Patient.given_key,
                                                       Patient.id)))
    if patient_id is not None and not patients:
        raise NotFound(f"There is no patient number {patient_id}.")
    practitioner_refs: dict[int, str] = {}
    practitioners: list[dict[str, Any]] = []
    batch_refs: dict[int, str] = {}
    batches: list[dict[str, Any]] = []
    out_patients = []
    for done, patient in enumerate(patients):
        progress(done, len(patients), f"Exporting patient {done + 1} of {len(patients)}…")
        screenings = uow.session.scalars(
            select(Screening).where(Screening.patient_id == patient.id)
            .order_by(Screening.taken_on, Screening.id))
        plan_ids = uow.session.scalars(
            select(TreatmentPlan.id).where(TreatmentPlan.patient_id == patient.id)
            .order_by(TreatmentPlan.id)).all()
        out_plans = []
        def practitioner_ref(practitioner_id: int) -> str:
            if practitioner_id not in practitioner_refs:
                person = uow.session.get(Practitioner, practitioner_id)
                practitioner_refs[person.id] = f"practitioner-{len(practitioner_refs) + 1}"
                practitioners.append({"ref": practitioner_refs[person.id], "name": person.name,
                                      "profession": person.profession,
                                      "registration_number": person.registration_number})
            return practitioner_refs[practitioner_id]

        for plan_id in plan_ids:
            draft = plan_service.load_plan(uow, plan_id)
            ref = None
            if draft.practitioner_id is not None:
                ref = practitioner_ref(draft.practitioner_id)
            for session in draft.sessions:
                for used in session.batches:
                    if used.batch_id not in batch_refs:
                        batch_refs[used.batch_id] = f"batch-{len(batch_refs) + 1}"
                        batches.append(_batch_json(uow, used.batch_id, batch_refs[used.batch_id]))
            out_plans.append({**plan_to_json(draft, ref, batch_refs),
                              "documents": export_plan_documents(uow, draft, practitioner_ref)})
        entry = _patient_json(patient)
        entry["screenings"] = [
            {"taken_on": s.taken_on.isoformat(), "recorded_at": s.recorded_at.isoformat(),
             "recorded_by": s.recorded_by, "questionnaire_version": s.questionnaire_version,
             "answers": s.answers, "notes": s.notes}
            for s in screenings
        ]
        entry["plans"] = out_plans
        out_patients.append(entry)
    progress(len(patients), len(patients), "")
    records = {"practitioners": practitioners, "batches": batches, "patients": out_patients}
    export_id = records_fingerprint(records)
    uow.audit("export", "patient" if patient_id is not None else FILE_ENTITY,
              patient_id if patient_id is not None else export_id,
              f"Exported {len(out_patients)} patient record(s) as file {export_id}",
              after={"patient_ids": [p.id for p in patients], "export_id": export_id})
    return {**document_header(export_id), **records}


def _batch_json(uow: UnitOfWork, batch_id: int, ref: str) -> dict[str, Any]:
    batch = uow.session.get(Batch, batch_id)
    if batch.product_id is not None:
        kind, code = "product", uow.session.get(Product, batch.product_id).code
    else:
        kind, code = "ingredient", uow.session.get(Ingredient, batch.ingredient_id).code
    return {"ref": ref, "item_kind": kind, "item_code": code, "lot_number": batch.lot_number,
            "expiry_date": batch.expiry_date.isoformat()}


def _catalog_ids(uow: UnitOfWork, kind: str) -> dict[str, int]:
    table = Ingredient if kind == "ingredient" else Product
    return dict(uow.session.execute(select(table.code, table.id)).all())


def _patient_path(path: str, field_label: str) -> str:
    """The JSON path of a patient field named by ``validate_patient`` ("family name")."""
    key = field_label.replace(" ", "_")
    return f"{path}.{key}" if key in PATIENT_FIELDS else f"{path} ({field_label})"


def _check(uow: UnitOfWork, doc: ExchangeDocument) -> None:
    """Everything that needs the database or the clinic's vocabularies, before any write."""
    problems: list[Problem] = []
    codes = {"ingredient": _catalog_ids(uow, "ingredient"), "product": _catalog_ids(uow, "product")}
    for i, batch in enumerate(doc.batches):
        if batch.item_code not in codes.get(batch.item_kind, {}):
            problems.append(Problem(f"$.batches[{i}].item_code",
                                    f"'{batch.item_code}' is not a {batch.item_kind} in this catalog"))
    problems += _length_problems(doc)
    questionnaire = load_questionnaire()
    for patient in doc.patients:
        try:
            validate_patient(PatientInput(**patient.fields))
        except ValidationError as exc:
            problems += [Problem(_patient_path(patient.path, p.where), p.message)
                         for p in exc.problems]
        for j, screening in enumerate(patient.screenings):
            try:
                validate_answers(questionnaire, screening.answers)
            except ValidationError as exc:
                problems += [Problem(f"{patient.path}.screenings[{j}].answers ({p.where})", p.message)
                             for p in exc.problems]
        for plan in patient.plans:
            try:
                validate_draft(plan.draft)
            except ValidationError as exc:
                problems += [Problem(f"{plan.path} ({p.where})", p.message) for p in exc.problems]
            for k, component in enumerate(plan.draft.components):
                if component.code not in codes.get(component.kind, {}):
                    problems.append(Problem(f"{plan.path}.cocktail[{k}].code",
                                            f"'{component.code}' is not a {component.kind} in this "
                                            "catalog; import the catalog first"))
    if problems:
        raise ValidationError(problems)


def _length_problems(doc: ExchangeDocument) -> list[Problem]:
    """Text longer than its column allows, by JSON path (the patients' own fields are checked
    by ``validate_patient``)."""
    problems = too_long(AuditEntry, {"export_id": doc.export_id}, "$",
                        names={"entity_id": "export_id"})
    for i, person in enumerate(doc.practitioners):
        problems += too_long(Practitioner, person, f"$.practitioners[{i}]")
    for i, batch in enumerate(doc.batches):
        problems += too_long(Batch, batch, f"$.batches[{i}]")
    for patient in doc.patients:
        for j, screening in enumerate(patient.screenings):
            problems += too_long(Screening, screening, f"{patient.path}.screenings[{j}]")
        for plan in patient.plans:
            problems += too_long(TreatmentPlan, plan.draft, plan.path)
            for k, component in enumerate(plan.draft.components):
                problems += too_long(CocktailComponent, component, f"{plan.path}.cocktail[{k}]")
            for k, session in enumerate(plan.draft.sessions):
                problems += too_long(TreatmentSession, session, f"{plan.path}.sessions[{k}]")
            for k, ack in enumerate(plan.draft.acknowledgements):
                problems += too_long(FindingAcknowledgement, ack,
                                     f"{plan.path}.acknowledgements[{k}]",
                                     names={"acknowledged_by": "by"})
    return problems


def file_identifier(data: Any, doc: ExchangeDocument) -> str:
    """The file's ``export_id``; for files from older versions, the fingerprint of its records."""
    return doc.export_id or records_fingerprint(data)


def _earlier_use(uow: UnitOfWork, file_id: str, patients: int) -> AlreadyImported | None:
    """The export or import of this file recorded in the audit trail, if there is one."""
    entry = uow.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == FILE_ENTITY,
                                 AuditEntry.entity_id == file_id,
                                 AuditEntry.action.in_(("import.file", "export")))
        .order_by(AuditEntry.id).limit(1)).first()
    if entry is None:  # an export of one patient is filed under that patient
        entry = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "export",
                                     AuditEntry.summary.contains(file_id, autoescape=True))
            .order_by(AuditEntry.id).limit(1)).first()
    if entry is None:
        return None
    return AlreadyImported(file_id, entry.action, entry.at, entry.actor, patients)


def _practitioner_ids(uow: UnitOfWork, doc: ExchangeDocument) -> dict[str, int]:
    ids = {}
    for ref in doc.practitioners:
        person = uow.session.scalars(select(Practitioner).where(
            Practitioner.name == ref.name,
            Practitioner.registration_number == ref.registration_number)).first()
        if person is None:
            person = Practitioner(name=ref.name, profession=ref.profession,
                                  registration_number=ref.registration_number)
            uow.session.add(person)
            uow.session.flush()
        ids[ref.ref] = person.id
    return ids


def _batch_ids(uow: UnitOfWork, doc: ExchangeDocument) -> dict[str, BatchUse]:
    found: dict[str, BatchUse] = {}
    problems = []
    for i, ref in enumerate(doc.batches):
        table = Ingredient if ref.item_kind == "ingredient" else Product
        item = uow.session.scalars(select(table).where(table.code == ref.item_code)).one()
        column = Batch.ingredient_id if ref.item_kind == "ingredient" else Batch.product_id
        batch = uow.session.scalars(select(Batch).where(column == item.id,
                                                        Batch.lot_number == ref.lot_number)).first()
        if batch is None:
            batch = Batch(lot_number=ref.lot_number, expiry_date=ref.expiry_date,
                          **{column.key: item.id})
            uow.session.add(batch)
            uow.session.flush()
        elif batch.expiry_date != ref.expiry_date:
            problems.append(Problem(f"$.batches[{i}].expiry_date",
                                    f"lot {ref.lot_number} is recorded here with expiry "
                                    f"{batch.expiry_date.isoformat()}, not {ref.expiry_date.isoformat()}"))
        found[ref.ref] = BatchUse(batch.id, batch.lot_number, batch.expiry_date, item.name)
    if problems:
        raise ValidationError(problems)
    return found


def import_document(uow: UnitOfWork, data: Any, *, as_copy: bool = False,
                    progress: Progress | None = None) -> ImportSummary:
    """Add every patient of the document as a new record; nothing is written if anything is wrong.

    A file already exported from or imported into this database raises ``AlreadyImported``
    unless ``as_copy``. ``progress`` is called before each patient; if it raises (the user
    cancelled), the unit of work rolls back and nothing is kept.
    """
    uow.require(Permission.EXPORT_DATA)
    uow.require(Permission.EDIT_CLINICAL)
    progress = progress or _no_progress
    doc = read_document(data)
    _check(uow, doc)
    file_id = file_identifier(data, doc)
    if not as_copy:
        earlier = _earlier_use(uow, file_id, len(doc.patients))
        if earlier is not None:
            raise earlier
    practitioners = _practitioner_ids(uow, doc)
    batches = _batch_ids(uow, doc)
    counts = [0, 0, 0, 0]
    documents = 0
    created: list[int] = []
    total = len(doc.patients)
    for done, patient in enumerate(doc.patients):
        progress(done, total, f"Importing patient {done + 1} of {total}…")
        record = create_patient(uow, PatientInput(**patient.fields))
        created.append(record.id)
        counts[0] += 1
        for screening in patient.screenings:
            add_screening(uow, record.id, screening.taken_on, screening.answers, screening.notes,
                          recorded_by=screening.recorded_by, recorded_at=screening.recorded_at)
            counts[1] += 1
        for plan in patient.plans:
            sessions = tuple(
                replace(session, batches=tuple(replace(batches[ref], volume_ml=volume, correction=correction)
                                               for ref, volume, correction in used))
                for session, used in zip(plan.draft.sessions, plan.session_batch_refs)
            )
            draft = replace(plan.draft, patient_id=record.id, sessions=sessions,
                            practitioner_id=practitioners.get(plan.practitioner or ""))
            saved = plan_service.save_plan(uow, draft, check_ready=False)
            documents += import_plan_documents(uow, saved, plan.documents, practitioners)
            counts[2] += 1
            counts[3] += len(sessions)
    progress(total, total, "")
    uow.audit("import.file", FILE_ENTITY, file_id,
              f"Imported the file {file_id}" + (" as a copy" if as_copy else ""),
              after={"patient_ids": created, "as_copy": as_copy})
    uow.audit("import", "", "", f"Imported {counts[0]} patient(s), {counts[2]} plan(s)",
              after={"patient_ids": created, "practitioners": sorted(practitioners.values()),
                     "batches": sorted({b.batch_id for b in batches.values()}), "documents": documents})
    return ImportSummary(*counts, documents=documents)
