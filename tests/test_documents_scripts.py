"""Every script prints correctly, or the user is told: right-to-left order, shaping, fonts that cover
the characters, and a warning naming the field and characters when no font has them."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace

import pypdf
import pytest
from pdf_geometry import pages, problems
from test_documents_service import make_patient, make_plan, pdf_text, set_up_clinic

from mesoplan.cli import main
from mesoplan.documents import fallback, scripts
from mesoplan.documents.printable import unprintable, warning_text
from mesoplan.documents import render
from mesoplan.documents.samples import sample_request

NO_FONT_HAS_IT = "\U0010fffd"  # a private-use character of plane 16: no font maps it


def with_names(kind="consent", patient="", practitioner=None, clinic=None):
    base = sample_request(kind)
    return replace(base, patient=replace(base.patient, full_name=patient),
                   practitioner=replace(base.practitioner, name=practitioner or base.practitioner.name),
                   clinic=replace(base.clinic, name=clinic or base.clinic.name))


@pytest.fixture
def no_system_fonts(monkeypatch):
    """A machine where fontconfig finds no font at all (only the shipped DejaVu Sans)."""
    fallback.forget()
    monkeypatch.setattr(fallback, "installed_fonts", lambda: ())
    yield
    monkeypatch.undo()
    fallback.forget()


def row_words(pdf: bytes, label: str, page: int = 1):
    """The words printed on the same line as ``label`` (first page), left to right."""
    words = pages(pdf)[page - 1].words
    anchor = next(w for w in words if w.text == label)
    return sorted((w for w in words if abs(w.y0 - anchor.y0) < 1 and w.x0 > anchor.x1 + 20), key=lambda w: w.x0)


def base_fonts(pdf: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def reading(word) -> str:
    """A right-to-left word as extracted (display order, presentation forms) back in reading order."""
    return unicodedata.normalize("NFKC", word.text)[::-1]


# --- right-to-left -----------------------------------------------------------------------------------


def test_a_hebrew_name_reads_right_to_left():
    pdf = render(with_names(patient="דוד בן גוריון")).pdf
    shown = row_words(pdf, "name")[:3]  # "Patient name" row: the name's words left to right
    assert [reading(w) for w in shown] == ["גוריון", "בן", "דוד"]


def test_an_arabic_name_reads_right_to_left_with_joined_letters():
    pdf = render(with_names(patient="محمد عبد الله")).pdf
    shown = row_words(pdf, "name")[:3]
    assert [reading(w) for w in shown] == ["الله", "عبد", "محمد"]
    meem_initial, dal_final = "\ufee3", "\ufeaa"
    assert meem_initial in shown[2].text and dal_final in shown[2].text  # contextual forms: the letters join
    assert unprintable(with_names(patient="محمد عبد الله")) == ()


def test_a_wrapped_right_to_left_name_starts_on_its_first_line():
    words = [f"שם{chr(0x05D0 + n)}{chr(0x05D0 + n)}" for n in range(20)]
    lines = scripts.break_lines(" ".join(words), 120, 9)
    assert len(lines) > 2
    first_line = scripts.display_words(lines[0][0], lines[0][1])
    assert first_line[-1] == words[0]  # the first word is the right-most word of the first line
    assert [w for line, base in lines for w in reversed(scripts.display_words(line, base))] == words


def test_mixed_text_keeps_the_latin_words_in_order_and_numbers_unreversed():
    assert scripts.display_words("Dr דוד בן 12", "L") == ["Dr", "12", "בן", "דוד"]


def test_a_long_arabic_name_in_the_signature_block_does_not_overlap():
    name = " ".join(["عبد الرحمن محمد الأحمد"] * 14)[:200]
    pdf = render(with_names(patient=f"{name} {name}", practitioner=name)).pdf
    assert problems(pdf) == []


# --- fonts ---------------------------------------------------------------------------------------------


def test_chinese_and_japanese_print_in_an_installed_font_that_has_them():
    name = "王小明 山田花子 やまだ"
    rendered = render(with_names(patient=name))
    assert rendered.unprintable == ()
    assert name in pdf_text(rendered.pdf)
    assert any("DejaVu" not in font for font in base_fonts(rendered.pdf))  # a system font was embedded for them


def test_greek_cyrillic_and_emoji_print():
    name = "Αλέξανδρος Пушкин Anna 😀🎉💉"
    rendered = render(with_names(patient=name))
    assert rendered.unprintable == ()
    assert "Αλέξανδρος Пушкин Anna" in pdf_text(rendered.pdf)


def test_without_a_covering_font_the_field_and_characters_are_named_and_no_box_is_printed(no_system_fonts):
    request = with_names(patient="Anna 😀🎉 王", practitioner="Dr Ĳ", clinic="Klinik " + NO_FONT_HAS_IT)
    rendered = render(request)
    found = {p.field: p.chars for p in rendered.unprintable}
    assert found == {"patient name": ("🎉", "王"), "clinic name": (NO_FONT_HAS_IT,)}  # DejaVu has 😀
    text = pdf_text(rendered.pdf)
    assert "[U+1F389] [U+738B]" in text and "[U+10FFFD]" in text  # a code, never an empty box
    message = warning_text(rendered.unprintable)
    assert "patient name: U+1F389 PARTY POPPER, U+738B CJK UNIFIED IDEOGRAPH-738B" in message
    assert "clinic name: U+10FFFD private use character" in message
    assert "clinic name" in message


def test_a_character_no_font_has_is_reported_on_any_machine():
    rendered = render(with_names(kind="aftercare", patient="Ben" + NO_FONT_HAS_IT))
    assert [(p.field, p.chars) for p in rendered.unprintable] == [("patient name", (NO_FONT_HAS_IT,))]
    assert "Ben[U+10FFFD]" in pdf_text(rendered.pdf)


def test_devanagari_is_shaped_and_without_harfbuzz_it_is_reported(monkeypatch):
    name = "नमस्ते प्रिया"
    assert unprintable(with_names(patient=name)) == ()
    render(with_names(patient=name))
    monkeypatch.setattr(scripts, "HAVE_SHAPING", False)
    assert unprintable(with_names(patient=name))[0].field == "patient name"


def test_markup_in_a_name_prints_literally():
    name = "<b>Bob</b> &amp; <font size=40>X</font>"
    assert name in pdf_text(render(with_names(patient=name)).pdf)


# --- command line --------------------------------------------------------------------------------------


def test_the_command_line_warns_which_field_cannot_be_printed(sqlite_db, database_file, actor, tmp_path, capsys):
    practitioner = set_up_clinic(sqlite_db, actor)
    plan = make_plan(sqlite_db, actor, make_patient(sqlite_db, actor, given="Ann" + NO_FONT_HAS_IT), practitioner)
    target = tmp_path / "consent.pdf"
    assert main(["--database", f"sqlite:///{database_file}", "documents", "--plan", str(plan),
                 "--consent", str(target)]) == 0
    err = capsys.readouterr().err
    assert "patient name" in err and "U+10FFFD" in err and "cannot be printed" in err
    assert target.exists()


def test_a_word_mixing_directions_is_reported_with_its_field():
    rendered = render(with_names(patient="محمد12 Anna", practitioner="Dr דוד"))
    assert [(p.field, p.chars, p.mixed_words) for p in rendered.unprintable] == [("patient name", (), ("محمد12",))]
    assert "wrong order" in warning_text(rendered.unprintable)


def test_the_days_documents_on_the_command_line_warn_too(sqlite_db, database_file, actor, tmp_path, capsys):
    from test_documents_service import DAY

    practitioner = set_up_clinic(sqlite_db, actor)
    make_plan(sqlite_db, actor, make_patient(sqlite_db, actor, family="Okafor" + NO_FONT_HAS_IT), practitioner)
    assert main(["--database", f"sqlite:///{database_file}", "documents", "--day", DAY.isoformat(),
                 "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.count("patient name: U+10FFFD private use character cannot be printed") == 2  # consent, aftercare
    assert "Consent form" in err and "Aftercare sheet" in err


def test_an_arabic_product_name_wraps_in_reading_order():
    words = ["حمض", "الهيالورونيك", "المتشابك"] * 6
    line = replace(sample_request().lines[0], name=" ".join(words))
    pdf = render(replace(sample_request("consent"), lines=(line,))).pdf
    assert problems(pdf) == []
    arabic = [w for page in pages(pdf) for w in page.words
              if any("\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff" for c in w.text)]
    lines = sorted({(w.page, round(w.y0)) for w in arabic})
    assert len(lines) > 2  # it wraps
    first_line = sorted((w for w in arabic if (w.page, round(w.y0)) == lines[0]), key=lambda w: w.x0)
    assert reading(first_line[-1]) == "حمض"  # the first word is the right-most word of the first line


def test_decomposed_accents_and_emoji_sequences_print_without_warnings():
    decomposed = unicodedata.normalize("NFD", "Zoë Łukasiewicz-Ağaoğlu")
    request = with_names(patient=decomposed + " ❤️ 👍🏽")
    rendered = render(request)
    assert rendered.unprintable == ()
    assert problems(rendered.pdf) == []
    assert "Zoë Łukasiewicz-Ağaoğlu" in unicodedata.normalize("NFC", pdf_text(rendered.pdf))


def test_without_harfbuzz_hebrew_still_reads_right_to_left_and_arabic_is_reported(monkeypatch):
    monkeypatch.setattr(scripts, "HAVE_SHAPING", False)
    pdf = render(with_names(patient="דוד בן גוריון")).pdf
    assert [reading(w) for w in row_words(pdf, "name")[:3]] == ["גוריון", "בן", "דוד"]
    assert unprintable(with_names(patient="דוד בן גוריון")) == ()
    assert unprintable(with_names(patient="محمد"))[0].chars == ("م", "ح", "د")  # unjoined would mislead


def test_arabic_data_inside_a_sentence_that_wraps_keeps_reading_order():
    indication = " ".join(["تساقط", "الشعر", "الوراثي", "عند", "النساء"] * 4)
    request = replace(sample_request("consent"), plan=replace(sample_request().plan, indication=indication))
    pdf = render(request).pdf
    assert problems(pdf) == []
    words = [w for page in pages(pdf) for w in page.words]
    # the aims sentence names the indication: its first Arabic word is the right-most of its first line
    start = next(w for w in words if w.text == "with:")
    same_line = [w for w in words if w.page == start.page and abs(w.y0 - start.y0) < 1 and w.x0 > start.x1]
    assert reading(max(same_line, key=lambda w: w.x0)) == "تساقط"
