"""The front desk page: the day's sessions, printing a session's pair or the whole day, issued ticks."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel
from sqlalchemy import select
from test_documents_service import DAY, HOSTILE_FAMILY, make_patient, make_plan, set_up_clinic

from mesoplan.db.models import IssuedDocument
from mesoplan.services.uow import read
from mesoplan.ui.context import AppContext
from mesoplan.ui.documents import printing
from mesoplan.ui.frontdesk.day_model import ISSUED, NOT_ISSUED, Column, DaySessionTableModel
from mesoplan.ui.frontdesk.day_view import FrontDeskPage
from mesoplan.ui.tasks import TaskCancelled


@pytest.fixture
def clinic(db, actor):
    """Two sessions on DAY (Okafor 08:45, the hostile name 10:30) and a cancelled one at 12:00."""
    practitioner = set_up_clinic(db, actor)
    zoe = make_patient(db, actor)
    ben = make_patient(db, actor, family="Okafor", given="Ben", sex="male", phone="0161 555 0100")
    return {
        "ben": make_plan(db, actor, ben, practitioner, days=(DAY,), times=(dt.time(8, 45),)),
        "zoe": make_plan(db, actor, zoe, practitioner),
        "cancelled": make_plan(db, actor, zoe, practitioner, days=(DAY,), times=(dt.time(12, 0),),
                               statuses=("cancelled",)),
    }


@pytest.fixture
def desk(ctx, front_desk_actor):
    """The app context of a front-desk user (tasks run inline, as in ``ctx``)."""
    return AppContext(ctx.database, front_desk_actor)


@pytest.fixture
def pdf_printer(monkeypatch, tmp_path):
    """Replace the system print dialog by a printer that writes a PDF file; records each call."""
    calls = []

    def choose(parent, title, page_count):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setResolution(72)  # small page images keep the test fast
        printer.setOutputFileName(str(tmp_path / f"printed-{len(calls)}.pdf"))
        calls.append({"title": title, "pages": page_count, "file": tmp_path / f"printed-{len(calls)}.pdf"})
        return printer

    monkeypatch.setattr(printing, "choose_printer", choose)
    return calls


def issued(database, actor) -> list[tuple[str, int, int | None]]:
    with read(database, actor) as uow:
        return [(r.kind, r.plan_id, r.session_id) for r in uow.session.scalars(
            select(IssuedDocument).order_by(IssuedDocument.id))]


def cell(page: FrontDeskPage, row: int, column: Column) -> str:
    return page.table.model().index(row, column).data()


def test_the_day_lists_sessions_by_time_with_contact_details(qtbot, desk, clinic):
    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    assert "Wednesday 25 November 2026" in page.title.text()
    assert page.table.model().rowCount() == 3
    assert [cell(page, r, Column.TIME) for r in range(3)] == ["08:45", "10:30", "12:00"]
    assert cell(page, 0, Column.PATIENT) == "Okafor, Ben" and cell(page, 0, Column.PHONE) == "0161 555 0100"
    assert cell(page, 1, Column.PATIENT).startswith(HOSTILE_FAMILY)
    assert cell(page, 1, Column.BORN).startswith("1988-06-14") and cell(page, 1, Column.SESSION) == "1 of 2"
    assert cell(page, 2, Column.SESSION) == "1 of 1 · cancelled"
    assert cell(page, 1, Column.PRACTITIONER) == "Dr Ada Quill"
    assert cell(page, 0, Column.CONSENT) == NOT_ISSUED
    assert "2 sessions taking place" in page.summary.text()


def test_front_desk_sees_no_clinical_details(qtbot, desk, clinic):
    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    model = page.table.model()
    shown = [str(model.index(r, c).data(role)) for r in range(model.rowCount()) for c in range(model.columnCount())
             for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)]
    shown += [label.text() for label in page.findChildren(QLabel)]
    text = " ".join(shown)
    assert "Okafor" in text
    for clinical in ("Minoxidil", "Revitacare", "INTERNAL NOTE", "Keep the current density"):
        assert clinical not in text


def test_day_navigation_buttons_and_date_field(qtbot, desk, clinic):
    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    titles = []
    page.title_changed.connect(titles.append)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.day == DAY + dt.timedelta(days=1) and page.date_edit.date().toPython() == page.day
    assert page.table.isHidden() and page.table.model().rowCount() == 0
    assert not page.empty_label.isHidden() and page.empty_label.text() == "No sessions are booked on this day."
    assert not page.print_day_button.isEnabled()
    qtbot.mouseClick(page.previous_button, Qt.MouseButton.LeftButton)
    assert page.table.model().rowCount() == 3 and not page.table.isHidden() and page.empty_label.isHidden()
    page.date_edit.setDate(DAY + dt.timedelta(weeks=4))
    assert page.day == DAY + dt.timedelta(weeks=4) and cell(page, 0, Column.SESSION) == "2 of 2"
    qtbot.mouseClick(page.today_button, Qt.MouseButton.LeftButton)
    assert page.day == dt.date.today() and page.tab_title() == "Today"
    assert titles[-1] == "Today" and titles[0] == f"Day {(DAY + dt.timedelta(days=1)).isoformat()}"


def test_print_the_selected_sessions_pair_once_then_ticks_show(qtbot, desk, clinic, pdf_printer, front_desk_actor):
    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    page.table.selectRow(1)  # 10:30, the hostile name
    assert page.current_plan_id() == clinic["zoe"]
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert len(pdf_printer) == 1 and "Łukasiewicz" in pdf_printer[0]["title"]
    printed = pypdf.PdfReader(io.BytesIO(pdf_printer[0]["file"].read_bytes()))
    assert len(printed.pages) == pdf_printer[0]["pages"] > 2  # consent and aftercare, one job
    session_id = page.selected_session().session_id
    assert issued(desk.database, front_desk_actor) == [("consent", clinic["zoe"], session_id),
                                                       ("aftercare", clinic["zoe"], session_id)]
    assert cell(page, 1, Column.CONSENT) == ISSUED and cell(page, 1, Column.AFTERCARE) == ISSUED
    assert cell(page, 0, Column.CONSENT) == NOT_ISSUED
    assert page.selected_session().session_id == session_id  # the selection survives the refresh
    assert "2 documents" in page.banner.label.text() and "recorded as issued" in page.banner.label.text()


def test_a_cancelled_session_cannot_be_printed(qtbot, desk, clinic, pdf_printer):
    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    page.table.selectRow(2)
    assert not page.print_button.isEnabled() and page.preview_consent_button.isEnabled()


def test_closing_the_print_dialog_records_nothing(qtbot, desk, clinic, monkeypatch, front_desk_actor):
    monkeypatch.setattr(printing, "choose_printer", lambda *args: None)
    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert issued(desk.database, front_desk_actor) == []
    assert page.banner.label.text() == "Nothing was printed or recorded."


def test_cancelling_while_printing_records_nothing(qtbot, desk, clinic, pdf_printer, monkeypatch, front_desk_actor):
    def cancelled(printer, pdfs, progress=None):
        raise TaskCancelled()

    monkeypatch.setattr(printing, "print_pdfs", cancelled)
    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.print_day_button, Qt.MouseButton.LeftButton)
    assert issued(desk.database, front_desk_actor) == []
    assert page.banner.label.text().startswith("Cancelled")


def test_print_the_whole_day_in_one_job(qtbot, desk, clinic, pdf_printer, front_desk_actor):
    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.print_day_button, Qt.MouseButton.LeftButton)
    assert len(pdf_printer) == 1 and "2026-11-25" in pdf_printer[0]["title"]
    assert len(pypdf.PdfReader(io.BytesIO(pdf_printer[0]["file"].read_bytes())).pages) == pdf_printer[0]["pages"]
    kinds = [(kind, plan) for kind, plan, _session in issued(desk.database, front_desk_actor)]
    assert kinds == [("consent", clinic["ben"]), ("aftercare", clinic["ben"]),
                     ("consent", clinic["zoe"]), ("aftercare", clinic["zoe"])]
    assert [cell(page, r, Column.AFTERCARE) for r in range(3)] == [ISSUED, ISSUED, NOT_ISSUED]


def test_save_the_whole_day_as_files(qtbot, desk, clinic, monkeypatch, tmp_path, front_desk_actor):
    folder = tmp_path / "day"
    folder.mkdir()
    monkeypatch.setattr(printing, "ask_folder", lambda parent, title: folder)
    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.save_day_button, Qt.MouseButton.LeftButton)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["2026-11-25_0845_Okafor_Ben_aftercare.pdf", "2026-11-25_0845_Okafor_Ben_consent.pdf",
                     "2026-11-25_1030_Lukasiewicz-Agaoglu-Q_b-Zoe-b-amp_aftercare.pdf",
                     "2026-11-25_1030_Lukasiewicz-Agaoglu-Q_b-Zoe-b-amp_consent.pdf"]
    assert len(issued(desk.database, front_desk_actor)) == 4
    assert str(folder) in page.banner.label.text()


def test_saving_into_a_missing_folder_is_refused(qtbot, desk, clinic, monkeypatch, tmp_path, messages,
                                                 front_desk_actor):
    monkeypatch.setattr(printing, "ask_folder", lambda parent, title: tmp_path / "gone")
    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.save_day_button, Qt.MouseButton.LeftButton)
    assert messages.errors and "does not exist" in messages.errors[0][1]
    assert issued(desk.database, front_desk_actor) == []


def test_issuing_elsewhere_refreshes_the_ticks(qtbot, desk, clinic):
    from mesoplan.services.documents import issue_document

    page = FrontDeskPage(desk, DAY)
    qtbot.addWidget(page)
    with desk.work() as uow:
        issue_document(uow, clinic["ben"], "consent")
    assert cell(page, 0, Column.CONSENT) == ISSUED


def test_without_issue_permission_the_print_buttons_are_hidden(qtbot, ctx, clinic, admin_actor):
    page = FrontDeskPage(AppContext(ctx.database, admin_actor), DAY)
    qtbot.addWidget(page)
    assert page.table.model().rowCount() == 3 and cell(page, 0, Column.PHONE) == ""
    assert page.print_button.isHidden() and page.print_day_button.isHidden() and page.open_patient_button.isHidden()


def test_the_table_model_passes_the_model_tester(qtmodeltester, desk, clinic):
    from mesoplan.services.day_schedule import sessions_on

    model = DaySessionTableModel()
    with desk.read() as uow:
        model.set_sessions(sessions_on(uow, DAY))
    assert model.rowCount() == 3
    qtmodeltester.check(model)
    model.set_sessions([])
    qtmodeltester.check(model)
