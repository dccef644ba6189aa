"""R33 with signing that means signing: a consent counts only when the patient's signature is recorded
on or after the day the form covering the plan as it is now was issued, and not in the future (R70 and
R71 say so in words of their own). Through the real services, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from mesoplan.db.models import IssuedDocument, Practitioner
from mesoplan.errors import PlanNotReady
from mesoplan.evaluation import evaluate, plan_consent_status
from mesoplan.plan import ComponentDraft, PlanDraft, SessionDraft, ZoneVolume
from mesoplan.safety import consent_status as states
from mesoplan.services import documents
from mesoplan.services.demo import NORMAL
from mesoplan.services.evaluation import load_plan_context
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.services.plans import load_plan, save_plan, set_status
from mesoplan.services.screenings import add_screening
from mesoplan.services.uow import read, work

TODAY = dt.date.today()
DEXPANTHENOL = ComponentDraft("ingredient", "dexpanthenol", "Dexpanthenol", 1.0)
BIOTIN = ComponentDraft("ingredient", "biotin", "Biotin", 0.5)
CONSENT_RULES = {"R33", "R70", "R71"}


def practitioner(db, actor, name: str, registration: str) -> int:
    with work(db, actor) as uow:
        person = Practitioner(name=name, profession="Physician", registration_number=registration)
        uow.session.add(person)
        uow.session.flush()
        return person.id


def clinic(db, actor) -> tuple[int, int]:
    """A patient with a full screening and a draft scalp plan of one ingredient; (plan id, practitioner id)."""
    doctor = practitioner(db, actor, "Dr Ada Quill", "GMC 1234567")
    with work(db, actor) as uow:
        patient = create_patient(uow, PatientInput("Okafor", "Chidi", dt.date(1984, 3, 9), "male", "+44 7700 900555"))
        add_screening(uow, patient.id, TODAY - dt.timedelta(days=10), {**NORMAL, "weight_kg": 80})
        session = SessionDraft(1, TODAY + dt.timedelta(days=7), technique="papule",
                               zones=(ZoneVolume("scalp_vertex", 1.0),))
        draft = PlanDraft(patient_id=patient.id, indication="androgenetic_alopecia", practitioner_id=doctor,
                          areas=("scalp_vertex",), technique="papule", depth_mm=1.0, needle="30G × 4 mm",
                          components=(DEXPANTHENOL,), sessions=(session,))
        return save_plan(uow, draft).id, doctor


def issue(db, actor, plan_id: int, day: dt.date) -> None:
    with work(db, actor) as uow:
        documents.issue_document(uow, plan_id, "consent", today=day)


def change(db, actor, plan_id: int, **changes) -> None:
    with work(db, actor) as uow:
        save_plan(uow, load_plan(uow, plan_id).with_changes(**changes))


def check(db, actor, plan_id: int):
    """(consent status, {rule id: explanation} of the consent findings, may it be ready?)."""
    with read(db, actor) as uow:
        draft = load_plan(uow, plan_id)
        context = load_plan_context(uow, draft)
        evaluation = evaluate(draft, context)
    found = {f.rule_id: f.explanation for f in evaluation.findings if f.rule_id in CONSENT_RULES}
    return plan_consent_status(draft, context), found, evaluation.verdict.can_be_ready


def mark_ready(db, actor, plan_id: int) -> None:
    with work(db, actor) as uow:
        set_status(uow, plan_id, "ready", load_plan(uow, plan_id).version)


def test_a_printed_form_that_is_not_signed_does_not_clear_r33(db, actor):
    plan, _doctor = clinic(db, actor)
    status, found, ready = check(db, actor, plan)
    assert status.state == states.NO_FORM and set(found) == {"R33"} and not ready
    assert "no consent form has been issued" in found["R33"].lower()

    issue(db, actor, plan, TODAY)
    status, found, ready = check(db, actor, plan)
    assert status.state == states.NOT_SIGNED and set(found) == {"R33"} and not ready
    assert f"the consent form issued on {TODAY.isoformat()} has not been recorded as signed" in found["R33"].lower()
    with pytest.raises(PlanNotReady, match="R33"):
        mark_ready(db, actor, plan)


def test_a_signature_dated_before_the_form_was_issued_is_a_finding_of_its_own(db, actor):
    plan, _doctor = clinic(db, actor)
    issue(db, actor, plan, TODAY)
    change(db, actor, plan, consent_signed_on=TODAY - dt.timedelta(days=2))
    status, found, ready = check(db, actor, plan)
    assert status.state == states.SIGNED_BEFORE_ISSUE and status.before_any_form and not ready
    assert set(found) == {"R33", "R70"}
    earlier = (TODAY - dt.timedelta(days=2)).isoformat()
    assert f"recorded on {earlier}, before the first consent form for this plan was issued on " \
           f"{TODAY.isoformat()}" in found["R70"]
    assert "A form cannot be signed before it exists" in found["R70"]
    with pytest.raises(PlanNotReady, match="R70"):
        mark_ready(db, actor, plan)


def test_a_signature_recorded_without_any_form_issued_is_a_finding_of_its_own(db, actor):
    plan, _doctor = clinic(db, actor)
    change(db, actor, plan, consent_signed_on=TODAY)
    _status, found, ready = check(db, actor, plan)
    assert set(found) == {"R33", "R70"} and not ready
    assert "no consent form has been issued for this plan" in found["R70"]


def test_a_signature_dated_in_the_future_is_a_finding_of_its_own(db, actor):
    plan, _doctor = clinic(db, actor)
    issue(db, actor, plan, TODAY)
    tomorrow = TODAY + dt.timedelta(days=1)
    change(db, actor, plan, consent_signed_on=tomorrow)
    status, found, ready = check(db, actor, plan)
    assert status.state == states.SIGNED_IN_FUTURE and set(found) == {"R33", "R71"} and not ready
    assert f"recorded on {tomorrow.isoformat()}, which is after today" in found["R71"]
    with pytest.raises(PlanNotReady, match="R71"):
        mark_ready(db, actor, plan)


@pytest.mark.parametrize("issued_days_ago, signed_days_ago", [(0, 0), (3, 1), (3, 3)],
                         ids=["printed and signed today", "signed two days after printing", "same day, earlier"])
def test_a_signature_on_or_after_the_day_of_issue_clears_r33(db, actor, issued_days_ago, signed_days_ago):
    plan, _doctor = clinic(db, actor)
    issue(db, actor, plan, TODAY - dt.timedelta(days=issued_days_ago))
    change(db, actor, plan, consent_signed_on=TODAY - dt.timedelta(days=signed_days_ago))
    status, found, ready = check(db, actor, plan)
    assert status.valid and found == {} and ready
    mark_ready(db, actor, plan)
    with read(db, actor) as uow:
        assert load_plan(uow, plan).status == "ready"


@pytest.mark.parametrize("what", ["cocktail", "area", "practitioner"])
def test_a_change_after_signing_needs_a_new_consent(db, actor, what):
    plan, _doctor = clinic(db, actor)
    signed = TODAY - dt.timedelta(days=5)
    issue(db, actor, plan, signed)
    change(db, actor, plan, consent_signed_on=signed)
    assert check(db, actor, plan)[0].valid

    if what == "cocktail":
        change(db, actor, plan, components=(DEXPANTHENOL, BIOTIN))
        expected = "Biotin is not named in it"
    elif what == "area":
        change(db, actor, plan, areas=("scalp_vertex", "forehead"))
        expected = "it does not name the area Forehead"
    else:
        other = practitioner(db, actor, "Dr Ben Ray", "GMC 7654321")
        change(db, actor, plan, practitioner_id=other)
        expected = "it names Dr Ada Quill, not the plan's practitioner"
    status, found, ready = check(db, actor, plan)
    assert status.state == states.NOT_COVERING and set(found) == {"R33"} and not ready
    assert expected in found["R33"] and f"issued on {signed.isoformat()}" in found["R33"]

    # A new form is printed: the old signature belongs to the old form, not to this one ...
    issue(db, actor, plan, TODAY)
    status, found, _ready = check(db, actor, plan)
    assert status.state == states.SIGNED_BEFORE_ISSUE and set(found) == {"R33"}  # no R70: it signed the old form
    assert "after the recorded signature date" in found["R33"] and "so it has not been signed yet" in found["R33"]
    # ... until the patient signs it.
    change(db, actor, plan, consent_signed_on=TODAY)
    assert check(db, actor, plan)[0].valid


def test_forms_issued_before_coverage_was_stored_are_read_from_what_they_printed(db, actor):
    plan, _doctor = clinic(db, actor)
    issue(db, actor, plan, TODAY)
    change(db, actor, plan, consent_signed_on=TODAY)
    with work(db, actor) as uow:
        row = uow.session.query(IssuedDocument).filter_by(plan_id=plan).one()
        row.content = {key: value for key, value in row.content.items()
                       if key not in ("covered_zones", "practitioner_id")}
    status, found, _ready = check(db, actor, plan)
    assert status.valid and found == {}
    change(db, actor, plan, areas=("scalp_vertex", "forehead"))
    assert check(db, actor, plan)[0].state == states.NOT_COVERING
