"""Two people saving the same record: the second save is refused with who and when, never lost silently."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from mesoplan.access import Actor, Role
from mesoplan.db.models import Patient
from mesoplan.errors import ConflictError
from mesoplan.plan import PlanDraft
from mesoplan.services.patients import PatientInput, create_patient, get_patient, update_patient
from mesoplan.services.plans import load_plan, save_plan
from mesoplan.services.uow import read, work

ANNA = Actor("Dr Anna", frozenset({Role.PRACTITIONER}))
BEN = Actor("Dr Ben", frozenset({Role.PRACTITIONER}))
WHEN = r"at \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\)"


@pytest.fixture
def plan_id(db):
    with work(db, ANNA) as uow:
        patient = create_patient(uow, PatientInput("Kowalska", "Ewa"))
        return save_plan(uow, PlanDraft(patient_id=patient.id, indication="androgenetic_alopecia",
                                        goals="first")).id


def _goals(db, plan_id: int) -> str:
    with read(db, ANNA) as uow:
        return load_plan(uow, plan_id).goals


def test_the_second_save_of_a_plan_is_refused_and_reload_works(db, plan_id):
    with read(db, ANNA) as uow:
        annas = load_plan(uow, plan_id)
    with read(db, BEN) as uow:
        bens = load_plan(uow, plan_id)
    with work(db, ANNA) as uow:
        save_plan(uow, annas.with_changes(goals="Anna's goals"))
    with pytest.raises(ConflictError, match=f"Plan {plan_id} was changed by Dr Anna {WHEN}.*reload"):
        with work(db, BEN) as uow:
            save_plan(uow, bens.with_changes(goals="Ben's goals"))
    assert _goals(db, plan_id) == "Anna's goals"
    with read(db, BEN) as uow:  # the way out: reload, then make the change again
        reloaded = load_plan(uow, plan_id)
    with work(db, BEN) as uow:
        saved = save_plan(uow, reloaded.with_changes(goals="Ben's goals"))
    assert saved.version == reloaded.version + 1 and _goals(db, plan_id) == "Ben's goals"


def test_interleaved_units_of_work_cannot_overwrite_each_other(db, plan_id):
    """Both units are open at once; the one that commits second is refused."""
    if db.is_sqlite:
        _interleave_on_sqlite(db, plan_id)
    else:
        _interleave_on_postgres(db, plan_id)
    assert _goals(db, plan_id) == "Anna's goals"


def _interleave_on_postgres(db, plan_id: int) -> None:
    bens_unit = contextlib.ExitStack()
    with work(db, ANNA) as annas:
        draft_a = load_plan(annas, plan_id)
        bens = bens_unit.enter_context(work(db, BEN))
        draft_b = load_plan(bens, plan_id)  # same version as Anna's, inside Ben's transaction
        save_plan(annas, draft_a.with_changes(goals="Anna's goals"))
    # Anna has committed; Ben's transaction still holds the version it read.
    with pytest.raises(ConflictError, match=f"Plan {plan_id} was changed by Dr Anna {WHEN}"):
        with bens_unit:
            save_plan(bens, draft_b.with_changes(goals="Ben's goals"))


def _interleave_on_sqlite(db, plan_id: int) -> None:
    with read(db, BEN) as uow:
        draft_b = load_plan(uow, plan_id)
    anna_saved = threading.Event()
    errors: list[BaseException] = []

    def anna() -> None:
        try:
            with work(db, ANNA) as uow:
                save_plan(uow, load_plan(uow, plan_id).with_changes(goals="Anna's goals"))
                anna_saved.set()
                time.sleep(0.3)  # still holding the write lock when Ben starts his unit
        except BaseException as exc:  # noqa: BLE001 - checked below
            errors.append(exc)
            anna_saved.set()

    thread = threading.Thread(target=anna)
    thread.start()
    anna_saved.wait(5)
    try:
        with pytest.raises(ConflictError, match=f"Plan {plan_id} was changed by Dr Anna {WHEN}"):
            with work(db, BEN) as uow:  # waits for Anna's commit, then sees her version
                save_plan(uow, draft_b.with_changes(goals="Ben's goals"))
    finally:
        thread.join()
    assert errors == []


def test_the_second_save_of_a_patient_is_refused(db):
    desk_a = Actor("Desk A", frozenset({Role.FRONT_DESK}))
    desk_b = Actor("Desk B", frozenset({Role.FRONT_DESK}))
    with work(db, desk_a) as uow:
        patient = create_patient(uow, PatientInput("Nguyễn", "Thị"))
    with work(db, desk_a) as uow:
        update_patient(uow, patient.id, PatientInput("Nguyễn", "Thị", phone="111"), patient.version)
    with pytest.raises(ConflictError, match=f"Patient Nguyễn was changed by Desk A {WHEN}"):
        with work(db, desk_b) as uow:
            update_patient(uow, patient.id, PatientInput("Nguyễn", "Thị", phone="222"), patient.version)
    with read(db, desk_b) as uow:
        assert get_patient(uow, patient.id).phone == "111"


def test_a_row_changed_under_an_open_transaction_is_refused(postgres_url):
    """PostgreSQL only (SQLite's write lock keeps two writing units apart): the version check in
    the UPDATE itself catches what the service's check could not see, naming who saved first."""
    from mesoplan.db.engine import open_database

    db = open_database(postgres_url)
    try:
        desk_a = Actor("Desk A", frozenset({Role.FRONT_DESK}))
        with work(db, desk_a) as uow:
            patient = create_patient(uow, PatientInput("Şahin", "Elif"))
        bens_unit = contextlib.ExitStack()
        bens = bens_unit.enter_context(work(db, BEN))
        # Ben's unit holds the row as it read it (as a service does between its check and its write).
        held = bens.session.get(Patient, patient.id)  # noqa: F841 - kept referenced on purpose
        with work(db, desk_a) as uow:
            update_patient(uow, patient.id, PatientInput("Şahin", "Elif", phone="111"), patient.version)
        with pytest.raises(ConflictError, match=f"Patient {patient.id} was changed by Desk A {WHEN}"):
            with bens_unit:
                update_patient(bens, patient.id, PatientInput("Şahin", "Elif", phone="222"),
                               patient.version)
        with read(db, BEN) as uow:
            assert get_patient(uow, patient.id).phone == "111"
    finally:
        db.dispose()
