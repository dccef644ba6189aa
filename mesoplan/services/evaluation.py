"""Loading what plan evaluation needs: patient facts, catalog entries and the clinic's rules (service layer).

``load_plan_context`` runs once when a plan is opened; after that the editor evaluates drafts in
memory with ``mesoplan.evaluation.evaluate``. ``item_info`` fetches one more catalog entry when a
component is added.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mesoplan.access import Permission
from mesoplan.db.models import (
    ClinicSettings,
    Ingredient,
    IssuedDocument,
    Patient,
    Product,
    ProductComponent,
    RuleSetting,
)
from mesoplan.errors import NotFound
from mesoplan.evaluation import CatalogItemInfo, PartInfo, PlanContext, PlanEvaluation, evaluate
from mesoplan.plan import PlanDraft
from mesoplan.safety.engine import compile_rules
from mesoplan.safety.facts import PatientFacts
from mesoplan.services.patients import age_on
from mesoplan.services.screenings import latest_screening
from mesoplan.services.uow import UnitOfWork


def ingredient_info(row: Ingredient) -> CatalogItemInfo:
    return CatalogItemInfo(
        kind="ingredient", code=row.code, name=row.name, category=row.category,
        caution_tags=frozenset(row.caution_tags or ()), vehicle=row.vehicle,
        min_interval_days=row.min_interval_days, strength_value=row.strength_value,
        strength_unit=row.strength_unit, off_label=row.off_label, legal_status=row.legal_status,
        retired=row.retired_at is not None,
    )


def product_info(row: Product) -> CatalogItemInfo:
    parts = tuple(PartInfo(ingredient_info(c.ingredient), c.strength_value, c.strength_unit)
                  for c in row.components)
    return CatalogItemInfo(
        kind="product", code=row.code, name=row.name, category=row.category,
        caution_tags=frozenset(row.caution_tags or ()), off_label=row.off_label,
        legal_status=row.legal_status, parts=parts, retired=row.retired_at is not None,
    )


def item_infos(uow: UnitOfWork, keys) -> dict[tuple[str, str], CatalogItemInfo]:
    """Catalog entries by (kind, code); unknown codes are simply absent."""
    keys = set(keys)
    found: dict[tuple[str, str], CatalogItemInfo] = {}
    codes = [code for kind, code in keys if kind == "ingredient"]
    if codes:
        for row in uow.session.scalars(select(Ingredient).where(Ingredient.code.in_(codes))):
            found[("ingredient", row.code)] = ingredient_info(row)
    codes = [code for kind, code in keys if kind == "product"]
    if codes:
        query = (select(Product).where(Product.code.in_(codes)).options(
            selectinload(Product.components).selectinload(ProductComponent.ingredient)))
        for row in uow.session.scalars(query):
            found[("product", row.code)] = product_info(row)
    return found


def item_info(uow: UnitOfWork, kind: str, code: str) -> CatalogItemInfo:
    found = item_infos(uow, [(kind, code)]).get((kind, code))
    if found is None:
        raise NotFound(f"There is no {kind} '{code}' in the catalog.")
    return found


def patient_facts(uow: UnitOfWork, patient_id: int, today: dt.date) -> PatientFacts:
    patient = uow.session.get(Patient, patient_id)
    if patient is None:
        raise NotFound(f"There is no patient number {patient_id}.")
    screening = latest_screening(uow, patient_id)
    answers = screening.answers if screening else {}
    weight = answers.get("weight_kg")
    return PatientFacts(
        age_years=age_on(patient.date_of_birth, today), sex=patient.sex,
        answers=MappingProxyType(dict(answers)),
        screening_id=screening.id if screening else None,
        screening_date=screening.taken_on if screening else None,
        weight_kg=float(weight) if isinstance(weight, (int, float)) and weight > 0 else None,
    )


def clinic_rules(uow: UnitOfWork):
    """The shipped rules with this clinic's re-classifications applied."""
    overrides = {
        row.rule_id: (row.severity, row.enabled)
        for row in uow.session.scalars(select(RuleSetting))
    }
    return compile_rules(overrides)


def consent_codes(uow: UnitOfWork, plan_id: int | None) -> frozenset[str]:
    """Catalog codes the newest issued consent form of the plan covers."""
    if plan_id is None:
        return frozenset()
    document = uow.session.scalars(
        select(IssuedDocument).where(IssuedDocument.plan_id == plan_id,
                                     IssuedDocument.kind == "consent")
        .order_by(IssuedDocument.issued_at.desc(), IssuedDocument.id.desc()).limit(1)
    ).first()
    if document is None:
        return frozenset()
    return frozenset((document.content or {}).get("covered_codes", ()))


def load_plan_context(uow: UnitOfWork, draft: PlanDraft, today: dt.date | None = None) -> PlanContext:
    uow.require(Permission.VIEW_CLINICAL)
    today = today or dt.date.today()
    settings = uow.session.get(ClinicSettings, 1)
    return PlanContext(
        patient=patient_facts(uow, draft.patient_id, today),
        items=MappingProxyType(item_infos(uow, ((c.kind, c.code) for c in draft.components))),
        rules=clinic_rules(uow),
        jurisdiction=settings.jurisdiction if settings else "GB-ENG",
        today=today,
        consent_covered_codes=consent_codes(uow, draft.id),
    )


def evaluate_saved_draft(uow: UnitOfWork, draft: PlanDraft) -> PlanEvaluation:
    """Evaluate a draft against the database as it is now (used when a plan is marked ready)."""
    return evaluate(draft, load_plan_context(uow, draft))
