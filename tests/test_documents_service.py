"""Issuing consent forms and aftercare sheets from the database: content, records, reprints, the day's list.

The helpers at the top (a clinic, a patient with a screening, a plan with sessions, made through the
services) are shared with the CLI and screen tests of documents.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pypdf
import pytest
from sqlalchemy import select

from mesoplan.db.models import AuditEntry, ClinicSettings, IssuedDocument, Practitioner
from mesoplan.documents import load_texts
from mesoplan.errors import MesoPlanError, NotFound, PermissionDenied, ValidationError
from mesoplan.evaluation import evaluate
from mesoplan.plan import ComponentDraft, PlanDraft, SessionDraft
from mesoplan.safety.rules import default_rules
from mesoplan.services import day_schedule, documents
from mesoplan.services.evaluation import consent_codes, load_plan_context
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.services.plans import load_plan, save_plan
from mesoplan.services.screenings import add_screening
from mesoplan.services.uow import read, work

HOSTILE_GIVEN = "<b>Zoë</b> &amp;"
HOSTILE_FAMILY = 'Łukasiewicz-Ağaoğlu "Q"'
HOSTILE_FULL = f"{HOSTILE_GIVEN} {HOSTILE_FAMILY}"
DAY = dt.date(2026, 11, 25)
TODAY = dt.date(2026, 11, 20)
MINOXIDIL = ComponentDraft("ingredient", "minoxidil", "Minoxidil", 1.0, 0.5, "%")
HAIRCARE = ComponentDraft("product", "revitacare_haircare", "Revitacare HairCare", 2.0)
PROGESTERONE = ComponentDraft("ingredient", "progesterone", "Progesterone", 0.5)
FINASTERIDE = ComponentDraft("ingredient", "finasteride", "Finasteride", 0.5, 0.25, "%")


# --- shared helpers -------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """The text of every page, each run of whitespace made one space."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def set_up_clinic(db, actor) -> int:
    """Clinic details and one practitioner; returns the practitioner's id."""
    with work(db, actor) as uow:
        settings = uow.session.get(ClinicSettings, 1)
        settings.name, settings.phone, settings.emergency_phone = "Testwood Clinic", "+44 20 0000 1111", "999"
        person = Practitioner(name="Dr Ada Quill", profession="Physician", registration_number="GMC 1234567")
        uow.session.add(person)
        uow.session.flush()
        return person.id


def make_patient(db, actor, family=HOSTILE_FAMILY, given=HOSTILE_GIVEN, answers=None, sex="female",
                 phone="+44 7700 900123") -> int:
    with work(db, actor) as uow:
        record = create_patient(uow, PatientInput(family, given, dt.date(1988, 6, 14), sex, phone))
        add_screening(uow, record.id, dt.date.today() - dt.timedelta(days=1),
                      {"pregnant": False, "breastfeeding": False, "weight_kg": 60} if answers is None else answers)
        return record.id


def make_plan(db, actor, patient_id, practitioner_id=None, components=(MINOXIDIL, HAIRCARE),
              days=(DAY, DAY + dt.timedelta(weeks=4)), times=(dt.time(10, 30), dt.time(9, 15)),
              statuses=None, plan_status="draft") -> int:
    sessions = tuple(
        SessionDraft(sequence=n, planned_date=day, planned_time=times[n - 1] if n <= len(times) else None,
                     status=statuses[n - 1] if statuses else "planned")
        for n, day in enumerate(days, start=1))
    draft = PlanDraft(patient_id=patient_id, indication="androgenetic_alopecia", practitioner_id=practitioner_id,
                      areas=("scalp_frontal", "scalp_vertex"), technique="papule", depth_mm=1.0,
                      needle="30G × 4 mm", goals="Keep the current density.", notes="INTERNAL NOTE not for print",
                      components=tuple(components), sessions=sessions, status=plan_status)
    with work(db, actor) as uow:
        return save_plan(uow, draft, check_ready=False).id


def clinic_with_plan(db, actor, **plan_options) -> tuple[int, int]:
    practitioner = set_up_clinic(db, actor)
    patient = make_patient(db, actor)
    return patient, make_plan(db, actor, patient, practitioner, **plan_options)


# --- content --------------------------------------------------------------------------------------


def test_consent_names_the_patient_exactly_practitioner_cocktail_and_sessions(db, actor):
    _patient, plan = clinic_with_plan(db, actor)
    with work(db, actor) as uow:
        record = documents.issue_document(uow, plan, "consent", today=TODAY)
    text = pdf_text(record.pdf)
    assert HOSTILE_FULL in text
    assert "Dr Ada Quill" in text and "GMC 1234567" in text and "Testwood Clinic" in text
    assert "Minoxidil" in text and "0.5 %" in text and "Revitacare HairCare" in text
    assert "Off-label" in text and "Total volume per session: 3 mL" in text
    assert "Wednesday 25 November 2026" in text and "10:30" in text and "09:15" in text
    assert "Scalp – frontal hairline, Scalp – crown (vertex)" in text
    assert "Androgenetic alopecia (pattern hair loss)" in text and "Papules (intradermal wheals)" in text
    assert "Keep the current density." in text
    assert "INTERNAL NOTE" not in text  # the plan's working notes are not printed


def test_product_lines_carry_their_own_and_their_ingredients_caution_tags(db, actor):
    _patient, plan = clinic_with_plan(db, actor, components=(HAIRCARE, PROGESTERONE))
    with read(db, actor) as uow:
        prepared = documents.prepare_document(uow, plan, "consent", today=TODAY)
    product, hormone = prepared.request.lines
    assert product.kind == "product" and product.actives  # the product's ingredients in words
    assert hormone.caution_tags == ("hormone",) and hormone.off_label
    assert "Prescription medicine" in hormone.legal_status
    assert set(prepared.covered_codes) >= {"revitacare_haircare", "progesterone", "vitamin_blend"}


def test_hormone_and_a_pregnant_patient_list_the_specific_warnings(db, actor):
    practitioner = set_up_clinic(db, actor)
    patient = make_patient(db, actor, answers={"pregnant": True, "weight_kg": 60})
    plan = make_plan(db, actor, patient, practitioner, components=(PROGESTERONE,))
    with work(db, actor) as uow:
        record = documents.issue_document(uow, plan, "consent", today=TODAY)
    text = pdf_text(record.pdf)
    hormone = load_texts("en").consent["caution_tags"]["hormone"]
    assert " ".join(hormone["text"].split()) in text
    pregnancy = default_rules().get("R01")
    assert pregnancy.title in text
    assert " ".join(pregnancy.patient_text.split()) in text  # the words written for the patient ...
    assert "The screening says" not in text  # ... never the clinician's explanation
    assert " ".join(pregnancy.explanation.split()[-6:]) not in text
    assert "Consent missing" not in text  # record-keeping findings are the clinic's task, not printed


def test_a_patient_text_gets_the_findings_own_ingredient_name(db, actor):
    practitioner = set_up_clinic(db, actor)
    patient = make_patient(db, actor, answers={"child_bearing_potential": True, "weight_kg": 60})
    plan = make_plan(db, actor, patient, practitioner, components=(FINASTERIDE,))
    with read(db, actor) as uow:
        prepared = documents.prepare_document(uow, plan, "consent", today=TODAY)
    rule = default_rules().get("R02")
    (finding,) = [f for f in prepared.request.findings if f.title == rule.title]
    assert rule.patient_text.startswith("{ingredient} ")
    assert finding.explanation == rule.patient_text.replace("{ingredient}", "Finasteride")
    assert finding.explanation in pdf_text(prepared.rendered.pdf)


def test_every_finding_a_patient_can_see_has_patient_wording():
    from mesoplan.services.document_requests import is_clinic_task

    printable = [rule for rule in default_rules().rules if not is_clinic_task(rule.when)]
    assert len(printable) >= 30
    assert [rule.id for rule in printable if not rule.patient_text.strip()] == []
    for rule in printable:  # written for the patient, not the clinician
        for clinician_words in ("the patient", "the clinician", "record ", "screening says"):
            assert clinician_words not in rule.patient_text.lower(), (rule.id, clinician_words)


def test_findings_about_the_clinics_own_records_are_not_printed(db, actor):
    from mesoplan.safety.engine import compile_rules
    from mesoplan.services.document_requests import is_clinic_task

    rules = compile_rules()
    clinic_tasks = {rule.id for rule in rules.rules if is_clinic_task(rule.when)}
    assert {"R31", "R32", "R33", "R34", "R37", "R38"} <= clinic_tasks
    assert not {"R01", "R02", "R09", "R26"} & clinic_tasks
    dexpanthenol = ComponentDraft("ingredient", "dexpanthenol", "Dexpanthenol", 1.0, 250, "mg/mL")
    _patient, plan = clinic_with_plan(db, actor, components=(MINOXIDIL, HAIRCARE, dexpanthenol))
    with read(db, actor) as uow:
        prepared = documents.prepare_document(uow, plan, "consent", today=TODAY)
        draft = load_plan(uow, plan)
        rule_ids = {f.rule_id for f in evaluate(draft, load_plan_context(uow, draft, TODAY)).findings}
    assert {"R33", "R34"} <= rule_ids  # the plan has them, the patient's form does not
    titles = {finding.title for finding in prepared.request.findings}
    assert not any("components mixed" in t or "Consent missing" in t for t in titles)


def test_aftercare_without_a_session_is_for_the_plans_session_that_day(db, actor):
    _patient, plan = clinic_with_plan(db, actor)
    with work(db, actor) as uow:
        record = documents.issue_document(uow, plan, "aftercare", today=DAY)
        first = load_plan(uow, plan).sessions[0].id
    assert record.session_id == first
    with read(db, actor) as uow:
        (today,) = day_schedule.sessions_on(uow, DAY)
    assert today.aftercare_issued and not today.consent_issued


def test_aftercare_shows_the_next_session_after_the_treated_one(db, actor):
    _patient, plan = clinic_with_plan(db, actor, days=(DAY, DAY + dt.timedelta(weeks=4), DAY + dt.timedelta(weeks=8)))
    with read(db, actor) as uow:
        first = load_plan(uow, plan).sessions[0].id
    with work(db, actor) as uow:
        record = documents.issue_document(uow, plan, "aftercare", first, today=DAY)
    text = pdf_text(record.pdf)
    assert HOSTILE_FULL in text
    assert "23 December 2026" in text  # the second session, four weeks after the first


def test_a_session_of_another_plan_is_refused(db, actor):
    _patient, plan = clinic_with_plan(db, actor)
    with pytest.raises(NotFound, match="no session number 99999"):
        with work(db, actor) as uow:
            documents.issue_document(uow, plan, "aftercare", 99999, today=TODAY)
    with pytest.raises(ValidationError, match="not a document"):
        with work(db, actor) as uow:
            documents.issue_document(uow, plan, "invoice", today=TODAY)


# --- records, reprints, fingerprints --------------------------------------------------------------


def test_issuing_records_the_request_fingerprint_and_covered_codes_and_audits(db, actor):
    _patient, plan = clinic_with_plan(db, actor)
    with work(db, actor) as uow:
        record = documents.issue_document(uow, plan, "consent", today=TODAY)
        assert "document" in uow.changes
    with read(db, actor) as uow:
        row = uow.session.get(IssuedDocument, record.id)
        assert row.fingerprint == record.fingerprint and len(row.fingerprint) == 64
        assert row.template_version == record.template_version and row.language == "en"
        assert row.page_size == "A4" and row.issued_by == actor.name and row.times_printed == 1
        assert row.content["request"]["request"]["patient"]["full_name"] == HOSTILE_FULL
        assert set(row.content["covered_codes"]) >= {"minoxidil", "revitacare_haircare"}
        assert consent_codes(uow, plan) == frozenset(row.content["covered_codes"])
        audit = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "document.issue")).one()
        assert audit.entity_id == str(record.id) and audit.after["fingerprint"] == record.fingerprint


def test_reprint_gives_identical_bytes_counts_and_audits(db, actor):
    _patient, plan = clinic_with_plan(db, actor)
    with work(db, actor) as uow:
        record = documents.issue_document(uow, plan, "aftercare", today=TODAY)
    with work(db, actor) as uow:  # the plan changes afterwards: the reprint is still the issued copy
        draft = load_plan(uow, plan)
        save_plan(uow, draft.with_changes(components=(PROGESTERONE,)), check_ready=False)
    with work(db, actor) as uow:
        again = documents.reprint(uow, record.id)
    assert again == record.pdf
    with read(db, actor) as uow:
        assert uow.session.get(IssuedDocument, record.id).times_printed == 2
        actions = list(uow.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "document")))
    assert actions == ["document.issue", "document.reprint"]


def test_reprint_is_refused_when_the_stored_request_no_longer_matches(db, actor):
    _patient, plan = clinic_with_plan(db, actor)
    with work(db, actor) as uow:
        record = documents.issue_document(uow, plan, "consent", today=TODAY)
        uow.session.get(IssuedDocument, record.id).fingerprint = "0" * 64  # as if the wording had changed
    with pytest.raises(MesoPlanError, match="cannot be reprinted identically"):
        with work(db, actor) as uow:
            documents.reprint(uow, record.id)
    with pytest.raises(NotFound):
        with work(db, actor) as uow:
            documents.reprint(uow, 424242)


def test_verify_fingerprint_finds_the_document_by_all_or_part_of_it(db, actor):
    _patient, plan = clinic_with_plan(db, actor)
    with work(db, actor) as uow:
        consent = documents.issue_document(uow, plan, "consent", today=TODAY)
        documents.issue_document(uow, plan, "aftercare", today=TODAY)
    with read(db, actor) as uow:
        found = documents.verify_fingerprint(uow, consent.fingerprint.upper())
        by_start = documents.verify_fingerprint(uow, consent.fingerprint[:12] + "  ")
        missing = documents.verify_fingerprint(uow, "f" * 64 if not consent.fingerprint.startswith("f") else "e" * 64)
    assert [r.id for r in found] == [consent.id] == [r.id for r in by_start]
    assert found[0].kind == "consent" and found[0].patient_name == HOSTILE_FULL and found[0].plan_id == plan
    assert missing == []
    for bad, message in (("xyz12345", "hexadecimal"), ("abc", "at least"), ("a" * 65, "64 characters")):
        with pytest.raises(ValidationError, match=message):
            with read(db, actor) as uow:
                documents.verify_fingerprint(uow, bad)


def test_list_issued_by_plan_and_by_day(db, actor):
    patient, plan = clinic_with_plan(db, actor)
    other = make_plan(db, actor, patient)
    with work(db, actor) as uow:
        first = documents.issue_document(uow, plan, "consent", today=TODAY)
        second = documents.issue_document(uow, other, "aftercare", today=TODAY)
    with read(db, actor) as uow:
        assert [r.id for r in documents.list_issued(uow, plan_id=plan)] == [first.id]
        assert [r.id for r in documents.list_issued(uow, day=dt.date.today())] == [second.id, first.id]
        assert documents.list_issued(uow, day=dt.date.today() - dt.timedelta(days=3)) == []
        assert all(r.pdf is None for r in documents.list_issued(uow))


# --- the front desk -------------------------------------------------------------------------------


def test_front_desk_may_issue_documents_but_not_read_the_plan(db, actor, front_desk_actor):
    _patient, plan = clinic_with_plan(db, actor, components=(PROGESTERONE,))
    with pytest.raises(PermissionDenied):
        with read(db, front_desk_actor) as uow:
            load_plan(uow, plan)
    with work(db, front_desk_actor) as uow:
        record = documents.issue_document(uow, plan, "consent", today=TODAY)
    assert record.issued_by == front_desk_actor.name
    assert "Progesterone" in pdf_text(record.pdf)  # the form itself names the cocktail
    with work(db, front_desk_actor) as uow:
        assert documents.reprint(uow, record.id) == record.pdf


def test_an_administrator_may_not_issue_documents(db, actor, admin_actor):
    _patient, plan = clinic_with_plan(db, actor)
    with pytest.raises(PermissionDenied):
        with work(db, admin_actor) as uow:
            documents.issue_document(uow, plan, "consent", today=TODAY)


def test_sessions_on_lists_the_day_by_time_with_contact_and_issued_ticks(db, actor, front_desk_actor):
    practitioner = set_up_clinic(db, actor)
    zoe = make_patient(db, actor)
    ben = make_patient(db, actor, family="Okafor", given="Ben", sex="male", phone="0161 555 0100")
    early = make_plan(db, actor, ben, practitioner, days=(DAY,), times=(dt.time(8, 45),))
    late = make_plan(db, actor, zoe, practitioner)  # 10:30 on DAY, then 4 weeks later
    make_plan(db, actor, zoe, practitioner, days=(DAY,), statuses=("cancelled",), times=(dt.time(12, 0),))
    with read(db, front_desk_actor) as uow:
        day = day_schedule.sessions_on(uow, DAY)
    assert [(s.plan_id, s.time) for s in day][:2] == [(early, dt.time(8, 45)), (late, dt.time(10, 30))]
    assert [s.printable for s in day] == [True, True, False]
    first, second = day[0], day[1]
    assert first.patient_name == "Okafor, Ben" and first.phone == "0161 555 0100"
    assert first.date_of_birth == dt.date(1988, 6, 14) and first.practitioner == "Dr Ada Quill"
    assert second.sequence == 1 and second.session_count == 2 and second.status_label == "Planned"
    assert not second.consent_issued and not second.aftercare_issued
    assert second.indication == "Androgenetic alopecia (pattern hair loss)"
    with work(db, front_desk_actor) as uow:
        documents.issue_document(uow, late, "consent", today=TODAY)
        documents.issue_document(uow, late, "aftercare", second.session_id, today=TODAY)
    with read(db, front_desk_actor) as uow:
        again = {s.plan_id: s for s in day_schedule.sessions_on(uow, DAY)}
        later = day_schedule.sessions_on(uow, DAY + dt.timedelta(weeks=4))
    assert again[late].consent_issued and again[late].aftercare_issued
    assert not again[early].consent_issued
    assert later[0].consent_issued and not later[0].aftercare_issued  # consent is per plan, aftercare per session


def test_without_contact_permission_the_day_hides_phone_and_birth_date(db, actor, admin_actor):
    practitioner = set_up_clinic(db, actor)
    make_plan(db, actor, make_patient(db, actor), practitioner)
    with read(db, admin_actor) as uow:
        (session,) = day_schedule.sessions_on(uow, DAY)
    assert session.phone == "" and session.date_of_birth is None and session.family_name == HOSTILE_FAMILY


def test_file_names_are_safe_and_accent_free():
    name = day_schedule.document_file_name(DAY, dt.time(10, 30), "Łukasiewicz-Ağaoğlu", "Zoë", "consent")
    assert name == "2026-11-25_1030_Lukasiewicz-Agaoglu_Zoe_consent.pdf"
    hostile = day_schedule.document_file_name(DAY, None, HOSTILE_FAMILY, "../<b>Zoë</b> &amp;", "aftercare")
    assert hostile == "2026-11-25_Lukasiewicz-Agaoglu-Q_b-Zoe-b-amp_aftercare.pdf"
    assert day_schedule.document_file_name(DAY, None, "東京", "", "consent") == "2026-11-25_patient_consent.pdf"


def test_the_day_set_is_two_documents_per_session_written_owner_only(db, actor, tmp_path):
    practitioner = set_up_clinic(db, actor)
    zoe = make_patient(db, actor)
    make_plan(db, actor, zoe, practitioner)
    make_plan(db, actor, make_patient(db, actor, family="Okafor", given="Ben"), practitioner, days=(DAY,),
              times=(dt.time(8, 45),))
    make_plan(db, actor, zoe, practitioner, days=(DAY,), statuses=("cancelled",), times=(dt.time(12, 0),))
    seen = []
    with read(db, actor) as uow:
        day_set = day_schedule.prepare_day_set(uow, DAY, lambda done, total, text: seen.append((done, total)))
    assert [d.file_name for d in day_set] == [
        "2026-11-25_0845_Okafor_Ben_consent.pdf", "2026-11-25_0845_Okafor_Ben_aftercare.pdf",
        "2026-11-25_1030_Lukasiewicz-Agaoglu-Q_b-Zoe-b-amp_consent.pdf",
        "2026-11-25_1030_Lukasiewicz-Agaoglu-Q_b-Zoe-b-amp_aftercare.pdf"]
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    folder = tmp_path / "out"
    folder.mkdir()
    paths = day_schedule.write_pdf_files(folder, [(d.file_name, d.prepared.pdf) for d in day_set])
    assert sorted(p.name for p in folder.iterdir()) == sorted(d.file_name for d in day_set)
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in paths)
    with work(db, actor) as uow:
        records = day_schedule.record_day_set(uow, day_set)
    assert [r.kind for r in records] == ["consent", "aftercare"] * 2
    assert all(r.session_id is not None for r in records)


def test_the_output_folder_must_exist_and_be_a_folder(tmp_path):
    with pytest.raises(MesoPlanError, match="does not exist"):
        day_schedule.check_output_folder(tmp_path / "missing")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(MesoPlanError, match="is a file"):
        day_schedule.check_output_folder(tmp_path / "file.txt")
    assert day_schedule.check_output_folder(tmp_path) == tmp_path


def test_stored_request_is_valid_json_with_the_name_as_data(db, actor):
    _patient, plan = clinic_with_plan(db, actor)
    with work(db, actor) as uow:
        record = documents.issue_document(uow, plan, "consent", today=TODAY)
    with read(db, actor) as uow:
        content = uow.session.get(IssuedDocument, record.id).content
    assert json.loads(json.dumps(content))["request"]["request"]["patient"]["full_name"] == HOSTILE_FULL


# --- the rules' patient wording ---------------------------------------------------------------------


def _rules_with(**fields) -> str:
    rule = {"id": "X1", "title": "Test rule", "severity": "info", "source": "test",
            "explanation": "{ingredient} and {answer} need care.", "when": {"cocktail_not_empty": True}, **fields}
    return json.dumps({"version": "1", "rules": [rule]})


def test_patient_text_is_loaded_and_optional():
    from mesoplan.safety.rules import load_rules

    assert load_rules(_rules_with(patient_text="  You should know {ingredient} is used.  ")).rules[0].patient_text \
        == "You should know {ingredient} is used."
    assert load_rules(_rules_with()).rules[0].patient_text == ""


@pytest.mark.parametrize(("patient_text", "complaint"), [
    ("Ask about {dose}.", "{dose} is not a placeholder"),
    ("Your {detail} matters.", "{detail} can only be used when the explanation uses it too"),
    ("A stray { brace.", "stray brace"),
    ("   ", "must be non-empty text"),
    (42, "must be non-empty text"),
])
def test_bad_patient_text_is_refused_with_its_path(patient_text, complaint):
    from mesoplan.safety.rules import load_rules

    with pytest.raises(ValidationError) as raised:
        load_rules(_rules_with(patient_text=patient_text))
    message = str(raised.value)
    assert "rules[0] (X1).patient_text" in message and complaint in message


def test_patient_wording_takes_the_values_the_engine_put_into_the_explanation():
    from mesoplan.services.document_requests import patient_wording, placeholder_values

    explanation = "{ingredient} is an ester ({answer}); {ingredient} is not used."
    filled = "Procaine 2% is an ester (Allergy to PABA: yes); Procaine 2% is not used."
    assert placeholder_values(explanation, filled) == {"ingredient": "Procaine 2%", "answer": "Allergy to PABA: yes"}
    assert patient_wording("{ingredient} will not be used.", explanation, filled) == "Procaine 2% will not be used."
    assert patient_wording("You told us: {answer}.", explanation, filled) == "You told us: Allergy to PABA: yes."
    assert patient_wording("", explanation, filled) == ""
    # written from another text: nothing can be recovered, so no half-filled sentence is printed
    assert patient_wording("{ingredient} will not be used.", explanation, "Something else entirely.") == ""
    assert patient_wording("Plain words only.", explanation, "Something else entirely.") == "Plain words only."


def test_every_shipped_patient_text_fills_from_its_own_engine_finding():
    from mesoplan.safety.engine import _finding
    from mesoplan.safety.conditions import Hit
    from mesoplan.services.document_requests import patient_wording

    hit = Hit(ingredients=("Alpha <1> & co",), answers=("'Some answer: yes'",), details=("some detail.",))
    for rule in default_rules().rules:
        filled = _finding(rule, hit).explanation
        words = patient_wording(rule.patient_text, rule.explanation, filled)
        assert words and "{" not in words, rule.id
        if "{ingredient}" in rule.patient_text:
            assert "Alpha <1> & co" in words, rule.id
