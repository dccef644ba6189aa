"""Tests for mesoplan.services.catalog: seeding, reading, editing, retiring, batches, CSV import/export."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from mesoplan.catalog import (
    IngredientEntry, ProductEntry, ProductPart, ingredients_to_csv, load_shipped_catalog,
    products_to_csv,
)
from mesoplan.db.engine import open_database
from mesoplan.db.models import AuditEntry, CocktailComponent, Ingredient, Patient, TreatmentPlan
from mesoplan.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from mesoplan.services import catalog as svc
from mesoplan.services.uow import read, work

SHIPPED = load_shipped_catalog()
TODAY = dt.date(2025, 1, 15)


def custom_ingredient(code: str = "clinic_serum", **changes) -> IngredientEntry:
    entry = IngredientEntry(
        code=code, name="Clinic serum «Ağaoğlu» <b>&amp;", category="polycomponent_product",
        common_name='Our "house" mix, batch-made', strength_value=0.5, strength_unit="µg/mL",
        regions=("face", "scalp"), conditions=("dehydration",), caution_tags=("unverified",),
        min_interval_days=14, off_label=False, evidence="None found.",
        notes="Line one,\nline two; with ; semicolons")
    return replace(entry, **changes)


def audit_rows(database, entity_type: str) -> list[AuditEntry]:
    with database.sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.entity_type == entity_type)
                                    .order_by(AuditEntry.id)))


def count(database, model) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def fresh_db(template_database_file, tmp_path):
    """A second, independent new database (as another clinic would have)."""
    target = tmp_path / "fresh.sqlite3"
    shutil.copyfile(template_database_file, target)
    database = open_database(f"sqlite:///{target}")
    yield database
    database.dispose()


def test_a_new_database_holds_the_shipped_catalog(db, actor):
    with read(db, actor) as uow:
        ingredients = svc.list_ingredients(uow)
        products = {p.code: p for p in svc.list_products(uow)}
    assert sorted(i.code for i in ingredients) == sorted(i.code for i in SHIPPED.ingredients)
    assert not any(i.custom for i in ingredients)
    lipostabil = products["lipostabil"]
    assert lipostabil == next(p for p in SHIPPED.products if p.code == "lipostabil")
    assert [p.ingredient_name for p in lipostabil.components] == ["Phosphatidylcholine", "Deoxycholic acid"]


def test_get_by_code_and_id_and_missing_codes(db, actor):
    with read(db, actor) as uow:
        biotin = svc.get_ingredient(uow, "biotin")
        assert svc.get_ingredient_by_id(uow, biotin.id) == biotin
        product = svc.get_product(uow, "rx_ha_12")
        assert svc.get_product_by_id(uow, product.id).components == (ProductPart("hyaluronic_acid", 12, "mg/mL"),)
        with pytest.raises(NotFound, match="no ingredient with the code 'nosuch'"):
            svc.get_ingredient(uow, "nosuch")
        with pytest.raises(NotFound):
            svc.get_product_by_id(uow, 999_999)


def test_adding_a_custom_ingredient_keeps_unicode_and_is_audited(db, actor):
    with work(db, actor) as uow:
        added = svc.add_ingredient(uow, custom_ingredient(strength_unit="ug/ml"))
    assert added.custom and added.id is not None
    with read(db, actor) as uow:
        stored = svc.get_ingredient(uow, "clinic_serum")
    assert stored == custom_ingredient() and stored.strength_unit == "µg/mL"
    (entry,) = audit_rows(db, "ingredient")
    assert entry.action == "catalog.add" and entry.actor == actor.name
    assert entry.after["name"] == "Clinic serum «Ağaoğlu» <b>&amp;"


def test_bad_or_duplicate_entries_are_refused_and_change_nothing(db, actor, front_desk_actor):
    before = count(db, Ingredient)
    with pytest.raises(ValidationError) as caught, work(db, actor) as uow:
        svc.add_ingredient(uow, custom_ingredient(category="potion", strength_unit="mg/dl"))
    assert {p.where for p in caught.value.problems} == {"category", "strength_unit"}
    with pytest.raises(ValidationError, match="already the code of Biotin"), work(db, actor) as uow:
        svc.add_ingredient(uow, custom_ingredient(code="biotin"))
    with pytest.raises(PermissionDenied), work(db, front_desk_actor) as uow:
        svc.add_ingredient(uow, custom_ingredient())
    assert count(db, Ingredient) == before
    assert audit_rows(db, "ingredient") == []


def test_update_records_only_the_changed_columns_and_detects_conflicts(db, actor):
    with read(db, actor) as uow:
        opened = svc.get_ingredient(uow, "biotin")
    with work(db, actor) as uow:
        saved = svc.update_ingredient(uow, replace(opened, strength_value=5, strength_unit="mg/mL"),
                                      expected=opened)
    assert (saved.strength_value, saved.strength_unit, saved.custom) == (5, "mg/mL", False)
    (entry,) = audit_rows(db, "ingredient")
    assert entry.before == {"strength_value": "", "strength_unit": ""}
    assert entry.after == {"strength_value": "5", "strength_unit": "mg/mL"}
    with pytest.raises(ConflictError, match=actor.name), work(db, actor) as uow:
        svc.update_ingredient(uow, replace(opened, notes="stale edit"), expected=opened)
    with read(db, actor) as uow:
        assert svc.get_ingredient(uow, "biotin").notes == opened.notes


def test_custom_products_and_their_components(db, actor):
    product = ProductEntry(code="clinic_lipo", name="Clinic lipo mix", category="lipolytic",
                           caution_tags=("lipolytic",),
                           components=(ProductPart("caffeine", 2, "%"), ProductPart("l_carnitine")))
    with work(db, actor) as uow:
        added = svc.add_product(uow, product)
        assert added.custom and [p.ingredient_name for p in added.components] == ["Caffeine", "L-carnitine"]
        changed = svc.update_product(uow, replace(product, components=(ProductPart("caffeine", 1, "%"),)))
    assert changed.components == (ProductPart("caffeine", 1, "%"),)
    with pytest.raises(ValidationError, match="'nosuch' is not an ingredient code"), work(db, actor) as uow:
        svc.add_product(uow, replace(product, code="other", components=(ProductPart("nosuch"),)))
    assert [a.action for a in audit_rows(db, "product")] == ["catalog.add", "catalog.update"]


def test_retiring_hides_an_entry_but_keeps_its_history(db, actor):
    with work(db, actor) as uow:
        batch = svc.add_batch(uow, "ingredient", "minoxidil", "LOT-1", TODAY)
        ingredient_id = svc.get_ingredient(uow, "minoxidil").id
        patient = Patient(family_name="Łukasiewicz")
        plan = TreatmentPlan(patient=patient, indication="androgenetic_alopecia")
        plan.components.append(CocktailComponent(ingredient_id=ingredient_id, volume_ml=1))
        uow.session.add(patient)
    with work(db, actor) as uow:
        svc.retire_item(uow, "ingredient", "minoxidil")
        svc.retire_item(uow, "ingredient", "minoxidil")  # a second retire changes nothing
    with read(db, actor) as uow:
        assert "minoxidil" not in {i.code for i in svc.list_ingredients(uow)}
        retired = svc.get_ingredient(uow, "minoxidil")
        assert retired.retired and retired in svc.list_ingredients(uow, include_retired=True)
        assert svc.get_batch(uow, batch.id).item_code == "minoxidil"
        assert uow.session.scalars(select(CocktailComponent.ingredient_id)).all() == [ingredient_id]
    with pytest.raises(ValidationError, match="retired"), work(db, actor) as uow:
        svc.add_batch(uow, "ingredient", "minoxidil", "LOT-2", TODAY)
    with work(db, actor) as uow:
        svc.unretire_item(uow, "ingredient", "minoxidil")
        assert not svc.get_ingredient(uow, "minoxidil").retired
    actions = [a.action for a in audit_rows(db, "ingredient")]
    assert actions == ["catalog.retire", "catalog.unretire"]


def test_batches_are_checked_and_listed_by_expiry(db, actor):
    with work(db, actor) as uow:
        svc.add_batch(uow, "product", "nctf_135ha", "B2", TODAY + dt.timedelta(days=300))
        first = svc.add_batch(uow, "product", "nctf_135ha", " B1 ", TODAY, received_on=TODAY,
                              notes="fridge 2")
    assert (first.lot_number, first.item_kind, first.item_name) == ("B1", "product", "NCTF 135HA")
    assert first.expired_on(TODAY + dt.timedelta(days=1)) and not first.expired_on(TODAY)
    with pytest.raises(ValidationError) as caught, work(db, actor) as uow:
        svc.add_batch(uow, "product", "nctf_135ha", "B1", TODAY, received_on=TODAY + dt.timedelta(days=2))
    assert {p.where for p in caught.value.problems} == {"lot_number", "received_on"}
    with pytest.raises(ValidationError, match="required"), work(db, actor) as uow:
        svc.add_batch(uow, "ingredient", "biotin", "  ", TODAY)
    with read(db, actor) as uow:
        assert [b.lot_number for b in svc.list_batches(uow, "product", "nctf_135ha")] == ["B1", "B2"]
        assert svc.list_batches(uow, "ingredient", "biotin") == []
    assert [a.action for a in audit_rows(db, "batch")] == ["catalog.add_batch"] * 2


def test_an_import_with_broken_rows_reports_each_and_imports_nothing(db, actor):
    with read(db, actor) as uow:
        text = svc.export_ingredients_csv(uow)
    lines = text.splitlines()
    lines[1] = lines[1].replace(",vitamin,", ",vitamins,", 1)       # row 2: category
    lines.append(lines[2].replace(lines[2].split(",")[0], "new_one", 1))  # a good new row
    lines.append("bad code,Name,,vitamin,2,mg/dl,,,aqueous,,,,,,,no,,,,,")  # last row: 2 problems
    broken = "\n".join(lines) + "\n"
    before = count(db, Ingredient)
    with pytest.raises(ValidationError) as caught, work(db, actor) as uow:
        svc.import_ingredients_csv(uow, broken)
    last = len(lines)
    assert {p.where for p in caught.value.problems} == {
        "row 2, column category", f"row {last}, column code", f"row {last}, column strength_unit"}
    assert count(db, Ingredient) == before
    assert audit_rows(db, "ingredient") == []


def test_import_updates_existing_codes_and_adds_new_ones(db, actor):
    shipped = list(SHIPPED.ingredients)
    edited = [replace(shipped[0], notes="Edited by the clinic"), *shipped[1:],
              custom_ingredient()]
    with work(db, actor) as uow:
        report = svc.import_ingredients_csv(uow, ingredients_to_csv(edited))
    assert (report.added, report.updated, report.unchanged) == (1, 1, len(shipped) - 1)
    assert str(report).startswith(f"{len(edited)} ingredients read: 1 added, 1 updated")
    with read(db, actor) as uow:
        assert svc.get_ingredient(uow, shipped[0].code).notes == "Edited by the clinic"
        assert svc.get_ingredient(uow, "clinic_serum").custom
    assert [a.action for a in audit_rows(db, "ingredient")] == ["catalog.import"] * 2


def test_products_import_needs_known_ingredients(db, actor):
    product = ProductEntry(code="clinic_glow", name="Glow", components=(ProductPart("clinic_serum"),))
    with pytest.raises(ValidationError, match="row 2, column components: 'clinic_serum'"), \
            work(db, actor) as uow:
        svc.import_products_csv(uow, products_to_csv([product]))
    with work(db, actor) as uow:
        svc.add_ingredient(uow, custom_ingredient())
        report = svc.import_products_csv(uow, products_to_csv([product, *SHIPPED.products]))
    assert (report.added, report.updated, report.unchanged) == (1, 0, len(SHIPPED.products))


def test_export_import_export_gives_the_same_text(db, fresh_db, actor):
    with work(db, actor) as uow:
        svc.add_ingredient(uow, custom_ingredient())
        svc.update_ingredient(uow, replace(svc.get_ingredient(uow, "dmae"), strength_value=0.15,
                                           strength_unit="%", notes='Quoted "0.15 %", line\nbreak'))
        svc.add_product(uow, ProductEntry(code="clinic_glow", name="Glow «é»", maker="Us & Co",
                                          components=(ProductPart("clinic_serum", 1e-05, "mg/mL"),
                                                      ProductPart("vitamin_c", 100, "mg/mL"))))
    with read(db, actor) as uow:
        ingredients, products = svc.export_ingredients_csv(uow), svc.export_products_csv(uow)
    with work(fresh_db, actor) as uow:
        svc.import_ingredients_csv(uow, ingredients)
        svc.import_products_csv(uow, products)
    with read(fresh_db, actor) as uow:
        assert svc.export_ingredients_csv(uow) == ingredients
        assert svc.export_products_csv(uow) == products
    assert "clinic_glow" in products and "Clinic serum «Ağaoğlu» <b>&amp;" in ingredients
