"""Printing and saving PDFs from the screens: the system print dialog, page images, owner-only files.

Qt cannot send a PDF to a printer as is, so each page is rendered with QtPdf at the printer's
resolution (at most ``MAX_PRINT_DPI``) and painted full-page, scaled to fit the paper and centred.
``choose_printer``, ``ask_save_path``, ``ask_folder`` and ``confirm_unprintable`` are the only places
that open dialogs of their own; tests replace them (module attributes) so no real dialog appears.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from mesoplan.errors import MesoPlanError
from mesoplan.ui import settings
from mesoplan.ui.tasks import TaskCancelled

MAX_PRINT_DPI = 300
Progress = Callable[[int, int, str], None]


class LoadedPdf:
    """A QPdfDocument read from bytes (the buffer must live as long as the document)."""

    def __init__(self, pdf: bytes) -> None:
        self.buffer = QBuffer()
        self.buffer.setData(QByteArray(pdf))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self.buffer)
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() < 1:
            raise MesoPlanError(f"The document could not be read for printing ({self.document.error().name}).")

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def close(self) -> None:
        self.document.close()
        self.buffer.close()


def pdf_page_count(pdf: bytes) -> int:
    loaded = LoadedPdf(pdf)
    try:
        return loaded.page_count
    finally:
        loaded.close()


def choose_printer(parent: QWidget | None, title: str, page_count: int) -> QPrinter | None:
    """The system print dialog; the chosen printer, or None when the person cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setMinMax(1, max(1, page_count))
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return printer


def _wanted_pages(printer: QPrinter, total: int) -> range:
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), printer.toPage() or total
        return range(max(1, first), min(total, last) + 1)
    return range(1, total + 1)


def _fitted(page: QRectF, width: float, height: float) -> QRectF:
    scale = min(page.width() / width, page.height() / height)
    w, h = width * scale, height * scale
    return QRectF(page.x() + (page.width() - w) / 2, page.y() + (page.height() - h) / 2, w, h)


def print_pdfs(printer: QPrinter, pdfs: Sequence[bytes], progress: Progress | None = None) -> int:
    """Print the PDFs as one job (pages numbered across all of them); returns the pages sent.

    Honours the page range and, where the printer driver cannot, the number of copies. A
    ``TaskCancelled`` raised by ``progress`` aborts the job, so nothing half-printed is sent.
    """
    loaded = [LoadedPdf(pdf) for pdf in pdfs]
    try:
        total = sum(item.page_count for item in loaded)
        wanted = set(_wanted_pages(printer, total))
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise MesoPlanError("The printer could not be started; check that it is connected and try again.")
        sent = 0
        try:
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            paper = QRectF(0, 0, paper.width(), paper.height())
            for _copy in range(copies):
                number = 0
                for item in loaded:
                    for index in range(item.page_count):
                        number += 1
                        if number not in wanted:
                            continue
                        if progress:
                            progress(sent, len(wanted) * copies, f"Printing page {sent + 1} of {len(wanted) * copies}")
                        if sent and not printer.newPage():
                            raise MesoPlanError("The printer stopped accepting pages; check it and print again.")
                        size = item.document.pagePointSize(index)
                        image = item.document.render(
                            index, QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72)))
                        painter.drawImage(_fitted(paper, size.width(), size.height()), image)
                        sent += 1
        except TaskCancelled:
            printer.abort()
            raise
        finally:
            painter.end()
        return sent
    finally:
        for item in loaded:
            item.close()


def ask_save_path(parent: QWidget | None, suggested_name: str) -> Path | None:
    """The system save dialog for one PDF, starting in the last folder used; None when cancelled."""
    folder = settings.LAST_EXPORT_FOLDER.get() or str(Path.home())
    path, _filter = QFileDialog.getSaveFileName(parent, "Save as PDF", str(Path(folder) / suggested_name),
                                                "PDF documents (*.pdf)")
    if not path:
        return None
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    settings.LAST_EXPORT_FOLDER.set(str(path.parent))
    return path


def ask_folder(parent: QWidget | None, title: str) -> Path | None:
    """The system folder chooser, starting in the last folder used; None when cancelled."""
    start = settings.LAST_EXPORT_FOLDER.get() or str(Path.home())
    folder = QFileDialog.getExistingDirectory(parent, title, start)
    if not folder:
        return None
    settings.LAST_EXPORT_FOLDER.set(folder)
    return Path(folder)


def confirm_unprintable(parent: QWidget | None, how: str, explanation: str) -> bool:
    """Ask whether to print (or save) a document with characters that cannot be printed; True: go on."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Characters that cannot be printed",
                      f"{explanation}\n\n{how.capitalize()} the document anyway?", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    go_on = box.addButton(f"{how.capitalize()} anyway", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is go_on


def may_output(parent: QWidget | None, how: str, documents: Sequence[tuple[str, tuple]]) -> bool:
    """For several documents, each (name, unprintable problems): True when none has characters that
    cannot be printed, or when the user chose to go on anyway after being told which."""
    from mesoplan.documents.printable import warning_text

    named = [(name, problems) for name, problems in documents if problems]
    if not named:
        return True
    text = "\n".join(f"{name}:\n{warning_text(problems)}" for name, problems in named)
    return confirm_unprintable(parent, how, text)
