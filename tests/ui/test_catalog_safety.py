"""Catalog text typed in the window: trimming never uncovers a formula, and the catalog file
exported afterwards neutralises every cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import Qt

from mesoplan.services import catalog as catalog_service
from mesoplan.services.uow import read
from mesoplan.ui import messages as _messages  # noqa: F401 - imported so the fixture can patch it
from mesoplan.ui.catalog.catalog_page import CatalogPage
from mesoplan.ui.catalog.ingredient_dialog import IngredientDialog
from test_catalog_page import visible_dialog


def test_typed_formula_text_stays_inert_and_exports_neutralised(qtbot, ctx, db, messages):
    page = CatalogPage(ctx)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(IngredientDialog)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Clinic formula")
    dialog.category.setCurrentIndex(dialog.category.findData("vitamin"))
    qtbot.keyClicks(dialog.common_name, "  =1+1")
    qtbot.keyClicks(dialog.storage, "@SUM(A1)")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and messages.errors == []
    with read(db, ctx.actor) as uow:
        stored = catalog_service.get_ingredient(uow, "clinic_formula")
        exported = catalog_service.export_ingredients_csv(uow)
    assert stored.common_name == "  =1+1" and stored.storage == "@SUM(A1)"
    row = next(r for r in csv.DictReader(io.StringIO(exported, newline=""))
               if r["code"] == "clinic_formula")
    assert row["storage"] == "'@SUM(A1)" and row["common_name"] == "  =1+1"
