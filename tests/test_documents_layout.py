"""Both documents grow with their content: with the longest value every printed field allows, no text
is printed over other text and nothing leaves the page (word boxes measured with pdftotext)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pdf_geometry import pages, problems

from mesoplan.db.models import ClinicSettings, Ingredient, Patient, Practitioner, TreatmentPlan
from mesoplan.documents.content import CocktailLine, FindingInfo, PlannedSession
from mesoplan.documents import render
from mesoplan.documents.samples import SAMPLE_ISSUED_ON, sample_request


def limit(column) -> int:
    """The column limit the database (and so the app) allows for a text field."""
    return column.property.columns[0].type.length


def filled(text: str, length: int) -> str:
    """``text`` repeated to exactly ``length`` characters (words, so lines can break between them)."""
    return (text * (length // len(text) + 1))[:length].strip() or text[:length]


DOUBLE_BARRELLED = "María-Fernanda de los Ángeles García-Villanueva von Hohenzollern-Sigmaringen Pérez"
NAME_WORDS = "Wolfeschlegelsteinhausen-Bergerdorff "
UNBROKEN = "X"


def longest_request(kind: str, family: str, given: str, page_size: str = "A4"):
    base = sample_request(kind)
    clinic = replace(
        base.clinic,
        name=filled("Lindenhof Skin and Hair Clinic of Greater Berlin-Brandenburg ", limit(ClinicSettings.name)),
        address="\n".join(filled(f"Hauptstraße {n} Hinterhaus Aufgang B ", 120) for n in range(12)),
        phone=filled("+49 30 1234 5678 ", limit(ClinicSettings.phone)),
        emergency_phone=filled("112 or +49 30 9999 0000 ", limit(ClinicSettings.emergency_phone)),
        email=filled("reception.desk.", limit(ClinicSettings.email) - 20) + "@lindenhof.example",
    )
    practitioner = replace(
        base.practitioner,
        name=filled("Dr Ines Okonkwo-Brandt-Papadopoulou ", limit(Practitioner.name)),
        profession=filled("Physician (dermatology and aesthetic medicine) ", limit(Practitioner.profession)),
        registration_number=filled("GMC-7654321-", limit(Practitioner.registration_number)),
    )
    patient = replace(base.patient, full_name=f"{given} {family}", sex="Intersex", id="P-9999999999")
    plan = replace(
        base.plan,
        indication=filled("Other: scarring after acne and chickenpox ", limit(TreatmentPlan.indication_other)),
        needle=filled("30G × 4 mm Meso-needle ", limit(TreatmentPlan.needle)),
        protocol=filled("Hair loss – monthly course with a long taper ", 200),
        areas=tuple(filled(f"Scalp – frontal hairline region {n} ", 120) for n in range(6)),
        sessions=tuple(PlannedSession(SAMPLE_ISSUED_ON) for _ in range(3)),
    )
    lines = tuple(
        CocktailLine(name=filled("Polydeoxyribonucleotide sodium salt ", limit(Ingredient.name)), strength="100000000 %",
                     volume_ml=1e9, legal_status=filled("Prescription-only medicine ", limit(Ingredient.legal_status)),
                     off_label=True, actives=filled("Biotin, zinc, amino acids ", 200), caution_tags=("minoxidil",))
        for _ in range(3))
    findings = (FindingInfo("acknowledge", filled("Low blood pressure reported ", 200),
                            filled("It will be measured before each session. ", 600)),)
    return replace(base, clinic=clinic, practitioner=practitioner, patient=patient, plan=plan, lines=lines,
                   findings=findings, page_size=page_size)


LONGEST_FAMILY = filled(NAME_WORDS, limit(Patient.family_name))
LONGEST_GIVEN = filled("Maximiliane-Alexandra ", limit(Patient.given_names))
CASES = {
    "double-barrelled": ("García-Villanueva von Hohenzollern-Sigmaringen Pérez", "María-Fernanda de los Ángeles"),
    "200+200 words": (LONGEST_FAMILY, LONGEST_GIVEN),
    "200+200 unbroken": (UNBROKEN * limit(Patient.family_name), "Y" * limit(Patient.given_names)),
    "200+200 Arabic": (filled("عبد الرحمن الأحمد ", limit(Patient.family_name)), "م" * limit(Patient.given_names)),
    "200+200 Chinese": ("王" * limit(Patient.family_name), filled("山田 花子 ", limit(Patient.given_names))),
}


@pytest.mark.parametrize("kind", ["consent", "aftercare"])
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_nothing_overlaps_or_leaves_the_page_with_the_longest_values(kind, case, page_size):
    family, given = CASES[case]
    rendered = render(longest_request(kind, family, given, page_size))
    assert problems(rendered.pdf) == []


def test_the_82_character_double_barrelled_name_is_printed_whole_on_the_consent():
    assert len(DOUBLE_BARRELLED) == 82
    family, given = CASES["double-barrelled"]
    pdf = render(replace(sample_request("consent"), patient=replace(sample_request().patient,
                                                                     full_name=f"{given} {family}"))).pdf
    assert problems(pdf) == []
    words = [w.text for page in pages(pdf) for w in page.words]
    # the patient block and the signature block both print every word of the name
    assert all(words.count(part) >= 2 for part in DOUBLE_BARRELLED.split())


def test_the_signature_rows_grow_below_the_statement_with_a_long_name():
    family, given = CASES["200+200 words"]
    pdf = render(longest_request("consent", family, given)).pdf
    last = pages(pdf)[-1]
    statement = min(w.y0 for w in last.words if w.text == "signing,")
    name_words = [w for w in last.words if w.text.startswith("Wolfeschlegel")]
    assert name_words and min(w.y0 for w in name_words) > statement


def test_a_huge_volume_is_never_cut_mid_number():
    request = replace(sample_request("consent"),
                      lines=(CocktailLine(name="Saline", volume_ml=1e9, strength="100000000 %"),))
    pdf = render(request).pdf
    words = [w.text for page in pages(pdf) for w in page.words]
    assert "1000000000" in words and "100000000" in words
    assert problems(pdf) == []
