"""One copy of the catalog for every screen: read once, display rows worked out once, and read again
only when an ingredient or product changes. Opening a plan does not re-read 10,000 entries."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from mesoplan.services import catalog as catalog_service
from mesoplan.ui.catalog.model import CatalogRow, build_rows
from mesoplan.ui.context import AppContext

CATALOG_KINDS = frozenset({"ingredient", "product"})


class SharedCatalog(QObject):
    changed = Signal()
    """The catalog was edited: browsers should show ``rows()`` again."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self._rows: list[CatalogRow] | None = None
        ctx.changed.connect(self._records_changed)

    def rows(self) -> list[CatalogRow]:
        """Every entry, retired ones included, sorted by name (raises if the database fails)."""
        if self._rows is None:
            with self.ctx.read() as uow:
                ingredients = catalog_service.list_ingredients(uow, include_retired=True)
                products = catalog_service.list_products(uow, include_retired=True)
            self._rows = build_rows(ingredients, products)
        return self._rows

    def _records_changed(self, kinds: frozenset[str]) -> None:
        if kinds & CATALOG_KINDS:
            self._rows = None
            self.changed.emit()


def shared_catalog(ctx: AppContext) -> SharedCatalog:
    """The context's catalog copy, made on first use."""
    found = ctx.findChild(SharedCatalog)
    return found if found is not None else SharedCatalog(ctx)
