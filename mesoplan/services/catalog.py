"""Catalog use cases: seeding, reading, editing and retiring entries, batches, CSV import and export.

Service layer: reads return the frozen entries of ``mesoplan.catalog``; writes take a UnitOfWork,
need ``Permission.EDIT_CATALOG`` and record before/after in the audit trail. Nothing is deleted:
retired entries stay, so plans and batches keep pointing at them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from mesoplan.access import Permission
from mesoplan.catalog import (
    IngredientEntry, ProductEntry, ProductPart, catalog_order, ingredient_row, ingredients_to_csv,
    load_shipped_catalog, parse_ingredients_csv, parse_products_csv, product_row, products_to_csv,
    validate_ingredient, validate_product,
)
from mesoplan.db.limits import text_limits, too_long
from mesoplan.db.models import AuditEntry, Batch, Ingredient, Product, ProductComponent, utcnow
from mesoplan.errors import ConflictError, NotFound, Problem, ValidationError
from mesoplan.services.uow import UnitOfWork
from mesoplan.text import search_key

ItemKind = Literal["ingredient", "product"]
ITEM_KINDS: tuple[str, ...] = ("ingredient", "product")
_INGREDIENT_FIELDS = ("name", "common_name", "category", "strength_value", "strength_unit",
                      "presentation", "legal_status", "vehicle", "min_interval_days",
                      "typical_volume", "storage", "off_label", "evidence", "evidence_grade",
                      "sources", "cautions", "notes")
_PRODUCT_FIELDS = ("name", "maker", "category", "legal_status", "presentation", "off_label",
                   "evidence", "evidence_grade", "sources", "notes")
_LIST_FIELDS = ("regions", "conditions", "caution_tags")


@dataclass(frozen=True)
class BatchRecord:
    """A lot of an ingredient or product, as the screens and documents show it."""

    id: int
    item_kind: str  # "ingredient" | "product"
    item_id: int
    item_code: str
    item_name: str
    lot_number: str
    expiry_date: dt.date
    received_on: dt.date | None
    notes: str

    def expired_on(self, day: dt.date) -> bool:
        return self.expiry_date < day


@dataclass(frozen=True)
class ImportReport:
    kind: str  # "ingredients" | "products"
    added: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        total = self.added + self.updated + self.unchanged
        return (f"{total} {self.kind} read: {self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged")


# --- rows <-> entries ---------------------------------------------------------------------------


def _ingredient_entry(row: Ingredient) -> IngredientEntry:
    values = {name: getattr(row, name) for name in _INGREDIENT_FIELDS}
    values.update({name: tuple(getattr(row, name) or ()) for name in _LIST_FIELDS})
    return IngredientEntry(code=row.code, id=row.id, custom=row.custom, retired_at=row.retired_at,
                           **values)


def _product_entry(row: Product) -> ProductEntry:
    values = {name: getattr(row, name) for name in _PRODUCT_FIELDS}
    values.update({name: tuple(getattr(row, name) or ()) for name in _LIST_FIELDS})
    parts = tuple(ProductPart(c.ingredient.code, c.strength_value, c.strength_unit, c.ingredient.name)
                  for c in row.components)
    return ProductEntry(code=row.code, components=parts, id=row.id, custom=row.custom,
                        retired_at=row.retired_at, **values)


def _fill_ingredient(row: Ingredient, entry: IngredientEntry, _ids: dict[str, int]) -> None:
    for name in (*_INGREDIENT_FIELDS, *_LIST_FIELDS):
        value = getattr(entry, name)
        setattr(row, name, list(value) if isinstance(value, tuple) else value)


def _fill_product(row: Product, entry: ProductEntry, ingredient_ids: dict[str, int]) -> None:
    for name in (*_PRODUCT_FIELDS, *_LIST_FIELDS):
        value = getattr(entry, name)
        setattr(row, name, list(value) if isinstance(value, tuple) else value)
    row.components = [
        ProductComponent(ingredient_id=ingredient_ids[p.ingredient_code], position=i,
                         strength_value=p.strength_value, strength_unit=p.strength_unit)
        for i, p in enumerate(entry.components)
    ]


@dataclass(frozen=True)
class _Kind:
    """How one kind of catalog item maps between rows, entries and CSV cells."""

    name: str
    model: type[Ingredient] | type[Product]
    to_entry: Callable[[Any], Any]
    fill: Callable[[Any, Any, dict[str, int]], None]
    cells: Callable[[Any], dict[str, str]]

    def query(self) -> Select:
        if self.model is Product:
            return select(Product).options(
                selectinload(Product.components).selectinload(ProductComponent.ingredient))
        return select(Ingredient)

    def row(self, uow: UnitOfWork, code: str) -> Any:
        found = uow.session.scalars(self.query().where(self.model.code == code)).one_or_none()
        if found is None:
            raise NotFound(f"There is no {self.name} with the code '{code}' in the catalog.")
        return found


_INGREDIENT = _Kind("ingredient", Ingredient, _ingredient_entry, _fill_ingredient, ingredient_row)
_PRODUCT = _Kind("product", Product, _product_entry, _fill_product, product_row)


def _kind(name: str) -> _Kind:
    if name == "ingredient":
        return _INGREDIENT
    if name == "product":
        return _PRODUCT
    raise ValidationError(f"'{name}' is not a kind of catalog item; use ingredient or product",
                          where="kind")


def _changed(before: dict[str, str], after: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k, "") for k in keys}, {k: after[k] for k in keys}


def _ingredient_ids(session: Session) -> dict[str, int]:
    return {code: id_ for code, id_ in session.execute(select(Ingredient.code, Ingredient.id))}


# --- seeding ------------------------------------------------------------------------------------


def seed_catalog(session: Session) -> None:
    """Load the shipped catalog into a new database (codes already present are left alone)."""
    shipped = load_shipped_catalog()
    for kind, entries in ((_INGREDIENT, shipped.ingredients), (_PRODUCT, shipped.products)):
        present = set(session.scalars(select(kind.model.code)))
        ids = _ingredient_ids(session)
        for entry in entries:
            if entry.code not in present:
                row = kind.model(code=entry.code)
                kind.fill(row, entry, ids)
                session.add(row)
        session.flush()


# --- reading ------------------------------------------------------------------------------------


def _list(uow: UnitOfWork, kind: _Kind, include_retired: bool) -> list[Any]:
    query = kind.query()
    if not include_retired:
        query = query.where(kind.model.retired_at.is_(None))
    entries = [kind.to_entry(r) for r in uow.session.scalars(query)]
    return sorted(entries, key=lambda e: (search_key(e.name), e.code))


def list_ingredients(uow: UnitOfWork, include_retired: bool = False) -> list[IngredientEntry]:
    """Ingredients sorted by name (accent- and case-insensitive)."""
    return _list(uow, _INGREDIENT, include_retired)


def list_products(uow: UnitOfWork, include_retired: bool = False) -> list[ProductEntry]:
    """Products with their components, sorted by name."""
    return _list(uow, _PRODUCT, include_retired)


def get_ingredient(uow: UnitOfWork, code: str) -> IngredientEntry:
    return _ingredient_entry(_INGREDIENT.row(uow, code))


def get_product(uow: UnitOfWork, code: str) -> ProductEntry:
    return _product_entry(_PRODUCT.row(uow, code))


def _by_id(uow: UnitOfWork, kind: _Kind, item_id: int) -> Any:
    row = uow.session.scalars(kind.query().where(kind.model.id == item_id)).one_or_none()
    if row is None:
        raise NotFound(f"{kind.name.capitalize()} {item_id} does not exist.")
    return kind.to_entry(row)


def get_ingredient_by_id(uow: UnitOfWork, ingredient_id: int) -> IngredientEntry:
    return _by_id(uow, _INGREDIENT, ingredient_id)


def get_product_by_id(uow: UnitOfWork, product_id: int) -> ProductEntry:
    return _by_id(uow, _PRODUCT, product_id)


# --- adding, editing, retiring ------------------------------------------------------------------


def _last_change(uow: UnitOfWork, entity_type: str, entity_id: int) -> tuple[str, dt.datetime | None]:
    entry = uow.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == entity_type,
                                 AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id.desc()).limit(1)).one_or_none()
    return (entry.actor, entry.at) if entry else ("", None)


def _add(uow: UnitOfWork, kind: _Kind, entry: Any, ids: dict[str, int]) -> Any:
    taken = uow.session.scalars(select(kind.model).where(kind.model.code == entry.code)).one_or_none()
    if taken is not None:
        state = " (retired)" if taken.retired_at else ""
        raise ValidationError(f"'{entry.code}' is already the code of {taken.name}{state}; choose "
                              "another code or edit that entry", where="code")
    row = kind.model(code=entry.code, custom=True)
    kind.fill(row, entry, ids)
    uow.session.add(row)
    uow.session.flush()
    uow.audit("catalog.add", kind.name, row.id, f"Added {kind.name} {entry.code} ({entry.name})",
              after=kind.cells(entry))
    return kind.to_entry(row)


def _update(uow: UnitOfWork, kind: _Kind, entry: Any, expected: Any, ids: dict[str, int]) -> Any:
    row = kind.row(uow, entry.code)
    current = kind.to_entry(row)
    if expected is not None and current != expected:
        raise ConflictError(f"{kind.name.capitalize()} {current.name}",
                            *_last_change(uow, kind.name, row.id))
    before, after = _changed(kind.cells(current), kind.cells(entry))
    if after:
        kind.fill(row, entry, ids)
        uow.session.flush()
        uow.audit("catalog.update", kind.name, row.id,
                  f"Changed {kind.name} {entry.code}: {', '.join(after)}", before=before, after=after)
    return kind.to_entry(row)


def add_ingredient(uow: UnitOfWork, entry: IngredientEntry) -> IngredientEntry:
    """Add a clinic's own ingredient; raises ValidationError (by column) if anything is wrong."""
    uow.require(Permission.EDIT_CATALOG)
    return _add(uow, _INGREDIENT, validate_ingredient(entry, text_limits(Ingredient)), {})


def update_ingredient(uow: UnitOfWork, entry: IngredientEntry,
                      expected: IngredientEntry | None = None) -> IngredientEntry:
    """Save new content for the ingredient with ``entry.code`` (codes never change).

    ``expected`` is the content the editor started from; if someone changed the entry since,
    ConflictError is raised and nothing is saved.
    """
    uow.require(Permission.EDIT_CATALOG)
    return _update(uow, _INGREDIENT, validate_ingredient(entry, text_limits(Ingredient)), expected,
                   {})


def add_product(uow: UnitOfWork, entry: ProductEntry) -> ProductEntry:
    """Add a clinic's own product; its components must name catalog ingredients."""
    uow.require(Permission.EDIT_CATALOG)
    ids = _ingredient_ids(uow.session)
    return _add(uow, _PRODUCT, validate_product(entry, ids, text_limits(Product)), ids)


def update_product(uow: UnitOfWork, entry: ProductEntry,
                   expected: ProductEntry | None = None) -> ProductEntry:
    uow.require(Permission.EDIT_CATALOG)
    ids = _ingredient_ids(uow.session)
    return _update(uow, _PRODUCT, validate_product(entry, ids, text_limits(Product)), expected, ids)


def _set_retired(uow: UnitOfWork, kind_name: str, code: str, retire: bool) -> None:
    uow.require(Permission.EDIT_CATALOG)
    kind = _kind(kind_name)
    row = kind.row(uow, code)
    if (row.retired_at is not None) == retire:
        return
    before = {"retired_at": row.retired_at.isoformat() if row.retired_at else None}
    row.retired_at = utcnow() if retire else None
    after = {"retired_at": row.retired_at.isoformat() if row.retired_at else None}
    verb = "Retired" if retire else "Restored"
    uow.audit("catalog.retire" if retire else "catalog.unretire", kind.name, row.id,
              f"{verb} {kind.name} {code} ({row.name})", before=before, after=after)


def retire_item(uow: UnitOfWork, kind: ItemKind, code: str) -> None:
    """Hide an ingredient or product from pick lists; plans and batches keep referring to it."""
    _set_retired(uow, kind, code, True)


def unretire_item(uow: UnitOfWork, kind: ItemKind, code: str) -> None:
    _set_retired(uow, kind, code, False)


# --- batches ------------------------------------------------------------------------------------


def _batch_record(batch: Batch, item: Ingredient | Product) -> BatchRecord:
    kind = "product" if isinstance(item, Product) else "ingredient"
    return BatchRecord(batch.id, kind, item.id, item.code, item.name, batch.lot_number,
                       batch.expiry_date, batch.received_on, batch.notes)


def add_batch(uow: UnitOfWork, kind: ItemKind, code: str, lot_number: str,
              expiry_date: dt.date, received_on: dt.date | None = None,
              notes: str = "") -> BatchRecord:
    """Record a lot of an ingredient or product (lot numbers are unique per item)."""
    uow.require(Permission.EDIT_CATALOG)
    item = _kind(kind).row(uow, code)
    lot_number = (lot_number or "").strip()
    problems: list[Problem] = []
    if not lot_number:
        problems.append(Problem("lot_number", "the lot (batch) number is required"))
    else:
        problems += too_long(Batch, {"lot_number": lot_number})
    if not isinstance(expiry_date, dt.date):
        problems.append(Problem("expiry_date", "the expiry date is required"))
    elif received_on is not None and received_on > expiry_date:
        problems.append(Problem("received_on", f"{received_on.isoformat()} is after the expiry "
                                f"date {expiry_date.isoformat()}; check both dates"))
    if item.retired_at is not None:
        problems.append(Problem("", f"{item.name} is retired; restore it before adding batches"))
    column = Batch.product_id if kind == "product" else Batch.ingredient_id
    duplicate = uow.session.scalars(
        select(Batch.id).where(column == item.id, Batch.lot_number == lot_number)).first()
    if lot_number and duplicate is not None:
        problems.append(Problem("lot_number", f"lot {lot_number} of {item.name} is already recorded"))
    if problems:
        raise ValidationError(problems)
    batch = Batch(lot_number=lot_number, expiry_date=expiry_date, received_on=received_on,
                  notes=(notes or "").strip(), **{f"{kind}_id": item.id})
    uow.session.add(batch)
    uow.session.flush()
    record = _batch_record(batch, item)
    uow.audit("catalog.add_batch", "batch", batch.id,
              f"Added lot {lot_number} of {kind} {code}, expiring {expiry_date.isoformat()}",
              after={"item_kind": kind, "item_code": code, "lot_number": lot_number,
                     "expiry_date": expiry_date.isoformat(),
                     "received_on": received_on.isoformat() if received_on else None,
                     "notes": record.notes})
    return record


def list_batches(uow: UnitOfWork, kind: ItemKind, code: str) -> list[BatchRecord]:
    """The item's batches, soonest expiry first."""
    item = _kind(kind).row(uow, code)
    column = Batch.product_id if kind == "product" else Batch.ingredient_id
    batches = uow.session.scalars(
        select(Batch).where(column == item.id).order_by(Batch.expiry_date, Batch.lot_number))
    return [_batch_record(b, item) for b in batches]


def get_batch(uow: UnitOfWork, batch_id: int) -> BatchRecord:
    batch = uow.session.get(Batch, batch_id)
    if batch is None:
        raise NotFound(f"Batch {batch_id} does not exist.")
    item = (uow.session.get(Product, batch.product_id) if batch.product_id is not None
            else uow.session.get(Ingredient, batch.ingredient_id))
    return _batch_record(batch, item)


# --- CSV import and export ----------------------------------------------------------------------


def _import(uow: UnitOfWork, kind: _Kind, entries: list[Any], ids: dict[str, int],
            progress: Callable[[int, int, str], None] | None = None) -> ImportReport:
    rows = {r.code: r for r in uow.session.scalars(kind.query())}
    added = updated = 0
    for done, entry in enumerate(entries):
        if progress is not None:  # may raise to cancel: the unit of work then keeps nothing
            progress(done, len(entries), f"Importing {kind.name} {done + 1} of {len(entries)}…")
        row = rows.get(entry.code)
        if row is None:
            row = kind.model(code=entry.code, custom=True)
            kind.fill(row, entry, ids)
            uow.session.add(row)
            uow.session.flush()
            uow.audit("catalog.import", kind.name, row.id, f"Imported new {kind.name} {entry.code}",
                      after=kind.cells(entry))
            added += 1
            continue
        before, after = _changed(kind.cells(kind.to_entry(row)), kind.cells(entry))
        if after:
            kind.fill(row, entry, ids)
            uow.session.flush()
            uow.audit("catalog.import", kind.name, row.id,
                      f"Imported changes to {kind.name} {entry.code}: {', '.join(after)}",
                      before=before, after=after)
            updated += 1
    return ImportReport(f"{kind.name}s", added, updated, len(entries) - added - updated)


def import_ingredients_csv(uow: UnitOfWork, text: str, progress=None) -> ImportReport:
    """Add or update ingredients from CSV text: the whole file is checked first, all or nothing.

    ``progress(done, total, text)`` is called per entry and may raise to cancel."""
    uow.require(Permission.EDIT_CATALOG)
    return _import(uow, _INGREDIENT, parse_ingredients_csv(text, text_limits(Ingredient)), {},
                   progress)


def import_products_csv(uow: UnitOfWork, text: str, progress=None) -> ImportReport:
    """Add or update products from CSV text; component codes must already be in the catalog."""
    uow.require(Permission.EDIT_CATALOG)
    ids = _ingredient_ids(uow.session)
    return _import(uow, _PRODUCT, parse_products_csv(text, ids, text_limits(Product)), ids,
                   progress)


def export_ingredients_csv(uow: UnitOfWork, include_retired: bool = False) -> str:
    """The ingredients as CSV text, by category then code (what import reads back)."""
    return ingredients_to_csv(sorted(list_ingredients(uow, include_retired), key=catalog_order))


def export_products_csv(uow: UnitOfWork, include_retired: bool = False) -> str:
    return products_to_csv(sorted(list_products(uow, include_retired), key=catalog_order))


__all__ = [
    "ITEM_KINDS", "BatchRecord", "ImportReport", "seed_catalog", "list_ingredients",
    "list_products", "get_ingredient", "get_ingredient_by_id", "get_product", "get_product_by_id",
    "add_ingredient", "update_ingredient", "add_product", "update_product", "retire_item",
    "unretire_item", "add_batch", "list_batches", "get_batch", "import_ingredients_csv",
    "import_products_csv", "export_ingredients_csv", "export_products_csv",
]
