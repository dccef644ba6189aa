"""Roles are enforced by the services: front desk, practitioner and administrator each get a clear refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from mesoplan.access import ROLE_PERMISSIONS, Actor, Permission, Role, parse_roles
from mesoplan.db.models import AuditEntry
from mesoplan.errors import PermissionDenied, ValidationError
from mesoplan.plan import PlanDraft
from mesoplan.services import catalog, day_schedule, exchange, plans, privacy, protocols, screenings
from mesoplan.services.audit import browse_audit
from mesoplan.services.backups import backup_to_file
from mesoplan.services.patients import PatientInput, create_patient, get_patient, search_patients, update_patient
from mesoplan.services.uow import read, work
from mesoplan.services.users import add_user, list_users, update_safety_settings

CLINICAL = "may not change screenings, cocktails, plans or sessions"
SEE_CLINICAL = "may not see medical records"


@pytest.fixture
def patient_with_plan(db, practitioner_actor):
    with work(db, practitioner_actor) as uow:
        patient = create_patient(uow, PatientInput("O'Brien & <Sons>", "Siobhán", phone="0123 4567",
                                                   notes="allergic to lidocaine"))
        plan = plans.save_plan(uow, PlanDraft(patient_id=patient.id, indication="androgenetic_alopecia"))
    return patient, plan


def test_the_permission_table_matches_the_roles():
    desk = ROLE_PERMISSIONS[Role.FRONT_DESK]
    assert desk == {Permission.VIEW_SCHEDULE, Permission.VIEW_CONTACT, Permission.EDIT_CONTACT,
                    Permission.ISSUE_DOCUMENTS}
    admin = ROLE_PERMISSIONS[Role.ADMINISTRATOR]
    assert {Permission.MANAGE_USERS, Permission.MANAGE_SETTINGS, Permission.MANAGE_BACKUPS,
            Permission.VIEW_AUDIT} <= admin
    assert not admin & {Permission.VIEW_CLINICAL, Permission.EDIT_CLINICAL, Permission.EXPORT_DATA}
    practitioner = ROLE_PERMISSIONS[Role.PRACTITIONER]
    assert {Permission.VIEW_CLINICAL, Permission.EDIT_CLINICAL, Permission.ISSUE_DOCUMENTS,
            Permission.EDIT_CONTACT} <= practitioner
    assert not practitioner & {Permission.MANAGE_USERS, Permission.VIEW_AUDIT, Permission.MANAGE_BACKUPS}


def test_several_roles_add_up():
    both = Actor("Sam", parse_roles(["front-desk", "Administrator"]))
    assert both.can(Permission.MANAGE_USERS) and both.can(Permission.EDIT_CONTACT)
    assert not both.can(Permission.VIEW_CLINICAL)
    with pytest.raises(PermissionDenied, match=r"Sam \(Administrator, Front desk\) may not see medical"):
        both.require(Permission.VIEW_CLINICAL)
    with pytest.raises(ValidationError, match="'nurse' is not a role; use one of practitioner"):
        parse_roles(["nurse"])


def test_front_desk_sees_and_edits_contact_details_but_not_medical_notes(db, front_desk_actor, patient_with_plan):
    patient, _ = patient_with_plan
    with read(db, front_desk_actor) as uow:
        assert [p.id for p in search_patients(uow, "brien siob")] == [patient.id]
        record = get_patient(uow, patient.id)
    assert record.notes is None and record.phone == "0123 4567"
    with work(db, front_desk_actor) as uow:
        changed = update_patient(uow, patient.id, PatientInput(
            record.family_name, record.given_names, phone="0999 111", email="s@example.org"),
            record.version)
    assert changed.phone == "0999 111"
    with read(db, Actor("Dr", frozenset({Role.PRACTITIONER}))) as uow:
        assert get_patient(uow, patient.id).notes == "allergic to lidocaine"  # untouched
    with pytest.raises(PermissionDenied, match=CLINICAL):
        with work(db, front_desk_actor) as uow:
            create_patient(uow, PatientInput("New", notes="medical note"))
    with read(db, front_desk_actor) as uow:
        assert day_schedule.sessions_on(uow, dt.date.today()) == []


@pytest.mark.parametrize("call, message", [
    (lambda uow, p, plan: screenings.list_screenings(uow, p.id), SEE_CLINICAL),
    (lambda uow, p, plan: screenings.add_screening(uow, p.id, dt.date.today(), {}), CLINICAL),
    (lambda uow, p, plan: plans.load_plan(uow, plan.id), SEE_CLINICAL),
    (lambda uow, p, plan: plans.list_plans(uow, p.id), SEE_CLINICAL),
    (lambda uow, p, plan: plans.save_plan(uow, plan.with_changes(goals="x")), CLINICAL),
    (lambda uow, p, plan: plans.set_status(uow, plan.id, "cancelled", plan.version), SEE_CLINICAL),
    (lambda uow, p, plan: exchange.export_document(uow, p.id), "may not export or import"),
    (lambda uow, p, plan: exchange.import_document(uow, {}), "may not export or import"),
    (lambda uow, p, plan: catalog.retire_item(uow, "ingredient", "biotin"), "may not change the ingredient"),
    (lambda uow, p, plan: protocols.retire_protocol(uow, "any"), CLINICAL),
    (lambda uow, p, plan: privacy.export_patient_record(uow, p.id), "may not export"),
    (lambda uow, p, plan: privacy.anonymise_patient(uow, p.id), "may not anonymise"),
    (lambda uow, p, plan: browse_audit(uow), "may not read the audit trail"),
    (lambda uow, p, plan: list_users(uow), "may not manage users"),
    (lambda uow, p, plan: add_user(uow, "x", "y" * 10, [Role.ADMINISTRATOR]), "may not manage users"),
    (lambda uow, p, plan: update_safety_settings(uow, idle_lock_minutes=5), "may not change clinic settings"),
])
def test_front_desk_is_refused_clinical_and_admin_services(db, front_desk_actor, patient_with_plan, call, message):
    patient, plan = patient_with_plan
    with db.sessions() as session:
        entries = session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(PermissionDenied, match=f"Front Desk \\(Front desk\\) {message}"):
        with work(db, front_desk_actor) as uow:
            call(uow, patient, plan)
    with db.sessions() as session:
        assert session.scalar(select(func.count(AuditEntry.id))) == entries


def test_an_administrator_alone_sees_no_medical_record(db, admin_actor, patient_with_plan, tmp_path):
    patient, plan = patient_with_plan
    for call in (lambda uow: plans.load_plan(uow, plan.id),
                 lambda uow: exchange.export_document(uow, patient.id),
                 lambda uow: privacy.export_patient_record(uow, patient.id),
                 lambda uow: get_patient(uow, patient.id)):
        with pytest.raises(PermissionDenied, match="Admin Only \\(Administrator\\) may not"):
            with work(db, admin_actor) as uow:
                call(uow)
    with read(db, admin_actor) as uow:
        assert browse_audit(uow)  # but reads the audit trail


def test_a_practitioner_cannot_administer(db, practitioner_actor, tmp_path):
    with pytest.raises(PermissionDenied, match="may not make or restore backups"):
        backup_to_file(db, practitioner_actor, tmp_path / "copy")
    with pytest.raises(PermissionDenied, match="may not read the audit trail"):
        with read(db, practitioner_actor) as uow:
            browse_audit(uow)
