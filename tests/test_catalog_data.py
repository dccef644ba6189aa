"""Tests for mesoplan.catalog and the shipped CSV files: vocabularies, parsing, writing and search."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from mesoplan.catalog import (
    CATEGORIES, CAUTION_TAG_MEANINGS, INGREDIENT_COLUMNS, PRODUCT_COLUMNS, IngredientEntry,
    ProductEntry, ProductPart, csv_kind, effective_caution_tags, filter_entries,
    ingredients_to_csv, load_shipped_catalog, parse_ingredients_csv, parse_products_csv,
    products_to_csv, validate_ingredient,
)
from mesoplan.errors import ValidationError
from mesoplan.paths import read_resource_text
from mesoplan.safety.tags import CAUTION_TAGS

SHIPPED = load_shipped_catalog()
INGREDIENTS = {i.code: i for i in SHIPPED.ingredients}
PRODUCTS = {p.code: p for p in SHIPPED.products}

SEED_ARTICLE_CODES = (
    "vitamin_c", "vitamin_e", "vitamin_a", "vitamin_b_complex", "zinc", "copper", "iron",
    "magnesium", "calcium", "arginine", "cysteine", "glutamine", "glycine", "proline",
    "collagenase", "hyaluronidase", "lipase", "elastase", "thyroxine", "calcitonin", "estrogen",
    "progesterone", "testosterone", "aloe_vera", "chamomile", "ginkgo_biloba", "green_tea",
    "horsetail", "ivy", "rosemary", "sage", "seaweed", "hyaluronic_acid",
)
SEED_ARTICLE_NAMES = (
    "vitamin C", "vitamin E", "vitamin A", "B-complex", "zinc", "copper", "iron", "magnesium",
    "calcium", "arginine", "cysteine", "glutamine", "glycine", "proline", "collagenase",
    "hyaluronidase", "lipase", "elastase", "thyroxin", "calcitonin", "estrogen", "progesterone",
    "testosterone", "aloe vera", "chamomile", "ginkgo biloba", "green tea", "horsetail", "ivy",
    "rosemary", "sage", "seaweed", "hyaluronic acid",
)
DOMAIN_CODES = (
    "biotin", "dexpanthenol", "organic_silicon", "selenium", "chromium", "manganese", "cobalt",
    "lysine", "methionine", "n_acetylcysteine", "dutasteride", "finasteride", "minoxidil",
    "tranexamic_acid", "glutathione", "alpha_lipoic_acid", "dmae", "idebenone", "coenzyme_q10",
    "biomimetic_peptides", "acetyl_tetrapeptide_3_biochanin_a", "growth_factors",
    "polynucleotides", "procaine", "lidocaine", "lidocaine_1pct", "lidocaine_2pct",
    "lidocaine_adrenaline", "phosphatidylcholine", "deoxycholate", "caffeine", "l_carnitine",
    "kojic_acid", "azelaic_acid", "arnica", "calendula", "artichoke", "mesoglycan",
)
DOMAIN_PRODUCTS = (
    "nctf_135ha", "rrs_ha_injectable", "cytocare_532", "revitacare_haircare", "dermaheal_ll",
    "mesohyal", "rx_ha_12", "belotero_revive", "vyc_12l", "pn_hpt", "mesoage_lightening",
    "mesoage_vitamin_c", "f_ginkgo", "lipostabil",
)

HEADER = ",".join(INGREDIENT_COLUMNS)


def row(code: str = "x_test", name: str = "Test", category: str = "vitamin", value: str = "",
        unit: str = "", vehicle: str = "aqueous", regions: str = "", conditions: str = "",
        tags: str = "", interval: str = "", off_label: str = "no", grade: str = "",
        notes: str = "") -> str:
    cells = {"code": code, "name": name, "category": category, "strength_value": value,
             "strength_unit": unit, "vehicle": vehicle, "regions": regions,
             "conditions": conditions, "caution_tags": tags, "min_interval_days": interval,
             "off_label": off_label, "evidence_grade": grade, "notes": notes}
    return _csv_line([cells.get(c, "") for c in INGREDIENT_COLUMNS])


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def problems_of(text: str, products: bool = False) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        if products:
            parse_products_csv(text, INGREDIENTS)
        else:
            parse_ingredients_csv(text)
    return {p.where: p.message for p in caught.value.problems}


# --- the shipped data ---------------------------------------------------------------------------


def test_every_ingredient_of_the_seed_article_is_shipped_and_found_by_its_name():
    assert set(SEED_ARTICLE_CODES) <= INGREDIENTS.keys()
    for name in SEED_ARTICLE_NAMES:
        assert filter_entries(SHIPPED.ingredients, name), name


def test_the_other_domain_ingredients_and_products_are_shipped():
    assert set(DOMAIN_CODES) <= INGREDIENTS.keys()
    assert set(DOMAIN_PRODUCTS) <= PRODUCTS.keys()


def test_shipped_entries_use_only_the_vocabularies():
    for entry in (*SHIPPED.ingredients, *SHIPPED.products):
        assert entry.category in CATEGORIES
        assert set(entry.caution_tags) <= set(CAUTION_TAGS)
        assert entry.evidence_grade in ("", "A", "B", "C")
        assert entry.evidence, entry.code


def test_strengths_are_left_empty_where_the_sources_give_none():
    # Per-ampoule amounts without a volume belong in the presentation, not in the strength.
    for code in ("hyaluronidase", "collagenase", "vitamin_e", "biotin", "lipase", "glutathione"):
        assert INGREDIENTS[code].strength_value is None, code
        assert INGREDIENTS[code].strength_unit is None, code
    assert "1,500 IU" in INGREDIENTS["hyaluronidase"].presentation
    assert (INGREDIENTS["dutasteride"].strength_value, INGREDIENTS["dutasteride"].strength_unit) == (0.01, "%")
    assert (INGREDIENTS["lidocaine_2pct"].strength_value, INGREDIENTS["lidocaine_2pct"].strength_unit) == (2, "%")
    assert INGREDIENTS["lidocaine"].strength_value is None


def test_safety_relevant_facts_of_key_entries():
    assert INGREDIENTS["vitamin_e_oil"].vehicle == "oil"
    assert INGREDIENTS["deoxycholate"].min_interval_days == 28
    assert {"adrenaline", "amide_local_anaesthetic"} <= set(INGREDIENTS["lidocaine_adrenaline"].caution_tags)
    assert "ester_local_anaesthetic" in INGREDIENTS["procaine"].caution_tags
    assert {"teratogen", "dutasteride"} <= set(INGREDIENTS["dutasteride"].caution_tags)
    for code in ("dutasteride", "finasteride", "minoxidil", "tranexamic_acid"):
        assert INGREDIENTS[code].off_label, code
    for code in ("lipase", "elastase", "testosterone", "aloe_vera", "seaweed"):
        assert "unverified" in INGREDIENTS[code].caution_tags
        assert INGREDIENTS[code].evidence_grade == ""
    for tag in ("hormone",):
        assert all(tag in i.caution_tags for i in SHIPPED.ingredients if i.category == "hormone")


def test_products_list_their_components_with_strengths():
    lipostabil = PRODUCTS["lipostabil"]
    assert lipostabil.components == (ProductPart("phosphatidylcholine", 5, "%"),
                                     ProductPart("deoxycholate", 2.5, "%"))
    assert PRODUCTS["rx_ha_12"].components == (ProductPart("hyaluronic_acid", 12, "mg/mL"),)
    assert "unverified" in PRODUCTS["nctf_135ha"].notes.lower()


def test_caution_tag_meanings_cover_the_shared_list_and_the_readme():
    assert tuple(CAUTION_TAG_MEANINGS) == CAUTION_TAGS
    readme = read_resource_text("catalog", "README.md")
    for tag in CAUTION_TAGS:
        assert f"| `{tag}` |" in readme, tag
    for column in (*INGREDIENT_COLUMNS, *PRODUCT_COLUMNS):
        assert f"`{column}`" in readme, column


def test_effective_tags_include_the_components_tags():
    tags = effective_caution_tags(PRODUCTS["vyc_12l"], INGREDIENTS)
    assert {"hyaluronic_acid", "amide_local_anaesthetic", "paraben"} <= tags


# --- reading and writing CSV --------------------------------------------------------------------


def test_writing_then_reading_the_shipped_files_changes_nothing():
    text = ingredients_to_csv(SHIPPED.ingredients)
    again = parse_ingredients_csv(text)
    assert again == list(SHIPPED.ingredients)
    assert ingredients_to_csv(again) == text
    products_text = products_to_csv(SHIPPED.products)
    assert parse_products_csv(products_text, INGREDIENTS) == list(SHIPPED.products)


def test_spreadsheet_quirks_are_accepted():
    text = ("\ufeff" + HEADER.upper().replace(",", " , ") + "\r\n"
            + row(value="4", unit="mg/ml", regions=" face ; scalp ;", tags="vitamin_c;vitamin_c",
                  off_label="Yes", grade="b", notes='Says "<b>&amp;", ok') + "\r\n"
            + ",,,\r\n"
            + row(code="y_test", value="5", unit="μg/mL") + "\r\n")
    first, second = parse_ingredients_csv(text)
    assert (first.strength_value, first.strength_unit) == (4.0, "mg/mL")
    assert first.regions == ("face", "scalp")
    assert first.caution_tags == ("vitamin_c",)
    assert first.off_label is True and first.evidence_grade == "B"
    assert first.notes == 'Says "<b>&amp;", ok'
    assert second.strength_unit == "µg/mL"


def test_several_broken_rows_are_all_reported_by_row_and_column():
    text = "\n".join([
        HEADER,
        row(),                                                  # row 2 fine
        row(code="Bad Code", category="vitamins"),              # row 3
        row(code="b", value="1,5", unit="%"),                   # row 4
        row(code="c", value="2", unit="mg/dl", vehicle="oily"),  # row 5
        row(code="d", tags="pregnant", conditions="aging", regions="hair"),  # row 6
        row(code="e", value="3", off_label="maybe", interval="two", grade="D"),  # row 7
        row(code="x_test", name=""),                            # row 8: duplicate, no name
        row(code="f", unit="%"),                                # row 9
    ])
    found = problems_of(text)
    assert set(found) == {
        "row 3, column code", "row 3, column category", "row 4, column strength_value",
        "row 5, column strength_unit", "row 5, column vehicle", "row 6, column caution_tags",
        "row 6, column conditions", "row 6, column regions", "row 7, column strength_unit",
        "row 7, column off_label", "row 7, column min_interval_days",
        "row 7, column evidence_grade", "row 8, column name", "row 8, column code",
        "row 9, column strength_value",
    }
    assert "'mg/dl' is not a known unit" in found["row 5, column strength_unit"]
    assert "mg/mL" in found["row 5, column strength_unit"]
    assert "'pregnant' is not a caution tag" in found["row 6, column caution_tags"]
    assert "row 2" in found["row 8, column code"]


def test_header_problems_are_reported_once_not_per_row():
    text = HEADER.replace("vehicle", "vehicel") + "\n" + row() + "\n" + row(code="b") + "\n"
    found = problems_of(text)
    assert set(found) == {"row 1", "row 1, column 9"}
    assert "vehicle" in found["row 1"]
    assert "'vehicel' is not a catalog column" in found["row 1, column 9"]


def test_an_empty_file_is_an_error():
    assert problems_of("") == {"row 1": "the file is empty; the first row must name the columns"}
    assert list(problems_of(HEADER + "\n").values()) == ["the file has no entries below the header row"]


def test_product_components_are_checked():
    header = ",".join(PRODUCT_COLUMNS)

    def product(code: str, components: str) -> str:
        cells = {"code": code, "name": code.title(), "category": "lipolytic", "components": components}
        return _csv_line([cells.get(c, "") for c in PRODUCT_COLUMNS])

    good = parse_products_csv(header + "\n" + product("mix", "caffeine=2.5 %;hyaluronic_acid="), INGREDIENTS)
    assert good[0].components == (ProductPart("caffeine", 2.5, "%"), ProductPart("hyaluronic_acid"))
    found = problems_of("\n".join([header, product("a", "nosuch=1 %"), product("b", "caffeine=2"),
                                   product("c", "caffeine=;caffeine=1 %"), product("d", "caffeine=x %")]),
                        products=True)
    assert "'nosuch' is not an ingredient code" in found["row 2, column components"]
    assert "needs a unit" in found["row 3, column components"]
    assert "listed twice" in found["row 4, column components"]
    assert "must start with a number" in found["row 5, column components"]


def test_csv_kind_reads_the_header():
    assert csv_kind(ingredients_to_csv(SHIPPED.ingredients[:1])) == "ingredients"
    assert csv_kind("\ufeff" + products_to_csv(SHIPPED.products[:1])) == "products"
    assert csv_kind("name,phone\n") is None


def test_validate_ingredient_tidies_and_names_columns():
    tidy = validate_ingredient(IngredientEntry(code=" my_mix ", name=" Mix ", category="other",
                                               strength_value=1, strength_unit="MG/ML"))
    assert (tidy.code, tidy.name, tidy.strength_unit) == ("my_mix", "Mix", "mg/mL")
    with pytest.raises(ValidationError) as caught:
        validate_ingredient(IngredientEntry(code="ok", name="Ok", category="other", vehicle="",
                                            strength_value=-1, strength_unit="%"))
    assert {p.where for p in caught.value.problems} == {"vehicle", "strength_value"}


# --- search -------------------------------------------------------------------------------------


def test_filter_ignores_case_and_accents_and_needs_every_word():
    assert [p.code for p in filter_entries(SHIPPED.products, "JUVEDERM")] == ["vyc_12l"]
    assert {i.code for i in filter_entries(SHIPPED.ingredients, "lido 2")} == {"lidocaine_2pct"}
    assert filter_entries(SHIPPED.ingredients, "lidocaine nosuchword") == []
    assert filter_entries(SHIPPED.ingredients, "") == list(SHIPPED.ingredients)


def test_filter_by_category_indication_and_region():
    anaesthetics = filter_entries(SHIPPED.ingredients, category="local_anaesthetic")
    assert anaesthetics and all(i.category == "local_anaesthetic" for i in anaesthetics)
    scalp_aga = filter_entries(SHIPPED.ingredients, indication="androgenetic_alopecia", region="scalp")
    codes = {i.code for i in scalp_aga}
    assert {"dutasteride", "finasteride", "minoxidil"} <= codes
    assert "vitamin_e_oil" not in codes
    assert all("scalp" in i.regions and "androgenetic_alopecia" in i.conditions for i in scalp_aga)
    assert {p.code for p in filter_entries(SHIPPED.products, "", indication="localised_fat",
                                           category="lipolytic")} >= {"lipostabil", "dermaheal_ll"}


def test_filter_on_ten_thousand_entries_returns_exactly_the_matches_in_order():
    entries = [IngredientEntry(code=f"item_{n}", name=f"Extract {n}" + (" Ginkgo" if n % 7 == 0 else ""),
                               category="plant_extract" if n % 2 else "other",
                               regions=("scalp",) if n % 3 == 0 else ("face",))
               for n in range(10_000)]
    found = filter_entries(entries, "ginkgo", category="plant_extract", region="scalp")
    assert [e.code for e in found] == [f"item_{n}" for n in range(10_000)
                                      if n % 7 == 0 and n % 2 and n % 3 == 0]
    assert filter_entries(entries, "extract 9999") == [entries[9999]]


def test_entry_equality_ignores_database_bookkeeping():
    entry = INGREDIENTS["biotin"]
    assert replace(entry, id=5, custom=True) == entry
    assert replace(entry, notes="changed") != entry
    assert isinstance(SHIPPED.products[0], ProductEntry)
