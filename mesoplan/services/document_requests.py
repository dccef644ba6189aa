"""Filling a consent form's or aftercare sheet's ``DocumentRequest`` from the database (service layer).

Used only by ``mesoplan.services.documents``. Reading the plan, screening and findings goes through
an *internal clinical read* (``_document_reader``): whoever may issue documents (front desk
included) gets the printed form, which by its nature names the cocktail and the patient's warnings,
but no service hands them the clinical records themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from mesoplan.access import Actor, Role
from mesoplan.db.models import ClinicSettings, Patient, Practitioner
from mesoplan.documents import (
    ClinicInfo,
    CocktailLine,
    DocumentRequest,
    FindingInfo,
    PatientInfo,
    PlanInfo,
    PlannedSession,
    PractitionerInfo,
    load_texts,
)
from mesoplan.documents.texts import fill
from mesoplan.errors import NotFound, ValidationError
from mesoplan.evaluation import CatalogItemInfo, PlanEvaluation, evaluate
from mesoplan.plan import PlanDraft, SessionDraft
from mesoplan.services import plans as plan_service
from mesoplan.services.evaluation import load_plan_context
from mesoplan.services.protocols import get_protocol
from mesoplan.services.uow import UnitOfWork
from mesoplan.units import format_number
from mesoplan.vocabulary import indication_label, regions_of, technique_label, zone_label

SHOWN_SESSION_STATUSES = ("planned", "done")
"""Sessions printed in the course table (cancelled and missed ones are not part of the course)."""

CLINIC_TASK_CONDITIONS = frozenset({
    "consent", "consent_older_than_months", "batch_expired", "batch_missing", "screening_missing",
    "screening_older_than_months", "weight_missing", "component_count_at_least",
    "batch_expired_corrected",
})
"""Rule condition kinds about the clinic's own records and preparation rather than the patient (a
missing consent, an unrecorded batch or weight, how many components are mixed). A finding whose rule
tests only these (plus plain cocktail facts) is a task for the clinic and is not printed on the
patient's form; every other finding is."""
_NEUTRAL_CONDITIONS = frozenset({"cocktail_not_empty", "cocktail_has_tags", "jurisdiction"})
_LOGICAL = frozenset({"all", "any", "not"})
_SEX_WORDS = {"female": "Female", "male": "Male", "intersex": "Intersex"}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def document_reader(uow: UnitOfWork) -> UnitOfWork:
    """The internal clinical read used to fill a document, sharing ``uow``'s transaction.

    The caller has already required ``ISSUE_DOCUMENTS``. The reader may read clinical records
    but never write or audit (``writable=False``); what it reads goes into the printed document only.
    """
    actor = Actor(name=uow.actor.name, roles=frozenset({Role.PRACTITIONER}), user_id=uow.actor.user_id,
                  practitioner_id=uow.actor.practitioner_id)
    return UnitOfWork(session=uow.session, actor=actor, database=uow.database, writable=False)


def _condition_kinds(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_condition_kinds(item) for item in node)) if node else set()
    if not isinstance(node, Mapping):
        return set()
    kinds: set[str] = set()
    for key, value in node.items():
        kinds |= _condition_kinds(value) if key in _LOGICAL else {key}
    return kinds


def is_clinic_task(when: Mapping[str, Any]) -> bool:
    """True when a rule only checks the clinic's records or preparation (``CLINIC_TASK_CONDITIONS``)."""
    kinds = _condition_kinds(when)
    return bool(kinds & CLINIC_TASK_CONDITIONS) and kinds <= CLINIC_TASK_CONDITIONS | _NEUTRAL_CONDITIONS


def patient_findings(evaluation: PlanEvaluation, rules) -> tuple[FindingInfo, ...]:
    """The plan's findings that concern the patient, in the engine's order, in the rules' patient wording.

    A rule without a ``patient_text`` (or a finding whose rule is unknown) prints its title only, and
    the form says the practitioner will explain it: the clinician's explanation is never printed.
    """
    shown = []
    for finding in evaluation.findings:
        rule = rules.get(finding.rule_id)
        if rule is not None and is_clinic_task(rule.when):
            continue
        text = patient_wording(rule.patient_text, rule.explanation, finding.explanation) if rule else ""
        shown.append(FindingInfo(finding.severity, finding.title, text))
    return tuple(shown)


@lru_cache(maxsize=256)
def _template_pattern(template: str) -> re.Pattern[str]:
    """A pattern matching ``template`` with each {placeholder} captured (a repeated one must repeat)."""
    parts, seen, at = [], set(), 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[at:match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
        at = match.end()
    parts.append(re.escape(template[at:]))
    return re.compile("".join(parts), re.DOTALL)


def placeholder_values(template: str, filled: str) -> dict[str, str]:
    """The values the safety engine put into ``template``'s placeholders to write ``filled``.

    The engine capitalises the first letter of what it wrote, so the template is compared the same way.
    Empty when ``filled`` was not written from ``template`` (nothing can be recovered then).
    """
    match = _template_pattern(template[:1].upper() + template[1:]).fullmatch(filled)
    return match.groupdict() if match else {}


def patient_wording(patient_text: str, explanation: str, filled_explanation: str) -> str:
    """The rule's patient text with the finding's own values (ingredient, answer, detail) put in.

    Empty when the rule has no patient text, or when a placeholder's value cannot be recovered from
    the finding (so the form never prints a half-filled sentence).
    """
    if not patient_text.strip():
        return ""
    values = placeholder_values(explanation, filled_explanation)
    names = _PLACEHOLDER.findall(patient_text)
    if any(name not in values for name in names):
        return ""
    text = _PLACEHOLDER.sub(lambda m: values[m.group(1)], patient_text).strip()
    return text[:1].upper() + text[1:]


def strength_text(value: float | None, unit: str | None) -> str:
    """'250 mg/mL', '0.5 %'; empty when no strength is recorded (never invented)."""
    if value is None:
        return ""
    return f"{format_number(value, 4)} {unit or ''}".strip()


def _tag_order(tags: Iterable[str], language: str) -> tuple[str, ...]:
    """Caution tags in the order the language file lists them (most serious first), unknown ones last."""
    known = list(load_texts(language).consent["caution_tags"])
    rank = {tag: index for index, tag in enumerate(known)}
    return tuple(sorted(set(tags), key=lambda tag: (rank.get(tag, len(rank)), tag)))


def cocktail_lines(draft: PlanDraft, items: Mapping[tuple[str, str], CatalogItemInfo],
                   language: str) -> tuple[CocktailLine, ...]:
    lines = []
    for component in draft.components:
        info = items.get((component.kind, component.code))
        if info is None:  # deleted from the catalog: print what the plan itself knows
            lines.append(CocktailLine(name=component.name or component.code, kind=component.kind,
                                      strength=strength_text(component.strength_value, component.strength_unit),
                                      volume_ml=component.volume_ml))
            continue
        value, unit = component.strength_value, component.strength_unit
        if value is None and info.kind == "ingredient":
            value, unit = info.strength_value, info.strength_unit
        tags = set(info.caution_tags)
        actives = ""
        if info.kind == "product":
            for part in info.parts:
                tags |= part.ingredient.caution_tags
            actives = ", ".join(
                " ".join(p for p in (part.ingredient.name, strength_text(part.strength_value, part.strength_unit)) if p)
                for part in info.parts)
        lines.append(CocktailLine(
            name=info.name, kind=info.kind, strength=strength_text(value, unit), volume_ml=component.volume_ml,
            legal_status=info.legal_status, off_label=info.off_label,
            caution_tags=_tag_order(tags, language), actives=actives,
        ))
    return tuple(lines)


def covered_codes(draft: PlanDraft, items: Mapping[tuple[str, str], CatalogItemInfo]) -> list[str]:
    """Every ingredient and product code the consent names, the ingredients of products included."""
    codes = {component.code for component in draft.components}
    for component in draft.components:
        info = items.get((component.kind, component.code))
        if info is not None:
            codes |= {part.ingredient.code for part in info.parts}
    return sorted(codes)


def _course(draft: PlanDraft) -> list[SessionDraft]:
    shown = [s for s in draft.sessions if s.status in SHOWN_SESSION_STATUSES]
    return sorted(shown, key=lambda s: (s.planned_date, s.planned_time or dt.time.min, s.sequence))


def next_session_date(draft: PlanDraft, kind: str, session_id: int | None, today: dt.date) -> dt.date | None:
    """The next planned session: after the treated session (aftercare), else from today on."""
    planned = [s for s in _course(draft) if s.status == "planned"]
    treated = next((s for s in draft.sessions if s.id == session_id), None)
    if treated is not None:
        later = [s for s in planned if (s.planned_date, s.sequence) > (treated.planned_date, treated.sequence)]
    elif kind == "aftercare":
        later = [s for s in planned if s.planned_date > today]
    else:
        later = [s for s in planned if s.planned_date >= today]
    return later[0].planned_date if later else None


def _depths(draft: PlanDraft) -> tuple[float | None, float | None]:
    depths = [d for d in (draft.depth_mm, *(s.depth_mm for s in _course(draft))) if d is not None]
    if not depths:
        return None, None
    low, high = min(depths), max(depths)
    return low, (high if high != low else None)


def plan_info(uow: UnitOfWork, draft: PlanDraft) -> PlanInfo:
    course = _course(draft)
    regions = regions_of(draft.areas) | regions_of(z.zone for s in course for z in s.zones)
    protocol = ""
    if draft.protocol_code:
        try:
            protocol = get_protocol(uow, draft.protocol_code).name
        except NotFound:
            protocol = draft.protocol_code
    depth, depth_max = _depths(draft)
    return PlanInfo(
        plan_id=str(draft.id), indication=indication_label(draft.indication, draft.indication_other),
        areas=tuple(zone_label(code) for code in draft.areas), regions=frozenset(regions),
        technique=technique_label(draft.technique) if draft.technique else "",
        depth_mm=depth, depth_max_mm=depth_max, needle=draft.needle, goals=draft.goals,
        sessions=tuple(PlannedSession(s.planned_date, s.planned_time) for s in course), protocol=protocol,
        # The plan's notes are the practitioner's working notes, not text written for the patient.
        notes="",
    )


def clinic_info(settings: ClinicSettings | None) -> ClinicInfo:
    if settings is None:
        return ClinicInfo(name="")
    return ClinicInfo(name=settings.name or "", address=settings.address or "", phone=settings.phone or "",
                      emergency_phone=settings.emergency_phone or "", email=settings.email or "",
                      logo_png=settings.logo_png or None, retention_years=settings.retention_years)


def practitioner_info(uow: UnitOfWork, practitioner_id: int | None) -> PractitionerInfo:
    person = uow.session.get(Practitioner, practitioner_id) if practitioner_id else None
    if person is None:
        return PractitionerInfo(name="")
    return PractitionerInfo(person.name, person.profession or "", person.registration_number or "")


def patient_info(patient: Patient) -> PatientInfo:
    from mesoplan.text import full_name

    return PatientInfo(id=str(patient.id), full_name=full_name(patient.family_name, patient.given_names),
                       date_of_birth=patient.date_of_birth, sex=_SEX_WORDS.get(patient.sex, ""))


def build_request(uow: UnitOfWork, plan_id: int, kind: str, session_id: int | None,
                  today: dt.date) -> tuple[DocumentRequest, list[str]]:
    """The request for one document and the catalog codes it names (for ``covered_codes``)."""
    if kind not in ("consent", "aftercare"):
        raise ValidationError(f"{kind!r} is not a document; use 'consent' or 'aftercare'", where="document kind")
    reader = document_reader(uow)
    draft = plan_service.load_plan(reader, plan_id)
    if session_id is not None and all(s.id != session_id for s in draft.sessions):
        raise NotFound(f"Plan {plan_id} has no session number {session_id}.")
    patient = uow.session.get(Patient, draft.patient_id)
    if patient.anonymised_at is not None:
        raise ValidationError(f"patient {patient.id} was anonymised; no documents can be issued for them",
                              where=f"plan {plan_id}")
    context = load_plan_context(reader, draft, today)
    evaluation = evaluate(draft, context)
    settings = uow.session.get(ClinicSettings, 1)
    language = (settings.document_language if settings else "") or "en"
    texts = load_texts(language)
    total = evaluation.cocktail.total_volume_ml if evaluation.cocktail else sum(
        c.volume_ml for c in draft.components)
    request = DocumentRequest(
        kind=kind, clinic=clinic_info(settings), patient=patient_info(patient),
        practitioner=practitioner_info(uow, draft.practitioner_id or uow.actor.practitioner_id),
        plan=plan_info(uow, draft), issued_on=today,
        lines=cocktail_lines(draft, context.items, texts.language),
        findings=patient_findings(evaluation, context.rules),
        total_volume=fill(texts.common["millilitre"], value=format_number(total, 4)) if draft.components else "",
        next_session=next_session_date(draft, kind, session_id, today),
        page_size=(settings.page_size if settings else "") or "A4", language=language,
    )
    return request, covered_codes(draft, context.items)
