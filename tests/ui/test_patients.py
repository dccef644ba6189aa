"""The patient list dock, the new-patient form and the patient page, driven through their widgets."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from mesoplan.access import Actor, Role
from mesoplan.errors import PermissionDenied
from mesoplan.plan import PlanDraft
from mesoplan.services import patients as patient_service
from mesoplan.services import plans as plan_service
from mesoplan.services import screenings as screening_service
from mesoplan.services import templates as template_service
from mesoplan.services.audit import AuditFilter, browse_audit
from mesoplan.services.patients import PatientInput
from mesoplan.services.uow import read, work
from mesoplan.ui import messages as _messages  # noqa: F401 - imported so the fixture can patch it
from mesoplan.ui.context import AppContext
from mesoplan.ui.navigation import NewPlan, OpenPatient, OpenPlan
from mesoplan.ui.patients.list_model import PAGE_SIZE, PatientColumn, PatientListModel
from mesoplan.ui.patients.list_panel import PatientListPanel
from mesoplan.ui.patients.models import PlanListModel, ScreeningListModel
from mesoplan.ui.patients.patient_page import PatientPage


def add_patient(db, actor, family: str, given: str = "", born: dt.date | None = None, phone: str = "",
                sex: str = "female", notes: str = "") -> int:
    with work(db, actor) as uow:
        return patient_service.create_patient(
            uow, PatientInput(family, given, born, sex, phone, notes=notes)).id


@pytest.fixture
def three_patients(db, actor) -> dict[str, int]:
    return {
        "zoe": add_patient(db, actor, "Łukasiewicz-Ağaoğlu", "Zoë", dt.date(1988, 6, 14), "+44 7700 900123"),
        "anna": add_patient(db, actor, "Müller", "Anna", dt.date(2001, 3, 14), "+49 151 555 0101"),
        "john": add_patient(db, actor, "Smith", "John", dt.date(1975, 1, 2), "020 7946 0000", "male"),
    }


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text`` key by key; letters QTest cannot name (ü, ë) arrive as a keyboard sends them."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def shown_names(panel: PatientListPanel) -> list[str]:
    model = panel.model
    return [model.index(r, PatientColumn.NAME).data() for r in range(model.rowCount())]


def search(qtbot, panel: PatientListPanel, text: str) -> list[str]:
    panel.search_edit.clear()
    type_text(qtbot, panel.search_edit, text)
    return shown_names(panel)


def test_search_as_you_type_by_name_word_accents_birth_date_and_phone(qtbot, ctx, three_patients):
    panel = PatientListPanel(ctx)
    qtbot.addWidget(panel)
    assert shown_names(panel) == ["Łukasiewicz-Ağaoğlu, Zoë", "Müller, Anna", "Smith, John"]
    assert search(qtbot, panel, "agao") == ["Łukasiewicz-Ağaoğlu, Zoë"]     # second word, no accents
    assert search(qtbot, panel, "LUKAS") == ["Łukasiewicz-Ağaoğlu, Zoë"]
    assert search(qtbot, panel, "zoe") == ["Łukasiewicz-Ağaoğlu, Zoë"]      # given name
    assert search(qtbot, panel, "mül") == ["Müller, Anna"]
    assert search(qtbot, panel, "anna mu") == ["Müller, Anna"]
    for day in ("2001-03-14", "14.03.2001", "14/03/2001"):
        assert search(qtbot, panel, day) == ["Müller, Anna"]
    assert search(qtbot, panel, "4477009") == ["Łukasiewicz-Ağaoğlu, Zoë"]
    assert search(qtbot, panel, "0207946") == ["Smith, John"]
    assert search(qtbot, panel, "nobody") == []
    assert panel.status.text() == "No patient matches “nobody”."
    assert search(qtbot, panel, "smith") == ["Smith, John"]
    assert panel.model.index(0, PatientColumn.BORN).data().startswith("1975-01-02 (")
    assert panel.model.index(0, PatientColumn.PHONE).data() == "020 7946 0000"


def test_enter_in_the_search_box_opens_the_patient_page(qtbot, ctx, three_patients):
    panel = PatientListPanel(ctx)
    qtbot.addWidget(panel)
    opened = []
    ctx.navigate.connect(opened.append)
    qtbot.keyClicks(panel.search_edit, "smi")
    qtbot.keyClick(panel.search_edit, Qt.Key.Key_Return)
    assert opened == [OpenPatient(three_patients["john"])]
    panel.search_edit.clear()
    qtbot.keyClick(panel.search_edit, Qt.Key.Key_Down)          # into the list, first row
    assert panel.table.hasFocus() or panel.table.currentIndex().row() == 0
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened[-1] == OpenPatient(three_patients["anna"])
    with qtbot.waitExposed(panel):
        panel.show()
    row = panel.table.visualRect(panel.model.index(0, 0)).center()
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=row)
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert opened[-1] == OpenPatient(three_patients["zoe"])


def test_keyset_paging_loads_the_next_page_when_scrolled_to_the_end(qtbot, ctx, db, actor):
    with work(db, actor) as uow:
        for number in range(PAGE_SIZE * 2 + 50):
            patient_service.create_patient(uow, PatientInput(f"Paging{number:04d}", "Pat"))
    panel = PatientListPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(500, 400)
    panel.show()
    model = panel.model
    assert model.rowCount() == PAGE_SIZE and model.canFetchMore()
    assert panel.status.text() == f"First {PAGE_SIZE} shown; scroll for more"
    panel.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == PAGE_SIZE * 2)
    panel.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == PAGE_SIZE * 2 + 50)
    assert not model.canFetchMore()
    names = shown_names(panel)
    assert names == sorted(names) and len(set(names)) == len(names)
    assert names[-1] == f"Paging{PAGE_SIZE * 2 + 49:04d}, Pat"
    assert panel.status.text() == f"{PAGE_SIZE * 2 + 50} patients"


def test_new_patient_form_shows_problems_at_the_field_then_adds_the_patient(qtbot, ctx, db, messages):
    panel = PatientListPanel(ctx)
    qtbot.addWidget(panel)
    opened = []
    ctx.navigate.connect(opened.append)
    dialog = panel.new_patient()
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    form = dialog.form
    assert dialog.isVisible()
    assert form.errors.message_for(form.family_name) == "Family name is required."
    type_text(qtbot, form.given_names, "Zoë")
    qtbot.keyClicks(form.date_of_birth.line, "31.02.1990")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "not a date" in form.errors.message_for(form.date_of_birth)
    form.date_of_birth.clear()
    qtbot.keyClicks(form.date_of_birth.line, "14.06.1988")
    qtbot.keyClicks(form.family_name, "O'Brien <b>&amp;")
    qtbot.keyClicks(form.phone, "+44 7700 900999")
    qtbot.keyClicks(form.notes, "Prefers mornings")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and messages.errors == []
    record = dialog.record
    assert (record.family_name, record.given_names, record.date_of_birth, record.notes) == (
        "O'Brien <b>&amp;", "Zoë", dt.date(1988, 6, 14), "Prefers mornings")
    assert shown_names(panel) == ["O'Brien <b>&amp;, Zoë"]
    assert panel.selected_patient_id() == record.id
    assert opened == [OpenPatient(record.id)]
    with read(db, ctx.actor) as uow:
        entries = browse_audit(uow, AuditFilter(action="patient.create", entity_id=str(record.id)))
    assert [(e.actor, e.entity_type) for e in entries] == [("Dr Test", "patient")]


def test_patient_page_saves_with_the_version_and_reports_a_conflict(qtbot, ctx, db, messages, three_patients):
    patient_id = three_patients["anna"]
    page = PatientPage(ctx, patient_id)
    qtbot.addWidget(page)
    assert page.tab_title() == "Müller, Anna" and not page.can_save()
    with qtbot.waitSignal(page.modified_changed):
        qtbot.keyClicks(page.form.phone, "-22")
    assert page.is_modified() and page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not page.is_modified() and messages.errors == []
    with read(db, ctx.actor) as uow:
        stored = patient_service.get_patient(uow, patient_id)
    assert stored.phone == "+49 151 555 0101-22" and stored.version > 1

    other = Actor(name="Dr Other", roles=frozenset({Role.PRACTITIONER}))
    with work(db, other) as uow:
        patient_service.update_patient(uow, patient_id, replace(stored.as_input(), email="theirs@example.org"),
                                       stored.version)
    page.form.email.clear()
    qtbot.keyClicks(page.form.email, "mine@example.org")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Dr Other" in page.banner.text() and "not saved" in page.banner.text()
    assert page.form.email.text() == "mine@example.org" and page.is_modified()
    reload_button = page.banner.buttons()[0]
    qtbot.mouseClick(reload_button, Qt.MouseButton.LeftButton)
    assert page.form.email.text() == "theirs@example.org" and not page.is_modified()
    assert page.banner.text() == ""


def test_patient_page_validation_problem_is_shown_at_the_field(qtbot, ctx, three_patients, messages):
    page = PatientPage(ctx, three_patients["john"])
    qtbot.addWidget(page)
    qtbot.keyClicks(page.form.email, "not-an-address")
    assert not page.save()
    assert "does not look like an e-mail address" in page.form.errors.message_for(page.form.email)
    assert page.form.email.text() == "not-an-address" and messages.errors == []


def test_closing_a_modified_page_asks_first(qtbot, ctx, three_patients, messages):
    page = PatientPage(ctx, three_patients["john"])
    qtbot.addWidget(page)
    assert page.maybe_close()
    qtbot.keyClicks(page.form.given_names, "ny")
    messages.answers = [False]
    assert not page.maybe_close()
    assert "have not been saved" in messages.confirmations[0]


def test_page_shows_plans_and_opens_or_starts_them(qtbot, ctx, db, actor, three_patients):
    patient_id = three_patients["zoe"]
    with work(db, actor) as uow:
        saved = plan_service.save_plan(uow, PlanDraft(patient_id=patient_id, indication="androgenetic_alopecia",
                                                      start_date=dt.date(2030, 1, 5)))
        template = template_service.save_template(uow, "Scalp starter", saved)
    page = PatientPage(ctx, patient_id)
    qtbot.addWidget(page)
    panel = page.clinical_panel
    assert panel.plans_model.rowCount() == 1
    assert panel.plans_model.index(0, 1).data() == "Draft"
    assert panel.plans_model.index(0, 2).data() == "2030-01-05"
    requests = []
    ctx.navigate.connect(requests.append)
    panel.plans_table.setCurrentIndex(panel.plans_model.index(0, 0))
    qtbot.mouseClick(panel.open_plan_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.new_plan_button, Qt.MouseButton.LeftButton)
    assert not panel.template_button.isHidden()
    panel.template_menu.actions()[0].trigger()
    assert requests == [OpenPlan(saved.id), NewPlan(patient_id), NewPlan(patient_id, template.id)]


def test_front_desk_sees_and_edits_contact_details_only(qtbot, db, actor, front_desk_actor, messages):
    from mesoplan.ui.tasks import TaskRunner

    patient_id = add_patient(db, actor, "Ní Bhriain", "Siobhán", notes="Keloid history")
    with work(db, actor) as uow:
        screening_service.add_screening(uow, patient_id, dt.date.today(), {"pregnant": True})
    TaskRunner.synchronous = True
    try:
        desk = AppContext(db, front_desk_actor)
        page = PatientPage(desk, patient_id)
        qtbot.addWidget(page)
        assert page.strip is None and page.clinical_panel is None
        assert page.form.notes.isHidden() and "Keloid" not in page.form.notes.toPlainText()
        assert page.record.notes is None
        qtbot.keyClicks(page.form.phone, "01 23 45")
        assert page.save() and messages.errors == []
    finally:
        TaskRunner.synchronous = False
    with read(db, actor) as uow:
        stored = patient_service.get_patient(uow, patient_id)
    assert stored.phone == "01 23 45" and stored.notes == "Keloid history"
    with pytest.raises(PermissionDenied):
        with read(db, front_desk_actor) as uow:
            screening_service.list_screenings(uow, patient_id)
    with pytest.raises(PermissionDenied):
        with work(db, front_desk_actor) as uow:
            screening_service.add_screening(uow, patient_id, dt.date.today(), {"pregnant": False})
    with pytest.raises(PermissionDenied):
        with read(db, front_desk_actor) as uow:
            plan_service.list_plans(uow, patient_id)


def test_patient_models_pass_the_model_tester(qtbot, qtmodeltester, ctx, db, actor, three_patients):
    model = PatientListModel(ctx)
    model.search("")
    assert model.rowCount() == 3
    qtmodeltester.check(model)
    with work(db, actor) as uow:
        screening_service.add_screening(uow, three_patients["anna"], dt.date(2024, 5, 1), {"pregnant": True})
        plan_service.save_plan(uow, PlanDraft(patient_id=three_patients["anna"], indication="pigmentation"))
    with read(db, actor) as uow:
        screenings = screening_service.list_screenings(uow, three_patients["anna"])
        plans = plan_service.list_plans(uow, three_patients["anna"])
    screenings_model = ScreeningListModel()
    screenings_model.set_screenings(screenings, {screenings[0].id: "1 alert: Pregnant"})
    plans_model = PlanListModel()
    plans_model.set_rows(plans)
    for table in (screenings_model, plans_model):
        assert table.rowCount() == 1
        qtmodeltester.check(table)
