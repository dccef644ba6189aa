"""Reading what people type into the editor's cells and fields: numbers, strengths and units.

Each reader returns the value or raises ``ValueError`` with a sentence naming the field and
saying what is wrong, so that a cell or field can show it as invalid while the person is still
typing. Numbers go through the one reader of clinical numbers (``mesoplan.numbers``): the
clinic's decimal separator, no grouping or exponents, and the bounds of resources/numbers.json.
"""

from __future__ import annotations

from mesoplan import numbers
from mesoplan.errors import ValidationError
from mesoplan.units import ACCEPTED_UNITS_TEXT
from mesoplan.units import parse_unit as _parse_unit


def read_volume(text: str) -> float:
    """A component's volume in mL: more than zero, within the plausible range."""
    if not text.strip():
        limits = numbers.bounds("component_volume")
        raise numbers.NumberError("Volume", f"enter the volume; it must be "
                                            f"{limits.describe(numbers.decimal_separator())}")
    return numbers.read(text, "component_volume", "Volume")


def read_zone_volume(text: str) -> float:
    """A volume injected into a zone, in mL: zero or more (empty means 0)."""
    if not text.strip():
        return 0.0
    return numbers.read(text, "zone_volume", "Zone volume")


def read_strength(text: str, unit: str | None = None) -> float | None:
    """A strength value: zero or more (within the bounds of ``unit`` when given), or empty for
    'not recorded'."""
    if not text.strip():
        return None
    return numbers.read(text, "strength", "Strength", unit=unit)


def read_unit(text: str) -> str | None:
    """A strength unit in its canonical spelling (``mg/ml`` becomes ``mg/mL``); empty is None."""
    if not text.strip():
        return None
    try:
        return _parse_unit(text).symbol
    except ValidationError:
        raise ValueError(f"Unit: '{text.strip()}' is not a known unit; use one of "
                         f"{ACCEPTED_UNITS_TEXT}") from None


def read_depth(text: str, technique: str | None = None) -> float | None:
    """A needle depth in mm within the plausible range (of ``technique`` when given); empty
    means 'not set'."""
    if not text.strip():
        return None
    return numbers.read(text, "depth", "Depth", technique=technique or None)


def show_number(value: float | None) -> str:
    """A number as typed back into a field ("" for none), with the clinic's decimal separator."""
    return "" if value is None else numbers.show(value)
