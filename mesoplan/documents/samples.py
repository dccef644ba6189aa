"""An example DocumentRequest with made-up people, for previews, example PDFs and tests.

Nothing here is clinical advice: the cocktail lines only exercise the layout (an off-label drug,
a ready-made product, caution tags) and the strengths are placeholders, not recommendations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from mesoplan.documents.content import (
    ClinicInfo,
    CocktailLine,
    DocumentRequest,
    FindingInfo,
    PatientInfo,
    PlanInfo,
    PlannedSession,
    PractitionerInfo,
)

SAMPLE_ISSUED_ON = dt.date(2026, 3, 2)


def sample_request(kind: str = "consent", **changes: object) -> DocumentRequest:
    """A complete hair-loss plan for a fictional patient; keyword arguments replace request fields."""
    clinic = ClinicInfo(
        name="Lindenhof Skin & Hair Clinic",
        address="Lindenstraße 12\n10969 Berlin",
        phone="+49 30 1234 5678",
        emergency_phone="112",
        email="reception@lindenhof.example",
        retention_years=10,
    )
    sessions = tuple(
        PlannedSession(SAMPLE_ISSUED_ON + dt.timedelta(weeks=4 * n), dt.time(10, 30)) for n in range(4)
    )
    plan = PlanInfo(
        plan_id="PL-0042",
        indication="Androgenetic alopecia (female pattern hair loss)",
        areas=("Scalp – frontal hairline", "Scalp – crown (vertex)"),
        regions=frozenset({"scalp"}),
        technique="Papules (intradermal wheals)",
        depth_mm=1.0,
        depth_max_mm=2.0,
        needle="30G × 4 mm",
        goals="Less visible scalp at the parting; keep the current density.",
        sessions=sessions,
        protocol="Hair loss – monthly course",
    )
    lines = (
        CocktailLine(name="Minoxidil solution", kind="ingredient", strength="0.5 %", volume_ml=1.0,
                     legal_status="Prescription medicine", off_label=True, caution_tags=("minoxidil",)),
        CocktailLine(name="Hair revitalising complex", kind="product", strength="", volume_ml=2.0,
                     legal_status="Medical device", actives="Biotin, zinc, amino acids, hyaluronic acid",
                     caution_tags=("hyaluronic_acid", "refrigerate")),
    )
    request = DocumentRequest(
        kind=kind,
        clinic=clinic,
        patient=PatientInfo(id="P-000123", full_name="Zoë Łukasiewicz-Ağaoğlu", date_of_birth=dt.date(1988, 6, 14),
                            sex="Female"),
        practitioner=PractitionerInfo(name="Dr Ines Okonkwo-Brandt", profession="Physician (dermatology)",
                                      registration_number="GMC 7654321"),
        plan=plan,
        issued_on=SAMPLE_ISSUED_ON,
        lines=lines,
        findings=(FindingInfo("acknowledge", "Low blood pressure reported",
                              "Minoxidil can lower blood pressure further; it will be measured before each session."),),
        total_volume="3 mL",
        next_session=sessions[1].date,
    )
    return replace(request, **changes) if changes else request


def write_examples(folder: str) -> list[str]:
    """Render the sample consent form and aftercare sheet (A4) into ``folder``; returns the file paths."""
    from pathlib import Path

    from mesoplan.documents.render import render

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in ("consent", "aftercare"):
        path = target / f"{kind}-example-A4.pdf"
        path.write_bytes(render(sample_request(kind)).pdf)
        written.append(str(path))
    return written


if __name__ == "__main__":  # python -m mesoplan.documents.samples docs/examples
    import sys

    print("\n".join(write_examples(sys.argv[1] if len(sys.argv) > 1 else "docs/examples")))
