"""What a consent form or aftercare sheet needs to know, as frozen dataclasses (pure, no database).

The services fill a ``DocumentRequest``; the renderers only read it. Lists become tuples and sets
become sorted frozensets on construction, so a request is immutable and always prints the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from mesoplan.errors import Problem, ValidationError

DocumentKind = Literal["consent", "aftercare"]
PageSize = Literal["A4", "Letter"]
LineKind = Literal["ingredient", "product"]

DOCUMENT_KINDS: tuple[str, ...] = ("consent", "aftercare")
PAGE_SIZES: tuple[str, ...] = ("A4", "Letter")
LINE_KINDS: tuple[str, ...] = ("ingredient", "product")
REGIONS: tuple[str, ...] = ("face", "scalp", "body")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


def _freeze(instance: object, name: str, value: object) -> None:
    object.__setattr__(instance, name, value)


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class ClinicInfo:
    """The clinic as printed in the letterhead and contact sections.

    ``emergency_phone`` is the number to call for an emergency (the local ambulance number, or the
    clinic's out-of-hours line if that is its policy); ``retention_years`` None prints the generic
    "as long as the law requires" wording.
    """

    name: str
    address: str = ""
    phone: str = ""
    emergency_phone: str = ""
    email: str = ""
    logo_png: bytes | None = None
    retention_years: int | None = None


@dataclass(frozen=True)
class PatientInfo:
    id: str
    full_name: str
    date_of_birth: dt.date | None = None
    sex: str = ""

    def __post_init__(self) -> None:
        _freeze(self, "id", _as_text(self.id))


@dataclass(frozen=True)
class PractitionerInfo:
    name: str
    profession: str = ""
    registration_number: str = ""


@dataclass(frozen=True)
class PlannedSession:
    """One planned session: its date and, when booked, its start time."""

    date: dt.date
    time: dt.time | None = None


@dataclass(frozen=True)
class PlanInfo:
    """The treatment plan in words. ``depth_max_mm`` set means the depth is a range."""

    plan_id: str
    indication: str
    areas: tuple[str, ...] = ()
    regions: frozenset[str] = frozenset()
    technique: str = ""
    depth_mm: float | None = None
    depth_max_mm: float | None = None
    needle: str = ""
    goals: str = ""
    sessions: tuple[PlannedSession, ...] = ()
    protocol: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        _freeze(self, "plan_id", _as_text(self.plan_id))
        _freeze(self, "areas", tuple(self.areas))
        _freeze(self, "regions", frozenset(self.regions))
        _freeze(self, "sessions", tuple(self.sessions))
        unknown = sorted(set(self.regions) - set(REGIONS))
        if unknown:
            raise ValidationError(
                f"{', '.join(map(repr, unknown))} is not a region; use face, scalp or body",
                where="plan.regions",
            )

    @property
    def ordered_regions(self) -> tuple[str, ...]:
        """The regions in the fixed order face, scalp, body (never set order)."""
        return tuple(r for r in REGIONS if r in self.regions)


@dataclass(frozen=True)
class CocktailLine:
    """One ingredient or ready-made product in the cocktail, as the patient should read it."""

    name: str
    kind: LineKind = "ingredient"
    strength: str = ""
    volume_ml: float | None = None
    legal_status: str = ""
    off_label: bool = False
    caution_tags: tuple[str, ...] = ()
    actives: str = ""

    def __post_init__(self) -> None:
        _freeze(self, "caution_tags", tuple(self.caution_tags))
        if self.kind not in LINE_KINDS:
            raise ValidationError(
                f"{self.kind!r} is not a line kind; use 'ingredient' or 'product'",
                where=f"cocktail line {self.name!r}",
            )


@dataclass(frozen=True)
class FindingInfo:
    """A safety finding for this patient and plan (severity as the safety engine names it: block, acknowledge, info).

    ``explanation`` is what the patient reads under the title (the rule's patient wording, filled in);
    when it is empty the form prints a sentence saying the practitioner will explain.
    """

    severity: str
    title: str
    explanation: str = ""


@dataclass(frozen=True)
class DocumentRequest:
    """Everything one printed document shows; equal requests print byte-identical PDFs."""

    kind: DocumentKind
    clinic: ClinicInfo
    patient: PatientInfo
    practitioner: PractitionerInfo
    plan: PlanInfo
    issued_on: dt.date
    lines: tuple[CocktailLine, ...] = ()
    findings: tuple[FindingInfo, ...] = ()
    total_volume: str = ""
    next_session: dt.date | None = None
    page_size: PageSize = "A4"
    language: str = "en"

    def __post_init__(self) -> None:
        _freeze(self, "lines", tuple(self.lines))
        _freeze(self, "findings", tuple(self.findings))
        problems: list[Problem] = []
        if self.kind not in DOCUMENT_KINDS:
            problems.append(Problem("kind", f"{self.kind!r} is not a document; use 'consent' or 'aftercare'"))
        if self.page_size not in PAGE_SIZES:
            problems.append(Problem("page_size", f"{self.page_size!r} is not a page size; use 'A4' or 'Letter'"))
        if not LANGUAGE_PATTERN.match(self.language or ""):
            problems.append(Problem("language", f"{self.language!r} is not a language code such as 'en' or 'de'"))
        if not isinstance(self.issued_on, dt.date):
            problems.append(Problem("issued_on", "the issue date is missing"))
        if problems:
            raise ValidationError(problems)

    @property
    def has_off_label(self) -> bool:
        return any(line.off_label for line in self.lines)

    def caution_tags(self) -> tuple[str, ...]:
        """Every caution tag of the cocktail once, in the order the lines first mention it."""
        seen: dict[str, None] = {}
        for line in self.lines:
            for tag in line.caution_tags:
                seen.setdefault(tag, None)
        return tuple(seen)

    def lines_with_tag(self, tag: str) -> tuple[CocktailLine, ...]:
        return tuple(line for line in self.lines if tag in line.caution_tags)
