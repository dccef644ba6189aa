"""Export and import of patient records in the exchange format (service layer).

Import is all or nothing: the whole document is checked (format, catalog codes, batches,
screening answers, plans) before anything is written, and it is written in one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from mesoplan.access import Permission
from mesoplan.db.models import Batch, Ingredient, Patient, Practitioner, Product, Screening, TreatmentPlan
from mesoplan.errors import NotFound, Problem, ValidationError
from mesoplan.exchange import (
    ExchangeDocument,
    document_header,
    plan_to_json,
    read_document,
)
from mesoplan.plan import BatchUse, validate_draft
from mesoplan.screening import load_questionnaire, validate_answers
from mesoplan.services import plans as plan_service
from mesoplan.services.patients import PatientInput, create_patient, validate_patient
from mesoplan.services.exchange_documents import export_plan_documents, import_plan_documents
from mesoplan.services.screenings import add_screening
from mesoplan.services.uow import UnitOfWork


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


def export_document(uow: UnitOfWork, patient_id: int | None = None) -> dict[str, Any]:
    """Every patient (or one) with screenings, plans, cocktails and sessions, as a JSON-ready dict."""
    uow.require(Permission.EXPORT_DATA)
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
    for patient in patients:
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
    uow.audit("export", "patient" if patient_id is not None else "",
              patient_id if patient_id is not None else "",
              f"Exported {len(out_patients)} patient record(s)",
              after={"patient_ids": [p.id for p in patients]})
    return {**document_header(), "practitioners": practitioners, "batches": batches,
            "patients": out_patients}


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


def _check(uow: UnitOfWork, doc: ExchangeDocument) -> None:
    """Everything that needs the database or the clinic's vocabularies, before any write."""
    problems: list[Problem] = []
    codes = {"ingredient": _catalog_ids(uow, "ingredient"), "product": _catalog_ids(uow, "product")}
    for i, batch in enumerate(doc.batches):
        if batch.item_code not in codes.get(batch.item_kind, {}):
            problems.append(Problem(f"$.batches[{i}].item_code",
                                    f"'{batch.item_code}' is not a {batch.item_kind} in this catalog"))
    questionnaire = load_questionnaire()
    for patient in doc.patients:
        try:
            validate_patient(PatientInput(**patient.fields))
        except ValidationError as exc:
            problems += [Problem(f"{patient.path} ({p.where})", p.message) for p in exc.problems]
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


def import_document(uow: UnitOfWork, data: Any) -> ImportSummary:
    """Add every patient of the document as a new record; nothing is written if anything is wrong."""
    uow.require(Permission.EXPORT_DATA)
    uow.require(Permission.EDIT_CLINICAL)
    doc = read_document(data)
    _check(uow, doc)
    practitioners = _practitioner_ids(uow, doc)
    batches = _batch_ids(uow, doc)
    counts = [0, 0, 0, 0]
    documents = 0
    created: list[int] = []
    for patient in doc.patients:
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
    uow.audit("import", "", "", f"Imported {counts[0]} patient(s), {counts[2]} plan(s)",
              after={"patient_ids": created, "practitioners": sorted(practitioners.values()),
                     "batches": sorted({b.batch_id for b in batches.values()}), "documents": documents})
    return ImportSummary(*counts, documents=documents)
