"""The document preview: a consent form or aftercare sheet as it will print, with Print… and Save as PDF….

``show_document(ctx, plan_id, kind, parent)`` opens it (main window Print actions, plan editor, front
desk). The PDF is rendered through ``ctx.tasks``; looking at it records nothing. Printing or saving
records the document as issued (the first time) or as a reprint of that same document afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QIntValidator, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mesoplan.documents.printable import warning_text
from mesoplan.services.day_schedule import write_pdf_files
from mesoplan.services.documents import KIND_LABELS, IssuedRecord, PreparedDocument, prepare_document, record_issue
from mesoplan.services.documents import reprint as reprint_document
from mesoplan.services.uow import read, work
from mesoplan.ui import messages
from mesoplan.ui.context import AppContext
from mesoplan.ui.documents import printing
from mesoplan.ui.style import mark
from mesoplan.ui.tasks import TaskCancelled
from mesoplan.ui.widgets.glyphs import missing_glyphs_message

ZOOMS = (("Fit width", None), ("Whole page", 0.0), ("50 %", 0.5), ("75 %", 0.75), ("100 %", 1.0),
         ("125 %", 1.25), ("150 %", 1.5), ("200 %", 2.0))


class DocumentPreviewDialog(QDialog):
    def __init__(self, ctx: AppContext, plan_id: int, kind: str, session_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.plan_id, self.kind, self.session_id = ctx, plan_id, kind, session_id
        self.prepared: PreparedDocument | None = None
        self.issued: IssuedRecord | None = None
        self._loaded: printing.LoadedPdf | None = None
        self.outputs = 0
        """How often this preview printed or saved the document."""
        self.setObjectName("documentPreview")
        self.setWindowTitle(f"{KIND_LABELS.get(kind, kind)} – preview")
        self.resize(900, 760)
        self._build()
        self._set_ready(False)

    # --- building -----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(f"Preparing the {KIND_LABELS.get(self.kind, self.kind).lower()}…")
        mark(self.title, role="title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.details = QLabel("")
        mark(self.details, role="hint")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel("")  # characters that cannot be printed (or shown), field by field
        self.warning.setObjectName("unprintableWarning")
        mark(self.warning, severity="acknowledge")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setContentsMargins(12, 6, 8, 6)  # room for the severity bar
        self.warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning.hide()
        self.issue_state = QLabel("")
        self.issue_state.setTextFormat(Qt.TextFormat.PlainText)
        self.issue_state.setWordWrap(True)

        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        self.previous_button = QToolButton(text="◀")
        self.previous_button.setToolTip("Previous page (Page Up)")
        self.previous_button.setShortcut(QKeySequence(QKeySequence.StandardKey.MoveToPreviousPage))
        self.next_button = QToolButton(text="▶")
        self.next_button.setToolTip("Next page (Page Down)")
        self.next_button.setShortcut(QKeySequence(QKeySequence.StandardKey.MoveToNextPage))
        self.page_box = QLineEdit("1")  # a plain field: the ◀ ▶ buttons beside it step through the pages
        self.page_box.setObjectName("pageBox")
        self.page_box.setValidator(QIntValidator(1, 9999, self.page_box))
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_box.setMaximumWidth(self.fontMetrics().horizontalAdvance("00000") + 16)
        self.page_box.setToolTip("Type a page number and press Enter")
        self.page_total = QLabel("of 1")
        page_label = QLabel("Pa&ge")
        page_label.setBuddy(self.page_box)
        self.zoom = QComboBox()
        self.zoom.setObjectName("zoom")
        for text, _value in ZOOMS:
            self.zoom.addItem(text)
        zoom_label = QLabel("&Zoom")
        zoom_label.setBuddy(self.zoom)
        self.previous_button.clicked.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.page_box.installEventFilter(self)  # Enter there goes to the page, never to a dialog button
        self.zoom.currentIndexChanged.connect(self._zoom_changed)
        self.view.pageNavigator().currentPageChanged.connect(self._page_shown)

        navigation = QHBoxLayout()
        navigation.setSpacing(8)
        for widget in (page_label, self.previous_button, self.page_box, self.next_button, self.page_total):
            navigation.addWidget(widget)
        navigation.addStretch(1)
        navigation.addWidget(zoom_label)
        navigation.addWidget(self.zoom)

        self.buttons = QDialogButtonBox(self)
        self.print_button = QPushButton("&Print…")
        mark(self.print_button, primary="true")
        self.save_button = QPushButton("&Save as PDF…")
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText("&Close")
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.warning)
        layout.addLayout(navigation)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.issue_state, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.setTabOrder(self.page_box, self.zoom)
        self.setTabOrder(self.zoom, self.view)
        self.setTabOrder(self.view, self.print_button)

    # --- loading ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Render the document in the background; the preview fills in when it is ready."""
        database, actor = self.ctx.database, self.ctx.actor
        plan_id, kind, session_id = self.plan_id, self.kind, self.session_id

        def prepare(_progress) -> PreparedDocument:
            with read(database, actor) as uow:
                return prepare_document(uow, plan_id, kind, session_id)

        self.ctx.tasks.run(prepare, self.show_prepared, self._failed_to_prepare,
                           label=f"Preparing the {KIND_LABELS.get(kind, kind).lower()}…", parent=self)

    def show_prepared(self, prepared: PreparedDocument) -> None:
        self.prepared = prepared
        self._loaded = printing.LoadedPdf(prepared.pdf)
        self.pdf: QPdfDocument = self._loaded.document
        self.view.setDocument(self.pdf)
        pages = prepared.rendered.page_count
        self.title.setText(prepared.title)
        self.setWindowTitle(f"{prepared.title} – preview")
        self.details.setText(f"{prepared.rendered.template_version} · {pages} page{'s' if pages != 1 else ''} · "
                             f"content fingerprint {prepared.fingerprint}")
        self.page_total.setText(f"of {pages}")
        self.issue_state.setText("Not issued yet: printing or saving records it as issued.")
        self._show_warnings(prepared)
        self._set_ready(True)
        self.print_button.setFocus()

    def _show_warnings(self, prepared: PreparedDocument) -> None:
        """Say which characters of which field cannot be printed, and which this screen cannot show."""
        parts = [warning_text(prepared.unprintable)]
        parts.append(missing_glyphs_message("patient name", prepared.request.patient.full_name, self.title.font()))
        text = "\n".join(part for part in parts if part)
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    def _may_output(self, how: str) -> bool:
        """True unless some characters cannot be printed and the user chose not to go on."""
        problems = self.prepared.unprintable if self.prepared is not None else ()
        if not problems:
            return True
        return printing.confirm_unprintable(self, how, warning_text(problems))

    def _failed_to_prepare(self, exc: BaseException) -> None:
        self.title.setText(f"The {KIND_LABELS.get(self.kind, self.kind).lower()} could not be prepared")
        self.issue_state.setText("")
        messages.show_error(self, "Document not prepared", exc)

    def _set_ready(self, ready: bool) -> None:
        for widget in (self.print_button, self.save_button, self.page_box, self.previous_button,
                       self.next_button, self.zoom):
            widget.setEnabled(ready)

    # --- navigation ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.page_box and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.go_to_page(int(self.page_box.text() or "1"))
            return True
        return super().eventFilter(watched, event)

    def current_page(self) -> int:
        """The page shown (1-based)."""
        return self.view.pageNavigator().currentPage() + 1

    def go_to_page(self, number: int) -> None:
        """Show page ``number`` (1-based, clamped to the document)."""
        if self.prepared is None:
            return
        number = max(1, min(number, self.prepared.rendered.page_count))
        navigator = self.view.pageNavigator()
        if navigator.currentPage() == number - 1 and self.prepared.rendered.page_count > 1:
            # QPdfView does not scroll for a jump to the page it counts as current (e.g. after a zoom
            # change left the view elsewhere), so step to a neighbour first.
            navigator.jump(number - 2 if number > 1 else number, QPointF(), navigator.currentZoom())
        navigator.jump(number - 1, QPointF(), navigator.currentZoom())
        self._page_shown(number - 1)

    def _page_shown(self, index: int) -> None:
        self.page_box.setText(str(index + 1))

    def _zoom_changed(self, index: int) -> None:
        page = self.current_page()
        value = ZOOMS[index][1]
        if value is None:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif value == 0.0:
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(value)
        if self.prepared is not None:  # stay on the page being read, once the view has laid out the new zoom
            QTimer.singleShot(0, self, lambda: self.go_to_page(page))

    # --- printing and saving ------------------------------------------------------------------------

    def print_document(self) -> None:
        if self.prepared is None or not self._may_output("print"):
            return
        printer = printing.choose_printer(self, f"Print {self.prepared.title}", self.prepared.rendered.page_count)
        if printer is None:
            return
        pdf = self.prepared.pdf
        self._output("printed", lambda progress: printing.print_pdfs(printer, [pdf], progress), "Printing…")

    def save_document(self) -> None:
        if self.prepared is None or not self._may_output("save"):
            return
        path = printing.ask_save_path(self, self.prepared.file_name)
        if path is None:
            return
        pdf = self.prepared.pdf
        self._output("saved", lambda _progress: write_pdf_files(path.parent, [(path.name, pdf)]), "Saving…",
                     undo=lambda: path.unlink(missing_ok=True))

    def _output(self, how: str, write: Callable[[Callable], object], label: str,
                undo: Callable[[], None] | None = None) -> None:
        """Print or save in the background, then record the first output as the issue of this document
        and later ones as reprints of it; if recording fails, ``undo`` takes the output back."""
        database, actor, prepared, issued = self.ctx.database, self.ctx.actor, self.prepared, self.issued

        def job(progress) -> IssuedRecord:
            write(progress)
            try:
                with work(database, actor) as uow:
                    if issued is None:
                        return record_issue(uow, prepared)
                    reprint_document(uow, issued.id)
                    return issued
            except BaseException:
                if undo is not None:
                    undo()
                raise

        self.ctx.tasks.run(job, lambda record: self._recorded(record, how),
                           lambda exc: self._failed_to_output(exc, how), label=label, parent=self,
                           cancellable=True)

    def _recorded(self, record: IssuedRecord, how: str) -> None:
        self.issued = record
        self.outputs += 1
        self.ctx.notify({"document"})
        issued_at = record.issued_at.replace(tzinfo=dt.timezone.utc).astimezone()
        self.issue_state.setText(
            f"{how.capitalize()}. Issued as document {record.id} by {record.issued_by} at "
            f"{issued_at:%Y-%m-%d %H:%M}; printed or saved {self.outputs} time{'s' if self.outputs != 1 else ''}.")

    def _failed_to_output(self, exc: BaseException, how: str) -> None:
        if isinstance(exc, TaskCancelled):
            self.issue_state.setText("Cancelled: nothing was printed, saved or recorded.")
            return
        messages.show_error(self, f"Document not {how}", exc)

    def done(self, result: int) -> None:
        if self._loaded is not None:
            self._loaded.close()
        super().done(result)


def show_document(ctx: AppContext, plan_id: int, kind: str, parent: QWidget | None = None,
                  session_id: int | None = None) -> DocumentPreviewDialog:
    """Open the preview of a plan's consent form or aftercare sheet (it closes itself when done)."""
    dialog = DocumentPreviewDialog(ctx, plan_id, kind, session_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.start()
    return dialog
