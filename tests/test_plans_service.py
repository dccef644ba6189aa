"""Plans: save and reload a whole draft, optimistic locking, the ready check, screenings history."""

from __future__ import annotations

import datetime as dt

import pytest

from mesoplan.errors import ConflictError, PlanNotReady, ValidationError
from mesoplan.evaluation import evaluate
from mesoplan.plan import Acknowledgement, BatchUse, ComponentDraft, PlanDraft, SessionDraft, ZoneVolume
from mesoplan.services import catalog, plans
from mesoplan.services.evaluation import load_plan_context
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.services.screenings import add_screening, draft_answers_for_new_screening, list_screenings
from mesoplan.services.uow import read, work

TODAY = dt.date.today()


def new_patient(db, actor, sex="female", answers=None, born=dt.date(1985, 5, 5)):
    with work(db, actor) as uow:
        patient = create_patient(uow, PatientInput("Tester", "Pat", born, sex))
        add_screening(uow, patient.id, TODAY, {"weight_kg": 60, **(answers or {})})
    return patient.id


def draft_for(patient_id, *components, status="draft", **changes):
    return PlanDraft(
        patient_id=patient_id, indication="androgenetic_alopecia", areas=("scalp_vertex",),
        technique="nappage", depth_mm=1.5, components=components, status=status,
        sessions=(SessionDraft(1, TODAY + dt.timedelta(days=7), zones=(ZoneVolume("scalp_vertex", 2.0),)),
                  SessionDraft(2, TODAY + dt.timedelta(days=21))),
        **changes)


DEXPANTHENOL = ComponentDraft("ingredient", "dexpanthenol", "Dexpanthenol", 1.0, 250, "mg/mL")
PROGESTERONE = ComponentDraft("ingredient", "progesterone", "Progesterone", 0.5)
HAIRCARE = ComponentDraft("product", "revitacare_haircare", "Revitacare HairCare", 2.0)


def test_a_saved_plan_reloads_identically(db, actor):
    patient = new_patient(db, actor)
    draft = draft_for(patient, DEXPANTHENOL, HAIRCARE, goals="Less shedding; <b>no</b> & \"quotes\"",
                      acknowledgements=(Acknowledgement("R34", "plan", "Checked the totals"),))
    with work(db, actor) as uow:
        saved = plans.save_plan(uow, draft)
    with read(db, actor) as uow:
        again = plans.load_plan(uow, saved.id)
    assert again == saved
    assert again.components == (DEXPANTHENOL, HAIRCARE)
    assert again.goals == draft.goals
    assert [s.planned_date for s in again.sessions] == [s.planned_date for s in draft.sessions]
    assert again.acknowledgements[0].by == actor.name and again.acknowledgements[0].at is not None
    assert again.version == 1


def test_an_edit_from_an_old_version_is_refused_and_the_newer_plan_kept(db, actor):
    from mesoplan.access import Actor, Role

    patient = new_patient(db, actor)
    with work(db, actor) as uow:
        saved = plans.save_plan(uow, draft_for(patient, DEXPANTHENOL))
    colleague = Actor("Dr Colleague", frozenset({Role.PRACTITIONER}))
    with work(db, colleague) as uow:
        plans.save_plan(uow, saved.with_changes(goals="Changed by the colleague"))
    with pytest.raises(ConflictError, match="Dr Colleague"):
        with work(db, actor) as uow:
            plans.save_plan(uow, saved.with_changes(goals="My change"))
    with read(db, actor) as uow:
        assert plans.load_plan(uow, saved.id).goals == "Changed by the colleague"


def test_impossible_values_are_refused_naming_the_component(db, actor):
    patient = new_patient(db, actor)
    bad = draft_for(patient, ComponentDraft("ingredient", "dexpanthenol", "Dexpanthenol", 0.0),
                    ComponentDraft("ingredient", "no_such_thing", "Mystery", 1.0))
    with pytest.raises(ValidationError) as caught:
        with work(db, actor) as uow:
            plans.save_plan(uow, bad)
    assert "component 1 (Dexpanthenol), volume" in str(caught.value)
    with pytest.raises(ValidationError, match="'no_such_thing' is not in the catalog"):
        with work(db, actor) as uow:
            plans.save_plan(uow, draft_for(patient, ComponentDraft("ingredient", "no_such_thing", "X", 1.0)))
    with read(db, actor) as uow:
        assert plans.list_plans(uow, patient) == []


def test_pregnant_patient_with_a_hormone_cannot_be_marked_ready(db, actor):
    patient = new_patient(db, actor, answers={"pregnant": True})
    with work(db, actor) as uow:
        saved = plans.save_plan(uow, draft_for(patient, PROGESTERONE))
    with read(db, actor) as uow:
        evaluation = evaluate(saved, load_plan_context(uow, saved))
    blocking = [f for f in evaluation.findings if f.severity == "block"]
    assert "R01" in {f.rule_id for f in blocking}
    assert not evaluation.verdict.can_be_ready
    with pytest.raises(PlanNotReady) as caught:
        with work(db, actor) as uow:
            plans.set_status(uow, saved.id, "ready", saved.version)
    assert any("R01" in reason for reason in caught.value.reasons)
    with read(db, actor) as uow:
        assert plans.load_plan(uow, saved.id).status == "draft"


def test_recording_a_done_session_with_an_expired_batch_is_refused(db, actor):
    patient = new_patient(db, actor)
    with work(db, actor) as uow:
        old = catalog.add_batch(uow, "ingredient", "dexpanthenol", "OLD-1", TODAY - dt.timedelta(days=30))
    past = TODAY - dt.timedelta(days=2)
    session = SessionDraft(1, past, status="done",
                           batches=(BatchUse(old.id, old.lot_number, old.expiry_date, old.item_name),))
    with pytest.raises(ValidationError, match="OLD-1.*expired"):
        with work(db, actor) as uow:
            plans.save_plan(uow, draft_for(patient, DEXPANTHENOL).with_changes(sessions=(session,)))


def test_a_new_screening_is_added_beside_the_old_one_and_starts_from_it(db, actor):
    patient = new_patient(db, actor, answers={"anticoagulant": True, "infection_at_site": True})
    with work(db, actor) as uow:
        start = draft_answers_for_new_screening(uow, patient)
        assert start["anticoagulant"] is True
        assert "infection_at_site" not in start  # asked afresh every time
        add_screening(uow, patient, TODAY, {**start, "anticoagulant": False})
    with read(db, actor) as uow:
        history = list_screenings(uow, patient)
    assert len(history) == 2
    assert [s.answers["anticoagulant"] for s in history] == [False, True]


def test_plan_list_shows_next_planned_session(db, actor):
    patient = new_patient(db, actor)
    with work(db, actor) as uow:
        plans.save_plan(uow, draft_for(patient, DEXPANTHENOL))
    with read(db, actor) as uow:
        [summary] = plans.list_plans(uow, patient)
    assert summary.next_session == TODAY + dt.timedelta(days=7)
    assert summary.session_count == 2
    assert summary.indication_label.startswith("Androgenetic alopecia")
