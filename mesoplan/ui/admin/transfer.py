"""File › Import records and File › Export patient record: exchange files in and out, off the GUI
thread with progress and a Cancel button (cancelling undoes everything); exports are written
owner-only (0600) and every import and export is audited. A file that was imported before (or
exported from this database) is only imported again when the person chooses "Import a copy".
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from mesoplan.files import json_bytes, read_json_file, write_private_file
from mesoplan.services.exchange import (
    AlreadyImported,
    ImportSummary,
    export_document,
    import_document,
)
from mesoplan.services.uow import work
from mesoplan.ui import messages
from mesoplan.ui.admin import forms
from mesoplan.ui.context import AppContext
from mesoplan.ui.tasks import TaskCancelled

REPORT_STEPS = 200
"""Progress is passed to the dialog about this many times per job, not once per patient."""


def throttled(progress):
    """``progress`` called at most about REPORT_STEPS times per job (each call may cancel)."""
    def report(done: int, total: int, text: str = "") -> None:
        if done == 0 or done >= total or done % max(1, total // REPORT_STEPS) == 0:
            progress(done, total, text)
    return report

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

    def export(progress) -> Path:
        with work(database, actor) as uow:
            document = export_document(uow, patient_id, progress=throttled(progress))
            write_private_file(target, json_bytes(document))  # audited only if written
        return target

    def done(path: Path) -> None:
        if on_written is not None:
            on_written(f"Saved the record of patient {patient_id} to {path}")

    def failed(exc: BaseException) -> None:
        if isinstance(exc, TaskCancelled):
            if on_written is not None:
                on_written("Export cancelled; no file was written.")
            return
        messages.show_error(parent, "The record was not exported", exc)

    ctx.tasks.run(export, done, failed, label="Exporting the patient record…", parent=parent,
                  cancellable=True)


def import_records(ctx: AppContext, parent: QWidget, on_done=None) -> None:
    """Ask for an exchange file and add its patients; nothing is added if anything is wrong."""
    source = forms.ask_open_path(parent, "Import patient records", JSON_FILTER)
    if source is None:
        return
    import_file(ctx, source, parent, on_done)


def import_file(ctx: AppContext, source: Path, parent: QWidget, on_done=None,
                as_copy: bool = False) -> None:
    """Import ``source`` off the GUI thread (progress, Cancel); asks before importing a copy."""
    database, actor = ctx.database, ctx.actor

    def run(progress) -> ImportSummary:
        data = read_json_file(source)
        with work(database, actor) as uow:
            return import_document(uow, data, as_copy=as_copy, progress=throttled(progress))

    def done(summary: ImportSummary) -> None:
        ctx.notify({"patient", "screening", "plan"})
        copy = " as a copy" if as_copy else ""
        text = (f"Imported {summary.patients} patient(s) with {summary.screenings} screening(s), "
                f"{summary.plans} plan(s) and {summary.sessions} session(s) from {source.name}"
                f"{copy}.")
        if on_done is not None:
            on_done(text)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, TaskCancelled):
            if on_done is not None:
                on_done("Import cancelled; nothing was imported.")
            return
        if isinstance(exc, AlreadyImported) and not as_copy:
            if messages.confirm(parent, "These patients are here already", str(exc),
                                yes="Import a copy", no="Cancel"):
                import_file(ctx, source, parent, on_done, as_copy=True)
            return
        messages.show_error(parent, "Nothing was imported", exc)

    ctx.tasks.run(run, done, failed, label="Importing patient records…", parent=parent,
                  cancellable=True)
