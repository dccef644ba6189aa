"""The one reader of clinical numbers, and their plausibility bounds (pure domain, no Qt or database).

Every clinical number that enters MesoPlan (volumes, strengths, depths, weights, doses, intervals;
typed in a screen, read from a CSV or JSON file) passes through here:

- ``parse_number(text, field, separator)`` reads what a person typed: digits, at most one decimal
  separator (the clinic's: ``.`` or ``,``) and an optional leading minus. No digit grouping, no
  spaces inside, no underscores, no exponents, no ``inf``/``nan``, no leading ``+``, only the
  digits 0-9. Anything else raises ``NumberError`` naming the field and saying what to write.
- ``check(value, quantity, field, unit=, technique=)`` holds a value to the bounds of its quantity
  (resources/numbers.json: per unit for strengths and doses, per technique for depths); the
  message names the field and the allowed range.
- ``read(text, quantity, field, ...)`` is both; ``problems(...)`` is ``check`` for services that
  collect every problem.
- ``decimal_separator_for(jurisdiction)`` is the separator of the clinic's country;
  ``use_decimal_separator`` sets the one screens use when they pass none.

``NumberError`` is a ``ValueError`` so callers that read cells and fields keep catching that.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from mesoplan.errors import Problem
from mesoplan.paths import read_resource_text


class NumberError(ValueError):
    """A number that cannot be read or is outside its bounds; ``str()`` names the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


@dataclass(frozen=True)
class Bounds:
    """The plausible range of one quantity (in one unit, for one technique)."""

    label: str
    unit: str
    min: float | None
    max: float | None
    min_inclusive: bool = True
    max_inclusive: bool = True
    whole: bool = False

    def contains(self, value: float) -> bool:
        if self.min is not None and (value < self.min or (value == self.min and not self.min_inclusive)):
            return False
        if self.max is not None and (value > self.max or (value == self.max and not self.max_inclusive)):
            return False
        return not self.whole or float(value).is_integer()

    def describe(self, separator: str = ".") -> str:
        """'between 0.5 and 13 mm', 'more than 0 mL and at most 50 mL', 'at most 100 %'."""
        unit = f" {self.unit}" if self.unit else ""
        low = None if self.min is None else show(self.min, separator)
        high = None if self.max is None else show(self.max, separator)
        whole = "a whole number " if self.whole else ""
        if low is not None and high is not None:
            if self.min_inclusive and self.max_inclusive:
                return f"{whole}between {low} and {high}{unit}"
            lower = f"at least {low}" if self.min_inclusive else f"more than {low}"
            upper = f"at most {high}" if self.max_inclusive else f"less than {high}"
            return f"{whole}{lower}{unit} and {upper}{unit}"
        if low is not None:
            return f"{whole}{'at least' if self.min_inclusive else 'more than'} {low}{unit}"
        if high is not None:
            return f"{whole}{'at most' if self.max_inclusive else 'less than'} {high}{unit}"
        return f"{whole}any number".strip()


# --- data ------------------------------------------------------------------------------------------


@cache
def _data() -> dict[str, Any]:
    return json.loads(read_resource_text("numbers.json"))


def quantities() -> tuple[str, ...]:
    """The quantity names that have bounds (component_volume, depth, strength, ...)."""
    return tuple(_data()["quantities"])


def bounds(quantity: str, unit: str | None = None, technique: str | None = None) -> Bounds:
    """The bounds of ``quantity`` (a key of numbers.json), narrowed to ``unit`` or ``technique``
    where the data has a row for them."""
    entry = _data()["quantities"][quantity]
    values = {k: entry.get(k) for k in ("label", "unit", "min", "max", "min_inclusive",
                                         "max_inclusive", "whole")}
    if unit and entry.get("by_unit"):
        specific = entry["by_unit"].get(_unit_key(unit, entry["by_unit"]))
        if specific is not None:
            values.update(specific)
            values["unit"] = _unit_key(unit, entry["by_unit"])
    if technique and entry.get("by_technique"):
        values.update(entry["by_technique"].get(technique, {}))
    return Bounds(
        label=values["label"] or quantity, unit=values["unit"] or "",
        min=values["min"], max=values["max"],
        min_inclusive=values["min_inclusive"] is not False,
        max_inclusive=values["max_inclusive"] is not False, whole=bool(values["whole"]))


def _unit_key(unit: str, by_unit: dict[str, Any]) -> str:
    if unit in by_unit:
        return unit
    from mesoplan.units import is_known_unit, parse_unit  # units imports nothing from here

    if is_known_unit(unit):
        return parse_unit(unit).symbol
    amounts = {"mg": "mg", "ug": "µg", "mcg": "µg", "µg": "µg", "μg": "µg", "iu": "IU", "u": "U"}
    return amounts.get(unit.strip().casefold(), unit)


# --- the clinic's decimal separator -----------------------------------------------------------------


def decimal_separator_for(jurisdiction: str | None) -> str:
    """'.' or ',' for the clinic's jurisdiction (GB-ENG, DE, FR...), per resources/numbers.json."""
    table = _data()["decimal_separator"]
    country = (jurisdiction or "").strip().upper().split("-")[0]
    return "," if country in table["comma_countries"] else table["default"]


_separator = "."


def use_decimal_separator(separator: str) -> None:
    """The separator screens read and show numbers with when they give none (the clinic's)."""
    global _separator
    if separator not in (".", ","):
        raise ValueError(f"a decimal separator is '.' or ',', not {separator!r}")
    _separator = separator


def decimal_separator() -> str:
    return _separator


# --- reading ---------------------------------------------------------------------------------------

_DIGITS = {".": re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"),
           ",": re.compile(r"-?(?:[0-9]+(?:,[0-9]*)?|,[0-9]+)")}


def example(separator: str | None = None) -> str:
    return f"2{separator or _separator}5"


def parse_number(text: str, field: str, separator: str | None = None) -> float:
    """The number written as ``text`` (surrounding spaces ignored); ``NumberError`` otherwise.

    ``separator`` is the decimal separator allowed ('.' or ','); None means the clinic's.
    """
    separator = separator or _separator
    if not isinstance(text, str):
        raise NumberError(field, f"expected a number written as text, not {type(text).__name__}")
    cleaned = text.strip()
    if not cleaned:
        raise NumberError(field, "enter a number")
    if _DIGITS[separator].fullmatch(cleaned):
        return float(cleaned.replace(",", "."))
    raise NumberError(field, _why_not(cleaned, separator))


def _why_not(text: str, separator: str) -> str:
    quoted = f"'{text}' is not a number"
    other = "," if separator == "." else "."
    name = "a point" if separator == "." else "a comma"
    if text.startswith("+"):
        return f"{quoted}; leave out the '+' sign"
    if re.search(r"[eE]", text) and re.fullmatch(r"[-+]?[0-9.,]*[eE][-+]?[0-9]+", text):
        return f"{quoted}; write it out in full digits, without an exponent (e)"
    if text.strip("+-").casefold() in ("inf", "infinity", "nan", "∞"):
        return f"{quoted}; enter a finite number"
    if other in text or text.count(separator) > 1 or any(c.isspace() or c in "_'’" for c in text):
        return (f"{quoted}; write decimals with {name} ({example(separator)}), at most one, and "
                "no thousands separators, spaces or underscores")
    if any(c.isdigit() and not "0" <= c <= "9" for c in text):
        return f"{quoted}; use the digits 0-9"
    return f"{quoted}; write digits with decimals after {name}, e.g. {example(separator)}"


def parse_whole(text: str, field: str, low: int | None = None, high: int | None = None) -> int:
    """A whole number written with the digits 0-9 only (record numbers, counts); ``NumberError``
    for anything else ('1_5', '+3', '١٥', ' 2 3') or outside ``low``..``high``."""
    cleaned = text.strip() if isinstance(text, str) else ""
    if not re.fullmatch(r"[0-9]+", cleaned):
        raise NumberError(field, f"'{text}' is not a whole number; write it with the digits 0-9 only")
    value = int(cleaned)
    if (low is not None and value < low) or (high is not None and value > high):
        span = (f"from {low} to {high}" if low is not None and high is not None else
                f"from {low}" if low is not None else f"up to {high}")
        raise NumberError(field, f"must be a whole number {span}, not {value}")
    return value


def check(value: float, quantity: str, field: str = "", *, unit: str | None = None,
          technique: str | None = None, separator: str | None = None) -> float:
    """``value`` when it lies within the bounds of ``quantity``; ``NumberError`` otherwise."""
    limits = bounds(quantity, unit, technique)
    field = field or limits.label
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise NumberError(field, f"must be a number, not {value!r}")
    if not limits.contains(value):
        where = _for_technique(technique)
        raise NumberError(field, f"must be {limits.describe(separator or _separator)}{where}, "
                                 f"not {show(value, separator or _separator)}")
    return float(value)


def _for_technique(technique: str | None) -> str:
    if not technique:
        return ""
    from mesoplan.vocabulary import techniques

    found = techniques().get(technique)
    return f" for {found.label}" if found else ""


def read(text: str, quantity: str, field: str = "", *, unit: str | None = None,
         technique: str | None = None, separator: str | None = None) -> float:
    """Read ``text`` as a number and hold it to the bounds of ``quantity``."""
    label = field or bounds(quantity).label
    value = parse_number(text, label, separator)
    return check(value, quantity, label, unit=unit, technique=technique, separator=separator)


def read_optional(text: str, quantity: str, field: str = "", **kwargs) -> float | None:
    """``read``, with empty text meaning None."""
    return None if not (text or "").strip() else read(text, quantity, field, **kwargs)


def problems(value: Any, quantity: str, where: str, *, unit: str | None = None,
             technique: str | None = None) -> list[Problem]:
    """[] when ``value`` (a number or None) is within bounds, else one Problem at ``where``."""
    if value is None:
        return []
    try:
        check(value, quantity, where, unit=unit, technique=technique, separator=".")
    except NumberError as exc:
        return [Problem(where, exc.message)]
    return []


# --- showing ---------------------------------------------------------------------------------------


def localised(text: str, separator: str | None = None) -> str:
    """A number formatted with a point ("2.5") written with the clinic's separator ("2,5")."""
    return text.replace(".", separator or _separator) if (separator or _separator) != "." else text


def show(value: float, separator: str | None = None) -> str:
    """A number as people type it back: up to 6 significant digits, no exponent, no grouping."""
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    decimals = max(0, 5 - math.floor(math.log10(abs(value))))
    text = f"{value:.{min(decimals, 12)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", separator or _separator)
