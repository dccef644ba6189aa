"""Strength and amount units for cocktail arithmetic: parsing, conversion and display (pure domain).

Three separate dimensions: mass (``%`` = % w/v = g/100 mL = 10 mg/mL, ``mg/mL``, ``µg/mL``,
``g/L``), international units (``IU/mL``) and other units (``U/mL``); none converts into another.

Public API
----------
- ``KNOWN_UNITS``: canonical strength spellings, for catalogs and pick lists.
- ``parse_unit(text, where="") -> Unit``: accepts variants (``mg/ml``, ``ug/mL``, ``mcg/mL``,
  ``% w/v``...); raises ``ValidationError`` at ``where`` naming the accepted units.
  ``is_known_unit(text)`` is the same test without raising.
- ``Quantity(value, unit)`` with ``.to(symbol)`` and ``.in_base()``; ``strength(value, text)``.
- ``amount_unit(dimension)``: mg, IU or U, the unit an amount of that dimension is counted in.
- ``format_quantity(q)`` / ``format_number(x)``: display only ("4 mg/mL (0.4 %)").

Conversion factors are exact fractions applied as ``value * numerator / denominator`` so that, for
example, 1 mL of 1 % gives exactly 10 mg and 500 µg/mL gives exactly 0.5 mg/mL.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from mesoplan.errors import Problem, ValidationError


class Dimension(enum.Enum):
    """What a unit measures; quantities of different dimensions are never added or converted."""

    MASS = "mass"
    INTERNATIONAL_UNITS = "international units (IU)"
    UNITS = "units (U)"


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit: its canonical symbol, dimension, and exact factor to the dimension's base unit.

    Base units: mg/mL (mass concentration), IU/mL, U/mL; for amounts mg, IU, U.
    """

    symbol: str
    dimension: Dimension
    factor: Fraction
    is_concentration: bool = True

    def to_base(self, value: float) -> float:
        return value * self.factor.numerator / self.factor.denominator

    def from_base(self, value: float) -> float:
        return value * self.factor.denominator / self.factor.numerator


PERCENT = Unit("%", Dimension.MASS, Fraction(10))
MG_PER_ML = Unit("mg/mL", Dimension.MASS, Fraction(1))
UG_PER_ML = Unit("µg/mL", Dimension.MASS, Fraction(1, 1000))
G_PER_L = Unit("g/L", Dimension.MASS, Fraction(1))
IU_PER_ML = Unit("IU/mL", Dimension.INTERNATIONAL_UNITS, Fraction(1))
U_PER_ML = Unit("U/mL", Dimension.UNITS, Fraction(1))

MG = Unit("mg", Dimension.MASS, Fraction(1), is_concentration=False)
UG = Unit("µg", Dimension.MASS, Fraction(1, 1000), is_concentration=False)
IU = Unit("IU", Dimension.INTERNATIONAL_UNITS, Fraction(1), is_concentration=False)
U = Unit("U", Dimension.UNITS, Fraction(1), is_concentration=False)

_CONCENTRATION_UNITS = (PERCENT, MG_PER_ML, UG_PER_ML, G_PER_L, IU_PER_ML, U_PER_ML)
KNOWN_UNITS: tuple[str, ...] = tuple(u.symbol for u in _CONCENTRATION_UNITS)
BASE_CONCENTRATION = {
    Dimension.MASS: MG_PER_ML,
    Dimension.INTERNATIONAL_UNITS: IU_PER_ML,
    Dimension.UNITS: U_PER_ML,
}
BASE_AMOUNT = {Dimension.MASS: MG, Dimension.INTERNATIONAL_UNITS: IU, Dimension.UNITS: U}
_BY_SYMBOL = {u.symbol: u for u in (*_CONCENTRATION_UNITS, MG, UG, IU, U)}

# Spelling variants, keyed by _normalise(text).
_ALIASES: dict[str, Unit] = {
    "%": PERCENT,
    "%w/v": PERCENT,
    "%(w/v)": PERCENT,
    "mg/ml": MG_PER_ML,
    "ug/ml": UG_PER_ML,
    "mcg/ml": UG_PER_ML,
    "g/l": G_PER_L,
    "iu/ml": IU_PER_ML,
    "u/ml": U_PER_ML,
}

ACCEPTED_UNITS_TEXT = (
    ", ".join(KNOWN_UNITS) + " (% means % w/v, grams per 100 mL; µg may be written ug or mcg)"
)


def _normalise(text: str) -> str:
    # casefold turns the micro sign into Greek mu, so both become "u" afterwards.
    return "".join(text.split()).casefold().replace("\u03bc", "u")


@lru_cache(maxsize=256)
def _lookup(text: str) -> Unit | None:
    return _ALIASES.get(_normalise(text))


def is_known_unit(text: str | None) -> bool:
    return isinstance(text, str) and _lookup(text) is not None


def parse_unit(text: str | None, where: str = "") -> Unit:
    """The strength unit written as ``text``; raises ``ValidationError`` at ``where`` if unknown."""
    if isinstance(text, str):
        found = _lookup(text)
        if found is not None:
            return found
    raise ValidationError([Problem(where, unknown_unit_message(text))])


def unknown_unit_message(text: object) -> str:
    if text is None or (isinstance(text, str) and not text.strip()):
        return f"no unit is given; use one of {ACCEPTED_UNITS_TEXT}"
    return f"'{text}' is not a known unit; use one of {ACCEPTED_UNITS_TEXT}"


def amount_unit(dimension: Dimension) -> Unit:
    """The unit an amount of this dimension is counted in: mg, IU or U."""
    return BASE_AMOUNT[dimension]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit; arithmetic stays in floats, rounding happens only in formatting."""

    value: float
    unit: Unit

    @property
    def dimension(self) -> Dimension:
        return self.unit.dimension

    def in_base(self) -> Quantity:
        """The same quantity in the base unit of its kind (mg/mL, IU/mL, U/mL, mg, IU or U)."""
        base = (BASE_CONCENTRATION if self.unit.is_concentration else BASE_AMOUNT)[self.dimension]
        if base is self.unit:
            return self
        return Quantity(self.unit.to_base(self.value), base)

    def to(self, symbol: str) -> Quantity:
        """The same quantity in another unit of the same dimension and kind."""
        target = _BY_SYMBOL.get(symbol) or parse_unit(symbol)
        same_kind = target.is_concentration == self.unit.is_concentration
        if target.dimension is not self.dimension or not same_kind:
            raise ValueError(f"cannot express {self.unit.symbol} in {target.symbol}")
        return Quantity(target.from_base(self.unit.to_base(self.value)), target)


def strength(value: float, unit_text: str) -> Quantity:
    """A strength such as ``strength(1, "%")``; raises ``ValidationError`` for an unknown unit."""
    return Quantity(value, parse_unit(unit_text))


def format_number(value: float, significant: int = 3) -> str:
    """Round for display to ``significant`` digits, keeping all whole-number digits (1500)."""
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    decimals = max(0, significant - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:.{min(decimals, 9)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_quantity(quantity: Quantity, significant: int = 3) -> str:
    """A quantity for people: mass concentrations as mg/mL (or µg/mL when tiny) plus % w/v.

    Examples: "4 mg/mL (0.4 %)", "5 µg/mL (0.0005 %)", "270 mg", "1500 IU", "15 IU/mL".
    """
    base = quantity.in_base()
    if base.dimension is not Dimension.MASS:
        return f"{format_number(base.value, significant)} {base.unit.symbol}"
    tiny = 0 < abs(base.value) < 0.1
    if not base.unit.is_concentration:
        shown = base.to("µg") if tiny else base
        return f"{format_number(shown.value, significant)} {shown.unit.symbol}"
    shown = base.to("µg/mL") if tiny else base
    percent = format_number(base.to("%").value, significant)
    return f"{format_number(shown.value, significant)} {shown.unit.symbol} ({percent} %)"
