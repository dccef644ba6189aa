"""Privacy: a patient's complete record for access/portability, and anonymisation after retention."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from mesoplan import cli
from mesoplan.db.models import AuditEntry, IssuedDocument, Patient, PatientNameToken, Screening
from mesoplan.errors import PermissionDenied, ValidationError
from mesoplan.plan import ComponentDraft, PlanDraft, SessionDraft, ZoneVolume
from mesoplan.services import catalog, documents, plans
from mesoplan.services.audit import chain_report
from mesoplan.services.exchange import import_document
from mesoplan.services.patients import (
    PatientInput,
    create_patient,
    get_patient,
    search_patients,
    update_patient,
)
from mesoplan.services.privacy import (
    add_years,
    anonymisation_candidates,
    anonymise_patient,
    export_patient_record,
    retention_status,
)
from mesoplan.services.screenings import add_screening
from mesoplan.services.uow import read, work

TODAY = dt.date.today()
LAST_SESSION = TODAY - dt.timedelta(days=3)


@pytest.fixture
def record(db, actor):
    """A patient with a screening, a plan with a done session, and an aftercare sheet issued."""
    with read(db, actor) as uow:
        ingredient = catalog.list_ingredients(uow)[0]
    with work(db, actor) as uow:
        patient = create_patient(uow, PatientInput(
            "Łukasiewicz <&>", "Zoë \"Z\"", date_of_birth=dt.date(1980, 5, 6), sex="female",
            phone="+48 600 100 200", email="zoe@example.org", address="ul. Długa 1\nKraków",
            gp_details="Dr GP", notes="Anxious about needles"))
        add_screening(uow, patient.id, LAST_SESSION, {
            "weight_kg": 61, "other_medicines": "Lisinopril 10 mg", "smoker": "never"},
            notes="Mentioned her sister's treatment")
        draft = plans.save_plan(uow, PlanDraft(
            patient_id=patient.id, indication="androgenetic_alopecia", areas=("scalp_vertex",),
            title="Zoë's hair plan", goals="Thicker hair before the wedding", notes="Lives abroad",
            technique="nappage", depth_mm=1.0,
            components=(ComponentDraft("ingredient", ingredient.code, ingredient.name, 1.5),),
            sessions=(SessionDraft(1, LAST_SESSION, status="done", technique="nappage",
                                   zones=(ZoneVolume("scalp_vertex", 2.0),),
                                   reactions="Redness for a day", notes="Talked about her job"),)))
        documents.issue_document(uow, draft.id, "aftercare", draft.sessions[0].id)
    return patient, draft


def test_the_complete_record_holds_everything_and_is_audited(db, actor, record):
    patient, draft = record
    with work(db, actor) as uow:
        document = export_patient_record(uow, patient.id)
    [exported] = document["patients"]
    assert exported["family_name"] == "Łukasiewicz <&>" and exported["notes"] == "Anxious about needles"
    assert exported["screenings"][0]["answers"]["other_medicines"] == "Lisinopril 10 mg"
    assert exported["plans"][0]["goals"] == "Thicker hair before the wedding"
    extra = document["privacy_request"]
    assert extra["patient_id"] == patient.id and extra["exported_by"] == actor.name
    assert [d["kind"] for d in extra["issued_documents"]] == ["aftercare"]
    actions = [e["action"] for e in extra["audit_trail"]]
    assert actions[:4] == ["patient.create", "screening.add", "plan.create", "document.issue"]
    json.dumps(document)  # plain JSON all the way down
    with db.sessions() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.entity_id, last.actor) == ("privacy.export", str(patient.id), actor.name)


def test_the_complete_record_can_be_imported_elsewhere(db, actor, record):
    patient, _ = record
    with work(db, actor) as uow:
        document = export_patient_record(uow, patient.id)
    with work(db, actor) as uow:  # the same database: only as a copy (it came from here)
        summary = import_document(uow, json.loads(json.dumps(document)), as_copy=True)
    assert (summary.patients, summary.screenings, summary.plans, summary.sessions) == (1, 1, 1, 1)


def test_anonymisation_is_refused_before_the_retention_period_and_changes_nothing(db, actor, record):
    patient, _ = record
    with read(db, actor) as uow:
        status = retention_status(uow, patient.id)
    assert status.last_record_on == TODAY  # the plan and the document were recorded today
    assert status.may_anonymise_from == add_years(TODAY, 10)
    with db.sessions() as session:
        entries_before = session.scalars(select(AuditEntry.hash)).all()
    day_before = status.may_anonymise_from - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match=f"kept for 10 years after the last one \\({TODAY}\\).*"
                       f"from {status.may_anonymise_from}, not before. Nothing was changed"):
        with work(db, actor) as uow:
            anonymise_patient(uow, patient.id, today=day_before)
    with db.sessions() as session:
        assert session.get(Patient, patient.id).anonymised_at is None
        assert session.scalars(select(AuditEntry.hash)).all() == entries_before


def test_a_planned_session_in_the_future_extends_retention(db, actor, record):
    patient, draft = record
    later = TODAY + dt.timedelta(days=400)
    with work(db, actor) as uow:
        current = plans.load_plan(uow, draft.id)
        plans.save_plan(uow, current.with_changes(sessions=current.sessions + (
            SessionDraft(2, later, technique="nappage"),)))
    with read(db, actor) as uow:
        assert retention_status(uow, patient.id).may_anonymise_from == add_years(later, 10)


def test_anonymisation_removes_identity_and_free_text_but_keeps_clinical_numbers(db, actor, record):
    patient, draft = record
    after_retention = add_years(TODAY, 10)
    with read(db, actor) as uow:
        assert [s.patient_id for s in anonymisation_candidates(uow, after_retention)] == [patient.id]
        assert anonymisation_candidates(uow, after_retention - dt.timedelta(days=1)) == []
    with work(db, actor) as uow:
        result = anonymise_patient(uow, patient.id, today=after_retention)
    assert (result.screenings, result.plans, result.sessions, result.documents) == (1, 1, 1, 1)
    assert result.audit_entries_redacted >= 4
    with db.sessions() as session:
        row = session.get(Patient, patient.id)
        assert (row.family_name, row.given_names, row.phone, row.email, row.address, row.gp_details,
                row.notes) == ("Anonymised", "", "", "", "", "", "")
        assert row.date_of_birth == dt.date(1980, 1, 1) and row.sex == "female"
        assert row.anonymised_at is not None
        assert session.scalars(select(PatientNameToken).where(
            PatientNameToken.patient_id == patient.id)).all() == []
        screening = session.scalars(select(Screening)).one()
        assert screening.answers == {"weight_kg": 61, "smoker": "never"} and screening.notes == ""
        document = session.scalars(select(IssuedDocument)).one()
        assert "Łukasiewicz" not in json.dumps(document.content, ensure_ascii=False)
        everything = json.dumps([(e.summary, e.before, e.after) for e in session.scalars(
            select(AuditEntry))], ensure_ascii=False)
        for secret in ("Łukasiewicz", "Zoë", "600 100 200", "Anxious", "Lisinopril", "wedding",
                       "Talked about her job", "Redness"):
            assert secret not in everything, secret
        report = chain_report(session)
        assert report.ok and report.redacted == result.audit_entries_redacted
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (last.action, last.entity_id, last.actor) == ("patient.anonymise", str(patient.id), actor.name)
    with read(db, actor) as uow:
        kept = plans.load_plan(uow, draft.id)
        assert search_patients(uow, "Anonymised") == []
    assert kept.goals == kept.notes == kept.title == ""
    assert kept.areas == ("scalp_vertex",) and kept.depth_mm == 1.0 and kept.technique == "nappage"
    assert [(c.code, c.volume_ml) for c in kept.components] == [(c.code, c.volume_ml) for c in draft.components]
    assert kept.sessions[0].zones == (ZoneVolume("scalp_vertex", 2.0),)
    assert kept.sessions[0].planned_date == LAST_SESSION
    assert kept.sessions[0].reactions == kept.sessions[0].notes == ""
    with pytest.raises(ValidationError, match="was already anonymised on"):
        with work(db, actor) as uow:
            anonymise_patient(uow, patient.id, today=after_retention)


def test_only_an_administrator_anonymises(db, practitioner_actor, front_desk_actor, record):
    patient, _ = record
    for who in (practitioner_actor, front_desk_actor):
        with pytest.raises(PermissionDenied, match="may not anonymise patients"):
            with work(db, who) as uow:
                anonymise_patient(uow, patient.id, today=add_years(TODAY, 20))


def test_a_contact_edit_does_not_restart_the_retention_period(db, actor, record):
    patient, _ = record
    with read(db, actor) as uow:
        before = retention_status(uow, patient.id).last_record_on
    with work(db, actor) as uow:
        current = get_patient(uow, patient.id)
        update_patient(uow, patient.id, PatientInput(current.family_name, current.given_names,
                                                     phone="1"), current.version)
    with read(db, actor) as uow:
        assert retention_status(uow, patient.id).last_record_on == before


def test_the_privacy_commands_refuse_bad_input_clearly(db, capsys, record):
    patient, _ = record
    status = cli.main(["--database", db.url, "privacy", "anonymise", str(patient.id)])
    err = capsys.readouterr().err
    assert status == 1 and "can be anonymised from" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as usage:
        cli.main(["--database", db.url, "privacy", "export", "twelve", "out.json"])
    assert usage.value.code == 2
    assert "'twelve' is not a patient number" in capsys.readouterr().err
    status = cli.main(["--database", db.url, "privacy", "export", "999", "-"])
    assert status == 1 and "no patient number 999" in capsys.readouterr().err
