"""Tests for mesoplan.services.templates: saving a plan as a template, listing, retiring, drafting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mesoplan.db.models import AuditEntry
from mesoplan.errors import NotFound, PermissionDenied, ValidationError
from mesoplan.plan import Acknowledgement, ComponentDraft, PlanDraft, SessionDraft
from mesoplan.services import plans, templates
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.services.uow import read, work


@pytest.fixture
def patients(db, actor):
    with work(db, actor) as uow:
        first = create_patient(uow, PatientInput("Łukasz", "Anna", dt.date(1980, 5, 1), "female"))
        second = create_patient(uow, PatientInput("O'Brien <b>", "Sam & Co", dt.date(1975, 1, 2),
                                                  "male"))
    return first.id, second.id


def scalp_draft(patient_id: int) -> PlanDraft:
    return PlanDraft(
        patient_id=patient_id, indication="androgenetic_alopecia", areas=("scalp_vertex", "scalp_frontal"),
        goals="Less shedding at the crown", protocol_code="scalp_vitamin_cocktail", technique="nappage",
        depth_mm=2.0, needle="30G × 4 mm", notes="private note", consent_signed_on=dt.date.today(),
        components=(
            ComponentDraft("ingredient", "dexpanthenol", "Dexpanthenol", 2.0, 250.0, "mg/mL"),
            ComponentDraft("ingredient", "biotin", "Biotin", 1.0),
            ComponentDraft("ingredient", "lidocaine_1pct", "Lidocaine 1 %", 0.5, 1.0, "%"),
        ),
        sessions=(SessionDraft(1, dt.date(2030, 1, 6)),),
        acknowledgements=(Acknowledgement("R15", "plan", "discussed"),),
    )


def test_saved_template_round_trips_and_starts_another_patients_plan(db, actor, patients):
    first, second = patients
    with work(db, actor) as uow:
        saved = templates.save_template(uow, "  Scalp <basic> & more  ", scalp_draft(first))
    assert saved.name == "Scalp <basic> & more"
    with read(db, actor) as uow:
        listed = templates.list_templates(uow)
        again = templates.get_template(uow, saved.id)
    assert [t.id for t in listed] == [saved.id]
    assert again == saved
    assert again.protocol_code == "scalp_vitamin_cocktail"
    assert [(c.code, c.volume_ml, c.strength_value, c.strength_unit) for c in again.components] == [
        ("dexpanthenol", 2.0, 250.0, "mg/mL"), ("biotin", 1.0, None, None),
        ("lidocaine_1pct", 0.5, 1.0, "%")]

    with work(db, actor) as uow:
        draft = templates.draft_from_template(uow, saved.id, second)
    assert draft.patient_id == second and draft.id is None
    assert draft.template_name == "Scalp <basic> & more"
    assert draft.indication == "androgenetic_alopecia"
    assert draft.areas == ("scalp_vertex", "scalp_frontal")
    assert (draft.technique, draft.depth_mm, draft.needle) == ("nappage", 2.0, "30G × 4 mm")
    assert [(c.code, c.name, c.volume_ml) for c in draft.components] == [
        ("dexpanthenol", "Dexpanthenol", 2.0), ("biotin", "Biotin", 1.0),
        ("lidocaine_1pct", "Lidocaine 1 %", 0.5)]
    # Nothing of the first patient's plan comes along.
    assert draft.sessions == () and draft.acknowledgements == ()
    assert draft.notes == "" and draft.consent_signed_on is None
    with work(db, actor) as uow:
        stored = plans.save_plan(uow, draft)
    assert stored.template_name == "Scalp <basic> & more"

    with read(db, actor) as uow:
        entries = uow.session.execute(select(AuditEntry.action, AuditEntry.entity_id)
                                      .where(AuditEntry.entity_type == "plan_template")).all()
    assert entries == [("template.create", str(saved.id))]


def test_names_must_be_present_and_unique_ignoring_case_and_accents(db, actor, patients):
    first, _ = patients
    with work(db, actor) as uow:
        templates.save_template(uow, "Crâne", scalp_draft(first))
    for name, expected in (("", "is required"), ("   ", "is required"),
                           ("crane", "already exists"), ("x" * 201, "at most 200")):
        with pytest.raises(ValidationError) as caught, work(db, actor) as uow:
            templates.save_template(uow, name, scalp_draft(first))
        assert expected in str(caught.value)
    with read(db, actor) as uow:
        assert len(templates.list_templates(uow)) == 1


def test_content_problems_are_all_named_and_nothing_is_saved(db, actor, patients):
    first, _ = patients
    bad = scalp_draft(first).with_changes(
        indication="baldness", protocol_code="no_such_protocol",
        components=(ComponentDraft("ingredient", "unicorn_dust", "Unicorn dust", 1.0),
                    ComponentDraft("ingredient", "biotin", "Biotin", 0.0)))
    with pytest.raises(ValidationError) as caught, work(db, actor) as uow:
        templates.save_template(uow, "Broken", bad)
    text = str(caught.value)
    assert "'baldness' is not a known indication" in text
    assert "component 1 (Unicorn dust): 'unicorn_dust' is not in the catalog" in text
    assert "component 2 (Biotin), volume" in text
    assert "no_such_protocol" in text
    with read(db, actor) as uow:
        assert templates.list_templates(uow, include_retired=True) == []


def test_retired_templates_are_hidden_and_cannot_start_plans_until_restored(db, actor, patients):
    first, second = patients
    with work(db, actor) as uow:
        saved = templates.save_template(uow, "Scalp", scalp_draft(first))
        other = templates.save_template(uow, "Face", scalp_draft(first).with_changes(
            indication="wrinkles", areas=("cheeks",), protocol_code="face_biorevitalisation"))
    with work(db, actor) as uow:
        retired = templates.retire_template(uow, saved.id)
    assert retired.retired
    with read(db, actor) as uow:
        assert [t.name for t in templates.list_templates(uow)] == ["Face"]
        assert [t.name for t in templates.list_templates(uow, include_retired=True)] == ["Face", "Scalp"]
        assert [t.name for t in templates.list_templates(uow, indication="wrinkles")] == ["Face"]
        assert templates.get_template(uow, saved.id).retired
    with pytest.raises(ValidationError, match="retired"), work(db, actor) as uow:
        templates.draft_from_template(uow, saved.id, second)
    with work(db, actor) as uow:
        templates.restore_template(uow, saved.id)
        assert templates.draft_from_template(uow, saved.id, second).template_name == "Scalp"
    with read(db, actor) as uow:
        actions = [a for (a,) in uow.session.execute(
            select(AuditEntry.action).where(AuditEntry.entity_id == str(saved.id),
                                            AuditEntry.entity_type == "plan_template")
            .order_by(AuditEntry.id))]
    assert actions == ["template.create", "template.retire", "template.restore"]
    assert other.id != saved.id


def test_unknown_ids_and_permissions(db, actor, front_desk_actor, practitioner_actor, patients):
    first, _ = patients
    with pytest.raises(NotFound), read(db, actor) as uow:
        templates.get_template(uow, 999)
    with pytest.raises(NotFound), work(db, actor) as uow:
        templates.retire_template(uow, 999)
    with work(db, practitioner_actor) as uow:
        saved = templates.save_template(uow, "Scalp", scalp_draft(first))
    assert saved.created_by == "Dr Practitioner"
    with pytest.raises(NotFound), work(db, actor) as uow:
        templates.draft_from_template(uow, saved.id, 999)
    with pytest.raises(PermissionDenied), read(db, front_desk_actor) as uow:
        templates.list_templates(uow)
    with pytest.raises(PermissionDenied), work(db, front_desk_actor) as uow:
        templates.save_template(uow, "Other", scalp_draft(first))
    with pytest.raises(PermissionDenied), work(db, front_desk_actor) as uow:
        templates.draft_from_template(uow, saved.id, first)
