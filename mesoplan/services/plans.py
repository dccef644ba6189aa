"""Treatment plans: open, save (with optimistic locking), mark ready, list (service layer).

The plan editor works on a ``PlanDraft``; ``save_plan`` writes the whole draft in one unit of
work and refuses it if someone else saved the plan since it was opened. Whether a plan may be
ready is decided here, from the safety findings, not by the screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from mesoplan.access import Permission
from mesoplan.db.models import (
    Batch,
    CocktailComponent,
    FindingAcknowledgement,
    Ingredient,
    Patient,
    Product,
    SessionBatch,
    TreatmentPlan,
    TreatmentSession,
    utcnow,
)
from mesoplan.errors import ConflictError, NotFound, PlanNotReady, Problem, ValidationError
from mesoplan.plan import (
    Acknowledgement,
    BatchUse,
    ComponentDraft,
    PlanDraft,
    SessionDraft,
    ZoneVolume,
    validate_draft,
)
from mesoplan.services.uow import UnitOfWork
from mesoplan.vocabulary import indication_label

@dataclass(frozen=True)
class PlanSummary:
    id: int
    patient_id: int
    patient_name: str
    indication: str
    indication_label: str
    status: str
    start_date: dt.date | None
    session_count: int
    next_session: dt.date | None
    updated_at: dt.datetime
    version: int


def _load_row(uow: UnitOfWork, plan_id: int) -> TreatmentPlan:
    plan = uow.session.scalars(
        select(TreatmentPlan).where(TreatmentPlan.id == plan_id).options(
            selectinload(TreatmentPlan.components).selectinload(CocktailComponent.ingredient),
            selectinload(TreatmentPlan.components).selectinload(CocktailComponent.product),
            selectinload(TreatmentPlan.sessions).selectinload(TreatmentSession.batches)
            .selectinload(SessionBatch.batch),
            selectinload(TreatmentPlan.acknowledgements),
        )
    ).one_or_none()
    if plan is None:
        raise NotFound(f"There is no plan number {plan_id}.")
    return plan


def _batch_item_name(batch: Batch, uow: UnitOfWork) -> str:
    if batch.product_id is not None:
        return uow.session.get(Product, batch.product_id).name
    return uow.session.get(Ingredient, batch.ingredient_id).name


def draft_from_row(uow: UnitOfWork, plan: TreatmentPlan) -> PlanDraft:
    components = tuple(
        ComponentDraft(
            kind="product" if c.product_id is not None else "ingredient",
            code=c.product.code if c.product_id is not None else c.ingredient.code,
            name=c.product.name if c.product_id is not None else c.ingredient.name,
            volume_ml=c.volume_ml, strength_value=c.strength_value, strength_unit=c.strength_unit,
        )
        for c in plan.components
    )
    sessions = tuple(
        SessionDraft(
            id=s.id, sequence=s.sequence, phase=s.phase, planned_date=s.planned_date,
            planned_time=s.planned_time, status=s.status, technique=s.technique,
            depth_mm=s.depth_mm, needle=s.needle,
            zones=tuple(ZoneVolume(z["zone"], float(z["volume_ml"])) for z in s.zones or []),
            batches=tuple(
                BatchUse(b.batch_id, b.batch.lot_number, b.batch.expiry_date,
                         _batch_item_name(b.batch, uow), b.volume_ml, b.correction or "")
                for b in s.batches
            ),
            reactions=s.reactions, notes=s.notes, performed_at=s.performed_at,
            performed_by=s.performed_by,
        )
        for s in plan.sessions
    )
    acks = tuple(
        Acknowledgement(a.rule_id, a.subject, a.reason, a.acknowledged_by, a.acknowledged_at)
        for a in sorted(plan.acknowledgements, key=lambda a: a.id)
    )
    return PlanDraft(
        id=plan.id, patient_id=plan.patient_id, version=plan.version, title=plan.title,
        indication=plan.indication, indication_other=plan.indication_other,
        areas=tuple(plan.areas or ()), goals=plan.goals, status=plan.status,
        practitioner_id=plan.practitioner_id, protocol_code=plan.protocol_code,
        start_date=plan.start_date, technique=plan.technique, depth_mm=plan.depth_mm,
        needle=plan.needle, notes=plan.notes, template_name=plan.template_name,
        components=components, sessions=sessions, acknowledgements=acks,
        consent_signed_on=plan.consent_signed_on,
    )


def load_plan(uow: UnitOfWork, plan_id: int) -> PlanDraft:
    uow.require(Permission.VIEW_CLINICAL)
    return draft_from_row(uow, _load_row(uow, plan_id))


def list_plans(uow: UnitOfWork, patient_id: int | None = None) -> list[PlanSummary]:
    uow.require(Permission.VIEW_CLINICAL)
    next_date = (
        select(func.min(TreatmentSession.planned_date))
        .where(TreatmentSession.plan_id == TreatmentPlan.id, TreatmentSession.status == "planned")
        .correlate(TreatmentPlan).scalar_subquery()
    )
    count = (
        select(func.count(TreatmentSession.id)).where(TreatmentSession.plan_id == TreatmentPlan.id)
        .correlate(TreatmentPlan).scalar_subquery()
    )
    query = (
        select(TreatmentPlan.id, TreatmentPlan.patient_id, Patient.family_name, Patient.given_names,
               TreatmentPlan.indication, TreatmentPlan.indication_other, TreatmentPlan.status,
               TreatmentPlan.start_date, count, next_date, TreatmentPlan.updated_at,
               TreatmentPlan.version)
        .join(Patient, Patient.id == TreatmentPlan.patient_id)
        .order_by(TreatmentPlan.id)
    )
    if patient_id is not None:
        query = query.where(TreatmentPlan.patient_id == patient_id)
    return [
        PlanSummary(r[0], r[1], f"{r[2]}, {r[3]}" if r[3] else r[2], r[4], indication_label(r[4], r[5]),
                    r[6], r[7], r[8] or 0, r[9], r[10], r[11])
        for r in uow.session.execute(query)
    ]


# --- saving -------------------------------------------------------------------------------------


def _item_ids(uow: UnitOfWork, draft: PlanDraft) -> dict[tuple[str, str], int]:
    """Catalog ids for the draft's component codes; unknown codes are reported together."""
    wanted = {(c.kind, c.code) for c in draft.components}
    found: dict[tuple[str, str], int] = {}
    codes = {code for kind, code in wanted if kind == "ingredient"}
    if codes:
        for id_, code in uow.session.execute(select(Ingredient.id, Ingredient.code)
                                             .where(Ingredient.code.in_(codes))):
            found[("ingredient", code)] = id_
    codes = {code for kind, code in wanted if kind == "product"}
    if codes:
        for id_, code in uow.session.execute(select(Product.id, Product.code)
                                             .where(Product.code.in_(codes))):
            found[("product", code)] = id_
    problems = [
        Problem(f"component {i} ({c.name or c.code})", f"'{c.code}' is not in the catalog")
        for i, c in enumerate(draft.components, start=1) if (c.kind, c.code) not in found
    ]
    batch_ids = {b.batch_id for s in draft.sessions for b in s.batches}
    if batch_ids:
        known = set(uow.session.scalars(select(Batch.id).where(Batch.id.in_(batch_ids))))
        problems += [
            Problem(f"session {s.sequence}, batch {b.lot_number}", "is not a recorded batch")
            for s in draft.sessions for b in s.batches if b.batch_id not in known
        ]
    if problems:
        raise ValidationError(problems)
    return found


def _write_children(uow: UnitOfWork, plan: TreatmentPlan, draft: PlanDraft) -> None:
    ids = _item_ids(uow, draft)
    plan.components = [
        CocktailComponent(
            position=index,
            ingredient_id=ids[(c.kind, c.code)] if c.kind == "ingredient" else None,
            product_id=ids[(c.kind, c.code)] if c.kind == "product" else None,
            strength_value=c.strength_value, strength_unit=c.strength_unit, volume_ml=c.volume_ml,
        )
        for index, c in enumerate(draft.components)
    ]
    existing = {s.id: s for s in plan.sessions}
    sessions = []
    for s in draft.sessions:
        row = existing.get(s.id) if s.id is not None else None
        row = row or TreatmentSession()
        row.sequence, row.phase, row.planned_date = s.sequence, s.phase, s.planned_date
        row.planned_time, row.status, row.technique = s.planned_time, s.status, s.technique
        row.depth_mm, row.needle, row.reactions, row.notes = s.depth_mm, s.needle, s.reactions, s.notes
        row.zones = [{"zone": z.zone, "volume_ml": z.volume_ml} for z in s.zones]
        if s.status == "done" and row.performed_at is None:
            row.performed_at = s.performed_at or utcnow()
            row.performed_by = s.performed_by or uow.actor.name
        elif s.status != "done":
            row.performed_at, row.performed_by = None, ""
        row.batches = [SessionBatch(batch_id=b.batch_id, volume_ml=b.volume_ml, correction=b.correction.strip())
                       for b in s.batches]
        sessions.append(row)
    plan.sessions = sessions
    previous = {(a.rule_id, a.subject): a for a in plan.acknowledgements}
    acks = []
    for a in draft.acknowledgements:
        if not a.reason.strip():
            raise ValidationError([Problem(f"acknowledgement of {a.rule_id}", "needs a reason")])
        row = previous.get((a.rule_id, a.subject))
        if row is None or row.reason != a.reason:
            # A new acknowledgement is the acting user's, now; one carried over from an exchange
            # file keeps who gave it and when.
            row = FindingAcknowledgement(
                rule_id=a.rule_id, subject=a.subject, reason=a.reason.strip(),
                acknowledged_by=a.by if a.at else uow.actor.name, acknowledged_at=a.at or utcnow())
        acks.append(row)
    plan.acknowledgements = acks


_HEADER_FIELDS = ("title", "indication", "indication_other", "goals", "status", "practitioner_id",
                  "protocol_code", "start_date", "technique", "depth_mm", "needle", "notes",
                  "template_name", "consent_signed_on")


def _audit_view(draft: PlanDraft) -> dict:
    from mesoplan.exchange import plan_to_json

    return plan_to_json(draft)


def save_plan(uow: UnitOfWork, draft: PlanDraft, *, check_ready: bool = True) -> PlanDraft:
    """Store the whole draft; returns it as saved (new ids and version).

    ``check_ready=False`` is only for importing records that were already ready elsewhere.
    """
    uow.require(Permission.EDIT_CLINICAL)
    validate_draft(draft)
    if uow.session.get(Patient, draft.patient_id) is None:
        raise NotFound(f"There is no patient number {draft.patient_id}.")
    if draft.id is None:
        plan = TreatmentPlan(patient_id=draft.patient_id, created_by=uow.actor.name)
        uow.session.add(plan)
        previous = None
    else:
        plan = _load_row(uow, draft.id)
        if plan.version != draft.version:
            raise ConflictError(f"Plan {plan.id}", plan.updated_by, plan.updated_at)
        previous = draft_from_row(uow, plan)
    with uow.session.no_autoflush:  # one INSERT or UPDATE of the plan: one version step per save
        for name in _HEADER_FIELDS:
            setattr(plan, name, getattr(draft, name))
        plan.areas = list(draft.areas)
        _write_children(uow, plan, draft)
        plan.updated_at = utcnow()
        plan.updated_by = uow.actor.name
    uow.session.flush()
    saved = draft_from_row(uow, plan)
    if check_ready and _needs_ready_check(previous, saved):
        _require_ready(uow, saved)
    if previous is not None and _audit_view(previous) == _audit_view(saved):
        return saved  # nothing changed: no audit entry (the version still moved on)
    _audit_corrections(uow, previous, saved)
    action = "plan.create" if previous is None else "plan.update"
    uow.audit(action, "plan", plan.id, f"{indication_label(plan.indication, plan.indication_other)}"
              f" for patient {plan.patient_id} ({plan.status})",
              before=_audit_view(previous) if previous else None, after=_audit_view(saved))
    return saved


def _audit_corrections(uow: UnitOfWork, previous: PlanDraft | None, saved: PlanDraft) -> None:
    """One audit entry per expired batch newly recorded as a correction of a done session's record."""
    before = {(s.sequence, b.batch_id, b.correction) for s in (previous.sessions if previous else ())
              for b in s.batches if b.correction}
    for session in saved.sessions:
        for batch in session.batches:
            if batch.correction and (session.sequence, batch.batch_id, batch.correction) not in before:
                uow.audit("session.batch_correction", "plan", saved.id,
                          f"Session {session.sequence} on {session.planned_date.isoformat()} recorded as given "
                          f"with lot {batch.lot_number} of {batch.item_name}, expired on "
                          f"{batch.expiry_date.isoformat()} (correction of the record)",
                          after={"session": session.sequence, "session_id": session.id, "batch_id": batch.batch_id,
                                 "lot_number": batch.lot_number, "expiry_date": batch.expiry_date.isoformat(),
                                 "reason": batch.correction})


def _clinical_content(draft: PlanDraft) -> tuple:
    """What the safety findings depend on (not reactions, notes or batches recorded afterwards)."""
    return (draft.components, draft.technique, draft.depth_mm, draft.areas,
            tuple((s.planned_date, s.technique, s.depth_mm, s.zones, s.status == "cancelled")
                  for s in draft.sessions))


def _needs_ready_check(previous: PlanDraft | None, saved: PlanDraft) -> bool:
    """Check findings when a plan becomes ready/active, or when a ready plan's treatment changes."""
    if saved.status not in ("ready", "active"):
        return False
    if previous is None or previous.status not in ("ready", "active"):
        return True
    return _clinical_content(previous) != _clinical_content(saved)


def _require_ready(uow: UnitOfWork, draft: PlanDraft) -> None:
    from mesoplan.services.evaluation import evaluate_saved_draft

    verdict = evaluate_saved_draft(uow, draft).verdict
    if not verdict.can_be_ready:
        raise PlanNotReady(verdict.reasons)


def set_status(uow: UnitOfWork, plan_id: int, status: str, expected_version: int) -> PlanDraft:
    """Change a plan's status; 'ready' and later are refused while findings stand in the way."""
    draft = load_plan(uow, plan_id)
    if draft.version != expected_version:
        row = _load_row(uow, plan_id)
        raise ConflictError(f"Plan {plan_id}", row.updated_by, row.updated_at)
    return save_plan(uow, draft.with_changes(status=status))
