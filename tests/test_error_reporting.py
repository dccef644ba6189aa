"""No tracebacks, no leaked records: every failure path is fed a record with a recognisable name,
which then appears nowhere in what the command prints nor in the error log (SQLite and
PostgreSQL); unexpected errors print one plain line naming the log, with exit status 1."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from sqlalchemy import text

from mesoplan import errorlog
from mesoplan.cli import main
from mesoplan.services.exchange import export_document
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.services.uow import work

NAME = "Wrexingbottom"


@pytest.fixture
def log_file():
    path = errorlog.log_path()
    path.unlink(missing_ok=True)
    return path


def logged(path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def assert_one_plain_line(err: str, log_file) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mesoplan: something unexpected went wrong (")
    assert str(log_file) in lines[0]
    assert "Traceback" not in err


def test_an_unexpected_exception_in_a_command_prints_one_line_and_the_log(
        db, actor, database_url, log_file, capsys, monkeypatch, tmp_path):
    def broken(uow, data, **kwargs):
        raise RuntimeError(f"could not handle the row ('{NAME}', 'Mira', '1980-05-01')")

    monkeypatch.setattr("mesoplan.commands.exchange.import_document", broken)
    source = tmp_path / "file.json"
    source.write_text("{}", encoding="utf-8")
    assert main(["--database", database_url, "import", str(source)]) == 1
    captured = capsys.readouterr()
    assert_one_plain_line(captured.err, log_file)
    assert "RuntimeError" in captured.err
    assert NAME not in captured.err + captured.out
    log = logged(log_file)
    assert "RuntimeError" in log and "test_error_reporting.py" in log and NAME not in log


@pytest.mark.parametrize("too_long_first", [True, False])
def test_database_errors_carry_no_record_into_the_output_or_the_log(
        db, actor, database_url, log_file, capsys, monkeypatch, tmp_path, too_long_first):
    """Raw statements the length check cannot see: PostgreSQL refuses the over-long value (its
    error would repeat the parameters), both refuse the row breaking a CHECK constraint
    (PostgreSQL's message for that one repeats the whole failing row)."""
    def failing(uow, data, **kwargs):
        if too_long_first:
            uow.session.execute(text("INSERT INTO practitioner (name, profession, "
                                     "registration_number, active) VALUES (:name, '', '', true)"),
                                {"name": NAME * 30})
        uow.session.execute(text("INSERT INTO batch (lot_number, expiry_date, notes) "
                                 "VALUES (:lot, :expiry, :notes)"),
                            {"lot": NAME, "expiry": dt.date(2030, 1, 1), "notes": NAME})

    monkeypatch.setattr("mesoplan.commands.exchange.import_document", failing)
    source = tmp_path / "file.json"
    source.write_text("{}", encoding="utf-8")
    assert main(["--database", database_url, "import", str(source)]) == 1
    captured = capsys.readouterr()
    assert_one_plain_line(captured.err, log_file)
    assert "DataError" in captured.err or "IntegrityError" in captured.err
    assert NAME not in captured.err + captured.out
    log = logged(log_file)
    assert "sqlalchemy.exc." in log and NAME not in log


def test_the_engine_never_shows_statement_parameters(db):
    from sqlalchemy.exc import StatementError

    with pytest.raises(StatementError) as caught:
        with db.write_sessions.begin() as session:
            session.execute(text("INSERT INTO batch (lot_number, expiry_date) VALUES (:lot, :d)"),
                            {"lot": NAME, "d": dt.date(2030, 1, 1)})
    assert "parameters hidden" in str(caught.value)
    if db.is_sqlite:
        assert NAME not in str(caught.value)
    # (PostgreSQL's own message repeats the failing row: it is never shown nor logged, above)


def test_import_errors_never_repeat_the_patients_record(db, actor, database_url, log_file, capsys,
                                                        tmp_path):
    with work(db, actor) as uow:
        create_patient(uow, PatientInput(NAME, NAME, dt.date(1980, 5, 1), "female"))
    with work(db, actor) as uow:
        document = export_document(uow)
    document["export_id"] = "another-clinic-file"
    patient = document["patients"][0]
    patient["family_name"] = NAME * 20
    patient["given_name"] = patient.pop("given_names")
    patient["date_of_birth"] = "born " + NAME
    patient["phone"] = NAME * 10
    patient["sex"] = NAME
    patient["screenings"] = [{"taken_on": "2026-01-01", "notes": NAME, "recorded_by": NAME * 20,
                              "answers": {}}]
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    assert main(["--database", database_url, "import", str(source)]) == 1
    captured = capsys.readouterr()
    assert "nothing was changed" in captured.err and "Traceback" not in captured.err
    assert "given_name" in captured.err and "date_of_birth" in captured.err
    assert NAME not in captured.err + captured.out
    # the shape right, the checks of content and lengths speak about the fields, not their values
    patient["given_names"] = patient.pop("given_name")
    patient["date_of_birth"] = "1980-05-01"
    patient["email"] = f"{NAME}@example"
    source.write_text(json.dumps(document), encoding="utf-8")
    assert main(["--database", database_url, "import", str(source)]) == 1
    captured = capsys.readouterr()
    assert "recorded_by" in captured.err and "family_name" in captured.err
    assert "email" in captured.err and "sex" in captured.err
    assert NAME not in captured.err + captured.out
    assert not logged(log_file)


def test_logging_in_the_program_goes_to_the_log_without_messages_or_arguments(log_file):
    errorlog.install_logging()
    log = logging.getLogger("mesoplan.test")
    try:
        raise ValueError(f"bad value {NAME}")
    except ValueError:
        log.exception("a cell edit could not be applied for %s", NAME)
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if isinstance(h, errorlog.SafeLogHandler)]:
            root.removeHandler(handler)
    text = logged(log_file)
    assert "a cell edit could not be applied" in text and "ValueError" in text
    assert NAME not in text
