"""Smoke test of the benchmark (bench/): every measurement runs on a tiny clinic and yields numbers.

Speed is never asserted here; this only keeps ``python bench/run.py`` working as the code changes,
and checks that the synthetic clinic stores patients' search keys exactly as the service does.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import ClinicSpec, build_clinic, clinic_database  # noqa: E402

TINY = ClinicSpec(patients=200, sessions=600, catalog=300, day_sessions=3, big_plan_sessions=20, seed=7)


def assert_numbers(stats, *keys):
    for key in keys:
        assert key in stats, f"{key} was not measured"
        assert stats[key].count >= 1
        assert all(math.isfinite(s) and s >= 0 for s in stats[key].samples), key


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    return build_clinic(tmp_path_factory.mktemp("bench") / "tiny.sqlite3", TINY, log=lambda _line: None)


@pytest.fixture
def opened(clinic, tmp_path):
    from mesoplan.db.engine import open_database

    copy = clinic.copy_to(tmp_path / "work.sqlite3")
    database = open_database(copy.url)
    yield copy, database
    database.dispose()


def test_tiny_clinic_has_what_was_asked_for(clinic, opened):
    from mesoplan.access import local_command_actor
    from mesoplan.services import catalog, day_schedule, plans
    from mesoplan.services.uow import read

    copy, database = opened
    assert clinic.counts["patient"] == 200 and clinic.counts["treatment_session"] == 600
    with read(database, local_command_actor()) as uow:
        entries = len(catalog.list_ingredients(uow, include_retired=True)) + len(
            catalog.list_products(uow, include_retired=True))
        assert entries == 300
        assert len(plans.load_plan(uow, copy.big_plan_id).sessions) == 20
        assert len(day_schedule.sessions_on(uow, copy.bench_day)) == 3


def test_name_tokens_match_the_patient_service(sqlite_db, actor):
    from sqlalchemy import select

    from bench.synthetic_people import patient_search_rows
    from mesoplan.db.models import Patient, PatientNameToken
    from mesoplan.services.patients import PatientInput, create_patient
    from mesoplan.services.uow import work

    with work(sqlite_db, actor) as uow:
        record = create_patient(uow, PatientInput("Łukasiewicz-Ağaoğlu de la Cruz", "Zoë Ørsted", phone="+44 7700 900123"))
    keys, tokens = patient_search_rows(record.id, record.family_name, record.given_names, record.phone)
    with sqlite_db.sessions() as session:
        stored = sorted(session.scalars(select(PatientNameToken.token).where(PatientNameToken.patient_id == record.id)))
        patient = session.get(Patient, record.id)
        assert (patient.family_key, patient.given_key, patient.phone_digits) == (
            keys["family_key"], keys["given_key"], keys["phone_digits"])
    assert stored == [t["token"] for t in tokens]


def test_cache_reuses_a_built_clinic(tmp_path):
    small = ClinicSpec(patients=30, sessions=120, catalog=150, day_sessions=2, seed=3)
    first = clinic_database(small, tmp_path, log=lambda _line: None)
    again = clinic_database(small, tmp_path, log=lambda _line: pytest.fail("rebuilt a cached clinic"))
    assert again.path == first.path and again.counts == first.counts


def test_core_measurements_give_numbers(clinic, opened, tmp_path):
    from bench import measure_core

    copy, database = opened
    stats = {**measure_core.measure_plan(database, copy, 1), **measure_core.measure_documents(database, copy, 1),
             **measure_core.measure_day(clinic, 1, tmp_path)}
    assert_numbers(stats, "plan_open", "plan_recompute", "documents_pair", "documents_floor", "day_documents")
    assert stats["day_files"].median == 6


def test_screen_measurements_give_numbers(qapp, opened, tmp_path):
    from PySide6.QtCore import QSettings

    from bench import measure_ui

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    copy, database = opened
    ctx = measure_ui.make_context(database)
    stats = {**measure_ui.measure_patient_search(ctx, 1, ("Łuk", "Smi")),
             **measure_ui.measure_catalog_filter(ctx, 1, ("vit",)),
             **measure_ui.measure_plan_editor(ctx, copy, 1)}
    ctx.tasks.wait()
    assert_numbers(stats, "search_worst", "catalog_worst", "editor_open", "editor_recompute")


def test_startup_and_memory_give_numbers(clinic, tmp_path):
    from bench import measure_app, report

    stats = measure_app.measure_startup(clinic, 1, tmp_path, warmup=False)
    assert_numbers(stats, "startup", "startup_floor", "startup_stack", "memory", "memory_floor")
    table = report.table(stats)
    assert "Start-up" in table and ("PASS" in table or "MISS" in table)
