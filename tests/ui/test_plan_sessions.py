"""Sessions in the plan editor: recording a session as done with its lots (expired lots refused),
moving dates, and acknowledging findings with a reason."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt

from mesoplan.plan import Acknowledgement
from mesoplan.services import catalog, plans
from mesoplan.ui.plan_editor.acknowledge_dialog import AcknowledgeDialog
from mesoplan.ui.plan_editor.record_done_dialog import RecordDoneDialog

# Helpers shared with the main editor tests (same folder; pytest puts it on sys.path).
from test_plan_editor import TODAY, add_from_catalog, make_patient, start_plan, when_dialog_opens


def generate(qtbot, page, start: dt.date, code="scalp_vitamin_cocktail") -> None:
    sessions = page.sessions_panel
    page.tabs.setCurrentWidget(sessions)
    sessions.protocol_combo.setCurrentIndex(sessions.protocol_combo.findData(code))
    sessions.start_edit.setDate(QDate(start.year, start.month, start.day))
    qtbot.mouseClick(sessions.generate_button, Qt.MouseButton.LeftButton)


def test_recording_a_session_as_done_refuses_an_expired_lot(qtbot, ctx, messages):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    with ctx.work() as uow:
        catalog.add_batch(uow, "ingredient", "dexpanthenol", "OLD-1", TODAY - dt.timedelta(days=40))
        catalog.add_batch(uow, "ingredient", "dexpanthenol", "GOOD-2", TODAY + dt.timedelta(days=300))
    page = start_plan(qtbot, ctx, patient_id)
    add_from_catalog(qtbot, page, "ingredient", "dexpanthenol")
    start = TODAY - dt.timedelta(days=21)
    generate(qtbot, page, start)
    sessions = page.sessions_panel
    editor = sessions.editor
    sessions.select(4)
    assert not editor.record_button.isEnabled()  # a future session cannot be done yet
    sessions.select(0)
    assert editor.record_button.isEnabled()

    seen = {}

    def record(dialog: RecordDoneDialog) -> None:
        combo = dialog.combos[("ingredient", "dexpanthenol")]
        seen["items"] = [combo.itemText(i) for i in range(combo.count())]
        dialog.choose("dexpanthenol", "OLD-1")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        seen["still_open"] = dialog.isVisible()
        seen["errors"] = list(messages.errors)
        dialog.choose("dexpanthenol", "GOOD-2")
        qtbot.keyClicks(dialog.reactions_edit, "Redness <1 h> & mild itch")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    handled = when_dialog_opens(record)
    qtbot.mouseClick(editor.record_button, Qt.MouseButton.LeftButton)
    assert handled == ["RecordDoneDialog"]
    assert any("OLD-1" in text and "EXPIRED" in text for text in seen["items"])
    assert not any("GOOD-2" in text and "EXPIRED" in text for text in seen["items"])
    assert seen["still_open"] is True
    title, text = seen["errors"][-1]
    assert title == "Expired lot"
    assert f"Lot OLD-1 of Dexpanthenol expired on {(TODAY - dt.timedelta(days=40)).isoformat()}" in text

    done = page.document.draft.sessions[0]
    assert done.status == "done"
    assert [(b.lot_number, b.item_name) for b in done.batches] == [("GOOD-2", "Dexpanthenol")]
    assert done.reactions == "Redness <1 h> & mild itch"
    assert "GOOD-2" in editor.done_label.text()
    assert not editor.date_edit.isEnabled()  # done sessions keep their date

    # Moving a later session keeps the done one where it is.
    sessions.select(1)
    second = page.document.draft.sessions[1].planned_date
    editor.move_session(second + dt.timedelta(days=2))
    assert page.document.draft.sessions[0].planned_date == start
    assert page.document.draft.sessions[1].planned_date == second + dt.timedelta(days=2)
    assert editor.move_session(start) is False  # not onto or before the done session
    assert "must come after session 1" in messages.errors[-1][1]
    assert page.document.draft.sessions[1].planned_date == second + dt.timedelta(days=2)
    # Generating the series again would lose the record: refused.
    qtbot.mouseClick(sessions.generate_button, Qt.MouseButton.LeftButton)
    assert messages.errors[-1][0] == "Sessions already done"
    assert page.document.draft.sessions[0].status == "done"

    assert page.save()
    with ctx.read() as uow:
        stored = plans.load_plan(uow, page.current_plan_id()).sessions[0]
    assert stored.status == "done" and stored.performed_by == "Dr Test"
    assert [b.lot_number for b in stored.batches] == ["GOOD-2"]
    sessions.select(0)
    assert editor.done_label.text().startswith(f"Done by Dr Test on {stored.performed_at:%Y-%m-%d}.")


def test_record_done_dialog_lists_each_item_once(qtbot):
    from mesoplan.plan import ComponentDraft, SessionDraft
    from mesoplan.services.catalog import BatchRecord

    session = SessionDraft(1, TODAY)
    batch = BatchRecord(7, "ingredient", 1, "biotin", "Biotin", "B-1", TODAY, None, "")
    dialog = RecordDoneDialog(session, [ComponentDraft("ingredient", "biotin", "Biotin", 1.0),
                                        ComponentDraft("ingredient", "biotin", "Biotin", 0.5)],
                              {("ingredient", "biotin"): [batch]})
    qtbot.addWidget(dialog)
    assert list(dialog.combos) == [("ingredient", "biotin")]
    dialog.choose("biotin", "B-1")
    record = dialog.result_record()
    assert [(b.batch_id, b.volume_ml) for b in record.batches] == [(7, 1.5)]


def test_acknowledging_needs_a_reason_and_is_saved_with_the_actors_name(qtbot, ctx, messages):
    patient_id = make_patient(ctx, answers={"weight_kg": 70, "anticoagulant": True})
    page = start_plan(qtbot, ctx, patient_id)
    add_from_catalog(qtbot, page, "ingredient", "dexpanthenol")
    card = page.findings_panel.card_for("R15")
    assert card is not None and card.property("severity") == "acknowledge"
    assert any("[R15]" in r for r in page.document.evaluation.verdict.reasons)

    seen = {}

    def acknowledge(dialog: AcknowledgeDialog) -> None:
        seen["empty_ok"] = dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # refused while empty
        qtbot.keyClicks(dialog.reason_edit, "   ")
        seen["blank_ok"] = dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.reason_edit, "Discussed with the GP; keeps taking warfarin")
        seen["ok"] = dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    handled = when_dialog_opens(acknowledge)
    qtbot.mouseClick(card.acknowledge_button, Qt.MouseButton.LeftButton)
    assert handled == ["AcknowledgeDialog"]
    assert seen == {"empty_ok": False, "blank_ok": False, "ok": True}
    assert page.document.draft.acknowledgements == (
        Acknowledgement("R15", "plan", "Discussed with the GP; keeps taking warfarin"),)
    assert not any("[R15]" in r for r in page.document.evaluation.verdict.reasons)
    card = page.findings_panel.card_for("R15")
    assert "recorded when the plan is saved" in card.acknowledgement_label.text()

    page.undo_stack().undo()
    assert page.document.draft.acknowledgements == ()
    page.undo_stack().redo()

    assert page.save()
    with ctx.read() as uow:
        stored = plans.load_plan(uow, page.current_plan_id()).acknowledgements
    assert [(a.rule_id, a.reason, a.by) for a in stored] == [
        ("R15", "Discussed with the GP; keeps taking warfarin", "Dr Test")]
    assert stored[0].at is not None
    card = page.findings_panel.card_for("R15")
    assert card.acknowledgement_label.text() == (
        f"Acknowledged by Dr Test on {stored[0].at:%Y-%m-%d}: Discussed with the GP; keeps taking warfarin")

    qtbot.mouseClick(card.withdraw_button, Qt.MouseButton.LeftButton)
    assert page.document.draft.acknowledgements == ()
    assert page.findings_panel.card_for("R15").acknowledgement_label is None


def test_cancelling_the_reason_changes_nothing(qtbot, ctx, monkeypatch):
    patient_id = make_patient(ctx, answers={"weight_kg": 70, "anticoagulant": True})
    page = start_plan(qtbot, ctx, patient_id)
    monkeypatch.setattr(AcknowledgeDialog, "ask", staticmethod(lambda *a, **k: None))
    count = page.undo_stack().count()
    page.findings_panel.card_for("R15").acknowledge_button.click()
    assert page.document.draft.acknowledgements == ()
    assert page.undo_stack().count() == count
