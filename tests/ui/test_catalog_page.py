"""The catalog page and the reusable catalog browser: filters, cautions, editing, lots."""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mesoplan.catalog import IngredientEntry
from mesoplan.services import catalog as catalog_service
from mesoplan.services.audit import AuditFilter, browse_audit
from mesoplan.services.uow import read, work
from mesoplan.ui import messages as _messages  # noqa: F401 - imported so the fixture can patch it
from mesoplan.ui.catalog.batch_dialog import BatchDialog
from mesoplan.ui.catalog.browser import CatalogBrowser
from mesoplan.ui.catalog.catalog_page import BatchListModel, CatalogPage
from mesoplan.ui.catalog.ingredient_dialog import IngredientDialog
from mesoplan.ui.catalog.model import CatalogColumn, CatalogModel


def shown(browser: CatalogBrowser, column: CatalogColumn = CatalogColumn.NAME) -> list[str]:
    model = browser.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def visible_dialog(kind):
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def test_filters_by_text_category_indication_and_region_and_shows_cautions(qtbot, ctx):
    page = CatalogPage(ctx)
    qtbot.addWidget(page)
    browser = page.browser
    total = browser.shown_count()
    assert total > 50
    qtbot.keyClicks(browser.filter_edit, "finaster")
    assert shown(browser) == ["Finasteride"]
    cautions = shown(browser, CatalogColumn.CAUTIONS)[0]
    assert "teratogen" in cautions and "5-alpha-reductase inhibitor" in cautions
    assert "can harm an unborn child" in browser.caution_line.text()
    assert "Finasteride" in page.detail.toPlainText() and "Evidence" in page.detail.toPlainText()
    browser.filter_edit.clear()
    browser.set_filters(category="vitamin")
    assert shown(browser) and set(shown(browser, CatalogColumn.CATEGORY)) == {"Vitamin"}
    browser.set_filters(category=None, region="body", indication="cellulite")
    names = shown(browser)
    assert names and all(e.code for e in (browser.model.row_at(r).entry for r in range(len(names))))
    assert all("cellulite" in browser.model.row_at(r).entry.conditions
               and "body" in browser.model.row_at(r).entry.regions for r in range(len(names)))
    browser.set_filters(region=None, indication=None, kind="product")
    assert {browser.model.row_at(r).kind for r in range(browser.shown_count())} == {"product"}


def test_browser_emits_the_chosen_item_and_skips_retired_ones(qtbot, ctx):
    browser = CatalogBrowser(ctx, choose_text="&Add to cocktail")
    qtbot.addWidget(browser)
    qtbot.keyClicks(browser.filter_edit, "dutaster")
    with qtbot.waitSignal(browser.item_chosen) as chosen:
        qtbot.keyClick(browser.table, Qt.Key.Key_Return)
    assert chosen.args == ["ingredient", "dutasteride"]
    with qtbot.waitSignal(browser.item_chosen) as chosen:
        qtbot.mouseClick(browser.choose_button, Qt.MouseButton.LeftButton)
    assert chosen.args == ["ingredient", "dutasteride"]
    with ctx.work() as uow:
        catalog_service.retire_item(uow, "ingredient", "dutasteride")
    assert browser.shown_count() == 0          # reloaded on ctx.changed; retired entries are hidden


def test_practitioner_adds_a_custom_ingredient(qtbot, ctx, db, messages):
    page = CatalogPage(ctx)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(IngredientDialog)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors.message_for(dialog.name).startswith("A name is required")
    qtbot.keyClicks(dialog.name, "Clinic mix <A&B>")
    assert dialog.code.text() == "clinic_mix_a_b"     # suggested from the name
    dialog.category.setCurrentIndex(dialog.category.findData("vitamin"))
    qtbot.keyClicks(dialog.strength_value, "abc")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "not a number" in dialog.errors.message_for(dialog.strength_value)
    dialog.strength_value.clear()
    qtbot.keyClicks(dialog.strength_value, "2.5")
    dialog.strength_unit.setCurrentText("mg/mL")
    dialog.caution_tags.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and messages.errors == []
    with read(db, ctx.actor) as uow:
        stored = catalog_service.get_ingredient(uow, "clinic_mix_a_b")
        audit = browse_audit(uow, AuditFilter(action="catalog.add"))
    assert (stored.name, stored.strength_value, stored.strength_unit, stored.custom) == (
        "Clinic mix <A&B>", 2.5, "mg/mL", True)
    assert [e.summary for e in audit] == ["Added ingredient clinic_mix_a_b (Clinic mix <A&B>)"]
    assert page.browser.current_item() == ("ingredient", "clinic_mix_a_b")
    assert "custom" in shown(page.browser, CatalogColumn.STATUS)[page.browser.table.currentIndex().row()]


def test_practitioner_edits_retires_and_restores_an_ingredient(qtbot, ctx, db, messages):
    page = CatalogPage(ctx)
    qtbot.addWidget(page)
    page.browser.set_filters(text="biotin")
    assert page.browser.current_item() == ("ingredient", "biotin")
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(IngredientDialog)
    qtbot.addWidget(dialog)
    assert dialog.code.isReadOnly()
    qtbot.keyClicks(dialog.storage, "Dark place")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and messages.errors == []
    assert "Dark place" in page.detail.toPlainText()
    messages.answers = [True]
    qtbot.mouseClick(page.retire_button, Qt.MouseButton.LeftButton)
    with read(db, ctx.actor) as uow:
        assert catalog_service.get_ingredient(uow, "biotin").retired
    assert page.browser.current_item() == ("ingredient", "biotin") and page.retire_button.text() == "&Restore"
    assert not page.batch_button.isEnabled()
    qtbot.mouseClick(page.retire_button, Qt.MouseButton.LeftButton)
    with read(db, ctx.actor) as uow:
        assert not catalog_service.get_ingredient(uow, "biotin").retired


def test_adding_a_lot_refuses_an_expired_one(qtbot, ctx, db, messages):
    page = CatalogPage(ctx)
    qtbot.addWidget(page)
    page.browser.set_filters(text="dexpanthenol")
    qtbot.mouseClick(page.batch_button, Qt.MouseButton.LeftButton)
    dialog = visible_dialog(BatchDialog)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.lot, "DXP-1")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    qtbot.keyClicks(dialog.expiry.line, yesterday.strftime("%d.%m.%Y"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "expired" in dialog.errors.message_for(dialog.expiry)
    with read(db, ctx.actor) as uow:
        assert catalog_service.list_batches(uow, "ingredient", "dexpanthenol") == []
    dialog.expiry.clear()
    next_year = dt.date.today() + dt.timedelta(days=365)
    qtbot.keyClicks(dialog.expiry.line, next_year.isoformat())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and messages.errors == []
    with read(db, ctx.actor) as uow:
        [batch] = catalog_service.list_batches(uow, "ingredient", "dexpanthenol")
    assert (batch.lot_number, batch.expiry_date, batch.received_on) == ("DXP-1", next_year, dt.date.today())
    assert page.batches_model.rowCount() == 1
    assert page.batches_model.index(0, 3).data() == "in date"


def test_filtering_ten_thousand_entries_per_keystroke_is_instant(qtbot, ctx):
    browser = CatalogBrowser(ctx)
    qtbot.addWidget(browser)
    entries = [IngredientEntry(code=f"item_{n}", name=f"Ingredient {n} {'alpha' if n % 3 else 'beta'}",
                               category="vitamin", caution_tags=("acidic",) if n % 2 else ())
               for n in range(10_000)]
    browser.set_entries(entries, [])
    assert browser.shown_count() == 10_000
    slowest = 0.0
    for text in ("b", "be", "bet", "beta", "beta 99"):
        started = time.perf_counter()
        browser.filter_edit.setText(text)
        slowest = max(slowest, time.perf_counter() - started)
    assert browser.shown_count() == len([e for e in entries if "beta" in e.name and "99" in e.name])
    assert slowest < 0.25, f"a keystroke took {slowest:.3f} s"


def test_catalog_models_pass_the_model_tester(qtbot, qtmodeltester, ctx, db):
    model = CatalogModel()
    with read(db, ctx.actor) as uow:
        model.set_entries(catalog_service.list_ingredients(uow), catalog_service.list_products(uow))
    model.apply_filter("vit")
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    with work(db, ctx.actor) as uow:
        catalog_service.add_batch(uow, "ingredient", "biotin", "B-1", dt.date(2020, 1, 1))
        batches = catalog_service.list_batches(uow, "ingredient", "biotin")
    batch_model = BatchListModel()
    batch_model.set_rows(batches)
    assert batch_model.index(0, 3).data() == "expired"
    qtmodeltester.check(batch_model)
