"""The one reader of clinical numbers and the plausibility bounds kept as data (issue 10, point 3):
every rejected form, both decimal separators, the bounds of each quantity with messages naming
the field and the range, and every route a number takes in (plan, catalog CSV, screening, JSON)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from mesoplan import numbers
from mesoplan.catalog import parse_ingredients_csv, parse_products_csv
from mesoplan.errors import ValidationError
from mesoplan.numbers import NumberError, bounds, parse_number, read
from mesoplan.paths import read_resource_text
from mesoplan.plan import ComponentDraft, PlanDraft, SessionDraft, ZoneVolume, validate_draft
from mesoplan.screening import default_questionnaire, validate_answers

# --- reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("2", 2.0), ("2.5", 2.5), (" 2.5 ", 2.5), (".5", 0.5), ("5.", 5.0), ("0", 0.0), ("-2", -2.0),
    ("0.015", 0.015), ("1500", 1500.0),
])
def test_plain_numbers_with_a_point(text, value):
    assert parse_number(text, "Volume", ".") == value


@pytest.mark.parametrize("text, value", [("2,5", 2.5), (",5", 0.5), ("1500", 1500.0), ("-0,25", -0.25)])
def test_plain_numbers_with_a_comma(text, value):
    assert parse_number(text, "Volume", ",") == value


@pytest.mark.parametrize("text, hint", [
    ("1_5", "underscores"), ("1,500", "point (2.5)"), ("1,5", "point (2.5)"), ("1.500.000", "at most one"),
    ("1 500", "spaces"), ("1\u00a0500", "spaces"), ("1'500", "thousands"), ("1e9", "exponent"),
    ("1E-3", "exponent"), ("2.5e1", "exponent"), ("inf", "finite"), ("-inf", "finite"), ("nan", "finite"),
    ("Infinity", "finite"), ("+2", "'+'"), ("+0.5", "'+'"), ("١٥", "0-9"), ("２", "0-9"), ("", "enter a number"),
    ("   ", "enter a number"), ("abc", "not a number"), ("2 mL", "not a number"), ("--2", "not a number"),
    ("0x10", "not a number"), ("1/2", "not a number"), (".", "not a number"), ("-", "not a number"),
])
def test_every_other_form_is_refused_naming_the_field(text, hint):
    with pytest.raises(NumberError) as caught:
        parse_number(text, "Volume", ".")
    assert str(caught.value).startswith("Volume: ")
    assert hint in str(caught.value)


@pytest.mark.parametrize("text", ["1.5", "1.500", "2,5,0", "1 5", "1_5", "1e3"])
def test_a_comma_locale_refuses_the_point_and_grouping(text):
    with pytest.raises(NumberError) as caught:
        parse_number(text, "Depth", ",")
    assert str(caught.value).startswith("Depth: ")


def test_a_comma_locale_says_to_use_a_comma():
    with pytest.raises(NumberError, match=r"comma \(2,5\)"):
        parse_number("1.5", "Depth", ",")


def test_not_text_is_refused():
    with pytest.raises(NumberError):
        parse_number(1.5, "Volume", ".")  # type: ignore[arg-type]


@pytest.mark.parametrize("jurisdiction, separator", [
    ("GB-ENG", "."), ("GB-SCT", "."), ("IE", "."), ("US", "."), ("CH", "."), ("", "."), (None, "."),
    ("DE", ","), ("FR", ","), ("ES", ","), ("IT", ","), ("pl", ","), ("BR", ","), ("XX", "."),
])
def test_the_decimal_separator_follows_the_clinic_country(jurisdiction, separator):
    assert numbers.decimal_separator_for(jurisdiction) == separator


def test_the_screen_separator_is_set_and_checked():
    try:
        numbers.use_decimal_separator(",")
        assert parse_number("2,5", "Volume") == 2.5
        assert numbers.show(2.5) == "2,5"
        with pytest.raises(ValueError):
            numbers.use_decimal_separator(";")
    finally:
        numbers.use_decimal_separator(".")
    assert numbers.show(2.5) == "2.5"
    assert numbers.show(1e-7) == "0.0000001" and numbers.show(1234567.0) == "1234567"


# --- bounds as data ---------------------------------------------------------------------------------


def test_the_bounds_file_documents_every_quantity():
    data = json.loads(read_resource_text("numbers.json"))
    assert data["decimal_separator"]["note"]
    for name, entry in data["quantities"].items():
        assert entry["label"] and entry["note"], name
        limits = bounds(name)
        assert limits.label == entry["label"]
    expected = {"component_volume", "zone_volume", "session_volume", "depth", "strength", "weight",
                "dose", "batch_volume", "min_interval_days"}
    assert expected <= set(numbers.quantities())


@pytest.mark.parametrize("quantity, unit, technique, low, high", [
    ("depth", None, None, 0.5, 13), ("depth", None, "nappage", 0.5, 4), ("depth", None, "hypodermic", 4, 13),
    ("depth", None, "epidermal", 0.5, 4), ("strength", "%", None, 0, 100), ("strength", "mg/ml", None, 0, 1000),
    ("strength", "mcg/mL", None, 0, 1_000_000), ("strength", "IU/mL", None, 0, 100_000),
    ("dose", "mg", None, 0, 5000), ("weight", None, None, 20, 300), ("component_volume", None, None, 0, 50),
])
def test_bounds_per_unit_and_technique(quantity, unit, technique, low, high):
    limits = bounds(quantity, unit, technique)
    assert (limits.min, limits.max) == (low, high)


@pytest.mark.parametrize("text, quantity, kwargs, message", [
    ("1000000000", "component_volume", {}, "Volume: must be more than 0 mL and at most 50 mL, not 1000000000"),
    ("0", "component_volume", {}, "Volume: must be more than 0 mL and at most 50 mL, not 0"),
    ("-1", "zone_volume", {}, "Zone volume: must be between 0 and 50 mL, not -1"),
    ("20", "depth", {}, "Depth: must be between 0.5 and 13 mm, not 20"),
    ("0", "depth", {}, "Depth: must be between 0.5 and 13 mm, not 0"),
    ("-2", "depth", {}, "Depth: must be between 0.5 and 13 mm, not -2"),
    ("6", "depth", {"technique": "nappage"}, "Depth: must be between 0.5 and 4 mm for Nappage, not 6"),
    ("2", "depth", {"technique": "hypodermic"},
     "Depth: must be between 4 and 13 mm for Deep (hypodermic, fat layer), not 2"),
    ("1000000000", "strength", {"unit": "%"}, "Strength: must be between 0 and 100 %, not 1000000000"),
    ("2000", "strength", {"unit": "mg/mL"}, "Strength: must be between 0 and 1000 mg/mL, not 2000"),
    ("900", "weight", {}, "Body weight: must be between 20 and 300 kg, not 900"),
    ("2.5", "min_interval_days", {}, "Minimum interval: must be a whole number between 0 and 3650 days, not 2.5"),
])
def test_values_beyond_the_bounds_are_refused_naming_field_and_range(text, quantity, kwargs, message):
    with pytest.raises(NumberError) as caught:
        read(text, quantity, separator=".", **kwargs)
    assert str(caught.value) == message


def test_a_comma_locale_shows_the_range_with_commas():
    with pytest.raises(NumberError, match="between 0,5 and 13 mm, not 20,5"):
        read("20,5", "depth", separator=",")


def test_values_within_bounds_come_back():
    assert read("1.5", "depth", technique="nappage", separator=".") == 1.5
    assert read("50", "component_volume", separator=".") == 50.0
    assert numbers.problems(None, "depth", "plan depth") == []
    assert numbers.problems(True, "depth", "plan depth")[0].message.startswith("must be a number")


# --- every route a number takes in ---------------------------------------------------------------------


def plan(**changes) -> PlanDraft:
    base = PlanDraft(patient_id=1, indication="androgenetic_alopecia", technique="nappage", depth_mm=1.5,
                     components=(ComponentDraft("ingredient", "biotin", "Biotin", 1.0, 0.5, "%"),))
    return base.with_changes(**changes)


@pytest.mark.parametrize("changes, where, text", [
    ({"components": (ComponentDraft("ingredient", "biotin", "Biotin", 1e9),)},
     "component 1 (Biotin), volume", "at most 50 mL, not 1000000000"),
    ({"components": (ComponentDraft("ingredient", "biotin", "Biotin", 1.0, 1e9, "%"),)},
     "component 1 (Biotin), strength", "between 0 and 100 %"),
    ({"components": tuple(ComponentDraft("ingredient", f"c{i}", f"C{i}", 40.0) for i in range(3))},
     "cocktail, total volume", "between 0 and 100 mL, not 120"),
    ({"depth_mm": 20.0}, "plan depth", "between 0.5 and 4 mm for Nappage, not 20"),
    ({"technique": "hypodermic"}, "plan depth", "between 4 and 13 mm"),
    ({"sessions": (SessionDraft(1, dt.date(2026, 1, 5), depth_mm=0.0),)},
     "session 1 (2026-01-05), depth", "between 0.5 and 4 mm"),
    ({"sessions": (SessionDraft(1, dt.date(2026, 1, 5), technique="hypodermic", depth_mm=2.0),)},
     "session 1 (2026-01-05), depth", "between 4 and 13 mm"),
    ({"sessions": (SessionDraft(1, dt.date(2026, 1, 5), zones=(ZoneVolume("scalp_vertex", 1e9),)),)},
     "session 1 (2026-01-05), zone scalp_vertex volume", "between 0 and 50 mL"),
])
def test_a_plan_out_of_bounds_is_refused_by_the_domain(changes, where, text):
    with pytest.raises(ValidationError) as caught:
        validate_draft(plan(**changes))
    found = {p.where: p.message for p in caught.value.problems}
    assert where in found, found
    assert text in found[where]


def test_a_plan_within_bounds_passes():
    validate_draft(plan())


HEADER = ("code,name,common_name,category,strength_value,strength_unit,presentation,legal_status,vehicle,"
          "regions,conditions,caution_tags,min_interval_days,typical_volume,storage,off_label,evidence,"
          "evidence_grade,sources,cautions,notes\n")


@pytest.mark.parametrize("cell, message", [
    ("1_5", "underscores"), ("1e9", "exponent"), ("+2", "'+'"), ("inf", "finite"), ("1 5", "spaces"),
    ("1000000000", "between 0 and 100 %"), ("150", "between 0 and 100 %"),
])
def test_catalog_csv_strengths_go_through_the_one_reader(cell, message):
    text = HEADER + f'test_item,Test item,,vitamin,"{cell}",%,,,aqueous,,,,,,,no,,,,,\n'
    with pytest.raises(ValidationError) as caught:
        parse_ingredients_csv(text)
    [problem] = caught.value.problems
    assert problem.where == "row 2, column strength_value"
    assert message in problem.message


def test_catalog_csv_reads_plain_numbers_and_intervals_in_bounds():
    text = HEADER + "test_item,Test item,,vitamin,2.5,%,,,aqueous,,,,14,,,no,,,,,\n"
    [entry] = parse_ingredients_csv(text)
    assert (entry.strength_value, entry.min_interval_days) == (2.5, 14)
    with pytest.raises(ValidationError, match="between 0 and 3650 days"):
        parse_ingredients_csv(text.replace(",14,", ",99999,"))


@pytest.mark.parametrize("parts", ["hyaluronic_acid=1e3 mg/mL", "hyaluronic_acid=1_0 mg/mL",
                                   "hyaluronic_acid=5000 mg/mL", "hyaluronic_acid=1,5 %"])
def test_product_component_strengths_too(parts):
    header = ("code,name,maker,category,legal_status,presentation,regions,conditions,caution_tags,"
              "off_label,evidence,evidence_grade,sources,notes,components\n")
    text = header + f'test_product,Test,,polycomponent_product,,,,,,no,,,,,"{parts}"\n'
    with pytest.raises(ValidationError) as caught:
        parse_products_csv(text, {"hyaluronic_acid"})
    assert caught.value.problems[0].where == "row 2, column components"


@pytest.mark.parametrize("answer, separator, expected", [
    ("61.5", ".", 61.5), ("61,5", ",", 61.5), (61.5, ",", 61.5)])
def test_screening_weight_follows_the_clinic_separator(answer, separator, expected):
    cleaned = validate_answers(default_questionnaire(), {"weight_kg": answer}, decimal_separator=separator)
    assert cleaned["weight_kg"] == expected


@pytest.mark.parametrize("answer, separator, text", [
    ("61,5", ".", "point (2.5)"), ("61.5", ",", "comma (2,5)"), ("6_1", ".", "underscores"),
    ("1e9", ".", "exponent"), (1e9, ".", "between 20 and 300 kg"), ("900", ".", "between 20 and 300 kg")])
def test_screening_weight_refused_forms(answer, separator, text):
    with pytest.raises(ValidationError) as caught:
        validate_answers(default_questionnaire(), {"weight_kg": answer}, decimal_separator=separator)
    [problem] = caught.value.problems
    assert problem.where == "Body weight (weight_kg)" and text in problem.message


def test_json_import_refuses_implausible_numbers_with_the_path(db, actor):
    from mesoplan.services.demo import make_demo_clinic
    from mesoplan.services.exchange import export_document, import_document
    from mesoplan.services.uow import work

    with work(db, actor) as uow:
        make_demo_clinic(uow)
        document = export_document(uow)
    patient = next(p for p in document["patients"] if p["plans"])
    bad = copy.deepcopy(document)
    bad["patients"] = [copy.deepcopy(patient)]
    bad["patients"][0]["plans"][0]["cocktail"][0]["volume_ml"] = 1e9
    bad["patients"][0]["plans"][0]["depth_mm"] = 20
    with pytest.raises(ValidationError) as caught:
        with work(db, actor) as uow:
            import_document(uow, bad)
    text = str(caught.value)
    assert "$.patients[0].plans[0] (component 1" in text and "at most 50 mL, not 1000000000" in text
    assert "$.patients[0].plans[0] (plan depth): must be between" in text


@pytest.mark.parametrize("text", ["1_5", "+3", "١٥", "2 3", "1e2", "1.0", "", "-1", "0x1"])
def test_whole_numbers_are_digits_only(text):
    with pytest.raises(NumberError) as caught:
        numbers.parse_whole(text, "plan number", low=1)
    assert str(caught.value).startswith("plan number: ")


def test_whole_numbers_within_their_range():
    assert numbers.parse_whole(" 42 ", "count", low=1, high=100) == 42
    with pytest.raises(NumberError, match="from 1 to 100, not 101"):
        numbers.parse_whole("101", "count", low=1, high=100)
