"""Over-long text typed into the plan editor is refused when saving, naming the field and the
limit the database column has (the same on SQLite, which would otherwise store it)."""

from __future__ import annotations

from sqlalchemy import select

from mesoplan.db.models import TreatmentPlan
from test_plan_editor import make_patient, start_plan


def test_an_over_long_needle_and_other_indication_are_not_saved(qtbot, ctx, messages):
    patient_id = make_patient(ctx, answers={"weight_kg": 70})
    page = start_plan(qtbot, ctx, patient_id)
    assert page.save()
    form = page.header_form
    form.needle_combo.lineEdit().clear()
    qtbot.keyClicks(form.needle_combo.lineEdit(), "G" * 61)
    form.indication_combo.setCurrentIndex(form.indication_combo.findData("other"))
    qtbot.keyClicks(form.other_edit, "o" * 201)
    assert not page.save()
    title, text = messages.errors[-1]
    assert title == "The plan was not saved"
    assert "needle: is 61 characters long; at most 60 fit" in text
    assert "indication (other): is 201 characters long; at most 200 fit" in text
    assert page.is_modified()
    with ctx.read() as uow:
        stored = uow.session.scalars(select(TreatmentPlan).where(
            TreatmentPlan.patient_id == patient_id)).one()
        assert stored.needle != "G" * 61 and stored.indication_other == ""
    form.needle_combo.lineEdit().clear()
    qtbot.keyClicks(form.needle_combo.lineEdit(), "G" * 60)
    qtbot.keyClick(form.other_edit, "\b")
    assert page.save()
