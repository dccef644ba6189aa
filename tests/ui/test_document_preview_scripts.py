"""The preview says which characters of which field cannot be printed (or shown) and lets the user
decide before printing or saving; names in any script the fonts cover show no warning."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont
from test_document_preview import issued_rows, open_preview, printed  # noqa: F401 (fixture)
from test_documents_service import make_patient, make_plan, set_up_clinic

from mesoplan.ui.documents import printing
from mesoplan.ui.widgets.glyphs import missing_glyphs, missing_glyphs_message

NO_FONT_HAS_IT = "\U0010fffd"


def plan_for(db, actor, given: str, family: str = "Tester") -> int:
    practitioner = set_up_clinic(db, actor)
    return make_plan(db, actor, make_patient(db, actor, family=family, given=given), practitioner)


def test_a_name_every_font_covers_gives_no_warning(qtbot, ctx, db, actor):
    dialog = open_preview(qtbot, ctx, plan_for(db, actor, "محمد", family="王 Пушкин"))
    assert dialog.prepared.unprintable == ()
    assert dialog.warning.isHidden()


@pytest.mark.parametrize("answer, expected", [(False, []), (True, [("consent", 1)])])
def test_unprintable_characters_are_named_and_the_user_decides(qtbot, ctx, db, actor, monkeypatch, printed,  # noqa: F811
                                                                answer, expected):
    dialog = open_preview(qtbot, ctx, plan_for(db, actor, "Ann" + NO_FONT_HAS_IT))
    assert not dialog.warning.isHidden()
    text = dialog.warning.text()
    assert "patient name" in text and "U+10FFFD" in text and "cannot be printed" in text
    assert "this screen cannot show" in text  # the window's fonts lack it as well
    asked = []
    monkeypatch.setattr(printing, "confirm_unprintable",
                        lambda parent, how, explanation: asked.append((how, explanation)) or answer)
    dialog.print_button.click()
    assert asked and asked[0][0] == "print" and "patient name" in asked[0][1]
    assert issued_rows(ctx) == expected
    assert len(printed) == (1 if answer else 0)


def test_saving_asks_too(qtbot, ctx, db, actor, monkeypatch, tmp_path):
    dialog = open_preview(qtbot, ctx, plan_for(db, actor, "Ann" + NO_FONT_HAS_IT))
    monkeypatch.setattr(printing, "confirm_unprintable", lambda parent, how, explanation: how == "print")
    monkeypatch.setattr(printing, "ask_save_path", lambda parent, name: tmp_path / name)
    dialog.save_button.click()
    assert list(tmp_path.glob("*.pdf")) == [] and issued_rows(ctx) == []


def test_missing_glyphs_finds_what_no_screen_font_has(qapp):
    font = QFont()
    assert missing_glyphs("Zoë Łukasiewicz", font) == []
    assert missing_glyphs("A" + NO_FONT_HAS_IT + "\u0378B" + NO_FONT_HAS_IT, font) == [NO_FONT_HAS_IT, "\u0378"]
    assert "U+10FFFD" in missing_glyphs_message("patient name", "A" + NO_FONT_HAS_IT, font)
    assert missing_glyphs_message("patient name", "Zoë", font) == ""


@pytest.mark.parametrize("answer", [False, True])
def test_the_front_desk_is_asked_before_printing_a_day_with_unprintable_names(qtbot, ctx, db, actor, monkeypatch,
                                                                                front_desk_actor, tmp_path, answer):
    from PySide6.QtPrintSupport import QPrinter
    from test_documents_service import DAY

    from mesoplan.ui.context import AppContext
    from mesoplan.ui.frontdesk.day_view import FrontDeskPage

    plan_for(db, actor, "Ann" + NO_FONT_HAS_IT)
    asked, chosen = [], []
    monkeypatch.setattr(printing, "confirm_unprintable",
                        lambda parent, how, explanation: asked.append(explanation) or answer)

    def choose(parent, title, page_count):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setResolution(72)
        printer.setOutputFileName(str(tmp_path / "day.pdf"))
        chosen.append(title)
        return printer

    monkeypatch.setattr(printing, "choose_printer", choose)
    page = FrontDeskPage(AppContext(ctx.database, front_desk_actor), DAY)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    page.print_button.click()
    assert len(asked) == 1 and "patient name" in asked[0] and "U+10FFFD" in asked[0] and "consent" in asked[0]
    assert len(chosen) == (1 if answer else 0)
    assert len(issued_rows(ctx)) == (2 if answer else 0)
