"""A plan's live numbers and findings: cocktail totals plus safety findings for a draft (pure domain).

The plan editor calls ``evaluate(draft, context)`` after every edit; the ``PlanContext`` (patient
facts, the catalog entries the cocktail uses, the clinic's rules) is loaded once by the services,
so evaluation touches no database and takes well under a frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from mesoplan.cocktail import (
    ActiveInput,
    AnaestheticLimits,
    CocktailResult,
    ComponentInput,
    compute_cocktail,
)
from mesoplan.errors import Problem, ValidationError
from mesoplan.plan import PlanDraft, SessionDraft
from mesoplan.safety.consent_status import ConsentStatus, consent_status
from mesoplan.safety.engine import CompiledRules, Finding, ReadyVerdict, evaluate_rules, ready_check
from mesoplan.safety.facts import (
    AnaestheticFacts,
    BatchFacts,
    ConsentFacts,
    ConsentFormFacts,
    ItemFacts,
    PatientFacts,
    PlanFacts,
    SessionFacts,
)
from mesoplan.vocabulary import regions_of


@dataclass(frozen=True)
class PartInfo:
    """An ingredient inside a product, at the product's strength."""

    ingredient: CatalogItemInfo
    strength_value: float | None
    strength_unit: str | None


@dataclass(frozen=True)
class CatalogItemInfo:
    """What evaluation needs to know about a catalog ingredient or product."""

    kind: str  # ingredient | product
    code: str
    name: str
    category: str
    caution_tags: frozenset[str] = frozenset()
    vehicle: str = "aqueous"
    min_interval_days: int | None = None
    strength_value: float | None = None
    strength_unit: str | None = None
    off_label: bool = False
    legal_status: str = ""
    parts: tuple[PartInfo, ...] = ()
    retired: bool = False


@dataclass(frozen=True)
class PlanContext:
    patient: PatientFacts
    items: Mapping[tuple[str, str], CatalogItemInfo]
    rules: CompiledRules
    jurisdiction: str = "GB-ENG"
    today: dt.date = field(default_factory=dt.date.today)
    consent_forms: tuple[ConsentFormFacts, ...] = ()
    """The consent forms issued for the plan (loaded by the services; see safety.consent_status)."""
    limits: AnaestheticLimits = AnaestheticLimits()

    def with_items(self, *items: CatalogItemInfo) -> PlanContext:
        merged = dict(self.items)
        merged.update({(i.kind, i.code): i for i in items})
        return replace(self, items=MappingProxyType(merged))


@dataclass(frozen=True)
class PlanEvaluation:
    cocktail: CocktailResult | None
    """None while the cocktail is empty or has values that cannot be computed (see ``problems``)."""
    problems: tuple[Problem, ...]
    findings: tuple[Finding, ...]
    verdict: ReadyVerdict


def _active(info: CatalogItemInfo, value: float | None, unit: str | None) -> ActiveInput:
    tags = info.caution_tags
    return ActiveInput(
        code=info.code, name=info.name, strength_value=value, strength_unit=unit,
        is_amide_local_anaesthetic="amide_local_anaesthetic" in tags,
        is_ester_local_anaesthetic="ester_local_anaesthetic" in tags,
        with_adrenaline="adrenaline" in tags,
    )


def cocktail_inputs(draft: PlanDraft, items: Mapping[tuple[str, str], CatalogItemInfo]
                    ) -> tuple[ComponentInput, ...]:
    inputs = []
    for component in draft.components:
        info = items.get((component.kind, component.code))
        label = component.name or component.code
        if info is None:
            actives: tuple[ActiveInput, ...] = ()
        elif info.kind == "product":
            actives = tuple(_active(p.ingredient, p.strength_value, p.strength_unit) for p in info.parts)
        else:
            value, unit = component.strength_value, component.strength_unit
            if value is None and unit is None:
                value, unit = info.strength_value, info.strength_unit
            actives = (_active(info, value, unit),)
        inputs.append(ComponentInput(name=label, volume_ml=component.volume_ml, actives=actives))
    return tuple(inputs)


def reference_session(draft: PlanDraft) -> SessionDraft | None:
    """The session whose zones the per-zone amounts are shown for: the next planned one, else the last."""
    return draft.next_session or (draft.sessions[-1] if draft.sessions else None)


def compute_plan_cocktail(draft: PlanDraft, context: PlanContext,
                          session: SessionDraft | None = None) -> CocktailResult:
    session = session or reference_session(draft)
    zone_volumes: dict[str, float] = {}
    for zone in session.zones if session else ():
        zone_volumes[zone.zone] = zone_volumes.get(zone.zone, 0.0) + zone.volume_ml
    return compute_cocktail(
        cocktail_inputs(draft, context.items), zone_volumes=zone_volumes or None,
        weight_kg=context.patient.weight_kg, limits=context.limits,
    )


def _item_facts(draft: PlanDraft, items: Mapping[tuple[str, str], CatalogItemInfo]
                ) -> tuple[ItemFacts, ...]:
    facts = []
    for component in draft.components:
        info = items.get((component.kind, component.code))
        if info is None:
            continue
        if info.kind == "product" and not info.parts:
            # Composition unknown: the product's own tags still count.
            facts.append(ItemFacts(info.code, info.name, info.category, info.caution_tags,
                                   info.vehicle, info.min_interval_days))
        elif info.kind == "product":
            for part in info.parts:
                i = part.ingredient
                facts.append(ItemFacts(i.code, i.name, i.category, i.caution_tags | info.caution_tags,
                                       i.vehicle, i.min_interval_days, info.code, info.name))
        else:
            facts.append(ItemFacts(info.code, info.name, info.category, info.caution_tags,
                                   info.vehicle, info.min_interval_days))
    return tuple(facts)


def _anaesthetic_facts(result: CocktailResult | None,
                       limits: AnaestheticLimits) -> AnaestheticFacts | None:
    if result is None:
        return None
    dose = result.anaesthetic.amide
    if dose.mg <= 0 and not dose.incomplete:
        return None
    adrenaline = result.anaesthetic.with_adrenaline
    per_kg = limits.amide_adrenaline_mg_per_kg if adrenaline else limits.amide_plain_mg_per_kg
    cap = limits.amide_adrenaline_max_mg if adrenaline else limits.amide_plain_max_mg
    return AnaestheticFacts(
        total_mg=dose.mg, mg_per_kg=dose.mg_per_kg, ceiling_mg_per_kg=per_kg,
        ceiling_mg=dose.ceiling_mg if dose.ceiling_mg is not None else cap,
        with_adrenaline=adrenaline, exceeded=dose.exceeded,
        detail=result.anaesthetic.explanation,
    )


def plan_zone_codes(draft: PlanDraft) -> frozenset[str]:
    """The zones a consent form for this plan names: its areas and those of its planned and done sessions."""
    return frozenset(draft.areas) | frozenset(
        z.zone for s in draft.sessions if s.status in ("planned", "done") for z in s.zones)


def plan_facts(draft: PlanDraft, context: PlanContext, cocktail: CocktailResult | None) -> PlanFacts:
    plan_regions = regions_of(draft.areas)
    sessions = tuple(
        SessionFacts(
            sequence=s.sequence, date=s.planned_date, status=s.status,
            technique=s.technique or draft.technique,
            depth_mm=s.depth_mm if s.depth_mm is not None else draft.depth_mm,
            regions=regions_of(z.zone for z in s.zones) or plan_regions,
            batches=tuple(BatchFacts(b.lot_number, b.expiry_date, b.item_name, correction=b.correction)
                          for b in s.batches),
        )
        for s in draft.sessions
    )
    consent = ConsentFacts(draft.consent_signed_on, forms=context.consent_forms,
                           plan_zones=plan_zone_codes(draft), plan_practitioner_id=draft.practitioner_id)
    return PlanFacts(
        items=_item_facts(draft, context.items), component_count=len(draft.components),
        technique=draft.technique, depth_mm=draft.depth_mm, regions=plan_regions,
        sessions=sessions, anaesthetic=_anaesthetic_facts(cocktail, context.limits), consent=consent,
        jurisdiction=context.jurisdiction, today=context.today,
    )


def plan_consent_status(draft: PlanDraft, context: PlanContext) -> ConsentStatus:
    """Where the plan's consent stands (the same reading as the rules R33, R70 and R71)."""
    consent = ConsentFacts(draft.consent_signed_on, forms=context.consent_forms,
                           plan_zones=plan_zone_codes(draft), plan_practitioner_id=draft.practitioner_id)
    return consent_status(consent, _item_facts(draft, context.items), context.today)


def evaluate(draft: PlanDraft, context: PlanContext) -> PlanEvaluation:
    """Cocktail totals, safety findings and whether the plan may be marked ready."""
    cocktail, problems = None, ()
    if draft.components:
        try:
            cocktail = compute_plan_cocktail(draft, context)
        except ValidationError as exc:
            problems = tuple(exc.problems)
    findings = evaluate_rules(context.rules, context.patient, plan_facts(draft, context, cocktail))
    verdict = ready_check(findings, draft.acknowledgements)
    if problems:
        verdict = ReadyVerdict(False, [*verdict.reasons,
                                       *(f"Cocktail: {p}" for p in problems)])
    return PlanEvaluation(cocktail, problems, findings, verdict)
