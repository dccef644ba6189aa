"""Complete enough to plan: a plan cannot be marked ready while a safety question that applies to the
patient is unanswered in the latest screening (the service refuses it, whatever the screen shows),
and `plan show --json` carries the findings about unknown answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from mesoplan.cli import main
from mesoplan.errors import PlanNotReady
from mesoplan.evaluation import evaluate
from mesoplan.plan import ComponentDraft, PlanDraft, SessionDraft, ZoneVolume
from mesoplan.safety import apply_overrides
from mesoplan.services import plans
from mesoplan.services.documents import issue_document
from mesoplan.services.evaluation import load_plan_context
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.services.screenings import add_screening
from mesoplan.services.uow import read, work
from screening_answers import complete

TODAY = dt.date.today()
DEXPANTHENOL = ComponentDraft("ingredient", "dexpanthenol", "Dexpanthenol", 1.0, 250, "mg/mL")


def patient_with(db, actor, answers):
    with work(db, actor) as uow:
        patient = create_patient(uow, PatientInput("Tester", "Pat", dt.date(1985, 5, 5), "female"))
        add_screening(uow, patient.id, TODAY - dt.timedelta(days=1), answers)
    return patient.id


def consented_draft(db, actor, patient_id):
    draft = PlanDraft(
        patient_id=patient_id, indication="androgenetic_alopecia", areas=("scalp_vertex",),
        technique="nappage", depth_mm=1.5, components=(DEXPANTHENOL,),
        sessions=(SessionDraft(1, TODAY + dt.timedelta(days=7), zones=(ZoneVolume("scalp_vertex", 1.0),)),),
        consent_signed_on=TODAY)
    with work(db, actor) as uow:
        saved = plans.save_plan(uow, draft)
        issue_document(uow, saved.id, "consent", today=TODAY)
    return saved


def test_an_incomplete_screening_keeps_the_plan_from_being_ready_until_it_is_complete(db, actor):
    answers = complete({"child_bearing_potential": False})
    del answers["allergy_sulfite"], answers["diabetes"]
    patient = patient_with(db, actor, answers)
    saved = consented_draft(db, actor, patient)
    with read(db, actor) as uow:
        evaluation = evaluate(saved, load_plan_context(uow, saved))
    assert [q.key for q in evaluation.unanswered] == ["allergy_sulfite", "diabetes"]
    r40 = next(f for f in evaluation.findings if f.rule_id == "R40")
    assert r40.severity == "block" and "2 safety questions not answered" in r40.trigger
    with pytest.raises(PlanNotReady) as caught:
        with work(db, actor) as uow:
            plans.set_status(uow, saved.id, "ready", saved.version)
    assert any("R40" in reason for reason in caught.value.reasons)

    with work(db, actor) as uow:
        add_screening(uow, patient, TODAY, {**answers, "allergy_sulfite": "not sure", "diabetes": "none"})
        evaluation = evaluate(saved, load_plan_context(uow, saved))
    assert evaluation.unanswered == ()
    # "not sure" is an answer, but not a safe one: it has a finding of its own only where a rule reads it
    assert not [f for f in evaluation.findings if f.question == "allergy_sulfite"]  # no sulfite in the cocktail
    with work(db, actor) as uow:
        assert plans.set_status(uow, saved.id, "ready", saved.version).status == "ready"


def test_the_service_refuses_even_when_the_clinic_switched_the_completeness_rule_off(db, actor):
    answers = complete({"child_bearing_potential": False})
    del answers["keloid_scarring"]
    patient = patient_with(db, actor, answers)
    saved = consented_draft(db, actor, patient)
    with read(db, actor) as uow:
        context = load_plan_context(uow, saved)
    lenient = dataclasses.replace(context, rules=apply_overrides(context.rules, {
        "R40": (None, False), "R19": (None, False)}))
    verdict = evaluate(saved, lenient).verdict
    assert not verdict.can_be_ready
    assert any("Screening incomplete" in r and "Keloid" in r for r in verdict.reasons)


def test_questions_that_do_not_apply_to_the_patient_are_not_required(db, actor):
    answers = complete({"child_bearing_potential": False}, sex="male")
    with work(db, actor) as uow:
        patient = create_patient(uow, PatientInput("Tester", "Sam", dt.date(1980, 1, 1), "male"))
        add_screening(uow, patient.id, TODAY, answers)
    assert "pregnant" not in answers
    saved = consented_draft(db, actor, patient.id)
    with read(db, actor) as uow:
        evaluation = evaluate(saved, load_plan_context(uow, saved))
    assert evaluation.unanswered == () and evaluation.verdict.can_be_ready


@pytest.fixture
def demo_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    assert main(["--database", url, "demo"]) == 0
    return url


def test_plan_show_json_carries_the_unknown_answer_findings_of_the_held_back_demo_patient(demo_url, capsys):
    capsys.readouterr()
    assert main(["--database", demo_url, "plan", "list"]) == 0
    line = next(row for row in capsys.readouterr().out.splitlines() if "Mensah" in row)
    plan_id = line.split()[0]
    assert main(["--database", demo_url, "plan", "show", plan_id, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["can_be_ready"] is False and report["status"] == "draft"
    unsure = [f for f in report["findings"] if f["question"] == "possibly_pregnant"]
    assert [(f["rule"], f["severity"], f["answer"]) for f in unsure] == [("R01", "block", "not sure")]
    assert any(f["rule"] == "R40" for f in report["findings"])
    assert {"pregnant", "breastfeeding"} <= {q["question"] for q in report["screening_unanswered"]}
    assert any("Screening incomplete" in r or "R40" in r for r in report["not_ready_because"])
