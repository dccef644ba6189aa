"""Synthetic catalog entries for the benchmark clinic: the shipped catalog plus made-up variants.

Benchmark data only. Each synthetic ingredient is a shipped ingredient as sold by an invented
maker in an invented presentation (so categories, caution tags and regions stay coherent);
synthetic products combine two to five shipped ingredients. Rows are plain dicts for bulk
``INSERT``s with SQLAlchemy Core; ids are given explicitly so other rows can point at them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from mesoplan.catalog import IngredientEntry, ShippedCatalog

MAKERS = (
    "Laboratoires Dérmica", "Pharma Łódź", "Apotheke Müller", "Farmacéutica Ibérica", "Sønderby Pharma",
    "İstanbul İlaç", "Mesoestética Málaga", "Dr. Weiß Kosmetik", "Hellenic Derma", "Zagreb Farmacija",
    "Nordic Skin Lab", "Crème de Provence", "Lisboa Farmacêutica", "Kraków Biotech", "Hà Nội Pharma",
    "Fillmed Paris", "Revitacare", "Caregen", "MesoAge", "Skintech", "Vitaderm Göteborg",
    "Biolab Zürich", "Ørestad Medical", "Clinique Béranger", "Pharmacia Ñuñoa", "Kyōto Skin Science",
    "Lagos Dermatology Supplies", "Dubai Aesthetic Lab", "Bangalore Biologics", "Reykjavík Lyf",
)
PRESENTATIONS = (
    "ampoule 2 mL", "ampoule 5 mL", "vial 10 mL", "vial 5 mL", "pre-filled syringe 1 mL",
    "pre-filled syringe 3 mL", "freeze-dried powder with diluent", "box of 10 ampoules × 2 mL",
    "multi-dose vial 20 mL", "cartridge 3 mL",
)
LEGAL = ("Medical device (class III)", "Cosmetic; not authorised for injection in some countries",
         "Compounded by a pharmacy", "Prescription medicine; intradermal use is off-label",
         "Mesotherapy-line product; check the label")
RETIRED_AT = dt.datetime(2025, 1, 15, 9, 0)
STORAGE = ("Room temperature, away from light", "2–8 °C", "Below 25 °C", "Keep in the box")


@dataclass
class CatalogRows:
    """Rows for the ingredient, product and product_component tables."""

    ingredients: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)


def _ingredient_row(item_id: int, base: IngredientEntry, maker: str, presentation: str, number: int,
                    rng: random.Random) -> dict[str, Any]:
    return {
        "id": item_id, "code": f"{base.code}_syn{number}", "name": f"{base.name} – {maker}",
        "common_name": base.common_name, "category": base.category,
        "strength_value": base.strength_value, "strength_unit": base.strength_unit,
        "presentation": presentation, "legal_status": rng.choice(LEGAL), "vehicle": base.vehicle,
        "regions": list(base.regions), "conditions": list(base.conditions),
        "caution_tags": list(base.caution_tags), "min_interval_days": base.min_interval_days,
        "typical_volume": "", "storage": rng.choice(STORAGE), "off_label": base.off_label,
        "evidence": "Synthetic benchmark entry.", "evidence_grade": "", "sources": "",
        "cautions": base.cautions, "notes": "", "custom": True, "retired_at": None,
    }


def _product_rows(product_id: int, first_component_id: int, number: int, shipped: ShippedCatalog,
                  ingredient_ids: dict[str, int], rng: random.Random
                  ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    parts = rng.sample(shipped.ingredients, rng.randint(2, 5))
    maker = rng.choice(MAKERS)
    words = " ".join(p.name.split(" (")[0] for p in parts[:2])
    tags = sorted({t for p in parts for t in p.caution_tags})
    product = {
        "id": product_id, "code": f"syn_product_{number}", "name": f"{maker.split()[0]} {words} complex {number}",
        "maker": maker, "category": "polycomponent_product", "legal_status": rng.choice(LEGAL),
        "presentation": rng.choice(PRESENTATIONS), "regions": sorted({r for p in parts for r in p.regions}),
        "conditions": sorted({c for p in parts for c in p.conditions}), "caution_tags": tags,
        "off_label": any(p.off_label for p in parts), "evidence": "Synthetic benchmark entry.",
        "evidence_grade": "", "sources": "", "cautions": "", "storage": rng.choice(STORAGE), "notes": "",
        "custom": True, "retired_at": None,
    }
    components = [
        {"id": first_component_id + i, "product_id": product_id, "ingredient_id": ingredient_ids[p.code],
         "position": i, "strength_value": p.strength_value, "strength_unit": p.strength_unit}
        for i, p in enumerate(parts)
    ]
    return product, components


def synthetic_catalog(total: int, shipped: ShippedCatalog, ingredient_ids: dict[str, int],
                      next_ids: dict[str, int], rng: random.Random) -> CatalogRows:
    """Rows that bring the catalog (ingredients + products, shipped included) to ``total`` entries.

    ``next_ids`` holds the first free id of "ingredient", "product" and "product_component".
    About one synthetic entry in ten is a product; one in fifty is retired.
    """
    rows = CatalogRows()
    missing = max(0, total - len(shipped.ingredients) - len(shipped.products))
    products = missing // 10
    ingredient_id, product_id = next_ids["ingredient"], next_ids["product"]
    component_id = next_ids["product_component"]
    for number in range(missing - products):
        base = rng.choice(shipped.ingredients)
        row = _ingredient_row(ingredient_id, base, rng.choice(MAKERS), rng.choice(PRESENTATIONS), number, rng)
        rows.ingredients.append(row)
        ingredient_id += 1
    for number in range(products):
        product, components = _product_rows(product_id, component_id, number, shipped, ingredient_ids, rng)
        rows.products.append(product)
        rows.components.extend(components)
        product_id += 1
        component_id += len(components)
    for row in rows.ingredients + rows.products:
        if rng.random() < 0.02:
            row["retired_at"] = RETIRED_AT
    return rows
