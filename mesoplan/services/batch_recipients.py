"""Who received a batch: the sessions a lot was recorded for (service layer).

The starting point of a recall (a fuller recall screen is planned separately): every session that
records the batch, with its patient, date and status, and whether the lot had already expired on
that day and was recorded as a correction of the record (with the reason given).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from mesoplan.access import Permission
from mesoplan.db.models import Batch, Ingredient, Patient, Product, SessionBatch, TreatmentPlan, TreatmentSession
from mesoplan.services.uow import UnitOfWork
from mesoplan.text import full_name


@dataclass(frozen=True)
class BatchRecipient:
    """One session that records the batch."""

    batch_id: int
    lot_number: str
    expiry_date: dt.date
    patient_id: int
    patient_name: str
    plan_id: int
    session_id: int
    sequence: int
    session_date: dt.date
    status: str
    volume_ml: float | None
    correction: str
    """The reason given when the lot was recorded although it had expired (else empty)."""

    @property
    def expired_when_given(self) -> bool:
        return self.expiry_date < self.session_date


def sessions_with_batch(uow: UnitOfWork, batch_id: int, *, include_planned: bool = False) -> list[BatchRecipient]:
    """Sessions done with the batch (and planned ones holding it, if asked), by date then patient."""
    return _query(uow, Batch.id == batch_id, include_planned)


def sessions_with_lot(uow: UnitOfWork, lot_number: str, item_code: str | None = None, *,
                      include_planned: bool = False) -> list[BatchRecipient]:
    """The same for a lot number as printed on the vial, of any item or of one catalog code."""
    condition = Batch.lot_number == lot_number.strip()
    if item_code:
        ingredient = select(Ingredient.id).where(Ingredient.code == item_code).scalar_subquery()
        product = select(Product.id).where(Product.code == item_code).scalar_subquery()
        condition = condition & ((Batch.ingredient_id == ingredient) | (Batch.product_id == product))
    return _query(uow, condition, include_planned)


def _query(uow: UnitOfWork, condition, include_planned: bool) -> list[BatchRecipient]:
    uow.require(Permission.VIEW_CLINICAL)
    statuses = ("done", "planned") if include_planned else ("done",)
    query = (
        select(SessionBatch, Batch, TreatmentSession, TreatmentPlan.id, Patient)
        .join(Batch, Batch.id == SessionBatch.batch_id)
        .join(TreatmentSession, TreatmentSession.id == SessionBatch.session_id)
        .join(TreatmentPlan, TreatmentPlan.id == TreatmentSession.plan_id)
        .join(Patient, Patient.id == TreatmentPlan.patient_id)
        .where(condition, TreatmentSession.status.in_(statuses))
        .order_by(TreatmentSession.planned_date, Patient.id, TreatmentSession.sequence, SessionBatch.id)
    )
    return [
        BatchRecipient(
            batch_id=batch.id, lot_number=batch.lot_number, expiry_date=batch.expiry_date,
            patient_id=patient.id, patient_name=full_name(patient.family_name, patient.given_names),
            plan_id=plan_id, session_id=session.id, sequence=session.sequence,
            session_date=session.planned_date, status=session.status, volume_ml=used.volume_ml,
            correction=used.correction or "",
        )
        for used, batch, session, plan_id, patient in uow.session.execute(query)
    ]
