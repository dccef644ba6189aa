"""Tests for mesoplan.services.protocols: seeding, listing, saving and retiring protocols."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from mesoplan.db.engine import open_database
from mesoplan.db.models import AuditEntry
from mesoplan.db.models import Protocol as ProtocolRow
from mesoplan.errors import NotFound, PermissionDenied, ValidationError
from mesoplan.schedule import Phase, Protocol, generate_schedule, load_shipped_protocols
from mesoplan.services.protocols import (
    get_protocol,
    list_protocols,
    restore_protocol,
    retire_protocol,
    save_custom_protocol,
    seed_protocols,
)
from mesoplan.services.uow import read, work

SHIPPED_CODES = {p.code for p in load_shipped_protocols()}


@pytest.fixture(scope="module")
def protocol_template(tmp_path_factory):
    """A migrated database holding only the shipped protocols (no catalog needed), built once."""
    path = tmp_path_factory.mktemp("protocols") / "template.sqlite3"
    database = open_database(f"sqlite:///{path}", seed=False)
    with database.write_sessions.begin() as session:
        seed_protocols(session)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def pdb(protocol_template, tmp_path):
    target = tmp_path / "clinic.sqlite3"
    shutil.copyfile(protocol_template, target)
    database = open_database(f"sqlite:///{target}", seed=False)
    yield database
    database.dispose()


def custom(code: str = "clinic_scalp", every: int = 10) -> Protocol:
    return Protocol(code=code, name="Clinic scalp <short> & fast", group="hair",
                    description="Our own variant.", indications=("androgenetic_alopecia",),
                    phases=(Phase("Induction", every, "days", 5), Phase("Maintenance", 2, "months", 2)))


def audit_actions(database) -> list[tuple[str, str]]:
    with database.sessions() as session:
        rows = session.execute(select(AuditEntry.action, AuditEntry.entity_id)
                               .order_by(AuditEntry.id)).all()
    return [tuple(row) for row in rows]


def test_seed_loads_every_shipped_protocol_once_and_never_overwrites(pdb):
    with pdb.sessions() as session:
        rows = session.scalars(select(ProtocolRow)).all()
        assert {row.code for row in rows} == SHIPPED_CODES
        assert not any(row.custom for row in rows)
        row = session.scalars(select(ProtocolRow).where(ProtocolRow.code == "melasma")).one()
        assert row.phases[0] == {"name": "Induction", "every": 2, "unit": "weeks", "count": 6}
    with pdb.write_sessions.begin() as session:
        session.scalars(select(ProtocolRow).where(ProtocolRow.code == "melasma")).one().name = "Ours"
        assert seed_protocols(session) == 0
    with pdb.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProtocolRow)) == len(SHIPPED_CODES)
        assert session.scalars(select(ProtocolRow.name).where(ProtocolRow.code == "melasma")
                               ).one() == "Ours"


def test_list_returns_shipped_protocols_by_group_and_get_matches_the_file(pdb, front_desk_actor):
    with read(pdb, front_desk_actor) as uow:
        listed = list_protocols(uow)
        hair_only = list_protocols(uow, group="hair")
        melasma = get_protocol(uow, "melasma")
    assert {p.code for p in listed} == SHIPPED_CODES
    groups = [p.group for p in listed]
    order = ["hair", "face", "pigmentation", "body"]
    assert groups == sorted(groups, key=order.index)
    assert {p.code for p in hair_only} == {"scalp_vitamin_cocktail", "scalp_dutasteride"}
    from_file = next(p for p in load_shipped_protocols() if p.code == "melasma")
    assert melasma == from_file
    assert melasma.indications == ("pigmentation",)
    assert len(generate_schedule(melasma, dt.date(2024, 3, 1))) == 8


def test_get_unknown_code_raises_not_found(pdb, actor):
    with read(pdb, actor) as uow, pytest.raises(NotFound, match="'no_such_protocol'"):
        get_protocol(uow, "no_such_protocol")


def test_save_custom_protocol_creates_then_updates_and_audits(pdb, practitioner_actor):
    with work(pdb, practitioner_actor) as uow:
        saved = save_custom_protocol(uow, custom())
        assert "protocol" in uow.changes
    assert saved.custom and not saved.retired
    assert saved.phases == custom().phases and saved.name == "Clinic scalp <short> & fast"
    with work(pdb, practitioner_actor) as uow:
        updated = save_custom_protocol(uow, custom(every=14))
    with read(pdb, practitioner_actor) as uow:
        again = get_protocol(uow, "clinic_scalp")
        listed = {p.code for p in list_protocols(uow)}
    assert again == updated and again.phases[0].every == 14
    assert listed == SHIPPED_CODES | {"clinic_scalp"}
    assert audit_actions(pdb) == [("protocol.create", "clinic_scalp"),
                                  ("protocol.update", "clinic_scalp")]
    with pdb.sessions() as session:
        update = session.scalars(select(AuditEntry).where(AuditEntry.action == "protocol.update")
                                 ).one()
    assert update.actor == "Dr Practitioner"
    assert update.before["phases"][0]["every"] == 10 and update.after["phases"][0]["every"] == 14


def test_invalid_custom_protocol_is_refused_with_its_path_and_nothing_is_written(pdb, actor):
    broken = replace(custom(), phases=(Phase("Induction", 0, "weeks", 3),))
    with pytest.raises(ValidationError) as caught, work(pdb, actor) as uow:
        save_custom_protocol(uow, broken)
    assert str(caught.value) == "protocol.phases[0].every: must be a whole number of at least 1"
    with read(pdb, actor) as uow, pytest.raises(NotFound):
        get_protocol(uow, "clinic_scalp")
    assert audit_actions(pdb) == []


def test_shipped_protocols_cannot_be_overwritten(pdb, actor):
    with pytest.raises(ValidationError, match="'melasma' is a protocol shipped with MesoPlan"):
        with work(pdb, actor) as uow:
            save_custom_protocol(uow, replace(custom(), code="melasma"))
    with read(pdb, actor) as uow:
        assert get_protocol(uow, "melasma").group == "pigmentation"


def test_retire_hides_from_the_list_but_get_still_finds_it_and_restore_brings_it_back(pdb, actor):
    with work(pdb, actor) as uow:
        retired = retire_protocol(uow, "body_cellulite")
        assert retire_protocol(uow, "body_cellulite") == retired  # twice is harmless, not audited
    assert retired.retired
    with read(pdb, actor) as uow:
        assert "body_cellulite" not in {p.code for p in list_protocols(uow)}
        assert "body_cellulite" in {p.code for p in list_protocols(uow, include_retired=True)}
        assert get_protocol(uow, "body_cellulite").retired
    with work(pdb, actor) as uow:
        assert not restore_protocol(uow, "body_cellulite").retired
    with read(pdb, actor) as uow:
        assert "body_cellulite" in {p.code for p in list_protocols(uow)}
    assert audit_actions(pdb) == [("protocol.retire", "body_cellulite"),
                                  ("protocol.restore", "body_cellulite")]


def test_saving_a_retired_custom_protocol_brings_it_back(pdb, actor):
    with work(pdb, actor) as uow:
        save_custom_protocol(uow, custom())
        retire_protocol(uow, "clinic_scalp")
    with work(pdb, actor) as uow:
        assert not save_custom_protocol(uow, custom()).retired
    with read(pdb, actor) as uow:
        assert "clinic_scalp" in {p.code for p in list_protocols(uow)}


def test_front_desk_may_read_but_not_change_protocols(pdb, front_desk_actor):
    with pytest.raises(PermissionDenied, match="Front Desk"), work(pdb, front_desk_actor) as uow:
        save_custom_protocol(uow, custom())
    with pytest.raises(PermissionDenied), work(pdb, front_desk_actor) as uow:
        retire_protocol(uow, "melasma")
    with read(pdb, front_desk_actor) as uow:
        assert not get_protocol(uow, "melasma").retired
        with pytest.raises(NotFound):
            get_protocol(uow, "clinic_scalp")
    assert audit_actions(pdb) == []


def test_retiring_an_unknown_code_raises_not_found(pdb, actor):
    with pytest.raises(NotFound), work(pdb, actor) as uow:
        retire_protocol(uow, "nope")
