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


# --- page breaks ------------------------------------------------------------------------------------

WEEKDAY_DATE = re.compile(r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ \d{4}$")


def content_of(page: str) -> str:
    """A page's own text, without the furniture drawn after it (page number, footer, running header)."""
    return flat(re.split(r"\nPage \d+ of \d+\n", page)[0])


def page_of(pdf: bytes, text: str) -> int:
    """The number (from 1) of the first page showing ``text``; 0 when no page does."""
    return next((n for n, page in enumerate(page_texts(pdf), 1) if flat(text) in flat(page)), 0)


def with_address_lines(request: DocumentRequest, count: int) -> DocumentRequest:
    """The same document pushed down the page by ``count`` extra letterhead lines."""
    address = "\n".join(["Lindenstraße 12"] + [f"Building {n}" for n in range(count)])
    return replace(request, clinic=replace(request.clinic, address=address))


def kept_texts() -> list[str]:
    """Every heading, subheading and introductory sentence: none may end a page."""
    found = [*CONSENT["headings"].values(), *(g["title"] for g in CONSENT["risk_groups"]), CONSENT["plan_intro"],
             CONSENT["products_intro"], CONSENT["alternatives_intro"], CONSENT["risks_intro"],
             CONSENT["specific_intro"], CONSENT["declarations_intro"], CONSENT["photography_intro"],
             *AFTERCARE["headings"].values(), AFTERCARE["avoid_intro"]]
    return [flat(text.replace("{clinic_phone}", "+49 30 1234 5678")) for text in found]


SHIFTS = range(0, 26, 2)


@pytest.mark.parametrize("kind", ["consent", "aftercare"])
def test_no_heading_or_intro_ends_a_page_wherever_the_page_breaks_fall(kind):
    caution = CocktailLine(name="Thyroxine", volume_ml=0.2, caution_tags=("thyroid_hormone",))
    base = replace(sample_request(kind), lines=(*sample_request().lines, caution))
    kept = kept_texts()
    for shift in SHIFTS:
        pages = page_texts(render(with_address_lines(base, shift)).pdf)
        for number, page in enumerate(pages[:-1], 1):
            ending = content_of(page)
            assert not [t for t in kept if ending.endswith(t)], f"shift {shift}, page {number} ends: {ending[-80:]}"


def test_risks_that_apply_heading_stays_with_its_first_item():
    heading = CONSENT["headings"]["specific_risks"]
    first_item = flat(CONSENT["caution_tags"]["minoxidil"]["text"])[:50]  # its title is also a product's name
    pages_seen = set()
    for shift in SHIFTS:
        pdf = render(with_address_lines(sample_request(), shift)).pdf
        pages_seen.add(page_of(pdf, heading))
        assert page_of(pdf, heading) == page_of(pdf, first_item) > 0, f"shift {shift}"
    assert len(pages_seen) >= 2  # the shifts really moved the section across a page break


def test_a_split_session_table_never_leaves_one_row_alone_on_a_page():
    start = dt.date(2026, 1, 5)
    for count in range(4, 34):
        sessions = tuple(PlannedSession(start + dt.timedelta(weeks=n)) for n in range(count))
        pages = page_texts(render(with_plan(sample_request(), sessions=sessions)).pdf)
        rows = [sum(1 for line in page.splitlines() if WEEKDAY_DATE.match(line.strip())) for page in pages]
        assert sum(rows) == count
        assert all(n == 0 or n >= 2 for n in rows), f"{count} sessions split as {rows}"


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_aftercare_contact_details_stay_with_the_emergency_advice(size):
    contact, emergency = AFTERCARE["headings"]["contact"], AFTERCARE["headings"]["emergency"]
    for regions in ({"scalp"}, {"face", "scalp", "body"}):
        request = with_plan(sample_request("aftercare", page_size=size), regions=frozenset(regions))
        for shift in SHIFTS:
            document = render(with_address_lines(request, shift))
            at = page_of(document.pdf, contact)
            assert at == page_of(document.pdf, emergency) == document.page_count, (regions, shift)


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_a_one_region_aftercare_sheet_fits_on_two_pages(size):
    for region in ("face", "scalp", "body"):
        request = with_plan(sample_request("aftercare", page_size=size), regions=frozenset({region}))
        assert render(request).page_count == 2, region


def test_email_address_and_telephone_number_are_never_broken():
    email = "appointments.and.enquiries@lindenhof-skin-and-hair-clinic.example"
    for kind in ("consent", "aftercare"):
        request = sample_request(kind)
        request = replace(request, clinic=replace(request.clinic, email=email, phone="+49 30 1234 5678 900"))
        pages = page_texts(render(request).pdf)
        lines = [" ".join(line.split()) for page in pages for line in page.splitlines()]
        assert any(email in line for line in lines[:8]), kind  # the letterhead
        assert any("Tel. +49 30 1234 5678 900" in line for line in lines[:8]), kind
        if kind == "aftercare":
            assert sum(email in line for line in lines) == 2  # letterhead and contact block, each whole


# --- what is normal, and when to call, by treated region -----------------------------------------------


def _items(group: str, region: str) -> list[str]:
    entries = AFTERCARE[group][region]
    return [flat(e if isinstance(e, str) else e["text"]) for e in entries]


@pytest.mark.parametrize("treated", [{"face"}, {"scalp"}, {"body"}, {"face", "body"}])
def test_region_items_of_normal_and_call_clinic_print_only_for_treated_regions(treated):
    text = all_text(render(with_plan(sample_request("aftercare"), regions=frozenset(treated))).pdf)
    for group in ("normal", "call_clinic"):
        assert all(item in text for item in _items(group, "general"))
        for region in ("face", "scalp", "body"):
            for item in _items(group, region):
                assert (item in text) == (region in treated), (group, region, item)
    assert ("Tiny scabs or marks on the scalp" in text) == ("scalp" in treated)


def test_every_region_has_its_own_normal_item_and_scalp_its_hair_loss_warning():
    for region in ("face", "scalp", "body"):
        assert _items("normal", region), region
    assert any("hair" in item for item in _items("call_clinic", "scalp"))
    assert not any("scalp" in item.lower() for item in _items("normal", "general") + _items("call_clinic", "general"))


# --- findings on the consent form ------------------------------------------------------------------------


def test_a_finding_without_patient_words_gets_a_pointer_to_the_practitioner():
    finding = FindingInfo("info", "Something to discuss", "")
    text = all_text(render_consent(replace(sample_request(), findings=(finding,))))
    assert "Something to discuss" in text
    assert flat(CONSENT["finding_fallback"]) in text
    assert flat(CONSENT["severity"]["info"]) in text


def test_remembering_line_breaks_does_not_change_a_single_byte(monkeypatch):
    from mesoplan.documents import layout

    goals = "I would like the thinning at my parting to be less visible in daylight. " * 90
    requests = [sample_request(), sample_request("aftercare", page_size="Letter"),
                with_plan(sample_request(), goals=goals, notes="x" * 5000),  # paragraphs split over pages
                with_address_lines(sample_request(), 12)]
    remembered = [render(request).pdf for request in requests]
    monkeypatch.setattr(layout.Paragraph, "wrap", layout._ReportLabParagraph.wrap)
    assert [render(request).pdf for request in requests] == remembered
