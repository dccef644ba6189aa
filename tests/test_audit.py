"""The audit trail: hash chain verification finds edits and deletions; browsing and filtering it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import delete, select, text, update

from mesoplan.audit_chain import REDACTED_SUMMARY, redacted_content
from mesoplan.db.models import AuditEntry, AuditHead
from mesoplan.errors import PermissionDenied
from mesoplan.services.audit import (
    AuditFilter,
    audit_choices,
    browse_audit,
    count_audit,
    verify_audit_chain,
)
from mesoplan.services.patients import PatientInput, create_patient, update_patient
from mesoplan.services.uow import read, work


def _write_entries(db, actor, count: int = 5) -> None:
    for number in range(1, count + 1):
        with work(db, actor) as uow:
            uow.audit("test.write", "thing", number, f"entry {number} <&> \"quoted\" Łukasz",
                      before={"n": number - 1, "day": dt.date(2024, 1, number)},
                      after={"n": number, "items": (1, 2.5, "x")})


def _verify(db, actor):
    with read(db, actor) as uow:
        return verify_audit_chain(uow)


def _tamper(db, statement) -> None:
    with db.engine.begin() as conn:
        conn.execute(statement)


def test_an_untouched_chain_verifies(db, actor):
    _write_entries(db, actor)
    report = _verify(db, actor)
    assert report.ok and report.checked == 5
    assert "intact: 5 entries" in report.describe()


def test_values_are_stored_as_they_were_hashed(db, actor):
    _write_entries(db, actor, 1)
    with db.sessions() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert entry.before == {"n": 0, "day": "2024-01-01"}
    assert entry.after == {"n": 1, "items": [1, 2.5, "x"]}


def test_editing_a_past_entry_is_detected_at_that_entry(db, actor):
    _write_entries(db, actor)
    _tamper(db, update(AuditEntry).where(AuditEntry.id == 3).values(summary="nothing happened"))
    report = _verify(db, actor)
    assert not report.ok and report.broken_at == 3
    assert "entry 3" in report.describe() and "changed after it was written" in report.describe()


def test_editing_the_before_value_is_detected(db, actor):
    _write_entries(db, actor)
    _tamper(db, update(AuditEntry).where(AuditEntry.id == 2).values(before={"n": 99}))
    assert _verify(db, actor).broken_at == 2


def test_deleting_a_middle_entry_is_detected_at_the_next(db, actor):
    _write_entries(db, actor)
    _tamper(db, delete(AuditEntry).where(AuditEntry.id == 3))
    report = _verify(db, actor)
    assert report.broken_at == 4 and "does not follow entry 2" in report.problem


def test_deleting_the_first_entry_is_detected(db, actor):
    _write_entries(db, actor)
    _tamper(db, delete(AuditEntry).where(AuditEntry.id == 1))
    report = _verify(db, actor)
    assert report.broken_at == 2 and "earlier entries were deleted" in report.problem


def test_deleting_the_newest_entries_is_detected(db, actor):
    _write_entries(db, actor)
    _tamper(db, delete(AuditEntry).where(AuditEntry.id >= 4))
    report = _verify(db, actor)
    assert not report.ok and "after entry 3 were deleted" in report.problem


def test_deleting_the_head_record_with_the_newest_entries_is_detected(db, actor):
    _write_entries(db, actor)
    _tamper(db, delete(AuditEntry).where(AuditEntry.id == 5))
    _tamper(db, delete(AuditHead))
    assert not _verify(db, actor).ok


def test_a_redacted_entry_still_verifies_but_a_forged_one_does_not(db, actor):
    _write_entries(db, actor)
    with db.write_sessions.begin() as session:
        entry = session.get(AuditEntry, 2)
        entry.summary, entry.before, entry.after = redacted_content(entry.summary, entry.before,
                                                                    entry.after)
    report = _verify(db, actor)
    assert report.ok and report.redacted == 1
    # Changing what a redacted entry says is still an edit.
    _tamper(db, update(AuditEntry).where(AuditEntry.id == 2).values(summary="all fine"))
    assert _verify(db, actor).broken_at == 2
    _tamper(db, update(AuditEntry).where(AuditEntry.id == 2).values(summary=REDACTED_SUMMARY,
                                                                      before={"__redacted__": "0" * 64}))
    assert _verify(db, actor).broken_at == 2


def test_audit_in_a_read_unit_is_a_programming_error(db, actor):
    with pytest.raises(RuntimeError, match="must be recorded in a work"):
        with read(db, actor) as uow:
            uow.audit("export", "patient", 1)


def test_a_failed_unit_of_work_leaves_no_entry(db, actor):
    with pytest.raises(ZeroDivisionError):
        with work(db, actor) as uow:
            uow.audit("test.write", "thing", 1)
            1 / 0
    with db.sessions() as session:
        assert session.scalars(select(AuditEntry)).all() == []
    _write_entries(db, actor, 2)
    assert _verify(db, actor).ok


def test_only_administrators_browse_or_verify(db, practitioner_actor, front_desk_actor):
    for who in (practitioner_actor, front_desk_actor):
        with pytest.raises(PermissionDenied, match="may not read the audit trail"):
            with read(db, who) as uow:
                browse_audit(uow)
        with pytest.raises(PermissionDenied):
            with read(db, who) as uow:
                verify_audit_chain(uow)


def test_browse_filters_by_actor_action_entity_and_date(db, actor, practitioner_actor, admin_actor):
    with work(db, practitioner_actor) as uow:
        patient = create_patient(uow, PatientInput("Ağaoğlu", "Zeynep", phone="0123 456"))
    with work(db, practitioner_actor) as uow:
        update_patient(uow, patient.id, PatientInput("Ağaoğlu", "Zeynep", phone="0999"), patient.version)
    _write_entries(db, actor, 2)
    with read(db, admin_actor) as uow:
        assert [e.action for e in browse_audit(uow)] == ["test.write", "test.write",
                                                         "patient.update", "patient.create"]
        by_actor = browse_audit(uow, AuditFilter(actor="practitioner"))
        assert {e.actor for e in by_actor} == {"Dr Practitioner"} and len(by_actor) == 2
        group = browse_audit(uow, AuditFilter(action="patient"))
        assert [e.action for e in group] == ["patient.update", "patient.create"]
        exact = browse_audit(uow, AuditFilter(entity_type="patient", entity_id=str(patient.id),
                                              action="patient.update"))
        assert len(exact) == 1 and exact[0].before == {"phone": "0123 456"}
        assert exact[0].after == {"phone": "0999"}
        today = dt.date.today()
        assert count_audit(uow, AuditFilter(since=today - dt.timedelta(days=1), until=today)) == 4
        assert count_audit(uow, AuditFilter(until=today - dt.timedelta(days=2))) == 0
        assert count_audit(uow, AuditFilter(since=today + dt.timedelta(days=2))) == 0
        page = browse_audit(uow, limit=3)
        rest = browse_audit(uow, limit=3, before_id=page[-1].id)
        assert [e.id for e in page + rest] == sorted((e.id for e in page + rest), reverse=True)
        assert len(rest) == 1
        actions, actors, kinds = audit_choices(uow)
        assert actions == ["patient.create", "patient.update", "test.write"]
        assert actors == ["Dr Practitioner", "Dr Test"] and kinds == ["patient", "thing"]
        # A LIKE wildcard in the filter is taken literally.
        assert browse_audit(uow, AuditFilter(actor="%")) == []


def test_concurrent_writers_keep_one_chain(db, actor):
    """Units of work that overlap in time still form one unbroken chain (head row locked)."""
    import threading

    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            for number in range(10):
                with work(db, actor) as uow:
                    uow.audit("test.thread", "thing", offset * 100 + number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = _verify(db, actor)
    assert report.ok and report.checked == 40
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_entry")).scalar() == 40


def test_audit_commands_verify_and_list(db, actor, capsys):
    from mesoplan import cli

    _write_entries(db, actor, 3)
    assert cli.main(["--database", db.url, "audit", "verify"]) == 0
    assert "intact: 3 entries" in capsys.readouterr().out
    assert cli.main(["--database", db.url, "audit", "list", "--entity", "thing:2", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["after"] == {"n": 2, "items": [1, 2.5, "x"]} and entry["actor"] == "Dr Test"
    assert cli.main(["--database", db.url, "audit", "list", "--action", "test"]) == 0
    assert capsys.readouterr().out.count("test.write") == 3
    _tamper(db, update(AuditEntry).where(AuditEntry.id == 2).values(actor="someone else"))
    assert cli.main(["--database", db.url, "audit", "verify"]) == 1
    assert "broken at entry 2" in capsys.readouterr().out
    with pytest.raises(SystemExit) as usage:
        cli.main(["--database", db.url, "audit", "list", "--since", "31/12/2024"])
    assert usage.value.code == 2
    assert "'31/12/2024' is not a date; write it as YYYY-MM-DD" in capsys.readouterr().err
