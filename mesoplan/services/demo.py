"""A realistic demo clinic for trying MesoPlan: patients, screenings, plans, sessions and findings.

All people and numbers are invented. Dates are relative to the day the demo is made, so there
are always past sessions (recorded with batches) and future ones, some of them today.
Only an empty database is filled, through the same services the screens use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select

from mesoplan.db.models import ClinicSettings, Patient, Practitioner
from mesoplan.errors import MesoPlanError
from mesoplan.plan import Acknowledgement, BatchUse, ComponentDraft, PlanDraft, SessionDraft, ZoneVolume
from mesoplan.schedule import generate_schedule
from mesoplan.services import catalog as catalog_service
from mesoplan.services import plans as plan_service
from mesoplan.services.documents import issue_document
from mesoplan.services.patients import PatientInput, create_patient
from mesoplan.services.protocols import get_protocol
from mesoplan.services.screenings import add_screening
from mesoplan.services.uow import UnitOfWork

CLINIC = {
    "name": "Riverside Skin & Hair Clinic",
    "address": "14 Chandos Walk\nLondon W1G 9DR\nUnited Kingdom",
    "phone": "+44 20 7946 0321",
    "emergency_phone": "999",
    "email": "reception@riverside-clinic.example",
    "jurisdiction": "GB-ENG",
}
PRACTITIONERS = (
    ("Dr Amira Haddad", "Physician (dermatology)", "GMC 7654321"),
    ("Dr Tomás Ferreira", "Physician (aesthetic medicine)", "GMC 7123456"),
    ("Claire Whitfield", "Nurse independent prescriber", "NMC 12A3456E"),
)

# Batches in stock: (kind, code, lot, months until expiry; negative = already expired)
BATCHES = (
    ("product", "nctf_135ha", "NC5-2291", 14), ("product", "rx_ha_12", "RX12-0457", 11),
    ("product", "lipostabil", "LP-88120", 9), ("product", "mesoage_vitamin_c", "MVC-3310", 7),
    ("product", "revitacare_haircare", "RHC-7719", 12), ("product", "xl_hair", "XLH-2025-14", 10),
    ("product", "belotero_revive", "BR-60244", 16), ("product", "mesoage_vitamin_c", "MVC-2207", -1),
    ("ingredient", "dutasteride", "DU-0311", 8), ("ingredient", "tranexamic_acid", "TXA-5561", 18),
    ("ingredient", "glutathione", "GSH-1042", 6), ("ingredient", "biotin", "BIO-7730", 13),
    ("ingredient", "dexpanthenol", "DXP-4410", 15), ("ingredient", "lidocaine_1pct", "LID1-9921", 20),
    ("ingredient", "organic_silicon", "SIL-3308", 9), ("ingredient", "hyaluronic_acid_1pct", "HA1-1187", 12),
    ("ingredient", "hyaluronidase", "HYA-6620", 5), ("ingredient", "minoxidil", "MNX-2093", 10),
    ("ingredient", "vitamin_c", "VC-2290", 10), ("ingredient", "caffeine", "CAF-1187", 14),
)

NORMAL = {"pregnant": False, "breastfeeding": False, "planning_pregnancy": False,
          "anticoagulant": False, "antiplatelet": False, "allergy_bee_wasp_venom": False,
          "allergy_amide_la": "no", "allergy_ester_la": False, "active_cancer": False,
          "autoimmune_disease": False, "keloid_scarring": False, "infection_at_site": False,
          "cold_sore_at_site": False, "unresolved_bruising": False, "smoker": "never",
          "expectations_discussed": True}


@dataclass
class PlanSpec:
    indication: str
    areas: tuple[str, ...]
    goals: str
    protocol: str
    start_offset_days: int
    components: tuple[tuple[str, str, float | None, str | None, float], ...]
    technique: str
    depth_mm: float
    needle: str
    status: str
    practitioner: int = 0
    today_time: dt.time | None = None
    acknowledgements: tuple[tuple[str, str, str], ...] = ()
    reactions: dict[int, str] = field(default_factory=dict)
    title: str = ""


@dataclass
class PatientSpec:
    family: str
    given: str
    born: dt.date
    sex: str
    phone: str
    email: str
    answers: dict[str, Any]
    plans: tuple[PlanSpec, ...]
    notes: str = ""
    earlier_answers: dict[str, Any] | None = None


def _patients() -> tuple[PatientSpec, ...]:
    d = dt.date
    t = dt.time
    return (
        PatientSpec("Łukasiewicz-Ağaoğlu", "Zoë", d(1988, 6, 14), "female", "+44 7700 900123",
                    "zoe.la@example.org",
                    {"weight_kg": 61, "child_bearing_potential": "yes", "contraception": "hormonal",
                     "hair_concern": True, "hair_pattern": "widening_parting", "hair_family_history": True,
                     "goals": "Less scalp showing along the parting."},
                    (PlanSpec("androgenetic_alopecia", ("scalp_frontal", "scalp_mid", "scalp_vertex"),
                              "Slow the thinning along the parting; photographs every 3 months.",
                              "scalp_vitamin_cocktail", -49,
                              (("product", "revitacare_haircare", None, None, 2.0),
                               ("ingredient", "biotin", None, None, 0.5),
                               ("ingredient", "dexpanthenol", 250, "mg/mL", 0.5)),
                              "nappage", 1.5, "32G × 4 mm", "active", 0, t(9, 30),
                              reactions={2: "Pinpoint bleeding settled within the hour."}),),
                    notes="Prefers morning appointments."),
        PatientSpec("O'Connor", "Daniel", d(1979, 2, 3), "male", "+44 7700 900456", "",
                    {"weight_kg": 84, "hair_concern": True, "hair_pattern": "crown",
                     "five_alpha_reductase_inhibitor_use": False},
                    (PlanSpec("androgenetic_alopecia", ("scalp_vertex", "scalp_mid"),
                              "Keep the crown density; review at 6 months.", "scalp_dutasteride", -91,
                              (("ingredient", "dutasteride", 0.01, "%", 1.0),),
                              "papule", 2.0, "30G × 4 mm", "active", 1, t(10, 15),
                              acknowledgements=(("R03", "dutasteride", "Counselled on blood "
                                                 "donation and partner pregnancy; leaflet given."),)),)),
        PatientSpec("Fernández García", "María José", d(1985, 11, 23), "female", "+34 612 345 678",
                    "mj.fernandez@example.es",
                    {"weight_kg": 58, "child_bearing_potential": "yes", "contraception": "hormonal",
                     "hormonal_contraception_hrt": True, "goals": "Lighter patches on both cheeks."},
                    (PlanSpec("pigmentation", ("cheeks", "forehead", "upper_lip"),
                              "Even out the melasma patches alongside daily sunscreen.", "melasma", -28,
                              (("ingredient", "tranexamic_acid", 4, "mg/mL", 1.0),
                               ("ingredient", "vitamin_c", 30, "mg/mL", 0.5),
                               ("ingredient", "glutathione", None, None, 0.5)),
                              "point_by_point", 4.0, "30G × 4 mm", "active", 0, t(11, 0),
                              acknowledgements=(("R24", "tranexamic_acid", "Combined pill for 10 "
                                                 "years, no clotting history; discussed with GP."),),
                              reactions={1: "Stinging for about 20 minutes; settled."}),)),
        PatientSpec("Ní Bhriain", "Siobhán", d(1992, 4, 2), "female", "+353 85 123 4567", "",
                    {"weight_kg": 64, "breastfeeding": True, "child_bearing_potential": "yes",
                     "hair_concern": True, "hair_pattern": "diffuse",
                     "hair_triggers": "Shedding began three months after the birth of her son.",
                     "goals": "Wants the shedding to stop."},
                    (PlanSpec("telogen_effluvium", ("scalp_mid", "scalp_frontal"),
                              "Plan for after breastfeeding has finished.", "scalp_vitamin_cocktail", 42,
                              (("product", "xl_hair", None, None, 2.0),),
                              "nappage", 1.5, "32G × 4 mm", "draft", 2),)),
        PatientSpec("Østergaard", "Bjørn", d(1970, 9, 30), "male", "+45 20 12 34 56",
                    "bjorn@example.dk",
                    {"weight_kg": 90, "anticoagulant": True,
                     "other_medicines": "Warfarin for atrial fibrillation."},
                    (PlanSpec("wrinkles", ("periorbital", "forehead", "cheeks"),
                              "Finer crow's feet and brighter skin before a family wedding.",
                              "face_biorevitalisation", -120,
                              (("product", "nctf_135ha", None, None, 3.0),),
                              "micro_depot", 1.5, "32G × 4 mm", "completed", 1,
                              acknowledgements=(("R15", "plan", "INR stable at 2.4; warfarin continued "
                                                 "as prescribed; bruising risk explained."),),
                              reactions={1: "Small bruise at the left temple, gone in 5 days."}),)),
        PatientSpec("Dubois", "Chloé", d(1996, 1, 12), "female", "+33 6 12 34 56 78",
                    "chloe.dubois@example.fr",
                    {"weight_kg": 55, "child_bearing_potential": "yes", "contraception": "barrier",
                     "acne_rosacea": True, "goals": "Softer rolling acne scars on both cheeks."},
                    (PlanSpec("scars", ("cheeks",), "Smoother texture of the rolling scars.",
                              "face_biorevitalisation_monthly", 9,
                              (("product", "rx_ha_12", None, None, 2.0),
                               ("ingredient", "organic_silicon", None, None, 1.0)),
                              "micro_depot", 2.0, "32G × 13 mm", "ready", 2),)),
        PatientSpec("Sharma", "Aarav", d(1990, 7, 19), "male", "+44 7700 900789", "",
                    {"weight_kg": 72, "hair_concern": True, "hair_shaft_disorder": False,
                     "eczema_psoriasis": True},
                    (PlanSpec("seborrhoeic_dermatitis", ("scalp_vertex", "scalp_occipital"),
                              "A calmer scalp and less flaking.", "scalp_vitamin_cocktail", -14,
                              (("ingredient", "dexpanthenol", 250, "mg/mL", 1.0),
                               ("ingredient", "biotin", None, None, 1.0)),
                              "nappage", 1.0, "32G × 4 mm", "active", 1, t(12, 30)),)),
        PatientSpec("Al-Sayed", "Fatima", d(1983, 3, 8), "female", "+971 50 123 4567",
                    "f.alsayed@example.ae",
                    {"weight_kg": 67, "child_bearing_potential": "no",
                     "goals": "Firmer skin along the jawline and neck."},
                    (PlanSpec("sagging", ("jawline", "neck"), "Firmer-looking skin along the jawline.",
                              "face_biorevitalisation", -7,
                              (("product", "belotero_revive", None, None, 1.0),),
                              "micro_depot", 1.5, "32G × 13 mm", "active", 0, t(14, 0)),)),
        PatientSpec("Thompson", "Grace", d(1975, 12, 1), "female", "+44 7700 900321", "",
                    {"weight_kg": 78, "allergy_bee_wasp_venom": True, "child_bearing_potential": "no",
                     "goals": "Smoother thighs."},
                    (PlanSpec("cellulite", ("thighs", "buttocks"), "Smoother-looking skin on the thighs.",
                              "body_cellulite", 14,
                              (("ingredient", "hyaluronidase", None, None, 0.5),
                               ("ingredient", "organic_silicon", None, None, 4.0),
                               ("ingredient", "caffeine", None, None, 2.0)),
                              "nappage", 3.0, "30G × 4 mm", "draft", 1),)),
        PatientSpec("Bennett", "Oliver", dt.date.today().replace(year=dt.date.today().year - 16)
                    - dt.timedelta(days=40), "male", "+44 7700 900654", "",
                    {"weight_kg": 60, "acne_rosacea": True,
                     "goals": "Came with his mother about acne marks."},
                    (PlanSpec("acne", ("cheeks", "chin"), "Discuss options with parent present.",
                              "face_biorevitalisation", 21,
                              (("ingredient", "hyaluronic_acid_1pct", 1, "%", 2.0),),
                              "micro_depot", 1.5, "32G × 4 mm", "draft", 0),)),
        PatientSpec("Kovačević", "Ana", d(1987, 10, 17), "female", "+385 91 234 5678",
                    "ana.k@example.hr",
                    {"weight_kg": 63, "child_bearing_potential": "yes", "contraception": "none",
                     "hair_concern": True, "hair_pattern": "widening_parting"},
                    (PlanSpec("androgenetic_alopecia", ("scalp_frontal", "scalp_mid"),
                              "Asked about dutasteride after reading about it online.",
                              "scalp_dutasteride", 30,
                              (("ingredient", "dutasteride", 0.01, "%", 1.0),),
                              "papule", 2.0, "30G × 4 mm", "draft", 1),)),
        PatientSpec("Tanaka", "Hiroshi", d(1965, 4, 25), "male", "+81 90 1234 5678", "",
                    {"weight_kg": 82, "high_blood_pressure": "controlled"},
                    (PlanSpec("localised_fat", ("abdomen", "flanks"),
                              "Reduce the lower abdominal bulge; realistic expectations discussed.",
                              "body_lipolysis", -56,
                              (("product", "lipostabil", None, None, 5.0),),
                              "hypodermic", 10.0, "30G × 13 mm", "active", 1, t(15, 30),
                              reactions={1: "Swelling and tenderness for three days, as expected."}),)),
        PatientSpec("Schmidt", "Emma", d(1998, 9, 5), "female", "+49 151 2345 6789",
                    "emma.schmidt@example.de",
                    {"weight_kg": 57, "child_bearing_potential": "yes", "contraception": "hormonal",
                     "goals": "Less tired-looking under the eyes."},
                    (PlanSpec("dark_circles", ("periorbital",), "Brighter under-eye area.",
                              "face_biorevitalisation", -14,
                              (("ingredient", "hyaluronic_acid_1pct", 1, "%", 1.0),
                               ("ingredient", "vitamin_c", 30, "mg/mL", 0.2)),
                              "micro_depot", 1.0, "32G × 4 mm", "active", 2, t(16, 0)),)),
        PatientSpec("N'Diaye", "Jean-Baptiste", d(1981, 12, 12), "male", "+33 7 98 76 54 32", "",
                    {"weight_kg": 76, "hair_concern": True, "alopecia_areata": True,
                     "autoimmune_disease": True, "hair_pattern": "patches"},
                    (PlanSpec("alopecia_areata", ("scalp_temporal_left", "scalp_occipital"),
                              "Support regrowth in two patches, alongside his dermatologist's care.",
                              "scalp_vitamin_cocktail", -7,
                              (("ingredient", "biotin", None, None, 1.0),
                               ("ingredient", "dexpanthenol", 250, "mg/mL", 1.0)),
                              "nappage", 1.0, "32G × 4 mm", "active", 0, t(17, 0),
                              acknowledgements=(("R18", "plan", "Stable; dermatologist agrees; "
                                                 "paradoxical hair loss explained."),)),)),
        PatientSpec("Rodríguez", "Sofía", d(1993, 2, 28), "female", "+34 699 876 543", "",
                    {"weight_kg": 59, "pregnant": True, "child_bearing_potential": "yes",
                     "goals": "Fine lines on the forehead."},
                    (PlanSpec("wrinkles", ("forehead",), "Deferred until after pregnancy and breastfeeding.",
                              "face_biorevitalisation", 60,
                              (("product", "nctf_135ha", None, None, 3.0),),
                              "micro_depot", 1.5, "32G × 4 mm", "draft", 0),),
                    earlier_answers={"weight_kg": 56, "pregnant": False}),
    )


def make_demo_clinic(uow: UnitOfWork, today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database with the demo clinic; returns counts of what was made."""
    today = today or dt.date.today()
    if uow.session.scalar(select(func.count(Patient.id))):
        raise MesoPlanError("This database already has patients; the demo only fills an empty one. "
                            "Use --database to choose a new file.")
    settings = uow.session.get(ClinicSettings, 1)
    for name, value in CLINIC.items():
        setattr(settings, name, value)
    uow.audit("settings.update", "clinic_settings", 1, "Demo clinic details", after=CLINIC)
    practitioners = []
    for name, profession, registration in PRACTITIONERS:
        person = Practitioner(name=name, profession=profession, registration_number=registration)
        uow.session.add(person)
        uow.session.flush()
        practitioners.append(person.id)
    batches = _stock(uow, today)
    counts = {"patients": 0, "screenings": 0, "plans": 0, "sessions": 0}
    for spec in _patients():
        record = create_patient(uow, PatientInput(spec.family, spec.given, spec.born, spec.sex,
                                                  spec.phone, spec.email, notes=spec.notes))
        counts["patients"] += 1
        if spec.earlier_answers is not None:
            add_screening(uow, record.id, today - dt.timedelta(days=400),
                          {**NORMAL, **spec.earlier_answers})
            counts["screenings"] += 1
        first_start = min(p.start_offset_days for p in spec.plans)
        screened_on = today + dt.timedelta(days=min(first_start, 0) - 7)
        add_screening(uow, record.id, screened_on, {**NORMAL, **spec.answers})
        counts["screenings"] += 1
        for plan_spec in spec.plans:
            draft = _plan(uow, record.id, plan_spec, practitioners, batches, today)
            saved = plan_service.save_plan(uow, draft.with_changes(status="draft", consent_signed_on=None))
            if draft.status != "draft":
                # As in a clinic: the consent form is printed, then signed and the signature recorded,
                # then the plan is marked ready, which the safety rules must allow (a demo that
                # breaks them, e.g. a signature dated before the form, fails here).
                issue_document(uow, saved.id, "consent", today=draft.consent_signed_on)
                plan_service.save_plan(uow, saved.with_changes(status=draft.status,
                                                               consent_signed_on=draft.consent_signed_on))
            counts["plans"] += 1
            counts["sessions"] += len(draft.sessions)
    return counts


def _stock(uow: UnitOfWork, today: dt.date) -> dict[tuple[str, str], BatchUse]:
    usable: dict[tuple[str, str], BatchUse] = {}
    for kind, code, lot, months in BATCHES:
        expiry = _add_months(today.replace(day=1), months) - dt.timedelta(days=1)
        record = catalog_service.add_batch(uow, kind, code, lot, expiry,
                                           received_on=today - dt.timedelta(days=60))
        if months > 0:
            usable[(kind, code)] = BatchUse(record.id, record.lot_number, record.expiry_date,
                                            record.item_name)
    return usable


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


def _component(uow: UnitOfWork, kind: str, code: str, value, unit, volume) -> ComponentDraft:
    entry = (catalog_service.get_product(uow, code) if kind == "product"
             else catalog_service.get_ingredient(uow, code))
    return ComponentDraft(kind, code, entry.name, volume, value, unit)


def _plan(uow: UnitOfWork, patient_id: int, spec: PlanSpec, practitioners: list[int],
          batches: dict[tuple[str, str], BatchUse], today: dt.date) -> PlanDraft:
    start = today + dt.timedelta(days=spec.start_offset_days)
    components = tuple(_component(uow, *c) for c in spec.components)
    total = sum(c.volume_ml for c in components)
    per_zone = round(total / len(spec.areas), 2)
    zones = tuple(ZoneVolume(area, per_zone) for area in spec.areas)
    visits = generate_schedule(get_protocol(uow, spec.protocol), start)
    if spec.status == "completed":
        visits = visits[:3]
    sessions = []
    for visit in visits:
        session = SessionDraft(sequence=visit.sequence, planned_date=visit.date, phase=visit.phase,
                               technique=spec.technique, depth_mm=spec.depth_mm, needle=spec.needle,
                               zones=zones)
        if visit.date == today and spec.today_time is not None:
            session = replace(session, planned_time=spec.today_time)
        elif visit.date >= today:
            session = replace(session, planned_time=dt.time(9 + visit.sequence % 8, 0))
        if visit.date < today or spec.status == "completed":
            used = tuple(replace(batches[(c.kind, c.code)], volume_ml=c.volume_ml)
                         for c in components if (c.kind, c.code) in batches)
            session = replace(
                session, status="done", batches=used,
                reactions=spec.reactions.get(visit.sequence, "None observed."),
                performed_at=dt.datetime.combine(visit.date, dt.time(10, 0)),
                performed_by=_practitioner_name(uow, practitioners[spec.practitioner]))
        sessions.append(session)
    if sessions and spec.status in ("ready", "active") and not any(
            s.planned_date >= today for s in sessions):
        raise MesoPlanError(f"demo plan for {spec.indication} has no future session")
    return PlanDraft(
        patient_id=patient_id, indication=spec.indication, title=spec.title, areas=spec.areas,
        goals=spec.goals, status=spec.status, practitioner_id=practitioners[spec.practitioner],
        protocol_code=spec.protocol, start_date=start, technique=spec.technique,
        depth_mm=spec.depth_mm, needle=spec.needle, components=components,
        sessions=tuple(sessions),
        acknowledgements=tuple(Acknowledgement(r, s, why) for r, s, why in spec.acknowledgements),
        # Signed a week before the first session, or today for a course starting within the week
        # (a signature is never dated in the future).
        consent_signed_on=min(start - dt.timedelta(days=7), today) if spec.status != "draft" else None,
    )


def _practitioner_name(uow: UnitOfWork, practitioner_id: int) -> str:
    return uow.session.get(Practitioner, practitioner_id).name
