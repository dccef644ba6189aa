"""Synthetic treatment plans, cocktails, sessions and batches as rows for bulk inserts (benchmark only).

Plans follow a dozen shapes modelled on the demo clinic (indication, zones, protocol, cocktail,
technique); their sessions come from the shipped protocols through ``mesoplan.schedule``, so dates,
phases and statuses look like a real clinic's: past sessions done (with the batches used), future
ones planned, some plans completed, cancelled or still drafts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mesoplan.schedule import Protocol, generate_schedule

Component = tuple[str, str, float | None, str | None, float]  # kind, code, strength, unit, volume mL
Sink = Callable[[str, dict[str, Any]], None]
"""Receives (table name, row)."""


@dataclass(frozen=True)
class PlanTemplate:
    indication: str
    areas: tuple[str, ...]
    protocol: str
    components: tuple[Component, ...]
    technique: str
    depth_mm: float
    needle: str
    goals: str
    weight: int


TEMPLATES: tuple[PlanTemplate, ...] = (
    PlanTemplate("androgenetic_alopecia", ("scalp_frontal", "scalp_mid", "scalp_vertex"), "scalp_vitamin_cocktail",
                 (("product", "revitacare_haircare", None, None, 2.0), ("ingredient", "biotin", None, None, 0.5),
                  ("ingredient", "dexpanthenol", 250, "mg/mL", 0.5)),
                 "nappage", 1.5, "32G × 4 mm", "Slow the thinning along the parting.", 20),
    PlanTemplate("androgenetic_alopecia", ("scalp_vertex", "scalp_mid"), "scalp_dutasteride",
                 (("ingredient", "dutasteride", 0.01, "%", 1.0),), "papule", 2.0, "30G × 4 mm",
                 "Keep the crown density; review at 6 months.", 8),
    PlanTemplate("telogen_effluvium", ("scalp_mid", "scalp_frontal"), "scalp_vitamin_cocktail",
                 (("product", "xl_hair", None, None, 2.0),), "nappage", 1.5, "32G × 4 mm",
                 "Less shedding.", 12),
    PlanTemplate("seborrhoeic_dermatitis", ("scalp_vertex", "scalp_occipital"), "scalp_vitamin_cocktail",
                 (("ingredient", "dexpanthenol", 250, "mg/mL", 1.0), ("ingredient", "biotin", None, None, 1.0)),
                 "nappage", 1.0, "32G × 4 mm", "A calmer scalp and less flaking.", 4),
    PlanTemplate("alopecia_areata", ("scalp_temporal_left", "scalp_occipital"), "scalp_vitamin_cocktail",
                 (("ingredient", "biotin", None, None, 1.0), ("ingredient", "dexpanthenol", 250, "mg/mL", 1.0)),
                 "nappage", 1.0, "32G × 4 mm", "Support regrowth in two patches.", 3),
    PlanTemplate("pigmentation", ("cheeks", "forehead", "upper_lip"), "melasma",
                 (("ingredient", "tranexamic_acid", 4, "mg/mL", 1.0), ("ingredient", "vitamin_c", 30, "mg/mL", 0.5),
                  ("ingredient", "glutathione", None, None, 0.5)),
                 "point_by_point", 4.0, "30G × 4 mm", "Even out the melasma patches.", 10),
    PlanTemplate("wrinkles", ("periorbital", "forehead", "cheeks"), "face_biorevitalisation",
                 (("product", "nctf_135ha", None, None, 3.0),), "micro_depot", 1.5, "32G × 4 mm",
                 "Finer lines around the eyes.", 14),
    PlanTemplate("scars", ("cheeks",), "face_biorevitalisation_monthly",
                 (("product", "rx_ha_12", None, None, 2.0), ("ingredient", "organic_silicon", None, None, 1.0)),
                 "micro_depot", 2.0, "32G × 13 mm", "Smoother texture of the rolling scars.", 5),
    PlanTemplate("sagging", ("jawline", "neck"), "face_biorevitalisation",
                 (("product", "belotero_revive", None, None, 1.0),), "micro_depot", 1.5, "32G × 13 mm",
                 "Firmer-looking skin along the jawline.", 7),
    PlanTemplate("dark_circles", ("periorbital",), "face_biorevitalisation",
                 (("ingredient", "hyaluronic_acid_1pct", 1, "%", 1.0), ("ingredient", "vitamin_c", 30, "mg/mL", 0.2)),
                 "micro_depot", 1.0, "32G × 4 mm", "Brighter under-eye area.", 5),
    PlanTemplate("cellulite", ("thighs", "buttocks"), "body_cellulite",
                 (("ingredient", "hyaluronidase", None, None, 0.5), ("ingredient", "organic_silicon", None, None, 4.0),
                  ("ingredient", "caffeine", None, None, 2.0)),
                 "nappage", 3.0, "30G × 4 mm", "Smoother-looking skin on the thighs.", 7),
    PlanTemplate("localised_fat", ("abdomen", "flanks"), "body_lipolysis",
                 (("product", "lipostabil", None, None, 5.0),), "hypodermic", 10.0, "30G × 13 mm",
                 "Reduce the lower abdominal bulge.", 5),
)
BIG_PLAN_TEMPLATE = PlanTemplate(
    TEMPLATES[0].indication, TEMPLATES[0].areas, TEMPLATES[0].protocol,
    TEMPLATES[0].components + (("ingredient", "lidocaine_1pct", 1, "%", 0.5),),
    TEMPLATES[0].technique, TEMPLATES[0].depth_mm, TEMPLATES[0].needle, TEMPLATES[0].goals, 0)
"""The plan the benchmark opens, evaluates and prints: four components, an anaesthetic included."""

PRACTITIONERS = (("Dr Amira Haddad", "Physician (dermatology)", "GMC 7654321"),
                 ("Dr Tomás Ferreira", "Physician (aesthetic medicine)", "GMC 7123456"),
                 ("Claire Whitfield", "Nurse independent prescriber", "NMC 12A3456E"),
                 ("Dr Łucja Wiśniewska", "Physician (dermatology)", "GMC 7000111"),
                 ("Søren Østergaard", "Nurse independent prescriber", "NMC 98B7654C"))
NO_SUNDAYS = (6,)


def used_items() -> set[tuple[str, str]]:
    return {(c[0], c[1]) for t in (*TEMPLATES, BIG_PLAN_TEMPLATE) for c in t.components}


@dataclass(frozen=True)
class Visit:
    sequence: int
    phase: str
    date: dt.date


def visits_of(protocol: Protocol, start: dt.date, extra_monthly: int = 0) -> list[Visit]:
    """The protocol's sessions from ``start`` plus ``extra_monthly`` maintenance sessions after them."""
    visits = [Visit(v.sequence, v.phase, v.date) for v in generate_schedule(protocol, start, avoid_weekdays=NO_SUNDAYS)]
    for _ in range(extra_monthly):
        last = visits[-1]
        visits.append(Visit(last.sequence + 1, "Maintenance", last.date + dt.timedelta(days=28)))
    return visits


def shifted(visits: Sequence[Visit], index: int, day: dt.date) -> list[Visit]:
    """The visits moved as a block so that ``visits[index]`` falls on ``day``."""
    delta = day - visits[index].date
    return [Visit(v.sequence, v.phase, v.date + delta) for v in visits]


@dataclass
class PlanFactory:
    """Turns a template, a patient and dated visits into plan, cocktail, session and batch rows."""

    anchor: dt.date
    bench_day: dt.date
    item_ids: dict[tuple[str, str], int]
    lots: dict[tuple[str, str], int]
    practitioners: list[tuple[int, str]]
    sink: Sink
    rng: random.Random
    next_ids: dict[str, int] = field(default_factory=lambda: {
        "treatment_plan": 1, "cocktail_component": 1, "treatment_session": 1, "session_batch": 1})

    def _id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def _session_status(self, day: dt.date, cancelled_from: dt.date | None) -> str:
        if cancelled_from is not None and day >= cancelled_from:
            return "cancelled"
        if day >= self.anchor:
            return "planned"
        roll = self.rng.random()
        return "done" if roll < 0.94 else "missed" if roll < 0.97 else "cancelled"

    def add_plan(self, patient_id: int, template: PlanTemplate, visits: Sequence[Visit], *,
                 times: dict[int, dt.time] | None = None, may_cancel: bool = True,
                 statuses: dict[int, str] | None = None) -> int:
        """Write one plan; ``times``/``statuses`` fix the time/status of visits by index. Returns its id."""
        rng, plan_id = self.rng, self._id("treatment_plan")
        practitioner_id, practitioner = rng.choice(self.practitioners)
        cancelled_from = None
        if may_cancel and len(visits) > 2 and rng.random() < 0.06:
            cancelled_from = visits[rng.randint(1, len(visits) - 1)].date
        sessions = []
        for index, visit in enumerate(visits):
            status = (statuses or {}).get(index) or self._session_status(visit.date, cancelled_from)
            time = (times or {}).get(index) or dt.time(9 + rng.randint(0, 8), rng.choice((0, 15, 30, 45)))
            sessions.append((visit, status, time))
        start = visits[0].date
        if cancelled_from is not None:
            plan_status = "cancelled"
        elif all(s != "planned" for _v, s, _t in sessions):
            plan_status = "completed"
        elif any(s == "done" for _v, s, _t in sessions):
            plan_status = "active"
        else:
            plan_status = "ready" if rng.random() < 0.6 else "draft"
        created = dt.datetime.combine(start - dt.timedelta(days=10), dt.time(12, 0))
        self.sink("treatment_plan", {
            "id": plan_id, "patient_id": patient_id, "practitioner_id": practitioner_id, "title": "",
            "indication": template.indication, "indication_other": "", "areas": list(template.areas),
            "goals": template.goals, "status": plan_status, "protocol_code": template.protocol,
            "start_date": start, "technique": template.technique, "depth_mm": template.depth_mm,
            "needle": template.needle, "notes": "", "template_name": "",
            "consent_signed_on": None if plan_status == "draft" else start - dt.timedelta(days=7),
            "created_at": created, "created_by": practitioner, "updated_at": created, "updated_by": practitioner,
            "version": 1,
        })
        if plan_status != "draft":
            self._consent_record(plan_id, template, start - dt.timedelta(days=7), practitioner, practitioner_id)
        for position, (kind, code, value, unit, volume) in enumerate(template.components):
            key = "ingredient_id" if kind == "ingredient" else "product_id"
            self.sink("cocktail_component", {
                "id": self._id("cocktail_component"), "plan_id": plan_id, "position": position,
                "ingredient_id": None, "product_id": None, key: self.item_ids[(kind, code)],
                "strength_value": value, "strength_unit": unit, "volume_ml": volume})
        total = sum(c[4] for c in template.components)
        zones = [{"zone": area, "volume_ml": round(total / len(template.areas), 2)} for area in template.areas]
        for visit, status, time in sessions:
            self._session(plan_id, template, visit, status, time, zones, practitioner)
        return plan_id

    def _consent_record(self, plan_id: int, template: PlanTemplate, day: dt.date, practitioner: str,
                        practitioner_id: int | None = None) -> None:
        """The issued-consent record the safety rules look up (its stored request is left out)."""
        self.sink("issued_document", {
            "id": plan_id, "plan_id": plan_id, "session_id": None, "kind": "consent",
            "template_version": "bench", "language": "en", "page_size": "A4",
            "fingerprint": hashlib.sha256(f"bench consent {plan_id}".encode()).hexdigest(),
            "content": {"covered_codes": sorted({c[1] for c in template.components}),
                        "covered_zones": sorted(template.areas), "practitioner_id": practitioner_id},
            "issued_by": practitioner, "issued_at": dt.datetime.combine(day, dt.time(11, 0)), "times_printed": 1})

    def _session(self, plan_id: int, template: PlanTemplate, visit: Visit, status: str, time: dt.time,
                 zones: list[dict[str, Any]], practitioner: str) -> None:
        session_id = self._id("treatment_session")
        done = status == "done"
        self.sink("treatment_session", {
            "id": session_id, "plan_id": plan_id, "sequence": visit.sequence, "phase": visit.phase,
            "planned_date": visit.date, "planned_time": time, "status": status,
            "technique": template.technique, "depth_mm": template.depth_mm, "needle": template.needle,
            "zones": zones, "reactions": "None observed." if done else "", "notes": "",
            "performed_at": dt.datetime.combine(visit.date, time) if done else None,
            "performed_by": practitioner if done else ""})
        if done:
            for kind, code, _value, _unit, volume in template.components:
                self.sink("session_batch", {"id": self._id("session_batch"), "session_id": session_id,
                                            "batch_id": self.lots[(kind, code)], "volume_ml": volume})
