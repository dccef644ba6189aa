"""Printing or saving the consent + aftercare pairs of chosen sessions, for the front desk page.

Each run is: render every document (``ctx.tasks``, cancellable, nothing recorded yet), then ask for the
printer or use the chosen folder, then print or write (cancellable), and only then record the
documents as issued. Cancelling at any point records nothing. The outcome is reported through
``on_outcome(message, severity)``; unexpected failures go to ``messages.show_error``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget

from mesoplan.errors import MesoPlanError
from mesoplan.services.day_schedule import (
    DayDocument,
    DaySession,
    check_output_folder,
    prepare_session_documents,
    record_day_set,
    write_pdf_files,
)
from mesoplan.services.documents import IssuedRecord
from mesoplan.services.uow import read, work
from mesoplan.ui import messages
from mesoplan.ui.context import AppContext
from mesoplan.ui.tasks import TaskCancelled

Outcome = Callable[[str, str], None]


class DayDocumentJobs:
    def __init__(self, ctx: AppContext, parent: QWidget, on_outcome: Outcome) -> None:
        self.ctx, self.parent, self.on_outcome = ctx, parent, on_outcome

    def print_sessions(self, sessions: Sequence[DaySession], day: dt.date) -> None:
        """One print job with every session's consent form and aftercare sheet."""
        if not sessions:
            return
        who = sessions[0].full_name if len(sessions) == 1 else f"{len(sessions)} sessions"
        self._prepare(sessions, lambda documents: self._print(documents, day),
                      f"Preparing the consent forms and aftercare sheets for {who}…")

    def save_sessions(self, sessions: Sequence[DaySession], day: dt.date) -> None:
        """Every session's pair as PDF files in a folder the person chooses."""
        if not sessions:
            return
        from mesoplan.ui.documents import printing  # Qt's PDF and print modules, when first needed

        chosen = printing.ask_folder(self.parent, f"Save the documents of {day.isoformat()} in")
        if chosen is None:
            return
        try:
            folder = check_output_folder(chosen)
        except MesoPlanError as exc:
            messages.show_error(self.parent, "Documents not saved", exc)
            return
        self._prepare(sessions, lambda documents: self._save(documents, folder),
                      f"Preparing {2 * len(sessions)} documents…")

    def _prepare(self, sessions: Sequence[DaySession], then: Callable[[list[DayDocument]], None], label: str) -> None:
        database, actor, chosen = self.ctx.database, self.ctx.actor, list(sessions)

        def job(progress) -> list[DayDocument]:
            with read(database, actor) as uow:
                return prepare_session_documents(uow, chosen, progress)

        self.ctx.tasks.run(job, then, lambda exc: self._failed(exc, "Documents not prepared"), label=label,
                           parent=self.parent, cancellable=True)

    def _print(self, documents: list[DayDocument], day: dt.date) -> None:
        pages = sum(d.prepared.rendered.page_count for d in documents)
        sessions = {d.session.session_id for d in documents}
        title = (f"Print {len(documents)} documents for {documents[0].session.full_name}" if len(sessions) == 1
                 else f"Print {len(documents)} documents for {day.isoformat()}")
        from mesoplan.ui.documents import printing

        if not printing.may_output(self.parent, "print", [(d.file_name, d.prepared.unprintable) for d in documents]):
            self.on_outcome("Nothing was printed or recorded.", "info")
            return
        printer = printing.choose_printer(self.parent, title, pages)
        if printer is None:
            self.on_outcome("Nothing was printed or recorded.", "info")
            return
        database, actor = self.ctx.database, self.ctx.actor
        pdfs = [d.prepared.pdf for d in documents]

        def job(progress) -> list[IssuedRecord]:
            printing.print_pdfs(printer, pdfs, progress)
            with work(database, actor) as uow:
                return record_day_set(uow, documents)

        self.ctx.tasks.run(job, lambda records: self._issued(records, "printed"),
                           lambda exc: self._failed(exc, "Documents not printed"), label="Printing…",
                           parent=self.parent, cancellable=True)

    def _save(self, documents: list[DayDocument], folder: Path) -> None:
        from mesoplan.ui.documents import printing

        if not printing.may_output(self.parent, "save", [(d.file_name, d.prepared.unprintable) for d in documents]):
            self.on_outcome("Nothing was saved or recorded.", "info")
            return
        database, actor = self.ctx.database, self.ctx.actor

        def job(_progress) -> list[IssuedRecord]:
            paths = write_pdf_files(folder, [(d.file_name, d.prepared.pdf) for d in documents])
            try:
                with work(database, actor) as uow:
                    return record_day_set(uow, documents)
            except BaseException:
                for path in paths:  # not recorded, so not issued: take the files back
                    path.unlink(missing_ok=True)
                raise

        self.ctx.tasks.run(job, lambda records: self._issued(records, f"saved in {folder}"),
                           lambda exc: self._failed(exc, "Documents not saved"), label="Saving…",
                           parent=self.parent)

    def _issued(self, records: list[IssuedRecord], how: str) -> None:
        self.ctx.notify({"document"})
        patients = sorted({r.patient_name for r in records})
        who = patients[0] if len(patients) == 1 else f"{len(patients)} patients"
        self.on_outcome(f"{len(records)} document{'s' if len(records) != 1 else ''} for {who} {how} "
                        "and recorded as issued.", "ok")

    def _failed(self, exc: BaseException, title: str) -> None:
        if isinstance(exc, TaskCancelled):
            self.on_outcome("Cancelled: nothing was printed, saved or recorded.", "info")
            return
        messages.show_error(self.parent, title, exc)
