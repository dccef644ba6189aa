"""Requests to open a page, sent by any screen and carried out by the main window alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class OpenPatient:
    patient_id: int


@dataclass(frozen=True)
class OpenPlan:
    plan_id: int


@dataclass(frozen=True)
class NewPlan:
    patient_id: int
    template_id: int | None = None


@dataclass(frozen=True)
class OpenFrontDesk:
    day: dt.date | None = None


@dataclass(frozen=True)
class OpenCatalog:
    pass


@dataclass(frozen=True)
class ShowDocument:
    """Preview (and print or save) a consent form or aftercare sheet for a plan."""

    plan_id: int
    kind: str  # consent | aftercare
