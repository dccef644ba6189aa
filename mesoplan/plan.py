"""A treatment plan as plain values: what the plan editor edits, undoes and saves (pure domain).

A ``PlanDraft`` is an immutable snapshot; every edit makes a new one with ``dataclasses.replace``,
which is what makes undo/redo and "unsaved changes?" simple. The services turn drafts into rows
and back; nothing here knows about the database or Qt.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

from mesoplan import numbers
from mesoplan.errors import Problem, ValidationError
from mesoplan.text import multi_line_problem, one_line_problem
from mesoplan.vocabulary import indications, techniques, zones

PLAN_STATUSES = ("draft", "ready", "active", "completed", "cancelled")
SESSION_STATUSES = ("planned", "done", "cancelled", "missed")
DEPTH_LIMITS_MM = (numbers.bounds("depth").min, numbers.bounds("depth").max)
"""Hard limits for a recorded depth (resources/numbers.json, narrower per technique there); the
usual range of each technique is shown as a hint."""


@dataclass(frozen=True)
class ComponentDraft:
    """One line of the cocktail: a catalog ingredient or product, drawn up at a strength."""

    kind: str  # "ingredient" | "product"
    code: str
    name: str
    volume_ml: float
    strength_value: float | None = None
    strength_unit: str | None = None


@dataclass(frozen=True)
class ZoneVolume:
    zone: str
    volume_ml: float


@dataclass(frozen=True)
class BatchUse:
    """A batch used in a session; ``batch_id`` points at the catalog's batch record."""

    batch_id: int
    lot_number: str
    expiry_date: dt.date
    item_name: str
    volume_ml: float | None = None
    correction: str = ""
    """Why a batch that had expired before a done session is recorded anyway: a correction of the
    record confirmed by the practitioner (empty for an ordinary use; see ``validate_draft``)."""


@dataclass(frozen=True)
class SessionDraft:
    sequence: int
    planned_date: dt.date
    id: int | None = None
    phase: str = ""
    planned_time: dt.time | None = None
    status: str = "planned"
    technique: str = ""
    depth_mm: float | None = None
    needle: str = ""
    zones: tuple[ZoneVolume, ...] = ()
    batches: tuple[BatchUse, ...] = ()
    reactions: str = ""
    notes: str = ""
    performed_at: dt.datetime | None = None
    performed_by: str = ""

    @property
    def total_zone_volume_ml(self) -> float:
        return sum(z.volume_ml for z in self.zones)


@dataclass(frozen=True)
class Acknowledgement:
    rule_id: str
    subject: str
    reason: str
    by: str = ""
    at: dt.datetime | None = None


@dataclass(frozen=True)
class PlanDraft:
    patient_id: int
    indication: str
    id: int | None = None
    version: int = 0
    title: str = ""
    indication_other: str = ""
    areas: tuple[str, ...] = ()
    goals: str = ""
    status: str = "draft"
    practitioner_id: int | None = None
    protocol_code: str = ""
    start_date: dt.date | None = None
    technique: str = ""
    depth_mm: float | None = None
    needle: str = ""
    notes: str = ""
    template_name: str = ""
    components: tuple[ComponentDraft, ...] = ()
    sessions: tuple[SessionDraft, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = field(default=())
    consent_signed_on: dt.date | None = None

    def with_changes(self, **changes) -> PlanDraft:
        return replace(self, **changes)

    @property
    def next_session(self) -> SessionDraft | None:
        upcoming = [s for s in self.sessions if s.status == "planned"]
        return min(upcoming, key=lambda s: s.planned_date) if upcoming else None


def _number_ok(value: float | None) -> bool:
    return value is None or (isinstance(value, (int, float)) and math.isfinite(value))


def validate_draft(draft: PlanDraft) -> None:
    """Refuse a plan that cannot be stored as it is, naming every problem and where it is."""
    problems: list[Problem] = []
    if draft.indication not in indications():
        problems.append(Problem("indication", f"'{draft.indication}' is not a known indication"))
    if draft.indication == "other" and not draft.indication_other.strip():
        problems.append(Problem("indication", "describe the indication when 'Other' is chosen"))
    if draft.status not in PLAN_STATUSES:
        problems.append(Problem("status", f"'{draft.status}' is not one of {', '.join(PLAN_STATUSES)}"))
    for area in draft.areas:
        if area not in zones():
            problems.append(Problem("treatment areas", f"'{area}' is not a known zone"))
    if draft.technique and draft.technique not in techniques():
        problems.append(Problem("technique", f"'{draft.technique}' is not a known technique"))
    problems += _text_problems("", (("title", draft.title), ("indication description",
                                     draft.indication_other), ("needle", draft.needle)),
                               (("goals", draft.goals), ("notes", draft.notes)))
    problems += _depth_problems("plan depth", draft.depth_mm, draft.technique)
    for index, component in enumerate(draft.components, start=1):
        where = f"component {index} ({component.name or component.code})"
        if component.kind not in ("ingredient", "product"):
            problems.append(Problem(f"{where}, kind", "must be 'ingredient' or 'product'"))
        if not _number_ok(component.volume_ml) or component.volume_ml <= 0:
            problems.append(Problem(f"{where}, volume", "must be a number of mL greater than zero"))
        else:
            problems += numbers.problems(component.volume_ml, "component_volume", f"{where}, volume")
        if not _number_ok(component.strength_value) or (
            component.strength_value is not None and component.strength_value < 0
        ):
            problems.append(Problem(f"{where}, strength", "must be zero or more"))
        else:
            problems += numbers.problems(component.strength_value, "strength", f"{where}, strength",
                                         unit=component.strength_unit)
    if all(_number_ok(c.volume_ml) for c in draft.components):
        problems += numbers.problems(sum(c.volume_ml for c in draft.components), "session_volume",
                                     "cocktail, total volume")
    sequences = [s.sequence for s in draft.sessions]
    if len(set(sequences)) != len(sequences):
        problems.append(Problem("sessions", "two sessions have the same number"))
    for session in draft.sessions:
        where = f"session {session.sequence} ({session.planned_date.isoformat()})"
        if session.status not in SESSION_STATUSES:
            problems.append(Problem(f"{where}, status", f"'{session.status}' is not a session status"))
        if session.technique and session.technique not in techniques():
            problems.append(Problem(f"{where}, technique", f"'{session.technique}' is not known"))
        problems += _text_problems(f"{where}, ", (("needle", session.needle), ("phase", session.phase)),
                                   (("reactions", session.reactions), ("notes", session.notes)))
        problems += _depth_problems(f"{where}, depth", session.depth_mm,
                                    session.technique or draft.technique)
        for zone in session.zones:
            if zone.zone not in zones():
                problems.append(Problem(f"{where}, zones", f"'{zone.zone}' is not a known zone"))
            if not _number_ok(zone.volume_ml) or zone.volume_ml < 0:
                problems.append(Problem(f"{where}, zone {zone.zone}", "volume must be 0 mL or more"))
            else:
                problems += numbers.problems(zone.volume_ml, "zone_volume",
                                             f"{where}, zone {zone.zone} volume")
        if all(_number_ok(z.volume_ml) for z in session.zones):
            problems += numbers.problems(session.total_zone_volume_ml, "session_volume",
                                         f"{where}, total of the zone volumes")
        for batch in session.batches:
            problems += numbers.problems(batch.volume_ml, "batch_volume",
                                         f"{where}, batch {batch.lot_number} volume")
            problems += _text_problems(f"{where}, batch {batch.lot_number}, ", (),
                                       (("correction", batch.correction),))
        problems += _batch_problems(where, session)
    if problems:
        raise ValidationError(problems)


def _batch_problems(where: str, session: SessionDraft) -> list[Problem]:
    """An expired batch is recorded for a done session only as a correction with a reason.

    Planned sessions may hold an expired batch while being planned (the safety rules block the plan);
    a correction belongs only to a session recorded as done with a batch that really had expired.
    """
    problems = []
    for batch in session.batches:
        expired = batch.expiry_date < session.planned_date
        corrected = bool(batch.correction.strip())
        if session.status == "done" and expired and not corrected:
            problems.append(Problem(
                f"{where}, batch {batch.lot_number}",
                f"expired on {batch.expiry_date.isoformat()}, before the session date; it can only be "
                "recorded as a correction of the record, with the reason"))
        elif corrected and not (session.status == "done" and expired):
            problems.append(Problem(
                f"{where}, batch {batch.lot_number}",
                "a correction is only recorded for a batch that had expired before a session done"))
    return problems


def _text_problems(prefix: str, one_line: tuple[tuple[str, str], ...],
                   multi_line: tuple[tuple[str, str], ...]) -> list[Problem]:
    """One-line fields with line breaks or control characters, multi-line ones with control
    characters other than line breaks and tabs."""
    found = [Problem(f"{prefix}{name}", one_line_problem(value))
             for name, value in one_line if value and one_line_problem(value)]
    found += [Problem(f"{prefix}{name}", multi_line_problem(value))
              for name, value in multi_line if value and multi_line_problem(value)]
    return found


def _depth_problems(where: str, depth: float | None, technique: str = "") -> list[Problem]:
    """The depth against the bounds of its technique (resources/numbers.json)."""
    known = technique if technique in techniques() else None
    return numbers.problems(depth, "depth", where, technique=known)
