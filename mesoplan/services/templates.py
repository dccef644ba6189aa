"""Plan templates: a plan's reusable part (indication, areas, goals, protocol, technique, cocktail)
saved under a name, listed, retired, and turned into a new patient's draft (service layer).

A template never holds patient data: no sessions, dates, consent, acknowledgements or notes. The
cocktail is stored as catalog codes with strength and volume; names come from the catalog when a
draft is made, so a renamed catalog entry shows its current name. Nothing is deleted: a retired
template is no longer offered but keeps its name (names are unique).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from mesoplan.access import Permission
from mesoplan.db.models import Patient, PlanTemplate, utcnow
from mesoplan.errors import NotFound, Problem, ValidationError
from mesoplan.plan import ComponentDraft, PlanDraft, validate_draft
from mesoplan.services.evaluation import item_infos
from mesoplan.services.protocols import get_protocol
from mesoplan.services.uow import UnitOfWork
from mesoplan.text import search_key
from mesoplan.vocabulary import indication_label

NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class TemplateComponent:
    """One cocktail line of a template: a catalog code at a strength and volume."""

    kind: str  # ingredient | product
    code: str
    volume_ml: float
    strength_value: float | None = None
    strength_unit: str | None = None


@dataclass(frozen=True)
class PlanTemplateRecord:
    id: int
    name: str
    indication: str
    indication_other: str
    areas: tuple[str, ...]
    goals: str
    protocol_code: str
    technique: str
    depth_mm: float | None
    needle: str
    components: tuple[TemplateComponent, ...]
    created_by: str
    created_at: dt.datetime
    retired_at: dt.datetime | None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    @property
    def indication_label(self) -> str:
        return indication_label(self.indication, self.indication_other)


def _record(row: PlanTemplate) -> PlanTemplateRecord:
    components = tuple(
        TemplateComponent(c["kind"], c["code"], float(c["volume_ml"]), c.get("strength_value"),
                          c.get("strength_unit"))
        for c in row.components or ()
    )
    return PlanTemplateRecord(
        id=row.id, name=row.name, indication=row.indication, indication_other=row.indication_other,
        areas=tuple(row.areas or ()), goals=row.goals, protocol_code=row.protocol_code,
        technique=row.technique, depth_mm=row.depth_mm, needle=row.needle, components=components,
        created_by=row.created_by, created_at=row.created_at, retired_at=row.retired_at,
    )


def _audit_view(record: PlanTemplateRecord) -> dict[str, Any]:
    return {
        "name": record.name, "indication": record.indication,
        "indication_other": record.indication_other, "areas": list(record.areas),
        "goals": record.goals, "protocol_code": record.protocol_code,
        "technique": record.technique, "depth_mm": record.depth_mm, "needle": record.needle,
        "components": [_component_data(c) for c in record.components],
        "retired": record.retired,
    }


def _component_data(component: TemplateComponent | ComponentDraft) -> dict[str, Any]:
    return {"kind": component.kind, "code": component.code, "volume_ml": component.volume_ml,
            "strength_value": component.strength_value, "strength_unit": component.strength_unit}


def _row(uow: UnitOfWork, template_id: int) -> PlanTemplate:
    row = uow.session.get(PlanTemplate, template_id)
    if row is None:
        raise NotFound(f"There is no plan template number {template_id}.")
    return row


# --- reading ------------------------------------------------------------------------------------


def list_templates(uow: UnitOfWork, *, include_retired: bool = False,
                   indication: str | None = None) -> list[PlanTemplateRecord]:
    """Templates sorted by name (accent- and case-insensitive); retired ones only on request."""
    uow.require(Permission.VIEW_CLINICAL)
    query = select(PlanTemplate)
    if not include_retired:
        query = query.where(PlanTemplate.retired_at.is_(None))
    if indication is not None:
        query = query.where(PlanTemplate.indication == indication)
    records = [_record(row) for row in uow.session.scalars(query)]
    return sorted(records, key=lambda r: (search_key(r.name), r.id))


def get_template(uow: UnitOfWork, template_id: int) -> PlanTemplateRecord:
    uow.require(Permission.VIEW_CLINICAL)
    return _record(_row(uow, template_id))


# --- writing ------------------------------------------------------------------------------------


def _name_problems(uow: UnitOfWork, name: str) -> list[Problem]:
    if not name:
        return [Problem("template name", "is required")]
    if len(name) > NAME_MAX_LENGTH:
        return [Problem("template name", f"is {len(name)} characters long; at most "
                                         f"{NAME_MAX_LENGTH} fit")]
    wanted = search_key(name)
    for other_name, retired_at in uow.session.execute(
            select(PlanTemplate.name, PlanTemplate.retired_at)):
        if search_key(other_name) == wanted:
            state = " (retired)" if retired_at is not None else ""
            return [Problem("template name", f"a template called '{other_name}'{state} already "
                                             "exists; choose another name")]
    return []


def _content_problems(uow: UnitOfWork, draft: PlanDraft) -> list[Problem]:
    problems: list[Problem] = []
    try:
        # The header and cocktail checks of a plan apply to a template as well.
        validate_draft(draft.with_changes(sessions=(), acknowledgements=(), status="draft"))
    except ValidationError as exc:
        problems += exc.problems
    known = item_infos(uow, ((c.kind, c.code) for c in draft.components))
    problems += [
        Problem(f"component {i} ({c.name or c.code})", f"'{c.code}' is not in the catalog")
        for i, c in enumerate(draft.components, start=1) if (c.kind, c.code) not in known
    ]
    if draft.protocol_code:
        try:
            get_protocol(uow, draft.protocol_code)
        except NotFound as exc:
            problems.append(Problem("protocol", str(exc)))
    return problems


def save_template(uow: UnitOfWork, name: str, draft: PlanDraft) -> PlanTemplateRecord:
    """Save the reusable part of ``draft`` as a new template called ``name``."""
    uow.require(Permission.EDIT_CLINICAL)
    name = (name or "").strip()
    problems = _name_problems(uow, name) + _content_problems(uow, draft)
    if problems:
        raise ValidationError(problems)
    row = PlanTemplate(
        name=name, indication=draft.indication, indication_other=draft.indication_other.strip(),
        areas=list(draft.areas), goals=draft.goals, protocol_code=draft.protocol_code,
        technique=draft.technique, depth_mm=draft.depth_mm, needle=draft.needle,
        components=[_component_data(c) for c in draft.components], created_by=uow.actor.name,
        created_at=utcnow(),
    )
    uow.session.add(row)
    uow.session.flush()
    record = _record(row)
    uow.audit("template.create", "plan_template", row.id, f"Saved plan template '{name}'",
              after=_audit_view(record))
    return record


def retire_template(uow: UnitOfWork, template_id: int) -> PlanTemplateRecord:
    """Stop offering a template for new plans (plans made from it are not affected)."""
    return _set_retired(uow, template_id, retire=True)


def restore_template(uow: UnitOfWork, template_id: int) -> PlanTemplateRecord:
    """Offer a retired template again (the undo of ``retire_template``)."""
    return _set_retired(uow, template_id, retire=False)


def _set_retired(uow: UnitOfWork, template_id: int, *, retire: bool) -> PlanTemplateRecord:
    uow.require(Permission.EDIT_CLINICAL)
    row = _row(uow, template_id)
    if (row.retired_at is not None) == retire:
        return _record(row)
    before = _audit_view(_record(row))
    row.retired_at = utcnow() if retire else None
    uow.session.flush()
    record = _record(row)
    verb = "Retired" if retire else "Restored"
    uow.audit("template.retire" if retire else "template.restore", "plan_template", row.id,
              f"{verb} plan template '{row.name}'", before=before, after=_audit_view(record))
    return record


# --- starting a plan ----------------------------------------------------------------------------


def draft_from_template(uow: UnitOfWork, template_id: int, patient_id: int) -> PlanDraft:
    """A new, unsaved plan for ``patient_id`` filled from the template (no sessions or dates)."""
    uow.require(Permission.EDIT_CLINICAL)
    template = _record(_row(uow, template_id))
    if template.retired:
        raise ValidationError(f"The template '{template.name}' is retired; restore it before "
                              "starting a plan from it.", where="template")
    if uow.session.get(Patient, patient_id) is None:
        raise NotFound(f"There is no patient number {patient_id}.")
    infos = item_infos(uow, ((c.kind, c.code) for c in template.components))
    missing = [
        Problem(f"template '{template.name}', component {i}", f"'{c.code}' is not in the catalog")
        for i, c in enumerate(template.components, start=1) if (c.kind, c.code) not in infos
    ]
    if missing:
        raise ValidationError(missing)
    components = tuple(
        ComponentDraft(kind=c.kind, code=c.code, name=infos[(c.kind, c.code)].name,
                       volume_ml=c.volume_ml, strength_value=c.strength_value,
                       strength_unit=c.strength_unit)
        for c in template.components
    )
    return PlanDraft(
        patient_id=patient_id, indication=template.indication,
        indication_other=template.indication_other, areas=template.areas, goals=template.goals,
        protocol_code=template.protocol_code, technique=template.technique,
        depth_mm=template.depth_mm, needle=template.needle, template_name=template.name,
        components=components,
    )
