"""The plan's Plan tab says where the consent stands, in the words of R33/R70/R71, and the findings
panel shows the signature dated before the form as a finding of its own."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt

from mesoplan.services.documents import issue_document

from test_plan_editor import TODAY, add_from_catalog, make_patient, start_plan


def test_the_plan_tab_shows_the_consent_state_and_a_signature_before_the_form(qtbot, ctx, messages):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id)
    add_from_catalog(qtbot, page, "ingredient", "dexpanthenol")
    hint = page.header_form.consent_hint
    assert hint.text().startswith("No consent form has been issued for this plan.")
    assert page.save()
    with ctx.work() as uow:
        issue_document(uow, page.current_plan_id(), "consent", today=TODAY)
    ctx.notify({"document"})
    assert hint.text().startswith(f"The consent form issued on {TODAY.isoformat()} has not been recorded as signed")
    assert hint.property("role") == "error"

    earlier = TODAY - dt.timedelta(days=3)
    consent = page.header_form.consent_edit
    qtbot.mouseClick(consent.check, Qt.MouseButton.LeftButton)  # ticked: today
    consent.edit.setDate(QDate(earlier.year, earlier.month, earlier.day))
    assert page.document.draft.consent_signed_on == earlier
    assert page.findings_panel.card_for("R70") is not None and page.findings_panel.card_for("R33") is not None
    assert f"after the recorded signature date ({earlier.isoformat()})" in hint.text()
    assert not page.ready_button.isEnabled()

    tomorrow = TODAY + dt.timedelta(days=1)
    consent.edit.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    assert page.findings_panel.card_for("R71") is not None
    assert "is in the future" in hint.text()

    consent.edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    assert page.document.draft.consent_signed_on == TODAY
    for rule in ("R33", "R70", "R71"):
        assert page.findings_panel.card_for(rule) is None
    assert hint.text().startswith(f"Consent signed on {TODAY.isoformat()}") and hint.property("role") == "hint"
    assert page.ready_button.isEnabled()
