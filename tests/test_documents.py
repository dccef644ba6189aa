"""Consent form and aftercare sheet PDFs: sections, escaping, paging, page sizes, reproducibility."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

import pypdf
import pytest

from mesoplan.documents import (
    CocktailLine,
    DocumentRequest,
    FindingInfo,
    PlannedSession,
    content_fingerprint,
    load_texts,
    render,
    render_aftercare,
    render_consent,
)
from mesoplan.documents.samples import sample_request

TEXTS = load_texts("en")
CONSENT = TEXTS.consent
AFTERCARE = TEXTS.aftercare


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text with every run of whitespace (including line wraps) turned into one space."""
    return " ".join(text.split())


def all_text(pdf: bytes) -> str:
    return flat(" ".join(page_texts(pdf)))


def with_patient_name(request: DocumentRequest, name: str) -> DocumentRequest:
    return replace(request, patient=replace(request.patient, full_name=name))


def with_plan(request: DocumentRequest, **changes) -> DocumentRequest:
    return replace(request, plan=replace(request.plan, **changes))


# --- sections ---------------------------------------------------------------------------------------


def test_consent_prints_every_section_heading_in_order():
    request = with_plan(sample_request(), notes="Please bring a list of your medicines.")
    text = all_text(render_consent(request))
    positions = [text.find(flat(CONSENT["headings"][key])) for key in CONSENT["headings"]]
    missing = [key for key, at in zip(CONSENT["headings"], positions) if at < 0]
    assert missing == []
    assert positions == sorted(positions), "sections are out of order"


def test_consent_prints_the_plan_products_risk_groups_and_declarations():
    request = sample_request()
    text = all_text(render_consent(request))
    for session in request.plan.sessions:
        assert f"{session.date.day} {session.date:%B %Y}" in text
    for line in request.lines:
        assert line.name in text
    assert "0.5 %" in text and "1 mL" in text and "Total volume per session: 3 mL" in text
    assert "1–2 mm" in text
    for group in CONSENT["risk_groups"]:
        assert flat(group["title"]) in text
    for declaration in CONSENT["declarations"]:
        assert flat(declaration) in text
    for choice in CONSENT["photography_choices"]:
        assert flat(choice) in text
    assert "kept for 10 years after your last treatment" in text
    signature_lines = re.findall(rf"\b{re.escape(flat(CONSENT['labels']['signature']))}\b", text)
    assert len(signature_lines) == 3  # patient, practitioner, witness or interpreter


def test_aftercare_prints_its_sections_and_only_the_treated_regions():
    request = with_plan(sample_request("aftercare"), regions=frozenset({"scalp"}))
    text = all_text(render_aftercare(request))
    for heading in AFTERCARE["headings"].values():
        assert flat(heading) in text
    headings = AFTERCARE["region_headings"]
    assert flat(headings["general"]) in text and flat(headings["scalp"]) in text
    assert flat(headings["face"]) not in text and flat(headings["body"]) not in text
    for item in AFTERCARE["avoid"]["scalp"]:
        assert flat(item["text"]) in text and flat(item["window"]) in text
    assert "Call the clinic on +49 30 1234 5678" in text
    assert "Call 112 straight away" in text


def test_aftercare_lists_each_treated_region_in_a_fixed_order():
    request = with_plan(sample_request("aftercare"), regions=frozenset({"body", "face", "scalp"}))
    text = all_text(render(request).pdf)
    at = [text.find(flat(AFTERCARE["region_headings"][r])) for r in ("general", "face", "scalp", "body")]
    assert min(at) >= 0 and at == sorted(at)


# --- data is printed literally -----------------------------------------------------------------------


HOSTILE = '<b>Bob</b> &amp; &copy; "Q"'
UNICODE_NAME = "Zoë Łukasiewicz-Ağaoğlu"
TURKISH_HUNGARIAN = "Ğ ş ı İ ő ű"


@pytest.mark.parametrize("kind", ["consent", "aftercare"])
def test_hostile_and_unicode_text_prints_exactly_as_typed(kind):
    request = with_patient_name(sample_request(kind), HOSTILE)
    request = replace(
        request,
        practitioner=replace(request.practitioner, name=UNICODE_NAME),
        clinic=replace(request.clinic, name=f"{TURKISH_HUNGARIAN} {{clinic_phone}}", address="1 <Main> St & Co"),
        plan=replace(request.plan, areas=("Scalp <vertex> & crown",)),
    )
    text = "\n".join(page_texts(render(request).pdf))
    for expected in (HOSTILE, UNICODE_NAME, f"{TURKISH_HUNGARIAN} {{clinic_phone}}", "1 <Main> St & Co",
                     "Scalp <vertex> & crown"):
        assert expected in text


def test_product_names_and_goals_with_markup_print_literally():
    line = CocktailLine(name="<i>Mix</i> & <br/>", kind="product", actives='B5 &lt; "C"', off_label=False)
    request = with_plan(replace(sample_request(), lines=(line,)), goals="Goal <font size=40>big</font>\nnext line")
    text = all_text(render(request).pdf)
    assert "<i>Mix</i> & <br/>" in text
    assert 'B5 &lt; "C"' in text
    assert "Goal <font size=40>big</font> next line" in text


# --- paging -----------------------------------------------------------------------------------------


def test_six_thousand_character_goals_flow_over_several_numbered_pages():
    sentence = "I would like the thinning at my parting to be less visible in daylight. "
    goals = (sentence * 90)[:6000] + "END-OF-GOALS"
    short = render(sample_request())
    long = render(with_plan(sample_request(), goals=goals))
    assert long.page_count > short.page_count
    pages = page_texts(long.pdf)
    assert len(pages) == long.page_count
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {long.page_count}" in page
    assert "END-OF-GOALS" in all_text(long.pdf)


def test_an_unbreakable_five_thousand_character_word_still_renders():
    word = "x" * 5000
    document = render(with_plan(sample_request(), goals=word, notes=word, areas=(word,)))
    assert document.page_count >= 3
    assert f"Page {document.page_count} of {document.page_count}" in page_texts(document.pdf)[-1]


def test_many_sessions_and_lines_split_tables_across_pages_with_repeated_headers():
    start = dt.date(2026, 1, 5)
    sessions = tuple(PlannedSession(start + dt.timedelta(weeks=n)) for n in range(70))
    lines = tuple(CocktailLine(name=f"Ingredient {n}", strength="1 mg/mL", volume_ml=0.1) for n in range(60))
    document = render(replace(with_plan(sample_request(), sessions=sessions), lines=lines))
    pages = page_texts(document.pdf)
    header = CONSENT["labels"]["session_time"]
    assert sum(1 for p in pages if "Session" in p and header in p) >= 2
    assert sum(1 for p in pages if CONSENT["labels"]["status"] in p) >= 2
    text = all_text(document.pdf)
    assert "Ingredient 59" in text and "70" in text


# --- treatment-specific warnings --------------------------------------------------------------------


def test_hormone_ingredient_and_pregnancy_finding_list_the_specific_warnings():
    hormone = CocktailLine(name="Progesterone", strength="", volume_ml=0.5, caution_tags=("hormone",))
    pregnant = FindingInfo("block", "Patient is pregnant", "Pregnancy was recorded at screening.")
    request = replace(sample_request(), lines=(hormone,), findings=(pregnant,))
    text = all_text(render_consent(request))
    hormone_text = CONSENT["caution_tags"]["hormone"]
    assert flat(hormone_text["title"]) in text and flat(hormone_text["text"]) in text
    assert "Applies to: Progesterone" in text
    assert "Patient is pregnant" in text and "Pregnancy was recorded at screening." in text
    assert flat(CONSENT["severity"]["block"]) in text
    assert flat(CONSENT["no_specific_risks"]) not in text

    without = all_text(render_consent(replace(request, lines=(), findings=())))
    assert flat(hormone_text["text"]) not in without
    assert flat(CONSENT["no_specific_risks"]) in without


def test_a_caution_tag_without_text_gets_the_fallback_sentence():
    line = CocktailLine(name="New extract", caution_tags=("tag_nobody_wrote_text_for",))
    text = all_text(render_consent(replace(sample_request(), lines=(line,))))
    assert flat(CONSENT["caution_fallback"]) in text
    assert "New extract" in text


def test_a_tag_marked_silent_prints_nothing_about_itself():
    assert CONSENT["caution_tags"]["refrigerate"] is None
    line = CocktailLine(name="Cold-stored serum", caution_tags=("refrigerate",))
    text = all_text(render_consent(replace(sample_request(), lines=(line,), findings=())))
    assert flat(CONSENT["caution_fallback"]) not in text
    assert flat(CONSENT["no_specific_risks"]) in text


def test_off_label_statement_appears_only_when_a_line_is_off_label():
    statement = flat(CONSENT["off_label_statement"])
    declaration = flat(CONSENT["off_label_declaration"])
    off = all_text(render_consent(sample_request()))
    assert any(line.off_label for line in sample_request().lines)
    assert statement in off and declaration in off and flat(CONSENT["headings"]["off_label"]) in off

    on_label = tuple(replace(line, off_label=False) for line in sample_request().lines)
    plain_text = all_text(render_consent(replace(sample_request(), lines=on_label)))
    assert statement not in plain_text and declaration not in plain_text
    assert flat(CONSENT["headings"]["off_label"]) not in plain_text


def test_next_session_date_or_to_be_arranged_on_aftercare():
    dated = all_text(render_aftercare(replace(sample_request("aftercare"), next_session=dt.date(2026, 4, 7))))
    assert "Your next session is planned for Tuesday 7 April 2026." in dated
    undated = all_text(render_aftercare(replace(sample_request("aftercare"), next_session=None)))
    assert flat(AFTERCARE["next_session_none"]) in undated
    assert "7 April 2026" not in undated


def test_missing_emergency_number_falls_back_to_the_local_emergency_number_wording():
    request = sample_request("aftercare")
    request = replace(request, clinic=replace(request.clinic, emergency_phone=""))
    assert f"Call {flat(TEXTS.common['no_emergency_phone'])} straight away" in all_text(render(request).pdf)


# --- page size, reproducibility, fingerprint ---------------------------------------------------------


@pytest.mark.parametrize(("size", "points"), [("A4", (595.3, 841.9)), ("Letter", (612.0, 792.0))])
def test_page_sizes(size, points):
    for kind in ("consent", "aftercare"):
        reader = pypdf.PdfReader(io.BytesIO(render(sample_request(kind, page_size=size)).pdf))
        for page in reader.pages:
            assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == points


def test_same_input_gives_same_bytes_and_fingerprint():
    first, second = render(sample_request()), render(sample_request())
    assert first.pdf == second.pdf
    assert first.fingerprint == second.fingerprint == content_fingerprint(sample_request())
    assert re.fullmatch(r"[0-9a-f]{64}", first.fingerprint)
    assert first.template_version == CONSENT["template_version"]


def test_fingerprint_and_template_version_are_printed_on_every_page():
    document = render(sample_request())
    for page in page_texts(document.pdf):
        assert document.fingerprint in flat(page)
        assert document.template_version in page


def test_pdf_creation_date_is_the_issue_date():
    reader = pypdf.PdfReader(io.BytesIO(render(sample_request()).pdf))
    assert reader.metadata["/CreationDate"].startswith("D:20260302")


@pytest.mark.parametrize("change", [
    lambda r: with_patient_name(r, "Someone Else"),
    lambda r: replace(r, next_session=None),
    lambda r: replace(r, issued_on=r.issued_on + dt.timedelta(days=1)),
    lambda r: replace(r, lines=r.lines[:1]),
    lambda r: replace(r, findings=()),
    lambda r: with_plan(r, goals=r.plan.goals + "."),
    lambda r: replace(r, kind="aftercare"),
])
def test_changed_input_changes_the_fingerprint(change):
    original = sample_request()
    changed = change(original)
    assert changed != original
    assert content_fingerprint(changed) != content_fingerprint(original)
    assert render(changed).pdf != render(original).pdf


def test_render_consent_and_render_aftercare_ignore_the_request_kind():
    request = sample_request("aftercare")
    assert render_consent(request) == render(replace(request, kind="consent")).pdf
    assert render_aftercare(request) == render(request).pdf


# --- logo -------------------------------------------------------------------------------------------


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (47, 93, 110, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_logo_is_drawn_on_the_first_page_and_a_broken_logo_is_reported():
    from mesoplan.errors import ValidationError

    request = sample_request()
    with_logo = replace(request, clinic=replace(request.clinic, logo_png=_png(300, 100)))
    reader = pypdf.PdfReader(io.BytesIO(render(with_logo).pdf))
    assert len(reader.pages[0].images) == 1
    assert all(len(page.images) == 0 for page in reader.pages[1:])
    broken = replace(request, clinic=replace(request.clinic, logo_png=b"not a png"))
    with pytest.raises(ValidationError, match="logo"):
        render(broken)
