"""What the safety rules look at: frozen facts about one patient and one plan (pure, no database).

Services build these from the records (the cocktail module expands products into ingredients and
works out the anaesthetic dose); the engine only reads them, so the same facts always give the
same findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

SEXES = ("female", "male", "intersex", "unknown")
SESSION_STATUSES = ("planned", "done", "cancelled", "missed")
# Sessions that happened or will happen; cancelled and missed ones do not count for intervals.
ACTIVE_SESSION_STATUSES = frozenset({"planned", "done"})


@dataclass(frozen=True)
class PatientFacts:
    """The patient as the rules see them.

    ``answers`` are the cleaned answers of the latest screening (see ``mesoplan.screening``):
    yes/no questions hold True/False, yes/no/not-sure questions also "unknown", dates ISO text.
    ``screening_id`` and ``screening_date`` are None when no screening was recorded yet.
    """

    age_years: int | None
    sex: str  # female | male | intersex | unknown
    answers: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    screening_id: int | None = None
    screening_date: dt.date | None = None
    weight_kg: float | None = None


@dataclass(frozen=True)
class ItemFacts:
    """One catalog ingredient in the cocktail; a product contributes one of these per ingredient.

    ``via_product`` is the code of the product the ingredient came from (None when the ingredient
    was added on its own). Added field: ``via_product_name`` is that product's name for messages
    (the code is shown when it is empty).
    """

    code: str
    name: str
    category: str
    caution_tags: frozenset[str]
    vehicle: str = "aqueous"
    min_interval_days: int | None = None
    via_product: str | None = None
    via_product_name: str = ""

    @property
    def display_name(self) -> str:
        if self.via_product:
            return f"{self.name} (in {self.via_product_name or self.via_product})"
        return self.name


@dataclass(frozen=True)
class BatchFacts:
    """A batch recorded against a session.

    Added field: ``item_code`` is the code of the product or ingredient the batch belongs to; it
    lets the batch check match batches to cocktail items by code as well as by name.
    """

    lot_number: str
    expiry_date: dt.date | None
    item_name: str
    item_code: str = ""
    correction: str = ""
    """Added field: the reason given when an expired batch was recorded as a correction of the
    record of a session done (empty for an ordinary batch use)."""


@dataclass(frozen=True)
class SessionFacts:
    sequence: int
    date: dt.date
    status: str  # planned | done | cancelled | missed
    technique: str = ""
    depth_mm: float | None = None
    regions: frozenset[str] = frozenset()
    batches: tuple[BatchFacts, ...] = ()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_SESSION_STATUSES


@dataclass(frozen=True)
class AnaestheticFacts:
    """The local-anaesthetic total of the cocktail, worked out by the cocktail module."""

    total_mg: float
    mg_per_kg: float | None
    ceiling_mg_per_kg: float
    ceiling_mg: float
    with_adrenaline: bool
    exceeded: bool
    detail: str


@dataclass(frozen=True)
class ConsentFormFacts:
    """A consent form issued for the plan: the day printed on it and what it names.

    ``covered_zones`` is None and ``practitioner_id`` unchecked when ``codes_only`` is set (a form
    known only by the codes it names; used by the ``ConsentFacts`` shorthand below).
    """

    issued_on: dt.date
    covered_item_codes: frozenset[str] = frozenset()
    covered_zones: frozenset[str] | None = None
    practitioner_id: int | None = None
    practitioner_name: str = ""
    codes_only: bool = False


@dataclass(frozen=True)
class ConsentFacts:
    """The plan's recorded consent signature and the consent forms issued for it.

    ``signed_on`` is the day the patient signed (only a date is recorded on paper). ``forms`` are
    the issued consent forms; ``plan_zones`` and ``plan_practitioner_id`` are what the plan now
    needs covered. Shorthand kept for callers that know only the codes: with ``forms`` None, one
    form issued on ``signed_on`` naming ``covered_item_codes`` is assumed.
    """

    signed_on: dt.date | None
    covered_item_codes: frozenset[str] = frozenset()
    forms: tuple[ConsentFormFacts, ...] | None = None
    plan_zones: frozenset[str] = frozenset()
    plan_practitioner_id: int | None = None

    @property
    def issued_forms(self) -> tuple[ConsentFormFacts, ...]:
        if self.forms is not None:
            return self.forms
        if self.signed_on is None:
            return ()
        return (ConsentFormFacts(self.signed_on, self.covered_item_codes, codes_only=True),)


@dataclass(frozen=True)
class PlanFacts:
    """The plan being checked.

    ``component_count`` counts what is mixed in the syringe (a product counts once).
    ``batch_required`` is the clinic's policy that every session done records its batches.
    """

    items: tuple[ItemFacts, ...]
    component_count: int
    technique: str
    depth_mm: float | None
    regions: frozenset[str]
    sessions: tuple[SessionFacts, ...]
    anaesthetic: AnaestheticFacts | None
    consent: ConsentFacts | None
    jurisdiction: str
    today: dt.date
    batch_required: bool = True
