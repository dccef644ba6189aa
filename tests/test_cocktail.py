"""Tests for mesoplan.cocktail: totals, final concentrations, zones, course totals, anaesthetic dose
and every rejection with its place."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from mesoplan.cocktail import (
    ActiveInput,
    AnaestheticLimits,
    ComponentInput,
    compute_cocktail,
)
from mesoplan.errors import ValidationError
from mesoplan.units import Dimension, format_quantity


def single(name: str, volume: float, code: str, active_name: str, value, unit, **flags):
    return ComponentInput(name, volume, (ActiveInput(code, active_name, value, unit, **flags),))


def lidocaine(volume: float, percent: float = 2.0, *, adrenaline: bool = False) -> ComponentInput:
    label = f"Lidocaine {percent:g} %" + (" with adrenaline" if adrenaline else "")
    return single(label, volume, "lidocaine", "Lidocaine", percent, "%",
                  is_amide_local_anaesthetic=True, with_adrenaline=adrenaline)


def saline(volume: float) -> ComponentInput:
    return ComponentInput("Saline 0.9 %", volume, ())


def by_code(result, code):
    return next(a for a in result.actives if a.code == code)


def problems_of(call) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return [(p.where, p.message) for p in caught.value.problems]


# --- totals and concentrations ------------------------------------------------------------------


def test_melasma_cocktail_final_concentrations():
    # Stock strengths drawn up so the 5 mL mix holds TXA 4 mg/mL, vitamin C 3 % and glutathione 2 %.
    result = compute_cocktail([
        single("Tranexamic acid 100 mg/mL", 0.2, "txa", "Tranexamic acid", 100, "mg/mL"),
        single("Vitamin C 200 mg/mL", 0.75, "vitc", "Vitamin C", 200, "mg/mL"),
        single("Glutathione 10 %", 1.0, "gsh", "Glutathione", 10, "%"),
        saline(3.05),
    ])
    assert result.total_volume_ml == pytest.approx(5.0)
    assert [a.code for a in result.actives] == ["txa", "vitc", "gsh"]
    assert by_code(result, "txa").concentration.value == pytest.approx(4.0)
    assert by_code(result, "vitc").concentration.to("%").value == pytest.approx(3.0)
    assert by_code(result, "gsh").concentration.to("%").value == pytest.approx(2.0)
    assert by_code(result, "txa").concentration_text == "4 mg/mL (0.4 %)"
    assert by_code(result, "vitc").concentration_text == "30 mg/mL (3 %)"
    assert by_code(result, "gsh").amount_in_mix.value == pytest.approx(100.0)
    assert format_quantity(by_code(result, "gsh").amount_in_mix) == "100 mg"
    assert result.anaesthetic.amide.mg == 0
    assert not result.anaesthetic.exceeded
    assert "no local anaesthetic" in result.anaesthetic.explanation
    assert result.warnings == ()


def test_one_ml_of_one_percent_lidocaine_is_exactly_ten_mg():
    result = compute_cocktail([lidocaine(1, 1.0)])
    active = result.actives[0]
    assert active.amount_in_mix.value == 10.0
    assert active.amount_in_mix.unit.symbol == "mg"
    assert active.concentration.value == 10.0
    assert result.anaesthetic.amide.mg == 10.0


def test_product_with_several_actives_plus_added_single_ingredient():
    pc_dc = ComponentInput("PC/DC product", 4, (
        ActiveInput("pc", "Phosphatidylcholine", 5, "%"),
        ActiveInput("dc", "Deoxycholate", 2.5, "%"),
    ))
    extra_dc = single("Deoxycholate 1 %", 1, "dc", "Deoxycholate", 1, "%")
    result = compute_cocktail([pc_dc, extra_dc])
    assert result.total_volume_ml == 5
    pc, dc = result.actives
    assert pc.amount_in_mix.value == 200.0
    assert pc.concentration_text == "40 mg/mL (4 %)"
    assert dc.amount_in_mix.value == 110.0  # 100 mg from the product + 10 mg added
    assert dc.concentration.value == pytest.approx(22.0)
    assert [(c.position, c.component_name, c.amount.value) for c in dc.contributions] == [
        (1, "PC/DC product", 100.0), (2, "Deoxycholate 1 %", 10.0)]


def test_same_active_from_two_components_adds_up():
    result = compute_cocktail([lidocaine(0.5, 1.0), lidocaine(0.5, 2.0), saline(1)])
    (active,) = result.actives
    assert active.amount_in_mix.value == 15.0
    assert active.concentration.value == 7.5
    assert len(active.contributions) == 2


def test_international_units_stay_separate_from_mass():
    hyaluronidase = single("Hyaluronidase 1500 IU/mL", 1, "hyal", "Hyaluronidase", 1500, "IU/mL")
    result = compute_cocktail([hyaluronidase, lidocaine(9, 1.0)])
    hyal = by_code(result, "hyal")
    assert hyal.amount_in_mix.unit.symbol == "IU"
    assert hyal.amount_in_mix.dimension is Dimension.INTERNATIONAL_UNITS
    assert hyal.concentration_text == "150 IU/mL"
    assert by_code(result, "lidocaine").concentration_text == "9 mg/mL (0.9 %)"


def test_incompatible_units_for_the_same_active_are_rejected():
    found = problems_of(lambda: compute_cocktail([
        single("Hyaluronidase vial", 1, "hyal", "Hyaluronidase", 1500, "IU/mL"),
        single("Hyaluronidase powder", 1, "hyal", "Hyaluronidase", 2, "mg/mL"),
    ]))
    assert len(found) == 1
    where, message = found[0]
    assert where == "component 2 (Hyaluronidase powder), strength unit"
    assert "incompatible units" in message
    assert "component 1 (Hyaluronidase vial)" in message


def test_units_and_u_are_not_added_to_iu():
    found = problems_of(lambda: compute_cocktail([
        single("A", 1, "enzyme", "Enzyme", 10, "IU/mL"),
        single("B", 1, "enzyme", "Enzyme", 10, "U/mL"),
    ]))
    assert "incompatible units" in found[0][1]


# --- sessions and zones --------------------------------------------------------------------------


def test_course_total_multiplies_the_session_amount():
    result = compute_cocktail([single("TXA 4 mg/mL", 2, "txa", "TXA", 4, "mg/mL")], sessions=6)
    active = result.actives[0]
    assert active.amount_per_session.value == 8.0
    assert active.amount_per_course.value == 48.0


def test_zone_split_is_proportional_to_zone_volume():
    result = compute_cocktail(
        [single("TXA 4 mg/mL", 1.5, "txa", "TXA", 4, "mg/mL"), saline(0.5)],
        zone_volumes={"cheek_left": 0.8, "cheek_right": 0.8, "forehead": 0.4},
    )
    active = result.actives[0]
    assert active.amount_in_mix.value == 6.0
    split = {z.zone_code: z.amount.value for z in active.per_zone}
    assert split == pytest.approx({"cheek_left": 2.4, "cheek_right": 2.4, "forehead": 1.2})
    assert result.zone_total_ml == pytest.approx(2.0)
    assert result.session_volume_ml == 2.0
    assert result.warnings == ()


def test_zones_less_than_the_mix_keep_the_whole_syringe_per_session():
    result = compute_cocktail([lidocaine(5, 1.0)], zone_volumes={"scalp_vertex": 2})
    assert result.session_volume_ml == 5
    assert result.actives[0].amount_per_session.value == 50.0
    assert result.actives[0].per_zone[0].amount.value == 20.0
    assert result.warnings == ()


def test_zones_over_the_mix_warn_and_count_the_extra_syringe():
    zones = {"face": 3, "neck": 1}
    result = compute_cocktail([lidocaine(2, 1.0)], zone_volumes=zones, weight_kg=60)
    assert result.total_volume_ml == 2
    assert result.session_volume_ml == 4
    assert len(result.warnings) == 1
    assert "more than one syringe" in result.warnings[0]
    assert result.actives[0].amount_in_mix.value == 20.0
    assert result.actives[0].amount_per_session.value == 40.0
    assert result.anaesthetic.amide.mg == 40.0


# --- local anaesthetic dose -----------------------------------------------------------------------


def test_plain_lidocaine_at_the_ceiling_for_60_kg_is_allowed():
    result = compute_cocktail([lidocaine(13.5)], weight_kg=60)  # 13.5 mL of 2 % = 270 mg
    dose = result.anaesthetic.amide
    assert dose.mg == 270.0
    assert dose.mg_per_kg == 4.5
    assert dose.ceiling_mg == 270.0
    assert not dose.exceeded
    assert not result.anaesthetic.with_adrenaline
    assert "within the ceiling" in result.anaesthetic.explanation
    assert "without adrenaline is 270 mg" in result.anaesthetic.explanation


def test_plain_lidocaine_over_the_ceiling_for_60_kg_is_exceeded():
    result = compute_cocktail([lidocaine(14)], weight_kg=60)  # 280 mg
    assert result.anaesthetic.amide.exceeded
    assert result.anaesthetic.exceeded
    assert "over the ceiling by 10 mg" in result.anaesthetic.explanation


def test_same_dose_with_adrenaline_uses_the_higher_ceiling():
    result = compute_cocktail([lidocaine(14, adrenaline=True)], weight_kg=60)
    assert result.anaesthetic.with_adrenaline
    assert result.anaesthetic.amide.ceiling_mg == 420.0
    assert not result.anaesthetic.exceeded
    over = compute_cocktail([lidocaine(21.5, adrenaline=True)], weight_kg=60)  # 430 mg
    assert over.anaesthetic.amide.exceeded
    at = compute_cocktail([lidocaine(21, adrenaline=True)], weight_kg=60)  # 420 mg
    assert not at.anaesthetic.amide.exceeded


def test_absolute_cap_applies_to_heavy_patients_and_without_weight():
    heavy = compute_cocktail([lidocaine(15.5)], weight_kg=80)  # 310 mg; 4.5 x 80 would be 360
    assert heavy.anaesthetic.amide.ceiling_mg == 300.0
    assert heavy.anaesthetic.amide.exceeded
    unknown = compute_cocktail([lidocaine(15)])  # 300 mg, no weight
    assert unknown.anaesthetic.amide.ceiling_mg == 300.0
    assert unknown.anaesthetic.amide.mg_per_kg is None
    assert not unknown.anaesthetic.amide.exceeded
    assert "weight is not recorded" in unknown.anaesthetic.explanation


def test_plain_and_adrenaline_lidocaine_together_use_the_plain_ceiling():
    result = compute_cocktail([lidocaine(7), lidocaine(7, adrenaline=True)], weight_kg=60)
    assert not result.anaesthetic.with_adrenaline
    assert result.anaesthetic.amide.ceiling_mg == 270.0
    assert result.anaesthetic.amide.exceeded  # 280 mg
    assert "lower ceiling" in result.anaesthetic.explanation


def test_limits_come_from_the_caller():
    limits = AnaestheticLimits(amide_plain_mg_per_kg=3.0, amide_plain_max_mg=200.0)
    result = compute_cocktail([lidocaine(10)], weight_kg=60, limits=limits)  # 200 mg vs 180 mg
    assert result.anaesthetic.amide.ceiling_mg == 180.0
    assert result.anaesthetic.amide.exceeded


def test_flags_not_names_decide_what_counts_as_anaesthetic():
    unflagged = compute_cocktail([single("Lidocaine 2 %", 20, "lidocaine", "Lidocaine", 2, "%")],
                                 weight_kg=60)
    assert unflagged.anaesthetic.amide.mg == 0
    assert not unflagged.anaesthetic.exceeded
    flagged = compute_cocktail(
        [single("Articaine 4 %", 10, "art", "Articaine", 4, "%", is_amide_local_anaesthetic=True)],
        weight_kg=60,
    )
    assert flagged.anaesthetic.amide.mg == 400.0
    assert flagged.anaesthetic.amide.active_names == ("Articaine",)
    assert flagged.anaesthetic.exceeded


def test_ester_anaesthetic_is_counted_apart_and_checked_only_against_a_given_ceiling():
    procaine = single("Procaine 2 %", 11, "procaine", "Procaine", 2, "%",
                      is_ester_local_anaesthetic=True)
    result = compute_cocktail([procaine, lidocaine(1, 1.0)], weight_kg=50)
    assert result.anaesthetic.ester.mg == 220.0
    assert result.anaesthetic.ester.mg_per_kg == 4.4
    assert result.anaesthetic.amide.mg == 10.0
    assert result.anaesthetic.ester.ceiling_mg is None
    assert not result.anaesthetic.exceeded
    assert "No ceiling is set" in result.anaesthetic.explanation
    capped = compute_cocktail([procaine], limits=AnaestheticLimits(ester_max_mg=200.0))
    assert capped.anaesthetic.ester.exceeded
    assert capped.anaesthetic.exceeded


def test_float_noise_does_not_tip_the_ceiling():
    # 0.1 mL + 0.2 mL of 1 % (= 3 mg) against a 3 mg ceiling from the caller.
    limits = AnaestheticLimits(amide_plain_max_mg=3.0)
    result = compute_cocktail([lidocaine(0.1, 1.0), lidocaine(0.2, 1.0)], limits=limits)
    assert result.anaesthetic.amide.mg == pytest.approx(3.0)
    assert not result.anaesthetic.exceeded


# --- unknown strengths ----------------------------------------------------------------------------


def test_unknown_strength_is_listed_without_concentration():
    result = compute_cocktail([
        single("TXA 4 mg/mL", 1, "txa", "TXA", 4, "mg/mL"),
        single("Glutathione", 1, "gsh", "Glutathione", None, None),
    ])
    gsh = by_code(result, "gsh")
    assert gsh.unknown_strength
    assert gsh.amount_in_mix is None and gsh.concentration is None
    assert gsh.amount_per_session is None and gsh.per_zone == ()
    assert gsh.concentration_text == "strength not recorded"
    assert by_code(result, "txa").concentration.value == 2.0
    assert [w for w in result.warnings if "Glutathione" in w] == [
        "No strength is recorded for Glutathione, so its amount cannot be worked out."]


def test_partly_unknown_strength_shows_a_lower_bound():
    result = compute_cocktail([lidocaine(1, 1.0), single("Lidocaine (label lost)", 1, "lidocaine",
                                                          "Lidocaine", None, "%",
                                                          is_amide_local_anaesthetic=True)])
    active = result.actives[0]
    assert active.unknown_strength
    assert active.amount_in_mix.value == 10.0
    assert active.concentration_text.startswith("at least 5 mg/mL")
    assert result.anaesthetic.amide.incomplete
    assert "may be higher" in result.anaesthetic.explanation


# --- rejections --------------------------------------------------------------------------------


def test_empty_cocktail_is_rejected():
    assert problems_of(lambda: compute_cocktail([])) == [
        ("cocktail", "it has no components; add an ingredient or a product")]


@pytest.mark.parametrize(("volume", "fragment"), [
    (0, "more than zero"), (-1, "more than zero"), (math.nan, "not a usable number"),
    (math.inf, "not a usable number"), ("2", "not a number"),
])
def test_bad_volume_names_component_and_field(volume, fragment):
    found = problems_of(lambda: compute_cocktail([saline(1), lidocaine(volume, 1.0)]))
    assert len(found) == 1
    assert found[0][0] == "component 2 (Lidocaine 1 %), volume"
    assert fragment in found[0][1]


@pytest.mark.parametrize(("value", "fragment"), [
    (-1, "zero or more"), (math.nan, "not a usable number"), (-math.inf, "not a usable number"),
])
def test_bad_strength_names_component_and_field(value, fragment):
    found = problems_of(lambda: compute_cocktail([lidocaine(1, value)]))
    assert found[0][0].startswith("component 1 (Lidocaine ")
    assert found[0][0].endswith(", strength")
    assert fragment in found[0][1]


def test_unknown_or_missing_unit_is_rejected():
    found = problems_of(lambda: compute_cocktail([
        single("TXA", 1, "txa", "TXA", 4, "mg/dl"),
        single("Vitamin C", 1, "vitc", "Vitamin C", 200, None),
    ]))
    assert found[0][0] == "component 1 (TXA), strength unit"
    assert "'mg/dl' is not a known unit" in found[0][1] and "mg/mL" in found[0][1]
    assert found[1][0] == "component 2 (Vitamin C), strength unit"
    assert "no unit is given" in found[1][1]


def test_product_problems_name_the_active_within_the_component():
    product = ComponentInput("PC/DC product", 2, (
        ActiveInput("pc", "Phosphatidylcholine", 5, "%"),
        ActiveInput("dc", "Deoxycholate", -2.5, "%"),
    ))
    found = problems_of(lambda: compute_cocktail([product]))
    assert found == [
        ("component 1 (PC/DC product), Deoxycholate strength", "must be zero or more, not -2.5")]


def test_local_anaesthetic_in_non_mass_units_is_rejected():
    found = problems_of(lambda: compute_cocktail([
        single("Odd lidocaine", 1, "lidocaine", "Lidocaine", 10, "IU/mL",
               is_amide_local_anaesthetic=True)]))
    assert found[0][0] == "component 1 (Odd lidocaine), strength unit"
    assert "mass unit" in found[0][1]


def test_all_problems_are_reported_at_once():
    found = problems_of(lambda: compute_cocktail(
        [lidocaine(0, 1.0), single("TXA", -1, "txa", "TXA", 4, "mg/dL"), lidocaine(1, math.nan)],
        zone_volumes={"cheek": -0.5, "": 1},
        sessions=0,
        weight_kg=-60,
        limits=AnaestheticLimits(amide_plain_max_mg=0),
    ))
    places = [where for where, _ in found]
    assert places == [
        "component 1 (Lidocaine 1 %), volume",
        "component 2 (TXA), volume",
        "component 2 (TXA), strength unit",
        "component 3 (Lidocaine nan %), strength",
        "sessions",
        "patient weight (kg)",
        "anaesthetic limits, amide_plain_max_mg",
        "zone cheek, volume",
        "zone volumes",
    ]


# --- layering ------------------------------------------------------------------------


def test_modules_import_neither_qt_nor_sqlalchemy():
    code = ("import sys, mesoplan.cocktail, mesoplan.units; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
