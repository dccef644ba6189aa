"""The administration dialogs driven through their widgets: users and roles, the audit browser with
the chain check, backups and restore, clinic settings (details, logo, practitioners, rule
re-classification), privacy, file import/export, and what a front-desk user is shown."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QComboBox

from mesoplan.access import Role
from mesoplan.errors import PermissionDenied, ValidationError
from mesoplan.evaluation import evaluate
from mesoplan.plan import ComponentDraft, PlanDraft
from mesoplan.services import clinic
from mesoplan.services import patients as patient_service
from mesoplan.services import screenings as screening_service
from mesoplan.services.audit import AuditFilter, browse_audit
from mesoplan.services.backups import backup_to_file, list_rolling_backups
from mesoplan.services.evaluation import load_plan_context
from mesoplan.services.patients import PatientInput
from mesoplan.services.privacy import anonymise_patient
from mesoplan.services.uow import read, work
from mesoplan.services.users import add_user, list_users, sign_in
from mesoplan.ui import messages as _messages  # noqa: F401 - imported so the fixture can patch it
from mesoplan.ui.actions import ActionId
from mesoplan.ui.admin import forms
from mesoplan.ui.admin.audit_model import AuditTableModel, DiffModel, diff_rows
from mesoplan.ui.admin.backups_dialog import BackupsDialog, RestoreHooks
from mesoplan.ui.admin.privacy_dialog import CONFIRM_WORD, PrivacyDialog
from mesoplan.ui.admin.rules_panel import RuleColumn
from mesoplan.ui.main_window import MainWindow
from mesoplan.ui.navigation import OpenPatient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_clinic_service import tiny_png  # noqa: E402

PASSWORD = "plum tree seven"


@pytest.fixture
def boss(db, actor):
    """An account holding the administrator and practitioner roles."""
    with work(db, actor) as uow:
        return add_user(uow, "boss", PASSWORD, {Role.ADMINISTRATOR, Role.PRACTITIONER},
                        display_name="Dr Boss").actor


def dispose(widget) -> None:
    """Close and really delete a window now, so later tests do not restyle its widgets."""
    widget.close()
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


@pytest.fixture
def window(qtbot, ctx, boss):
    ctx.set_actor(boss)
    main = MainWindow(ctx)
    main.show()
    yield main
    dispose(main)


@pytest.fixture
def informed(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(forms, "inform", lambda _parent, title, text: said.append(f"{title}: {text}"))
    return said


def type_into(qtbot, widget, text: str) -> None:
    """Replace the text by typing it key by key (letters QTest cannot name arrive as a keyboard sends them)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    widget.clear()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def select_row_where(table, column: int, text: str) -> int:
    model = table.model()
    for row in range(model.rowCount()):
        if model.index(row, column).data() == text:
            table.selectRow(row)
            return row
    raise AssertionError(f"no row with {text!r}")


def open_from_menu(window, action_id):
    window.actions_[action_id].trigger()
    return window.extras.dialog


# --- users and roles -------------------------------------------------------------------------------


def test_users_dialog_adds_a_front_desk_user_and_changes_their_roles(qtbot, window, db, actor, messages):
    dialog = open_from_menu(window, ActionId.USERS)
    click(qtbot, dialog.add_button)
    add = dialog.child
    type_into(qtbot, add.username, "desk1")
    type_into(qtbot, add.display_name, "Zoë <Front> & Desk")
    type_into(qtbot, add.password, PASSWORD)
    type_into(qtbot, add.password_again, PASSWORD)
    click(qtbot, add.accept_button)
    assert add.errors.message_for(add.roles) == "Give the user at least one role."  # nothing ticked yet
    add.roles.boxes[Role.FRONT_DESK].setChecked(True)
    click(qtbot, add.accept_button)
    assert add.result() == add.DialogCode.Accepted
    row = select_row_where(dialog.table, 0, "desk1")
    assert dialog.model.index(row, 1).data() == "Zoë <Front> & Desk"
    assert dialog.model.index(row, 2).data() == "Front desk"

    click(qtbot, dialog.roles_button)
    roles = dialog.child
    roles.roles.boxes[Role.PRACTITIONER].setChecked(True)
    click(qtbot, roles.accept_button)
    assert dialog.model.index(select_row_where(dialog.table, 0, "desk1"), 2).data() == "Front desk, Practitioner"
    with read(db, actor) as uow:
        [change] = browse_audit(uow, AuditFilter(action="user.roles"))
        users = {u.username: u for u in list_users(uow)}
    assert change.before == {"roles": ["front_desk"]}
    assert change.after == {"roles": ["front_desk", "practitioner"]}
    assert users["desk1"].roles == {Role.FRONT_DESK, Role.PRACTITIONER}

    click(qtbot, dialog.password_button)
    new_password = dialog.child
    type_into(qtbot, new_password.password, "another long one")
    type_into(qtbot, new_password.password_again, "another long one")
    click(qtbot, new_password.accept_button)
    assert sign_in(db, "desk1", "another long one").roles == {Role.FRONT_DESK, Role.PRACTITIONER}


def test_the_last_administrator_cannot_be_disabled_and_the_service_says_why(qtbot, window, messages):
    dialog = open_from_menu(window, ActionId.USERS)
    select_row_where(dialog.table, 0, "boss")
    assert dialog.active_button.text() == "&Disable"
    click(qtbot, dialog.active_button)
    assert messages.errors == [("The account was not changed", "Nothing was saved. Please correct:\n"
                                "• user boss: is the only active administrator; make someone else "
                                "an administrator first")]
    assert dialog.model.index(0, 4).data().startswith("Active")


# --- the audit trail -------------------------------------------------------------------------------


def test_audit_browser_filters_by_action_and_shows_before_and_after(qtbot, window, db, actor):
    with work(db, actor) as uow:
        add_user(uow, "desk1", PASSWORD, {Role.FRONT_DESK})
    with work(db, actor) as uow:
        from mesoplan.services.users import set_roles

        set_roles(uow, "desk1", {Role.PRACTITIONER})
    dialog = open_from_menu(window, ActionId.AUDIT)
    dialog.action.setCurrentIndex(dialog.action.findData("user"))
    click(qtbot, dialog.apply_button)
    actions = [dialog.model.index(r, 2).data() for r in range(dialog.model.rowCount())]
    assert actions == ["user.roles", "user.create", "user.create"]
    assert dialog.count_label.text() == "3 entries match, newest first."
    assert dialog.detail_title.text() == "Roles of desk1 changed"
    assert [(r.field, r.before, r.after, r.changed) for r in dialog.diff_model._records] == [
        ("roles", "front_desk", "practitioner", True)]
    dialog.action.setCurrentIndex(dialog.action.findData("user.create"))
    type_into(qtbot, dialog.actor.lineEdit(), "dr test")
    click(qtbot, dialog.apply_button)
    assert dialog.model.rowCount() == 2
    dialog.table.selectRow(1)
    shown = {(r.field, r.before, r.after) for r in dialog.diff_model._records}
    assert {("username", "—", "boss"), ("display name", "—", "Dr Boss"), ("active", "—", "yes")} <= shown
    type_into(qtbot, dialog.until.line, "2001-01-01")
    click(qtbot, dialog.apply_button)
    assert dialog.model.rowCount() == 0 and dialog.count_label.text() == "No entries match."


def test_verify_chain_reports_intact_then_the_entry_that_was_tampered_with(qtbot, window, db, actor):
    dialog = open_from_menu(window, ActionId.AUDIT)
    click(qtbot, dialog.verify_button)
    assert dialog.result_banner.text().startswith("The audit trail is intact:")
    assert dialog.result_banner.property("severity") == "ok"
    with read(db, actor) as uow:
        victim = browse_audit(uow, AuditFilter(action="user.create"))[0].id
    connection = sqlite3.connect(db.sqlite_path)
    connection.execute("UPDATE audit_entry SET summary = 'nothing to see' WHERE id = ?", (victim,))
    connection.commit()
    connection.close()
    click(qtbot, dialog.verify_button)
    assert dialog.result_banner.text().startswith(
        f"The audit trail is broken at entry {victim}: it was changed after it was written.")
    assert dialog.result_banner.property("severity") == "block"


def test_diff_rows_flatten_nested_values_readably():
    rows = diff_rows({"R05": {"severity": "acknowledge", "enabled": True}, "tags": ["a", "b"]},
                     {"R05": {"severity": "block", "enabled": True}, "tags": ["a", "b"], "new": None})
    assert [(r.field, r.before, r.after, r.changed) for r in rows] == [
        ("R05.severity", "acknowledge", "block", True), ("R05.enabled", "yes", "yes", False),
        ("tags", "a, b", "a, b", False), ("new", "—", "—", False)]
    [cocktail] = diff_rows(None, {"cocktail": [{"code": "hyaluronidase", "volume_ml": 1.5}, {"code": "b"}]})
    assert (cocktail.before, cocktail.after) == ("—", "code: hyaluronidase, volume ml: 1.5; code: b")


# --- backups ---------------------------------------------------------------------------------------


def test_backups_dialog_makes_a_private_backup_and_saves_a_copy(qtbot, window, db, actor, tmp_path,
                                                               monkeypatch, informed, messages):
    dialog = open_from_menu(window, ActionId.BACKUP_NOW) or None
    assert dialog is None  # Back up now makes the copy at once, without a dialog
    assert "Backup copy saved" in window.statusBar().currentMessage()
    window.extras.backups_action.trigger()
    dialog = window.extras.dialog
    assert isinstance(dialog, BackupsDialog) and dialog.model.rowCount() == 1
    click(qtbot, dialog.backup_button)
    assert dialog.model.rowCount() == 2
    for backup in list_rolling_backups(db):
        assert stat.S_IMODE(os.stat(backup.path).st_mode) == 0o600
    target = tmp_path / "elsewhere" / "copy.sqlite3"
    target.parent.mkdir()
    monkeypatch.setattr(forms, "ask_save_path", lambda *args: target)
    click(qtbot, dialog.copy_button)
    assert target.exists() and stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert informed and str(target) in informed[0]
    click(qtbot, dialog.copy_button)  # never overwritten
    assert messages.errors[-1][0] == "No copy was saved" and "already exists" in messages.errors[-1][1]
    with read(db, actor) as uow:
        assert len(browse_audit(uow, AuditFilter(action="backup.create"))) == 1


def test_restore_replaces_the_database_after_the_window_let_go_of_it(qtbot, ctx, db, actor, boss, tmp_path,
                                                                     informed, messages):
    ctx.set_actor(boss)
    backup = tmp_path / "before.sqlite3"
    backup_to_file(db, boss, backup)
    with work(db, actor) as uow:
        patient_service.create_patient(uow, PatientInput("Later", "Added"))
    calls: list[str] = []
    hooks = RestoreHooks(lambda: calls.append("prepare") or True, lambda: calls.append("finished"),
                         lambda: calls.append("failed"))
    dialog = BackupsDialog(ctx, hooks=hooks)
    qtbot.addWidget(dialog)
    dialog.restore(backup)
    assert calls == ["prepare", "finished"]
    assert "Restore before.sqlite3 (0 patients)?" in messages.confirmations[0]
    assert informed[0].startswith("Backup restored: The database now holds the backup before.sqlite3.")
    with read(db, actor) as uow:  # the engine opens the restored file
        assert patient_service.count_patients(uow) == 0
        assert browse_audit(uow, AuditFilter(action="backup.restore"), limit=1)
    assert list(db.sqlite_path.parent.glob("clinic.before-restore-*.sqlite3"))


def test_a_damaged_file_is_not_restored_and_nothing_is_closed(qtbot, ctx, boss, tmp_path, messages):
    ctx.set_actor(boss)
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all")
    calls: list[str] = []
    dialog = BackupsDialog(ctx, hooks=RestoreHooks(lambda: calls.append("prepare") or True, lambda: None))
    qtbot.addWidget(dialog)
    dialog.restore(broken)
    assert calls == [] and messages.confirmations == []
    assert messages.errors[0][0] == "This backup cannot be restored"
    assert messages.errors[0][1].endswith("Nothing was changed.")


# --- clinic settings -------------------------------------------------------------------------------


def test_clinic_settings_save_details_logo_practitioner_and_a_rule_reclassification(
        qtbot, window, db, actor, tmp_path, monkeypatch, messages):
    logo_file = tmp_path / "logo.png"
    logo_file.write_bytes(tiny_png(40, 20))
    dialog = open_from_menu(window, ActionId.CLINIC_SETTINGS)
    form = dialog.details_form
    type_into(qtbot, form.name, "Klinik Łódź & <Partner>")
    type_into(qtbot, form.phone, "+48 42 000 00 00")
    monkeypatch.setattr(forms, "ask_open_path", lambda *args: logo_file)
    click(qtbot, form.logo.choose_button)
    assert not form.logo.preview.pixmap().isNull()

    dialog.tabs.setCurrentIndex(1)
    click(qtbot, dialog.practitioners.add_button)
    person = dialog.practitioners.child
    click(qtbot, person.save_button)
    assert person.errors.message_for(person.name) == "Name is required."
    type_into(qtbot, person.name, "Dr Ida Kowalska")
    type_into(qtbot, person.registration, "NIL 1234567")
    click(qtbot, person.save_button)
    select_row_where(dialog.practitioners.table, 0, "Dr Ida Kowalska")

    dialog.tabs.setCurrentIndex(3)
    table, model = dialog.rules.table, dialog.rules.model
    row = next(r for r in range(model.rowCount()) if model.index(r, RuleColumn.ID).data() == "R05")
    index = model.index(row, RuleColumn.CLINIC)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.indexWidget(index)
    assert isinstance(editor, QComboBox)
    editor.setCurrentIndex(editor.findData("block"))
    editor.activated.emit(editor.currentIndex())
    assert model.index(row, RuleColumn.CLINIC).data() == "Block"
    assert model.index(row, RuleColumn.CLINIC).data(Qt.ItemDataRole.FontRole).bold()
    click(qtbot, dialog.save_button)
    assert messages.errors == []
    assert dialog.result() == dialog.DialogCode.Accepted

    with read(db, actor) as uow:
        details = clinic.get_clinic_settings(uow).details
        people = clinic.list_practitioners(uow)
        choices = {c.rule_id: c for c in clinic.list_rule_choices(uow)}
    assert (details.name, details.phone, details.logo_png) == ("Klinik Łódź & <Partner>", "+48 42 000 00 00",
                                                               logo_file.read_bytes())
    assert [(p.name, p.registration_number) for p in people] == [("Dr Ida Kowalska", "NIL 1234567")]
    assert choices["R05"].severity == "block"
    with work(db, actor) as uow:
        patient = patient_service.create_patient(uow, PatientInput("Sting", "Allergic"))
        screening_service.add_screening(uow, patient.id, dt.date.today(), {"allergy_bee_wasp_venom": True})
    draft = PlanDraft(patient_id=patient.id, indication="cellulite",
                      components=(ComponentDraft("ingredient", "hyaluronidase", "Hyaluronidase", 1.0),))
    with read(db, actor) as uow:
        findings = evaluate(draft, load_plan_context(uow, draft)).findings
    assert [f.severity for f in findings if f.rule_id == "R05"] == ["block"]


def test_bad_clinic_details_are_shown_at_their_fields_and_nothing_is_saved(qtbot, window, db, actor, messages):
    dialog = open_from_menu(window, ActionId.CLINIC_SETTINGS)
    type_into(qtbot, dialog.details_form.email, "reception at clinic")
    dialog.details_form.jurisdiction.setEditText("England")
    dialog.tabs.setCurrentIndex(2)
    click(qtbot, dialog.save_button)
    assert dialog.isVisible() and dialog.tabs.currentIndex() == 0
    assert dialog.errors.message_for(dialog.details_form.email) == \
        "'reception at clinic' does not look like an e-mail address."
    assert "is not a country or region code" in dialog.errors.message_for(dialog.details_form.jurisdiction)
    with read(db, actor) as uow:
        assert browse_audit(uow, AuditFilter(action="settings.update")) == []
    messages.answers = [False]  # Cancel asks first; "Keep editing" keeps what was typed
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Cancel))
    assert dialog.isVisible() and dialog.details_form.email.text() == "reception at clinic"
    assert messages.confirmations == ["The changes to the clinic details, policies or safety rules "
                                      "have not been saved."]


def test_policies_are_saved_and_rearm_the_idle_lock(qtbot, window, db, actor):
    dialog = open_from_menu(window, ActionId.CLINIC_SETTINGS)
    dialog.policies.lock_enabled.setChecked(True)
    dialog.policies.idle_minutes.setValue(7)
    dialog.policies.retention_years.setValue(12)
    click(qtbot, dialog.save_button)
    from mesoplan.services.users import get_safety_settings

    with read(db, actor) as uow:
        policy = get_safety_settings(uow)
    assert (policy.idle_lock_minutes, policy.retention_years) == (7, 12)
    assert window.extras.lock.idle.minutes == 7


# --- privacy -------------------------------------------------------------------------------------


def test_privacy_refuses_anonymising_before_retention_and_exports_a_private_file(
        qtbot, ctx, db, actor, boss, tmp_path, monkeypatch, informed):
    ctx.set_actor(boss)
    with work(db, actor) as uow:
        patient = patient_service.create_patient(uow, PatientInput("Nowak", "Ewa", dt.date(1990, 5, 1)))
    dialog = PrivacyDialog(ctx, patient.id)
    qtbot.addWidget(dialog)
    until = dt.date.today().replace(year=dt.date.today().year + 10).isoformat()
    assert dialog.who.text() == "Ewa Nowak"
    assert f"anonymising is possible from {until}, not before" in dialog.retention.text()
    assert not dialog.anonymise_button.isEnabled()
    with pytest.raises(ValidationError, match=f"can be anonymised from {until}, not before"):
        with work(db, boss) as uow:
            anonymise_patient(uow, patient.id)
    target = tmp_path / "request.json"
    monkeypatch.setattr(forms, "ask_save_path", lambda *args: target)
    click(qtbot, dialog.export_button)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["patients"][0]["family_name"] == "Nowak"
    assert document["privacy_request"]["patient_id"] == patient.id
    assert informed and "readable by your user account only" in informed[0]


def test_a_patient_past_retention_is_listed_and_anonymised_after_typing_the_word(
        qtbot, ctx, db, actor, boss, informed, messages):
    from mesoplan.db.models import Patient

    ctx.set_actor(boss)
    with work(db, actor) as uow:
        old = patient_service.create_patient(uow, PatientInput("Dawn", "Old")).id
        patient_service.create_patient(uow, PatientInput("Recent", "New"))
        uow.session.get(Patient, old).created_at = dt.datetime(2001, 2, 3)
    dialog = PrivacyDialog(ctx, None)
    qtbot.addWidget(dialog)
    assert dialog.due_model.rowCount() == 1
    dialog.due_table.setCurrentIndex(dialog.due_model.index(0, 0))
    assert dialog.patient.value() == old and dialog.anonymise_button.isEnabled()
    assert "ended on 2011-02-03" in dialog.retention.text()
    click(qtbot, dialog.anonymise_button)
    confirm = dialog.child
    qtbot.keyClicks(confirm.word, CONFIRM_WORD.lower())
    assert not confirm.confirm_button.isEnabled()
    type_into(qtbot, confirm.word, CONFIRM_WORD)
    click(qtbot, confirm.confirm_button)
    assert messages.errors == []
    assert informed and informed[0].startswith(f"Patient anonymised: Patient {old} was anonymised")
    with read(db, actor) as uow:
        assert patient_service.get_patient(uow, old).family_name == "Anonymised"
    assert dialog.due_model.rowCount() == 0 and dialog.retention.text().startswith("Anonymised on")


# --- files ---------------------------------------------------------------------------------------


def test_export_and_import_of_a_patient_through_the_file_menu(qtbot, window, db, actor, tmp_path,
                                                              monkeypatch, messages):
    with work(db, actor) as uow:
        patient = patient_service.create_patient(uow, PatientInput("Ağaoğlu", "Çağrı", dt.date(1985, 1, 2)))
    window.handle_navigation(OpenPatient(patient.id))
    target = tmp_path / "one.json"
    monkeypatch.setattr(forms, "ask_save_path", lambda *args: target)
    window.actions_[ActionId.EXPORT_PATIENT].trigger()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["patients"][0]["given_names"] == "Çağrı"
    monkeypatch.setattr(forms, "ask_open_path", lambda *args: target)
    window.actions_[ActionId.IMPORT].trigger()
    assert messages.errors == []
    assert window.statusBar().currentMessage().startswith("Imported 1 patient(s)")
    with read(db, actor) as uow:
        found = patient_service.search_patients(uow, "Ağaoğlu")
    assert len(found) == 2


# --- permissions and models ----------------------------------------------------------------------


def test_front_desk_sees_no_administration_and_the_services_refuse(request, ctx, db, front_desk_actor, tmp_path):
    ctx.set_actor(front_desk_actor)
    main = MainWindow(ctx)
    main.show()
    request.addfinalizer(lambda: dispose(main))
    for action_id in (ActionId.CLINIC_SETTINGS, ActionId.USERS, ActionId.AUDIT, ActionId.BACKUP_NOW,
                      ActionId.IMPORT, ActionId.EXPORT_PATIENT):
        assert not main.actions_[action_id].isVisible()
    assert not main.extras.backups_action.isVisible() and not main.extras.privacy_action.isVisible()
    menus = {a.text().replace("&", ""): a.isVisible() for a in main.menuBar().actions()}
    assert menus["Administration"] is False and menus["File"] is True
    from mesoplan.services.audit import browse_audit as browse
    from mesoplan.services.users import list_users as users

    for call in (lambda uow: users(uow), lambda uow: browse(uow),
                 lambda uow: clinic.update_clinic_settings(uow, clinic.ClinicDetails()),
                 lambda uow: clinic.save_rule_choices(uow, {})):
        with pytest.raises(PermissionDenied):
            with work(db, front_desk_actor) as uow:
                call(uow)
    with pytest.raises(PermissionDenied):
        backup_to_file(db, front_desk_actor, tmp_path / "x.sqlite3")


def test_every_admin_table_model_passes_the_model_tester(qtbot, qtmodeltester, window, db, actor, monkeypatch):
    from mesoplan.ui.admin import audit_model

    with work(db, actor) as uow:
        for number in range(4):
            uow.audit("test.entry", "thing", number, f"Entry {number}", before={"n": number}, after={"n": number + 1})
    monkeypatch.setattr(audit_model, "PAGE_SIZE", 2)
    model = AuditTableModel(window.ctx)
    model.reload()
    assert model.rowCount() == 2 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 4
    qtmodeltester.check(model)
    diff = DiffModel()
    diff.set_rows(diff_rows({"a": 1}, {"a": 2, "b": [1]}))
    qtmodeltester.check(diff)
    users = open_from_menu(window, ActionId.USERS)
    qtmodeltester.check(users.model)
    users.done(0)
    settings_dialog = open_from_menu(window, ActionId.CLINIC_SETTINGS)
    qtmodeltester.check(settings_dialog.rules.model)
    qtmodeltester.check(settings_dialog.practitioners.model)
    settings_dialog.done(0)
    window.extras.backups_action.trigger()
    click(qtbot, window.extras.dialog.backup_button)
    qtmodeltester.check(window.extras.dialog.model)
    window.extras.dialog.done(0)
    privacy = PrivacyDialog(window.ctx, None)
    qtbot.addWidget(privacy)
    qtmodeltester.check(privacy.due_model)
