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
    Practitioner,
    Product,
    ProductComponent,
    RuleSetting,
)
from mesoplan.errors import NotFound
from mesoplan.evaluation import CatalogItemInfo, PartInfo, PlanContext, PlanEvaluation, evaluate
from mesoplan.plan import PlanDraft
from mesoplan.safety.engine import compile_rules
from mesoplan.safety.facts import ConsentFormFacts, PatientFacts
from mesoplan.services.patients import age_on
from mesoplan.services.screenings import latest_screening
from mesoplan.services.uow import UnitOfWork
from mesoplan.vocabulary import zones as zones_table


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


def printed_request(content: dict) -> dict:
    """The request a stored document printed (``{"format": 1, "request": {...}}`` in ``content``)."""
    stored = content.get("request") or {}
    inner = stored.get("request") if isinstance(stored, dict) else None
    return inner if isinstance(inner, dict) else {}


def _issued_on(row: IssuedDocument) -> dt.date:
    """The day printed on the form; for a form stored without its request, the local day it was issued."""
    request = printed_request(row.content or {})
    try:
        return dt.date.fromisoformat(request["issued_on"])
    except (KeyError, TypeError, ValueError):
        return row.issued_at.replace(tzinfo=dt.timezone.utc).astimezone().date()


def document_coverage(uow: UnitOfWork, row: IssuedDocument) -> ConsentFormFacts:
    """What one issued consent form covers. Forms issued before zones and practitioner were stored
    with the record are read from the request they printed (area names, practitioner's name)."""
    content = row.content or {}
    request = printed_request(content)
    person = request.get("practitioner") or {}
    if "covered_zones" in content:
        zones = frozenset(content.get("covered_zones") or ())
    else:
        by_label = {zone.label: code for code, zone in zones_table().items()}
        areas = (request.get("plan") or {}).get("areas") or ()
        zones = frozenset(by_label[label] for label in areas if label in by_label)
    if "practitioner_id" in content:
        practitioner_id = content.get("practitioner_id")
    else:
        practitioner_id = uow.session.scalars(select(Practitioner.id).where(
            Practitioner.name == person.get("name", ""),
            Practitioner.registration_number == person.get("registration_number", ""))).first()
    name = person.get("name", "")
    if not name and practitioner_id is not None:
        found = uow.session.get(Practitioner, practitioner_id)
        name = found.name if found else ""
    return ConsentFormFacts(issued_on=_issued_on(row), covered_item_codes=frozenset(content.get("covered_codes", ())),
                            covered_zones=zones, practitioner_id=practitioner_id, practitioner_name=name)


def consent_forms(uow: UnitOfWork, plan_id: int | None) -> tuple[ConsentFormFacts, ...]:
    """Every consent form issued for the plan, oldest first, with what each one covers."""
    if plan_id is None:
        return ()
    rows = uow.session.scalars(
        select(IssuedDocument).where(IssuedDocument.plan_id == plan_id, IssuedDocument.kind == "consent")
        .order_by(IssuedDocument.issued_at, IssuedDocument.id))
    return tuple(document_coverage(uow, row) for row in rows)


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
        consent_forms=consent_forms(uow, draft.id),
    )


def evaluate_saved_draft(uow: UnitOfWork, draft: PlanDraft) -> PlanEvaluation:
    """Evaluate a draft against the database as it is now (used when a plan is marked ready)."""
    return evaluate(draft, load_plan_context(uow, draft))
