"""The record-done dialog: an expired lot really used is recorded only as a correction of the record,
with a reason; the plan then shows the finding and the session shows what was recorded."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import select

from mesoplan.db.models import AuditEntry
from mesoplan.services import catalog, plans
from mesoplan.services.batch_recipients import sessions_with_lot
from mesoplan.ui.plan_editor.record_done_dialog import RecordDoneDialog

from test_plan_editor import TODAY, add_from_catalog, make_patient, start_plan, when_dialog_opens
from test_plan_sessions import generate

REASON = "Lot read from the empty vial after the session"


def test_an_expired_lot_is_recorded_only_as_a_correction_with_a_reason(qtbot, ctx, messages, tmp_path):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    with ctx.work() as uow:
        catalog.add_batch(uow, "ingredient", "dexpanthenol", "OLD-1", TODAY - dt.timedelta(days=40))
    page = start_plan(qtbot, ctx, patient_id)
    add_from_catalog(qtbot, page, "ingredient", "dexpanthenol")
    generate(qtbot, page, TODAY - dt.timedelta(days=21))
    sessions = page.sessions_panel
    editor = sessions.editor
    sessions.select(0)
    seen = {}

    def record(dialog: RecordDoneDialog) -> None:
        seen["box_before"] = dialog.correction_box.isVisibleTo(dialog)
        dialog.choose("dexpanthenol", "OLD-1")
        seen["box_after"] = dialog.correction_box.isVisibleTo(dialog)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # not confirmed: refused
        seen["first"] = messages.errors[-1]
        qtbot.mouseClick(dialog.correction_check, Qt.MouseButton.LeftButton)
        assert dialog.correction_reason.isEnabled()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # confirmed without a reason: refused
        seen["second"] = messages.errors[-1]
        seen["still_open"] = dialog.isVisible()
        qtbot.keyClicks(dialog.correction_reason, REASON)
        dialog.resize(1280, 800)
        dialog.grab().save(str(tmp_path / "record-done-correction.png"))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    handled = when_dialog_opens(record)
    qtbot.mouseClick(editor.record_button, Qt.MouseButton.LeftButton)
    assert handled == ["RecordDoneDialog"]
    assert seen["box_before"] is False and seen["box_after"] is True
    assert seen["first"][0] == "Expired lot" and "Correction of the record" in seen["first"][1]
    assert seen["second"][0] == "Reason required" and seen["still_open"]

    done = page.document.draft.sessions[0]
    assert done.status == "done" and [(b.lot_number, b.correction) for b in done.batches] == [("OLD-1", REASON)]
    assert "recorded as a correction" in editor.done_label.text() and REASON in editor.done_label.text()
    assert page.findings_panel.card_for("R72") is not None
    assert page.findings_panel.card_for("R31") is None

    assert page.save()
    with ctx.read() as uow:
        stored = plans.load_plan(uow, page.current_plan_id()).sessions[0]
        [who] = sessions_with_lot(uow, "OLD-1")
        audited = [e.after["reason"] for e in uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "session.batch_correction"))]
    assert stored.batches[0].correction == REASON
    assert who.session_id == stored.id and who.correction == REASON
    assert audited == [REASON]
