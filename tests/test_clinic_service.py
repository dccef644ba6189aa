"""The clinic settings service: details with logo, practitioners, safety-rule re-classification that
reaches plan evaluation, linking accounts to practitioners, permissions and the audit trail."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import replace

import pytest

from mesoplan.access import Role
from mesoplan.errors import ConflictError, PermissionDenied, ValidationError
from mesoplan.evaluation import evaluate
from mesoplan.plan import ComponentDraft, PlanDraft
from mesoplan.services import clinic
from mesoplan.services import patients as patient_service
from mesoplan.services import screenings as screening_service
from mesoplan.services.audit import AuditFilter, browse_audit
from mesoplan.services.clinic import PractitionerRecord
from mesoplan.services.evaluation import load_plan_context
from mesoplan.services.patients import PatientInput
from mesoplan.services.uow import read, work
from mesoplan.services.users import add_user, get_user


def tiny_png(width: int = 2, height: int = 1) -> bytes:
    """A valid PNG of ``width``×``height`` white pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_clinic_details_are_saved_with_the_logo_and_audited_without_the_picture(db, actor):
    with read(db, actor) as uow:
        start = clinic.get_clinic_settings(uow)
    logo = tiny_png()
    details = replace(start.details, name="  Clinique Ågård & Co <Süd>  ", phone="+44 20 7946 0000",
                      logo_png=logo, jurisdiction="gb-sct", page_size="Letter")
    with work(db, actor) as uow:
        saved = clinic.update_clinic_settings(uow, details, start.version)
    assert saved.details.name == "Clinique Ågård & Co <Süd>"
    assert saved.details.jurisdiction == "GB-SCT" and saved.details.page_size == "Letter"
    with read(db, actor) as uow:
        again = clinic.get_clinic_settings(uow)
        [entry] = browse_audit(uow, AuditFilter(action="settings.update"), limit=1)
    assert again.details.logo_png == logo and again.version == saved.version
    assert entry.after["name"] == "Clinique Ågård & Co <Süd>"
    assert entry.after["logo_png"]["bytes"] == len(logo) and entry.before["logo_png"] is None
    with work(db, actor) as uow:  # a stale version is refused, nothing is overwritten
        with pytest.raises(ConflictError):
            clinic.update_clinic_settings(uow, replace(details, name="Other"), start.version)


def test_bad_clinic_details_are_all_reported_and_nothing_is_saved(db, actor):
    with read(db, actor) as uow:
        start = clinic.get_clinic_settings(uow)
    bad = replace(start.details, name="New name", email="not an address", jurisdiction="England!",
                  page_size="A5", document_language="xx", logo_png=b"GIF89a....")
    with pytest.raises(ValidationError) as caught:
        with work(db, actor) as uow:
            clinic.update_clinic_settings(uow, bad)
    where = {p.where for p in caught.value.problems}
    assert where == {"email", "jurisdiction", "page size", "document language", "logo"}
    with read(db, actor) as uow:
        assert clinic.get_clinic_settings(uow).details.name == start.details.name


def test_practitioners_are_added_edited_and_deactivated(db, actor):
    with work(db, actor) as uow:
        added = clinic.save_practitioner(uow, PractitionerRecord(None, " Dr Zoë O'Neil ", "Physician",
                                                                 "GMC 1234567"))
    with work(db, actor) as uow:
        clinic.save_practitioner(uow, replace(added, registration_number="GMC 7654321"))
        clinic.set_practitioner_active(uow, added.id, False)
    with read(db, actor) as uow:
        everyone = clinic.list_practitioners(uow)
        working = clinic.list_practitioners(uow, include_inactive=False)
        actions = [e.action for e in browse_audit(uow, AuditFilter(action="practitioner"))]
    [saved] = [p for p in everyone if p.id == added.id]
    assert saved == PractitionerRecord(added.id, "Dr Zoë O'Neil", "Physician", "GMC 7654321", False)
    assert added.id not in [p.id for p in working]
    assert actions == ["practitioner.deactivate", "practitioner.update", "practitioner.create"]
    with pytest.raises(ValidationError, match="name: is required"):
        with work(db, actor) as uow:
            clinic.save_practitioner(uow, PractitionerRecord(None, "   "))


def test_front_desk_may_read_but_not_change_settings(db, actor, front_desk_actor):
    with read(db, front_desk_actor) as uow:
        details = clinic.get_clinic_settings(uow).details
    for change in (lambda uow: clinic.update_clinic_settings(uow, details),
                   lambda uow: clinic.save_practitioner(uow, PractitionerRecord(None, "X")),
                   lambda uow: clinic.save_rule_choices(uow, {"R05": ("block", True)}),
                   lambda uow: clinic.set_user_practitioner(uow, "anyone", None)):
        with pytest.raises(PermissionDenied):
            with work(db, front_desk_actor) as uow:
                change(uow)


def _hyaluronidase_plan(db, actor) -> PlanDraft:
    with work(db, actor) as uow:
        patient = patient_service.create_patient(uow, PatientInput("Bee", "Allergic", dt.date(1980, 1, 1)))
        screening_service.add_screening(uow, patient.id, dt.date.today(), {"allergy_bee_wasp_venom": True})
    return PlanDraft(patient_id=patient.id, indication="cellulite",
                     components=(ComponentDraft("ingredient", "hyaluronidase", "Hyaluronidase", 1.0),))


def _r05(db, actor, draft) -> list[str]:
    with read(db, actor) as uow:
        context = load_plan_context(uow, draft)
    return [f.severity for f in evaluate(draft, context).findings if f.rule_id == "R05"]


def test_re_classifying_a_rule_changes_what_new_plan_evaluations_return(db, actor):
    draft = _hyaluronidase_plan(db, actor)
    assert _r05(db, actor, draft) == ["acknowledge"]
    with work(db, actor) as uow:
        choices = clinic.save_rule_choices(uow, {"R05": ("block", True), "R34": ("info", False)})
    by_id = {c.rule_id: c for c in choices}
    assert by_id["R05"].severity == "block" and by_id["R05"].shipped_severity == "acknowledge"
    assert not by_id["R34"].enabled and not by_id["R34"].is_shipped
    assert _r05(db, actor, draft) == ["block"]
    with read(db, actor) as uow:
        [entry] = browse_audit(uow, AuditFilter(action="rules.update"))
    assert entry.before["R05"] == {"severity": "acknowledge", "enabled": True}
    assert entry.after["R05"] == {"severity": "block", "enabled": True}
    with work(db, actor) as uow:  # switched off, then back to the shipped choice
        clinic.save_rule_choices(uow, {"R05": ("block", False)})
    assert _r05(db, actor, draft) == []
    with work(db, actor) as uow:
        back = {c.rule_id: c for c in clinic.save_rule_choices(uow, {"R05": ("acknowledge", True)})}
    assert back["R05"].is_shipped and _r05(db, actor, draft) == ["acknowledge"]
    with pytest.raises(ValidationError, match="R99"):
        with work(db, actor) as uow:
            clinic.save_rule_choices(uow, {"R99": ("block", True), "R05": ("fatal", True)})


def test_accounts_are_linked_to_practitioners(db, actor):
    with work(db, actor) as uow:
        person = clinic.save_practitioner(uow, PractitionerRecord(None, "Dr Link"))
        add_user(uow, "admin", "long enough password", {Role.ADMINISTRATOR})
        add_user(uow, "doc", "long enough password", {Role.PRACTITIONER})
        linked = clinic.set_user_practitioner(uow, "Doc", person.id)
    assert linked.practitioner_id == person.id and linked.actor.practitioner_id == person.id
    with work(db, actor) as uow:
        clinic.set_practitioner_active(uow, person.id, False)
        with pytest.raises(ValidationError, match="deactivated"):
            clinic.set_user_practitioner(uow, "admin", person.id)
        assert get_user(uow, "admin").practitioner_id is None


def test_own_username_is_the_signed_in_account(db, actor):
    with work(db, actor) as uow:
        record = add_user(uow, "anna", "long enough password", {Role.ADMINISTRATOR})
    with read(db, record.actor) as uow:
        assert clinic.own_username(uow) == "anna"
    with read(db, actor) as uow:
        assert clinic.own_username(uow) is None


def test_the_jurisdictions_and_languages_offered_come_from_the_shipped_data():
    assert "GB-ENG" in clinic.rule_jurisdictions()
    assert "en" in clinic.document_languages()
    assert clinic.logo_problems(tiny_png()) == []
    assert clinic.logo_problems(tiny_png(9000, 1))[0].where == "logo"
