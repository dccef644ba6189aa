"""The document preview dialog: what it shows, printing and saving it, and what that records."""

from __future__ import annotations

import io

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from sqlalchemy import select
from test_documents_service import HOSTILE_FULL, make_patient, make_plan, pdf_text, set_up_clinic

from mesoplan.db.models import AuditEntry, IssuedDocument
from mesoplan.services.uow import read
from mesoplan.ui import page_factory
from mesoplan.ui.context import AppContext
from mesoplan.ui.documents import printing
from mesoplan.ui.documents.preview import DocumentPreviewDialog, show_document
from mesoplan.ui.navigation import ShowDocument


@pytest.fixture
def plan_id(db, actor):
    practitioner = set_up_clinic(db, actor)
    return make_plan(db, actor, make_patient(db, actor), practitioner)


@pytest.fixture
def printed(monkeypatch, tmp_path):
    """The system print dialog replaced by a PDF-file printer; the list of files it printed to."""
    files = []

    def choose(parent, title, page_count):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setResolution(72)
        files.append(tmp_path / f"printed-{len(files)}.pdf")
        printer.setOutputFileName(str(files[-1]))
        return printer

    monkeypatch.setattr(printing, "choose_printer", choose)
    return files


def open_preview(qtbot, ctx, plan_id, kind="consent") -> DocumentPreviewDialog:
    dialog = show_document(ctx, plan_id, kind)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.prepared is not None)
    return dialog


def issued_rows(ctx) -> list[tuple[str, int]]:
    with read(ctx.database, ctx.actor) as uow:
        return [(r.kind, r.times_printed) for r in uow.session.scalars(select(IssuedDocument))]


def test_preview_shows_the_pdf_with_fingerprint_and_template_version(qtbot, ctx, plan_id):
    dialog = open_preview(qtbot, ctx, plan_id)
    prepared = dialog.prepared
    assert dialog.title.text() == f"Consent form – {HOSTILE_FULL}"
    assert prepared.fingerprint in dialog.details.text()
    assert prepared.rendered.template_version in dialog.details.text()
    assert dialog.pdf.pageCount() == prepared.rendered.page_count == int(dialog.page_total.text().split()[-1])
    assert HOSTILE_FULL in pdf_text(prepared.pdf)
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    assert issued_rows(ctx) == []  # looking records nothing


def test_page_navigation_and_zoom(qtbot, ctx, plan_id):
    dialog = open_preview(qtbot, ctx, plan_id)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.current_page() == 2 and dialog.page_box.text() == "2"
    dialog.page_box.setText("99")
    qtbot.keyClick(dialog.page_box, Qt.Key.Key_Return)
    last = dialog.prepared.rendered.page_count
    assert dialog.current_page() == last and dialog.page_box.text() == str(last)
    qtbot.mouseClick(dialog.previous_button, Qt.MouseButton.LeftButton)
    assert dialog.current_page() == last - 1
    dialog.zoom.setCurrentIndex(dialog.zoom.findText("150 %"))
    assert dialog.view.zoomFactor() == 1.5 and dialog.view.zoomMode() == dialog.view.ZoomMode.Custom
    dialog.zoom.setCurrentIndex(dialog.zoom.findText("Whole page"))
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.FitInView


def test_print_records_the_issue_then_each_further_print_as_a_reprint(qtbot, ctx, plan_id, printed):
    dialog = open_preview(qtbot, ctx, plan_id)
    changes = []
    ctx.changed.connect(changes.append)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    pages = len(pypdf.PdfReader(io.BytesIO(printed[0].read_bytes())).pages)
    assert pages == dialog.prepared.rendered.page_count
    assert issued_rows(ctx) == [("consent", 1)]
    assert "Issued as document" in dialog.issue_state.text() and "1 time." in dialog.issue_state.text()
    assert any("document" in kinds for kinds in changes)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert issued_rows(ctx) == [("consent", 2)]
    assert "2 times" in dialog.issue_state.text()
    with read(ctx.database, ctx.actor) as uow:
        actions = list(uow.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "document")))
    assert actions == ["document.issue", "document.reprint"]


def test_a_closed_print_dialog_records_nothing(qtbot, ctx, plan_id, monkeypatch):
    monkeypatch.setattr(printing, "choose_printer", lambda *args: None)
    dialog = open_preview(qtbot, ctx, plan_id)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert issued_rows(ctx) == [] and dialog.issue_state.text().startswith("Not issued yet")


def test_save_as_pdf_writes_the_previewed_bytes_owner_only(qtbot, ctx, plan_id, monkeypatch, tmp_path):
    target = tmp_path / "copy.pdf"
    suggested = []
    monkeypatch.setattr(printing, "ask_save_path", lambda parent, name: suggested.append(name) or target)
    dialog = open_preview(qtbot, ctx, plan_id, "aftercare")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == dialog.prepared.pdf
    assert target.stat().st_mode & 0o777 == 0o600
    assert suggested == [dialog.prepared.file_name] and suggested[0].endswith("_aftercare.pdf")
    assert issued_rows(ctx) == [("aftercare", 1)]


def test_a_failure_to_prepare_is_reported(qtbot, ctx, messages):
    dialog = show_document(ctx, 4242, "consent")
    qtbot.addWidget(dialog)
    assert messages.errors and "no plan number 4242" in messages.errors[0][1]
    assert "could not be prepared" in dialog.title.text() and not dialog.print_button.isEnabled()


def test_the_front_desk_may_preview_and_print(qtbot, ctx, plan_id, printed, front_desk_actor):
    desk = AppContext(ctx.database, front_desk_actor)
    dialog = open_preview(qtbot, desk, plan_id)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    with read(ctx.database, front_desk_actor) as uow:
        issued_by = uow.session.scalars(select(IssuedDocument.issued_by)).one()
    assert issued_by == front_desk_actor.name


def test_the_navigation_request_opens_the_preview(qtbot, ctx, plan_id):
    parent = QWidget()
    qtbot.addWidget(parent)
    assert page_factory.create(ctx, ShowDocument(plan_id, "aftercare"), parent) is None
    (dialog,) = parent.findChildren(DocumentPreviewDialog)
    qtbot.waitUntil(lambda: dialog.prepared is not None)
    assert dialog.prepared.kind == "aftercare" and dialog.isVisible()
    dialog.close()


def test_printing_honours_a_page_range(qtbot, ctx, plan_id, tmp_path):
    dialog = open_preview(qtbot, ctx, plan_id)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(72)
    printer.setOutputFileName(str(tmp_path / "range.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert printing.print_pdfs(printer, [dialog.prepared.pdf]) == 2
    assert len(pypdf.PdfReader(str(tmp_path / "range.pdf")).pages) == 2


def test_cancelling_the_print_records_nothing(qtbot, ctx, plan_id, printed, monkeypatch):
    from mesoplan.ui.tasks import TaskCancelled

    def cancelled(printer, pdfs, progress=None):
        raise TaskCancelled()

    monkeypatch.setattr(printing, "print_pdfs", cancelled)
    dialog = open_preview(qtbot, ctx, plan_id)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert issued_rows(ctx) == [] and dialog.issue_state.text().startswith("Cancelled")


def test_saving_into_a_missing_folder_is_reported_and_records_nothing(qtbot, ctx, plan_id, monkeypatch, tmp_path,
                                                                      messages):
    monkeypatch.setattr(printing, "ask_save_path", lambda parent, name: tmp_path / "gone" / name)
    dialog = open_preview(qtbot, ctx, plan_id)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert messages.errors and messages.errors[0][0] == "Document not saved"
    assert "Nothing was written" in messages.errors[0][1]
    assert issued_rows(ctx) == []
