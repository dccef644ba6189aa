"""The exchange format: export → import into an empty database → export is identical; bad files
are refused as a whole with the JSON path of every problem."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from mesoplan.db.models import Patient, Screening, TreatmentPlan
from mesoplan.errors import ValidationError
from mesoplan.services.demo import make_demo_clinic
from mesoplan.services.exchange import export_document, import_document
from mesoplan.services.uow import read, work


@pytest.fixture
def demo_db(db, actor):
    with work(db, actor) as uow:
        make_demo_clinic(uow)
    return db


def export(db, actor, patient_id=None):
    with work(db, actor) as uow:
        return export_document(uow, patient_id)


def counts(db, actor):
    with read(db, actor) as uow:
        return tuple(uow.session.scalar(select(func.count()).select_from(table))
                     for table in (Patient, Screening, TreatmentPlan))


def test_round_trip_through_an_empty_database_gives_the_same_document(demo_db, actor, database_file,
                                                                       tmp_path):
    from mesoplan.db.engine import open_database

    document = export(demo_db, actor)
    assert len(document["patients"]) >= 12
    text = json.dumps(document, ensure_ascii=False)
    empty = open_database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        with work(empty, actor) as uow:
            summary = import_document(uow, json.loads(text))
        assert summary.patients == len(document["patients"])
        assert export(empty, actor) == document
    finally:
        empty.dispose()


def test_document_keeps_unicode_and_recorded_details(demo_db, actor):
    document = export(demo_db, actor)
    zoe = next(p for p in document["patients"] if p["given_names"] == "Zoë")
    assert zoe["family_name"] == "Łukasiewicz-Ağaoğlu"
    plan = zoe["plans"][0]
    done = [s for s in plan["sessions"] if s["status"] == "done"]
    assert done and all(s["batches"] and s["performed_by"] for s in done)
    refs = {b["ref"] for b in document["batches"]}
    assert {b["batch"] for s in done for b in s["batches"]} <= refs
    assert document["format"] == "mesoplan.exchange" and document["format_version"] == 2


def test_one_patient_export(demo_db, actor):
    document = export(demo_db, actor, patient_id=1)
    assert len(document["patients"]) == 1


def test_invalid_file_is_refused_as_a_whole_with_json_paths(demo_db, actor, tmp_path):
    from mesoplan.db.engine import open_database

    document = export(demo_db, actor)
    broken = copy.deepcopy(document)
    broken["patients"][0]["family_name"] = ""
    broken["patients"][1]["date_of_birth"] = "1990-02-31"
    broken["patients"][2]["plans"][0]["sessions"][1]["planned_date"] = "soon"
    broken["patients"][3]["plans"][0]["cocktail"][0]["volume_ml"] = "two"
    broken["patients"][4]["plans"][0]["cocktail"][0]["code"] = "unicorn_extract"
    broken["patients"][5]["screenings"][0]["answers"]["weight_kg"] = -3
    target = open_database(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    try:
        with pytest.raises(ValidationError) as caught:
            with work(target, actor) as uow:
                import_document(uow, broken)
        text = str(caught.value)
        assert "$.patients[0].family_name: must not be empty" in text
        assert "$.patients[1].date_of_birth: '1990-02-31' is not a date" in text
        assert "$.patients[2].plans[0].sessions[1].planned_date: 'soon' is not a date" in text
        assert "$.patients[3].plans[0].cocktail[0].volume_ml: must be a number" in text
        assert counts(target, actor) == (0, 0, 0)
        # semantic problems are found once the shape is right, still before anything is written
        fixable = copy.deepcopy(document)
        fixable["patients"][4]["plans"][0]["cocktail"][0]["code"] = "unicorn_extract"
        fixable["patients"][5]["screenings"][0]["answers"]["weight_kg"] = -3
        with pytest.raises(ValidationError) as caught:
            with work(target, actor) as uow:
                import_document(uow, fixable)
        text = str(caught.value)
        assert "$.patients[4].plans[0].cocktail[0].code: 'unicorn_extract'" in text
        assert "$.patients[5].screenings[0].answers" in text and "weight_kg" in text
        assert counts(target, actor) == (0, 0, 0)
    finally:
        target.dispose()


def test_a_file_of_another_format_or_version_is_refused(db, actor):
    with pytest.raises(ValidationError, match=r"\$\.format"):
        with work(db, actor) as uow:
            import_document(uow, {"patients": []})
    with pytest.raises(ValidationError, match=r"\$\.format_version: 7 is not supported"):
        with work(db, actor) as uow:
            import_document(uow, {"format": "mesoplan.exchange", "format_version": 7})


def test_importing_twice_adds_patients_again_and_batches_are_shared(demo_db, actor):
    document = export(demo_db, actor, patient_id=1)
    before = counts(demo_db, actor)
    with work(demo_db, actor) as uow:
        import_document(uow, document)
    after = counts(demo_db, actor)
    assert after[0] == before[0] + 1
    # a lot recorded with another expiry date is a conflict, reported with its path
    changed = copy.deepcopy(document)
    changed["batches"][0]["expiry_date"] = (dt.date.today() + dt.timedelta(days=999)).isoformat()
    with pytest.raises(ValidationError, match=r"\$\.batches\[0\]\.expiry_date"):
        with work(demo_db, actor) as uow:
            import_document(uow, changed)
    assert counts(demo_db, actor) == after
