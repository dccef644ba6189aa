"""History stays true: a done session may record a batch that had already expired, only as a correction
of the record with a reason; it is audited, shows as a finding (R72), and the session is found when
searching who received the batch. Planning with an expired batch stays blocked (R31)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from mesoplan.cli import main
from mesoplan.db.models import AuditEntry
from mesoplan.errors import PlanNotReady, ValidationError
from mesoplan.evaluation import evaluate
from mesoplan.plan import BatchUse
from mesoplan.services import catalog
from mesoplan.services.batch_recipients import sessions_with_batch, sessions_with_lot
from mesoplan.services.evaluation import load_plan_context
from mesoplan.services.plans import load_plan, save_plan, set_status
from mesoplan.services.uow import read, work

from test_consent_signing import TODAY, change, clinic, issue

REASON = "Lot number read from the empty vial after the session"


def expired_and_good(db, actor):
    with work(db, actor) as uow:
        old = catalog.add_batch(uow, "ingredient", "dexpanthenol", "DXP-OLD", TODAY - dt.timedelta(days=30))
        good = catalog.add_batch(uow, "ingredient", "dexpanthenol", "DXP-GOOD", TODAY + dt.timedelta(days=300))
    return old, good


def use(batch, correction: str = "") -> BatchUse:
    return BatchUse(batch.id, batch.lot_number, batch.expiry_date, batch.item_name, 1.0, correction)


def record_done(db, actor, plan_id: int, *batches: BatchUse):
    """Session 1 moved to ten days ago and recorded as done with these batches."""
    with work(db, actor) as uow:
        draft = load_plan(uow, plan_id)
        first = replace(draft.sessions[0], planned_date=TODAY - dt.timedelta(days=10), status="done",
                        batches=batches)
        return save_plan(uow, draft.with_changes(sessions=(first, *draft.sessions[1:])))


def findings(db, actor, plan_id: int):
    with read(db, actor) as uow:
        draft = load_plan(uow, plan_id)
        return evaluate(draft, load_plan_context(uow, draft)).findings


@pytest.mark.parametrize("reason", ["", "   "], ids=["no reason", "only spaces"])
def test_an_expired_batch_on_a_done_session_is_refused_without_a_reason(db, actor, reason):
    plan, _doctor = clinic(db, actor)
    old, _good = expired_and_good(db, actor)
    with pytest.raises(ValidationError, match="only be recorded as a correction of the record, with the reason"):
        record_done(db, actor, plan, use(old, reason))
    with read(db, actor) as uow:
        assert load_plan(uow, plan).sessions[0].status == "planned"
        assert sessions_with_batch(uow, old.id) == []


def test_a_correction_with_a_reason_is_kept_audited_shown_and_found_by_batch(db, actor, database_url, capsys):
    plan, _doctor = clinic(db, actor)
    old, good = expired_and_good(db, actor)
    saved = record_done(db, actor, plan, use(old, f"  {REASON} "))
    assert saved.sessions[0].batches[0].correction == REASON

    with read(db, actor) as uow:
        entries = [(e.after, e.summary, e.actor) for e in uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "session.batch_correction"))]
    assert len(entries) == 1
    after, summary, who_recorded = entries[0]
    assert after["reason"] == REASON and after["lot_number"] == "DXP-OLD" and who_recorded == actor.name
    assert "correction of the record" in summary

    found = {f.rule_id: f for f in findings(db, actor, plan)}
    assert "R72" in found and "R31" not in found
    assert "DXP-OLD" in found["R72"].explanation and REASON in found["R72"].explanation

    with read(db, actor) as uow:
        [who] = sessions_with_batch(uow, old.id)
        assert sessions_with_lot(uow, "DXP-OLD", "dexpanthenol") == [who]
        assert sessions_with_lot(uow, "DXP-OLD", "biotin") == []
        assert sessions_with_batch(uow, good.id) == []
    assert (who.plan_id, who.sequence, who.status, who.correction) == (plan, 1, "done", REASON)
    assert who.expired_when_given and "Okafor" in who.patient_name and "Chidi" in who.patient_name

    # Saving the plan again writes no second correction entry.
    change(db, actor, plan, notes="Patient called, no reaction.")
    with read(db, actor) as uow:
        assert len(list(uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "session.batch_correction")))) == 1

    assert main(["--database", database_url, "plan", "show", str(plan), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    [used] = report["sessions"][0]["batches"]
    assert used["correction"] == REASON and used["expired_when_given"] is True
    assert "R72" in {f["rule"] for f in report["findings"]}
    assert report["consent"]["state"] == "no_form" and report["consent"]["in_place"] is False
    assert main(["--database", database_url, "plan", "show", str(plan)]) == 0
    text = capsys.readouterr().out
    assert "recorded as a correction of the record: " + REASON in text and "No consent form" in text


def test_a_correction_belongs_only_to_an_expired_batch_of_a_done_session(db, actor):
    plan, _doctor = clinic(db, actor)
    old, good = expired_and_good(db, actor)
    with pytest.raises(ValidationError, match="a correction is only recorded"):
        record_done(db, actor, plan, use(good, REASON))
    with work(db, actor) as uow, pytest.raises(ValidationError, match="a correction is only recorded"):
        draft = load_plan(uow, plan)
        planned = replace(draft.sessions[0], batches=(use(old, REASON),))
        save_plan(uow, draft.with_changes(sessions=(planned,)))


def test_planning_with_an_expired_batch_stays_blocked(db, actor):
    plan, _doctor = clinic(db, actor)
    old, _good = expired_and_good(db, actor)
    issue(db, actor, plan, TODAY)
    change(db, actor, plan, consent_signed_on=TODAY)
    with work(db, actor) as uow:
        draft = load_plan(uow, plan)
        planned = replace(draft.sessions[0], batches=(use(old),))
        save_plan(uow, draft.with_changes(sessions=(planned,)))
    found = {f.rule_id for f in findings(db, actor, plan)}
    assert "R31" in found and "R72" not in found
    with work(db, actor) as uow, pytest.raises(PlanNotReady, match="R31"):
        set_status(uow, plan, "ready", load_plan(uow, plan).version)
