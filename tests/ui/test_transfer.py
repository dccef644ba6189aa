"""File › Import records in the window: strict files refused with their paths, a second import
only after choosing "Import a copy", progress with a Cancel that leaves nothing behind, and
unexpected failures shown without the record and with the log's place."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from mesoplan import errorlog
from mesoplan.db.models import Patient
from mesoplan.services.exchange import export_document
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.ui import messages as _messages  # noqa: F401 - imported so the fixture can patch it
from mesoplan.ui.actions import ActionId
from mesoplan.ui.admin import forms, transfer
from mesoplan.ui.main_window import MainWindow
from mesoplan.ui.tasks import TaskCancelled

NAME = "Quillanderbeck"


@pytest.fixture
def window(qtbot, ctx):
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()
    return main


@pytest.fixture
def document(ctx):
    """One patient's export, as if it came from another clinic's database."""
    with ctx.work() as uow:
        patient = create_patient(uow, PatientInput(NAME, "Ines", dt.date(1975, 3, 2), "female"))
    with ctx.work() as uow:
        document = export_document(uow, patient.id)
    document["export_id"] = "f00dfeed-1111-4222-8333-944445555666"
    return document


@pytest.fixture
def choose(monkeypatch, tmp_path):
    """Answer File › Import's file dialog with a document written to a file."""
    def choose_document(document, name="records.json"):
        path = tmp_path / name
        text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(forms, "ask_open_path", lambda *args: path)
        return path
    return choose_document


def patients(ctx) -> int:
    with ctx.read() as uow:
        return uow.session.scalar(select(func.count()).select_from(Patient))


def import_through_the_menu(window, qtbot):
    window.actions_[ActionId.IMPORT].trigger()
    return window.statusBar().currentMessage()


def test_misspelt_keys_are_refused_with_their_path(window, qtbot, ctx, messages, document, choose):
    document["patients"][0]["given_name"] = document["patients"][0].pop("given_names")
    document["patients"][0]["date_of_brith"] = document["patients"][0].pop("date_of_birth")
    choose(document)
    before = patients(ctx)
    import_through_the_menu(window, qtbot)
    title, text = messages.errors[-1]
    assert title == "Nothing was imported"
    assert "$.patients[0].given_name: is not a key MesoPlan knows; did you mean 'given_names'?" in text
    assert "did you mean 'date_of_birth'?" in text
    assert patients(ctx) == before


def test_a_deeply_nested_file_gets_a_plain_message(window, qtbot, ctx, messages, choose):
    choose("[" * 10_000 + "]" * 10_000)
    import_through_the_menu(window, qtbot)
    title, text = messages.errors[-1]
    assert "nested more than 32 levels deep" in text
    assert "Recursion" not in text and "unexpected" not in text


def test_over_long_text_is_refused_before_the_database(window, qtbot, ctx, messages, document,
                                                       choose):
    document["patients"][0]["plans"] = [{
        "indication": "other", "indication_other": "o" * 201, "needle": "n" * 61,
        "cocktail": [], "sessions": []}]
    choose(document)
    import_through_the_menu(window, qtbot)
    text = messages.errors[-1][1]
    assert "$.patients[0].plans[0].needle: is 61 characters long; at most 60 fit" in text
    assert "$.patients[0].plans[0].indication_other: is 201 characters long" in text
    assert NAME not in text


def test_a_second_import_needs_the_choice_to_import_a_copy(window, qtbot, ctx, messages, document,
                                                           choose):
    choose(document)
    before = patients(ctx)
    assert "Imported 1 patient(s)" in import_through_the_menu(window, qtbot)
    assert patients(ctx) == before + 1
    messages.answers = [False]  # "Cancel"
    import_through_the_menu(window, qtbot)
    assert "already imported into this database" in messages.confirmations[-1]
    assert patients(ctx) == before + 1
    messages.answers = [True]  # "Import a copy"
    assert "as a copy" in import_through_the_menu(window, qtbot)
    assert patients(ctx) == before + 2
    assert not messages.errors


def test_the_import_reports_progress_and_a_cancel_undoes_everything(window, qtbot, ctx, messages,
                                                                    document, choose, monkeypatch):
    many = copy.deepcopy(document)
    many["patients"] = [dict(document["patients"][0], given_names=f"Ines {i}") for i in range(400)]
    choose(many)
    before = patients(ctx)
    seen: list[tuple[int, int]] = []
    options: dict = {}

    def run_cancelling(fn, on_done=None, on_error=None, label="", parent=None, cancellable=False):
        options.update(label=label, cancellable=cancellable)

        def progress(done, total, text=""):
            seen.append((done, total))
            if done >= 200:
                raise TaskCancelled()
        try:
            result = fn(progress)
        except BaseException as exc:  # noqa: BLE001 - as the task runner does
            on_error(exc)
        else:
            on_done(result)

    monkeypatch.setattr(ctx.tasks, "run", run_cancelling)
    status = import_through_the_menu(window, qtbot)
    assert options == {"label": "Importing patient records…", "cancellable": True}
    assert seen[0] == (0, 400) and seen[-1][0] >= 200
    assert len(seen) < 150  # reported in steps, not once per patient
    assert status == "Import cancelled; nothing was imported."
    assert patients(ctx) == before and not messages.errors
    # not marked as imported either: the same file imports afterwards
    monkeypatch.undo()
    choose(many)
    assert "Imported 400 patient(s)" in import_through_the_menu(window, qtbot)


def test_an_unexpected_failure_names_the_log_and_never_the_record(window, qtbot, ctx, document,
                                                                  choose, monkeypatch):
    shown: list[tuple[str, str]] = []

    def capture(box):
        shown.append((box.text(), box.detailedText()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", capture)

    def broken(uow, data, **kwargs):
        raise RuntimeError(f"Failing row contains (7, '{NAME}', 'Ines', 1975-03-02)")

    monkeypatch.setattr(transfer, "import_document", broken)
    errorlog.log_path().unlink(missing_ok=True)
    choose(document)
    import_through_the_menu(window, qtbot)
    text, details = shown[-1]
    assert "Something unexpected went wrong (RuntimeError)" in text
    assert str(errorlog.log_path()) in text
    assert NAME not in text + details
    assert "RuntimeError" in details
    log = errorlog.log_path().read_text(encoding="utf-8")
    assert "RuntimeError" in log and NAME not in log
