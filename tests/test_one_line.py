"""One-line fields are one line, and text is stored in NFC (issue 10, point 4): the text checks,
the services (patients, plans, catalog, practitioners, users: the database's last check covers
any route), the JSON and CSV imports, and command-line listings that stored text cannot break."""

from __future__ import annotations

import copy
import datetime as dt
import unicodedata

import pytest
from sqlalchemy import update

from mesoplan.access import Role
from mesoplan.catalog import parse_ingredients_csv
from mesoplan.cli import main
from mesoplan.db.models import Patient
from mesoplan.errors import ValidationError
from mesoplan.plan import PlanDraft, SessionDraft, validate_draft
from mesoplan.services import clinic, patients, users
from mesoplan.services.uow import read, work
from mesoplan.text import multi_line_problem, nfc, one_line_problem, printable_line

CONTROLS = ["\n", "\r", "\r\n", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029",
            "\u202e", "\u202d", "\u2066", "\u2069", "\u200e", "\u200f", "\ufeff", "\u00ad"]


@pytest.mark.parametrize("control", CONTROLS)
def test_a_one_line_value_refuses_every_control_character(control):
    problem = one_line_problem(f"Ann{control}Smith")
    assert problem.startswith("must be one line of text; it contains ")
    assert f"U+{ord(control[0]):04X}" in problem


@pytest.mark.parametrize("value", ["Zoë Łukasiewicz-Ağaoğlu", "O'Brien", "محمد", "میخواهم",
                                   "नमस्ते", "👩‍⚕️", "李小龍", "Ana  Kovačević", ""])
def test_real_names_are_one_line(value):
    assert one_line_problem(value) == ""


def test_multi_line_text_keeps_lines_and_tabs_but_not_nul_or_overrides():
    assert multi_line_problem("line one\nline two\r\n\tindented") == ""
    assert "NUL" in multi_line_problem("notes\x00")
    assert "U+202E" in multi_line_problem("notes \u202e reversed")
    assert "U+001B" in multi_line_problem("\x1b[31mred")


def test_nfc_composes():
    assert nfc("Zoe\u0308") == "Zoë" and nfc("plain") == "plain"


def test_printable_line_shows_controls_visibly():
    assert printable_line("Ann\nSmith\t\u202e") == "Ann\\nSmith\\t<U+202E>"
    assert printable_line("Zoë 李") == "Zoë 李"


# --- services ------------------------------------------------------------------------------------


@pytest.mark.parametrize("field, where", [("family_name", "family name"), ("given_names", "given names"),
                                          ("phone", "phone"), ("email", "email")])
@pytest.mark.parametrize("control", ["\n", "\t", "\u202e", "\x00"])
def test_the_patient_service_refuses_control_characters_in_one_line_fields(db, actor, field, where,
                                                                            control):
    data = dict(family_name="Smith", given_names="Ann", phone="0123", email="ann@example.org")
    data[field] = data[field][:2] + control + data[field][2:]
    with pytest.raises(ValidationError) as caught:
        with work(db, actor) as uow:
            patients.create_patient(uow, patients.PatientInput(**data))
    assert [p.where for p in caught.value.problems] == [where]
    assert "must be one line" in caught.value.problems[0].message
    with read(db, actor) as uow:
        assert patients.count_patients(uow) == 0


def test_patient_text_is_stored_in_nfc_and_multi_line_fields_keep_their_lines(db, actor):
    decomposed = unicodedata.normalize("NFD", "Łukasiewicz-Ağaoğlu")
    with work(db, actor) as uow:
        record = patients.create_patient(uow, patients.PatientInput(
            decomposed, "Zoe\u0308", address="1 Rue de l'E\u0301glise\nParis", notes="line\nline"))
    with read(db, actor) as uow:
        stored = patients.get_patient(uow, record.id)
    assert stored.family_name == "Łukasiewicz-Ağaoğlu" and stored.given_names == "Zoë"
    assert stored.address == "1 Rue de l'Église\nParis"
    with pytest.raises(ValidationError, match="notes: contains a NUL"):
        with work(db, actor) as uow:
            patients.update_patient(uow, record.id, patients.PatientInput("Smith", notes="a\x00b"),
                                    patients.get_patient(uow, record.id).version)


def test_the_plan_domain_refuses_control_characters_in_one_line_plan_fields():
    draft = PlanDraft(patient_id=1, indication="other", indication_other="Scalp\nfibrosis",
                      title="Crown\tcourse", needle="30G\u202e", goals="two\nlines are fine",
                      sessions=(SessionDraft(1, dt.date(2026, 1, 5), needle="32G\n"),))
    with pytest.raises(ValidationError) as caught:
        validate_draft(draft)
    wheres = {p.where for p in caught.value.problems}
    assert {"title", "indication description", "needle", "session 1 (2026-01-05), needle"} <= wheres
    assert "goals" not in wheres


def test_every_route_to_a_one_line_column_is_checked_by_the_database(db, actor):
    with pytest.raises(ValidationError) as caught:
        with work(db, actor) as uow:
            clinic.save_practitioner(uow, clinic.PractitionerRecord(None, "Dr Ann\nSmith", "GP",
                                                                    "GMC\t123"))
    assert {p.where for p in caught.value.problems} == {"name", "registration number"}
    with pytest.raises(ValidationError, match="display name: must be one line"):
        with work(db, actor) as uow:
            users.add_user(uow, "ann", "a long enough password 1", [Role.ADMINISTRATOR],
                           display_name="Ann\nSmith")
    with work(db, actor) as uow:
        saved = clinic.save_practitioner(uow, clinic.PractitionerRecord(None, "Dr Zoe\u0308", "", ""))
    assert saved.name == "Dr Zoë"


# --- imports ---------------------------------------------------------------------------------------


def test_json_import_refuses_control_characters_with_the_path(db, actor):
    from mesoplan.services.demo import make_demo_clinic
    from mesoplan.services.exchange import export_document, import_document

    with work(db, actor) as uow:
        make_demo_clinic(uow)
        document = export_document(uow)
    bad = copy.deepcopy(document)
    bad["patients"] = [copy.deepcopy(next(p for p in document["patients"] if p["plans"]))]
    bad["patients"][0]["family_name"] = "Smith\nJones"
    bad["patients"][0]["given_names"] = "Ann\u202e"
    bad["patients"][0]["plans"][0]["title"] = "Crown\tcourse"
    bad["patients"][0]["notes"] = "two\nlines are fine"
    with pytest.raises(ValidationError) as caught:
        with work(db, actor) as uow:
            import_document(uow, bad)
    found = {p.where: p.message for p in caught.value.problems}
    assert "must be one line" in found["$.patients[0].family_name"]
    assert "U+202E" in found["$.patients[0].given_names"]
    assert "must be one line" in found["$.patients[0].plans[0].title"]
    assert not any(where.endswith(".notes") for where in found)


def test_json_import_stores_nfc(db, actor):
    from mesoplan.services.exchange import import_document

    document = {"format": "mesoplan.exchange", "format_version": 1,
                "patients": [{"family_name": unicodedata.normalize("NFD", "Núñez"), "given_names": "Zoe\u0308"}]}
    with work(db, actor) as uow:
        import_document(uow, document)
    with read(db, actor) as uow:
        names = [(p.family_name, p.given_names) for p in uow.session.query(Patient)]
    assert names == [("Núñez", "Zoë")]


HEADER = ("code,name,common_name,category,strength_value,strength_unit,presentation,legal_status,vehicle,"
          "regions,conditions,caution_tags,min_interval_days,typical_volume,storage,off_label,evidence,"
          "evidence_grade,sources,cautions,notes\n")


@pytest.mark.parametrize("cell, column", [('"Vitamin\nC"', "name"), ('"Vit\u202eC"', "name"),
                                          ('"Ampoule\x00"', "presentation")])
def test_catalog_csv_refuses_control_characters_in_one_line_columns(cell, column):
    row = "test_item,Vitamin C,,vitamin,,,,,aqueous,,,,,,,no,,,,,\n"
    row = row.replace("Vitamin C", cell) if column == "name" else row.replace(
        "vitamin,,,,", f"vitamin,,,{cell},", 1)
    with pytest.raises(ValidationError) as caught:
        parse_ingredients_csv(HEADER + row)
    [problem] = caught.value.problems
    assert problem.where == f"row 2, column {column}"
    assert "must be one line" in problem.message


def test_catalog_csv_keeps_lines_in_notes_and_stores_nfc():
    row = 'test_item,"Vitamine\u0301 C",,vitamin,,,,,aqueous,,,,,,,no,,,,,"first\nsecond"\n'
    [entry] = parse_ingredients_csv(HEADER + row)
    assert entry.name == "Vitaminé C" and entry.notes == "first\nsecond"


# --- listings ------------------------------------------------------------------------------------


def test_plan_list_is_one_line_per_plan_even_for_text_stored_before_the_check(database_file, capsys):
    url = f"sqlite:///{database_file}"
    assert main(["--database", url, "demo"]) == 0
    capsys.readouterr()
    assert main(["--database", url, "plan", "list"]) == 0
    lines_before = capsys.readouterr().out.splitlines()
    from mesoplan.db.engine import open_database

    database = open_database(url)
    try:
        with database.engine.begin() as connection:  # as an older version could have stored it
            connection.execute(update(Patient).values(family_name="Smith\nJones\t\u202eX"))
    finally:
        database.dispose()
    assert main(["--database", url, "plan", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(lines_before)
    assert "Smith\\nJones\\t<U+202E>X" in lines[2]
    plan_id = lines[2].split()[0]
    assert main(["--database", url, "plan", "show", plan_id]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"Plan {plan_id}: ") and "Smith\\nJones\\t<U+202E>X" in first


@pytest.mark.parametrize("argument", ["1_5", "+1", "١", " 1 2", "1e1", "0", "-1"])
def test_command_line_record_numbers_go_through_the_one_reader(database_file, capsys, argument):
    url = f"sqlite:///{database_file}"
    with pytest.raises(SystemExit) as caught:
        main(["--database", url, "plan", "show", argument])
    assert caught.value.code == 2
    assert "plan number" in capsys.readouterr().err
