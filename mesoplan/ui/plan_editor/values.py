"""Reading what people type into the editor's cells and fields: numbers, strengths and units.

Each reader returns the value or raises ``ValueError`` with a sentence saying what is wrong, so
that a cell or field can show it as invalid while the person is still typing.
"""

from __future__ import annotations

import math

from mesoplan.errors import ValidationError
from mesoplan.plan import DEPTH_LIMITS_MM
from mesoplan.units import ACCEPTED_UNITS_TEXT, format_number
from mesoplan.units import parse_unit as _parse_unit


def _number(text: str, what: str) -> float:
    cleaned = text.strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{what}: '{text.strip()}' is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{what}: '{text.strip()}' is not a usable number")
    return value


def read_volume(text: str) -> float:
    """A component's volume in mL: a number greater than zero."""
    if not text.strip():
        raise ValueError("Volume: enter the volume in mL (more than 0)")
    value = _number(text, "Volume")
    if value <= 0:
        raise ValueError(f"Volume: must be more than 0 mL, not {format_number(value)}")
    return value


def read_zone_volume(text: str) -> float:
    """A volume injected into a zone, in mL: zero or more (empty means 0)."""
    if not text.strip():
        return 0.0
    value = _number(text, "Zone volume")
    if value < 0:
        raise ValueError(f"Zone volume: must be 0 mL or more, not {format_number(value)}")
    return value


def read_strength(text: str) -> float | None:
    """A strength value: zero or more, or empty for 'not recorded'."""
    if not text.strip():
        return None
    value = _number(text, "Strength")
    if value < 0:
        raise ValueError(f"Strength: must be zero or more, not {format_number(value)}")
    return value


def read_unit(text: str) -> str | None:
    """A strength unit in its canonical spelling (``mg/ml`` becomes ``mg/mL``); empty is None."""
    if not text.strip():
        return None
    try:
        return _parse_unit(text).symbol
    except ValidationError:
        raise ValueError(f"Unit: '{text.strip()}' is not a known unit; use one of "
                         f"{ACCEPTED_UNITS_TEXT}") from None


def read_depth(text: str) -> float | None:
    """A needle depth in mm within the recordable limits; empty means 'not set'."""
    if not text.strip():
        return None
    value = _number(text, "Depth")
    low, high = DEPTH_LIMITS_MM
    if not low <= value <= high:
        raise ValueError(f"Depth: must be between {low:g} and {high:g} mm, not {format_number(value)}")
    return value


def show_number(value: float | None) -> str:
    """A number as typed back into a field ("" for none), without float noise."""
    return "" if value is None else format_number(value, 6)
