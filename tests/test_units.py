"""Tests for mesoplan.units: parsing spellings, exact conversion, dimensions and display."""

from __future__ import annotations

import pytest

from mesoplan.errors import ValidationError
from mesoplan.units import (
    IU,
    KNOWN_UNITS,
    MG,
    Dimension,
    Quantity,
    format_number,
    format_quantity,
    is_known_unit,
    parse_unit,
    strength,
)


def test_known_units_are_the_canonical_spellings():
    assert KNOWN_UNITS == ("%", "mg/mL", "µg/mL", "g/L", "IU/mL", "U/mL")
    for symbol in KNOWN_UNITS:
        assert parse_unit(symbol).symbol == symbol


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("mg/ml", "mg/mL"),
        (" MG / ML ", "mg/mL"),
        ("ug/mL", "µg/mL"),
        ("mcg/mL", "µg/mL"),
        ("\u03bcg/mL", "µg/mL"),  # Greek mu instead of the micro sign
        ("% w/v", "%"),
        ("%(w/v)", "%"),
        ("g/l", "g/L"),
        ("iu/ml", "IU/mL"),
        ("u/ml", "U/mL"),
    ],
)
def test_spelling_variants_map_to_canonical_units(text, canonical):
    assert parse_unit(text).symbol == canonical
    assert is_known_unit(text)


@pytest.mark.parametrize("text", ["mg/dl", "IU/ampoule", "% v/v", "mU/mL", "", None, "mg"])
def test_unknown_unit_is_rejected_naming_the_accepted_units_and_place(text):
    with pytest.raises(ValidationError) as caught:
        parse_unit(text, where="row 7, column strength_unit")
    problem = caught.value.problems[0]
    assert problem.where == "row 7, column strength_unit"
    for symbol in KNOWN_UNITS:
        assert symbol in problem.message
    assert not is_known_unit(text)


def test_percent_is_ten_mg_per_ml_exactly():
    assert strength(1, "%").in_base() == Quantity(10.0, parse_unit("mg/mL"))
    assert strength(2, "%").in_base().value == 20.0
    assert strength(0.5, "%").in_base().value == 5.0


def test_micrograms_and_grams_per_litre_convert_to_mg_per_ml():
    assert strength(500, "µg/mL").in_base().value == 0.5
    assert strength(5, "g/L").in_base().value == 5.0
    assert strength(4, "mg/mL").to("%").value == pytest.approx(0.4)
    assert strength(3, "%").to("µg/mL").value == 30000.0


def test_dimensions_are_kept_apart():
    assert parse_unit("IU/mL").dimension is Dimension.INTERNATIONAL_UNITS
    assert parse_unit("U/mL").dimension is Dimension.UNITS
    assert parse_unit("%").dimension is Dimension.MASS
    with pytest.raises(ValueError):
        strength(15, "IU/mL").to("U/mL")
    with pytest.raises(ValueError):
        strength(15, "IU/mL").to("mg/mL")
    with pytest.raises(ValueError):
        Quantity(10, MG).to("mg/mL")  # an amount is not a concentration


@pytest.mark.parametrize(
    ("value", "text"),
    [(4.0, "4"), (0.4, "0.4"), (1 / 3, "0.333"), (1500.0, "1500"), (1234.56, "1235"),
     (0.0005, "0.0005"), (0.0, "0"), (-0.0, "0"), (270.00000000000006, "270"), (12.345, "12.3")],
)
def test_format_number_rounds_for_display_only(value, text):
    assert format_number(value) == text


def test_format_quantity_shows_mass_concentration_with_percent():
    assert format_quantity(strength(4, "mg/mL")) == "4 mg/mL (0.4 %)"
    assert format_quantity(strength(1, "%")) == "10 mg/mL (1 %)"
    assert format_quantity(strength(5, "mcg/mL")) == "5 µg/mL (0.0005 %)"
    assert format_quantity(strength(15, "IU/mL")) == "15 IU/mL"
    assert format_quantity(strength(2, "u/ml")) == "2 U/mL"


def test_format_quantity_shows_amounts():
    assert format_quantity(Quantity(270.0, MG)) == "270 mg"
    assert format_quantity(Quantity(0.05, MG)) == "50 µg"
    assert format_quantity(Quantity(1500, IU)) == "1500 IU"
