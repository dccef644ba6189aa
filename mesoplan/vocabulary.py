"""Shared vocabularies read from ``resources/``: indications, treatment zones and techniques.

Codes are stable identifiers stored in the database; labels are editable data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from mesoplan.paths import read_resource_text

REGIONS = ("face", "scalp", "body")


@dataclass(frozen=True)
class Indication:
    code: str
    label: str
    group: str  # hair | face | body | other


@dataclass(frozen=True)
class Zone:
    code: str
    label: str
    region: str  # face | scalp | body


@dataclass(frozen=True)
class Technique:
    code: str
    label: str
    depth_min_mm: float
    depth_max_mm: float
    intradermal: bool


def _load(name: str) -> dict:
    return json.loads(read_resource_text(f"{name}.json"))


@cache
def indications() -> dict[str, Indication]:
    return {i["code"]: Indication(**i) for i in _load("indications")["indications"]}


@cache
def zones() -> dict[str, Zone]:
    return {z["code"]: Zone(**z) for z in _load("zones")["zones"]}


@cache
def techniques() -> dict[str, Technique]:
    return {t["code"]: Technique(**t) for t in _load("techniques")["techniques"]}


@cache
def needles() -> tuple[str, ...]:
    return tuple(_load("techniques")["needles"])


def indication_label(code: str, other: str = "") -> str:
    if code == "other" and other:
        return other
    found = indications().get(code)
    return found.label if found else (other or code)


def zone_label(code: str) -> str:
    found = zones().get(code)
    return found.label if found else code


def technique_label(code: str) -> str:
    found = techniques().get(code)
    return found.label if found else code


def regions_of(zone_codes) -> frozenset[str]:
    """The body regions (face, scalp, body) that a list of zone codes covers."""
    table = zones()
    return frozenset(table[c].region for c in zone_codes if c in table)
