"""Strict, safe imports on the command line and in the services, on SQLite and PostgreSQL:
misspelt keys are refused with their path and a suggestion, deep or big files get a plain
message, text limits come from the models and are checked before the database sees the value,
a file is not imported twice unless a copy is asked for, and big imports show progress and can
be cancelled without leaving anything behind."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from mesoplan.cli import main
from mesoplan.db.limits import limit_of, text_limits
from mesoplan.db.models import Patient, Practitioner, TreatmentPlan, TreatmentSession
from mesoplan.errors import ValidationError
from mesoplan.plan import ComponentDraft, PlanDraft, SessionDraft
from mesoplan.services import plans as plan_service
from mesoplan.services.exchange import AlreadyImported, export_document, import_document
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.services.uow import read, work

NAME = "Quorvendelhaus"


def add_patient(db, actor, family=NAME):
    """A patient with one plan (a practitioner, a component and a session)."""
    with work(db, actor) as uow:
        practitioner = Practitioner(name="Dr Ana Prim", profession="physician")
        uow.session.add(practitioner)
        uow.session.flush()
        patient = create_patient(uow, PatientInput(family, "Mira", dt.date(1980, 5, 1), "female"))
        plan_service.save_plan(uow, PlanDraft(
            patient_id=patient.id, indication="androgenetic_alopecia", title="Hair",
            practitioner_id=practitioner.id, needle="30G 4 mm",
            components=(ComponentDraft("ingredient", "biotin", "Biotin", 1.0),),
            sessions=(SessionDraft(1, dt.date(2026, 1, 5), needle="30G"),)))
        return patient.id


def exported(db, actor, patient_id=None):
    with work(db, actor) as uow:
        return export_document(uow, patient_id)


def patient_count(db, actor):
    with read(db, actor) as uow:
        return uow.session.scalar(select(func.count()).select_from(Patient))


def write(path, document):
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def document(db, actor):
    """An export of one patient, taken from ``db`` (so importing it there again is a second time)."""
    document = exported(db, actor, add_patient(db, actor))
    return document


def fresh_file_id(document):
    """The same records as if exported from another clinic's database."""
    other = copy.deepcopy(document)
    other["export_id"] = "8a6f2d1e-0c43-4b7e-9f55-1d2e3c4b5a69"
    return other


def run(database_url, *args):
    return main(["--database", database_url, *args])


# --- unknown keys --------------------------------------------------------------------------------


def test_misspelt_keys_are_refused_with_their_path_and_a_suggestion(db, actor, document,
                                                                   database_url, tmp_path, capsys):
    wrong = fresh_file_id(document)
    patient = wrong["patients"][0]
    patient["given_name"] = patient.pop("given_names")
    patient["date_of_brith"] = patient.pop("date_of_birth")
    patient["plans"][0]["sessions"][0]["neddle"] = "27G"
    wrong["exporter"] = "someone"
    before = patient_count(db, actor)
    assert run(database_url, "import", str(write(tmp_path / "wrong.json", wrong))) == 1
    err = capsys.readouterr().err
    assert "$.patients[0].given_name: is not a key MesoPlan knows; did you mean 'given_names'?" in err
    assert "$.patients[0].date_of_brith: is not a key MesoPlan knows; did you mean 'date_of_birth'?" in err
    assert "$.patients[0].plans[0].sessions[0].neddle" in err and "did you mean 'needle'" in err
    assert "$.exporter: is not a key MesoPlan knows" in err
    assert "Traceback" not in err and NAME not in err
    assert patient_count(db, actor) == before


# --- nesting and size ----------------------------------------------------------------------------


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_a_file_nested_ten_thousand_deep_gets_a_plain_message(db, actor, database_url, tmp_path,
                                                              capsys, opening, closing):
    deep = tmp_path / "deep.json"
    deep.write_text(opening * 10_000 + "1" + closing * 10_000, encoding="utf-8")
    assert run(database_url, "import", str(deep)) == 1
    err = capsys.readouterr().err
    assert "nested more than 32 levels deep" in err
    assert "Recursion" not in err and "Traceback" not in err
    unbalanced = tmp_path / "unbalanced.json"
    unbalanced.write_text("[" * 10_000, encoding="utf-8")
    assert run(database_url, "import", str(unbalanced)) == 1
    err = capsys.readouterr().err
    assert "Recursion" not in err and "Traceback" not in err and "deep.json" not in err


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(db, actor, document, database_url,
                                                                 tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("mesoplan.safe_json.MAX_IMPORT_BYTES", 1024)
    big = fresh_file_id(document)
    big["patients"][0]["notes"] = "x" * 5000
    assert run(database_url, "import", str(write(tmp_path / "big.json", big))) == 1
    err = capsys.readouterr().err
    assert "MesoPlan reads files of up to 1.0 KB" in err and "Traceback" not in err


# --- text limits from the models -------------------------------------------------------------------


def test_limits_are_the_models_column_lengths():
    assert limit_of(TreatmentPlan, "needle") == 60
    assert limit_of(TreatmentPlan, "indication_other") == 200
    assert limit_of(Practitioner, "name") == 200
    assert text_limits(TreatmentSession)["needle"] == 60


def test_over_long_text_is_refused_with_its_path_on_both_databases(db, actor, document,
                                                                   database_url, tmp_path, capsys):
    long = fresh_file_id(document)
    plan = long["patients"][0]["plans"][0]
    plan["needle"] = "n" * 61
    plan["indication"] = "other"
    plan["indication_other"] = "o" * 201
    plan["sessions"][0]["needle"] = "s" * 61
    long["practitioners"][0]["name"] = NAME + "p" * 200
    long["patients"][0]["family_name"] = NAME * 20
    before = patient_count(db, actor)
    assert run(database_url, "import", str(write(tmp_path / "long.json", long))) == 1
    err = capsys.readouterr().err
    assert "$.patients[0].plans[0].needle: is 61 characters long; at most 60 fit" in err
    assert "$.patients[0].plans[0].indication_other: is 201 characters long; at most 200 fit" in err
    assert "$.patients[0].plans[0].sessions[0].needle: is 61 characters long; at most 60 fit" in err
    assert f"$.practitioners[0].name: is {len(NAME) + 200} characters long; at most 200 fit" in err
    assert "$.patients[0].family_name: is 280 characters long; at most 200 fit" in err
    assert NAME not in err and "Traceback" not in err
    assert patient_count(db, actor) == before


def test_the_plan_form_and_any_other_write_check_lengths_before_the_database(db, actor):
    patient_id = add_patient(db, actor)
    with work(db, actor) as uow:
        draft = plan_service.load_plan(uow, uow.session.scalars(
            select(TreatmentPlan.id).where(TreatmentPlan.patient_id == patient_id)).one())
    from dataclasses import replace

    with pytest.raises(ValidationError, match="needle: is 61 characters long; at most 60 fit"):
        with work(db, actor) as uow:
            plan_service.save_plan(uow, replace(draft, needle="n" * 61))
    with pytest.raises(ValidationError, match=r"indication \(other\): is 201 characters long"):
        with work(db, actor) as uow:
            plan_service.save_plan(uow, replace(draft, indication="other",
                                                indication_other="o" * 201))
    # a write no service checked is still stopped before SQL, the same way on both databases
    with pytest.raises(ValidationError, match="practitioner name: is 201 characters long"):
        with work(db, actor) as uow:
            uow.session.add(Practitioner(name="p" * 201))
            uow.session.flush()
    with pytest.raises(ValidationError, match="family name: is 201 characters long"):
        with work(db, actor) as uow:
            create_patient(uow, PatientInput("f" * 201))


def test_names_that_fold_longer_still_fit_their_search_keys(db, actor):
    with work(db, actor) as uow:
        record = create_patient(uow, PatientInput("ß" * 200, "ﬃ" * 200))
    with read(db, actor) as uow:
        row = uow.session.get(Patient, record.id)
        assert row.family_name == "ß" * 200 and len(row.family_key) == 200


# --- a file imported twice -------------------------------------------------------------------------


def test_importing_the_same_export_twice_is_refused_unless_a_copy_is_asked_for(
        db, actor, document, database_url, tmp_path, capsys):
    assert document["export_id"]
    before = patient_count(db, actor)
    # back into the database it came from: its patients are here already
    same = write(tmp_path / "same.json", document)
    assert run(database_url, "import", str(same)) == 1
    err = capsys.readouterr().err
    assert "already exported from this database" in err and "--copy" in err
    assert patient_count(db, actor) == before
    other = write(tmp_path / "other.json", fresh_file_id(document))
    assert run(database_url, "import", str(other)) == 0
    capsys.readouterr()
    assert patient_count(db, actor) == before + 1
    assert run(database_url, "import", str(other)) == 1
    err = capsys.readouterr().err
    assert "already imported into this database" in err
    assert patient_count(db, actor) == before + 1
    assert run(database_url, "import", "--copy", str(other)) == 0
    assert "(as a copy)" in capsys.readouterr().out
    assert patient_count(db, actor) == before + 2


def test_the_identifier_names_the_records_and_older_files_are_recognised_by_them(db, actor,
                                                                                 document):
    with read(db, actor) as uow:
        patient_id = uow.session.scalar(select(Patient.id).where(Patient.family_name == NAME))
    assert exported(db, actor, patient_id)["export_id"] == document["export_id"]  # same records
    old = copy.deepcopy(document)
    del old["export_id"]  # as MesoPlan wrote files before identifiers
    with pytest.raises(AlreadyImported, match="already exported from this database"):
        with work(db, actor) as uow:
            import_document(uow, old)
    with work(db, actor) as uow:
        assert import_document(uow, old, as_copy=True).patients == 1
    edited = copy.deepcopy(old)
    edited["patients"][0]["phone"] = "+44 20 7946 0000"
    with work(db, actor) as uow:  # other records: another file
        assert import_document(uow, edited).patients == 1
    with pytest.raises(AlreadyImported, match="already imported into this database"):
        with work(db, actor) as uow:
            import_document(uow, edited)


# --- progress and cancelling -----------------------------------------------------------------------


def many_patients(document, count):
    big = fresh_file_id(document)
    one = big["patients"][0]
    big["patients"] = [dict(one, given_names=f"Mira {i}") for i in range(count)]
    return big


def test_big_imports_and_exports_show_progress_on_the_command_line(db, actor, document,
                                                                   database_url, tmp_path, capsys):
    source = write(tmp_path / "many.json", many_patients(document, 120))
    assert run(database_url, "import", str(source)) == 0
    err = capsys.readouterr().err
    assert "Importing: 0 of 120 (0 %)" in err and "Importing: 120 of 120 (100 %)" in err
    assert err.count("Importing:") == 11  # a line per tenth when not on a terminal
    assert run(database_url, "export", str(tmp_path / "all.json")) == 0
    assert "Exporting: 121 of 121 (100 %)" in capsys.readouterr().err


def test_a_cancelled_import_leaves_nothing_behind(db, actor, document, database_url, tmp_path,
                                                  capsys, monkeypatch):
    big = many_patients(document, 120)
    before = patient_count(db, actor)

    def cancel_at_half(done, total, text=""):
        if done == total // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        with work(db, actor) as uow:
            import_document(uow, big, progress=cancel_at_half)
    assert patient_count(db, actor) == before
    from mesoplan.commands.progress import CommandProgress

    monkeypatch.setattr(CommandProgress, "__call__", lambda self, done, total, text="":
                        cancel_at_half(done, total))
    assert run(database_url, "import", str(write(tmp_path / "many.json", big))) == 130
    assert "import cancelled; nothing was imported" in capsys.readouterr().err
    assert patient_count(db, actor) == before
    # and the file was not marked as imported: it can be imported afterwards
    with work(db, actor) as uow:
        assert import_document(uow, big).patients == 120
