"""File › Import records and File › Export patient record: exchange files in and out, off the GUI
thread; exports are written owner-only (0600) and every import and export is audited.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from mesoplan.files import json_bytes, read_json_file, write_private_file
from mesoplan.services.exchange import ImportSummary, export_document, import_document
from mesoplan.services.uow import work
from mesoplan.ui import messages
from mesoplan.ui.admin import forms
from mesoplan.ui.context import AppContext

JSON_FILTER = "MesoPlan exchange files (*.json);;All files (*)"


def export_patient(ctx: AppContext, patient_id: int, parent: QWidget,
                   on_written=None) -> None:
    """Ask where to save patient ``patient_id``'s records in the exchange format, then write them."""
    target = forms.ask_save_path(parent, "Export patient record", f"patient-{patient_id}.json",
                                 JSON_FILTER)
    if target is None:
        return
    if target.exists():
        messages.show_error(parent, "The record was not exported",
                            f"{target} already exists; choose a new file name.")
        return
    database, actor = ctx.database, ctx.actor

    def export(_progress) -> Path:
        with work(database, actor) as uow:
            document = export_document(uow, patient_id)
            write_private_file(target, json_bytes(document))  # audited only if written
        return target

    def done(path: Path) -> None:
        if on_written is not None:
            on_written(f"Saved the record of patient {patient_id} to {path}")

    ctx.tasks.run(export, done, lambda exc: messages.show_error(parent, "The record was not exported", exc),
                  label="Exporting the patient record…", parent=parent)


def import_records(ctx: AppContext, parent: QWidget, on_done=None) -> None:
    """Ask for an exchange file and add its patients; nothing is added if anything is wrong."""
    source = forms.ask_open_path(parent, "Import patient records", JSON_FILTER)
    if source is None:
        return
    database, actor = ctx.database, ctx.actor

    def run(_progress) -> ImportSummary:
        data = read_json_file(source)
        with work(database, actor) as uow:
            return import_document(uow, data)

    def done(summary: ImportSummary) -> None:
        ctx.notify({"patient", "screening", "plan"})
        text = (f"Imported {summary.patients} patient(s) with {summary.screenings} screening(s), "
                f"{summary.plans} plan(s) and {summary.sessions} session(s) from {source.name}.")
        if on_done is not None:
            on_done(text)

    ctx.tasks.run(run, done, lambda exc: messages.show_error(parent, "Nothing was imported", exc),
                  label="Importing patient records…", parent=parent)
