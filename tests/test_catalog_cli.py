"""Tests for ``mesoplan catalog list | import | export`` on a temporary database."""

from __future__ import annotations

import argparse
from dataclasses import replace

import pytest

from mesoplan.catalog import ingredients_to_csv, load_shipped_catalog, products_to_csv
from mesoplan.commands import catalog as catalog_command
from mesoplan.commands.context import CommandContext
from mesoplan.errors import ValidationError
from mesoplan.services import catalog as svc
from mesoplan.services.uow import read, work

SHIPPED = load_shipped_catalog()


@pytest.fixture
def context(database_file):
    ctx = CommandContext(database_url=f"sqlite:///{database_file}")
    yield ctx
    ctx.close()


def run(context: CommandContext, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="mesoplan")
    catalog_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["catalog", *argv])
    return args.handler(args, context)


def test_list_prints_an_aligned_table_of_the_chosen_category(context, capsys):
    assert run(context, "list", "--category", "local_anaesthetic") == 0
    lines = capsys.readouterr().out.splitlines()
    heading, rule, *rows, summary = lines
    assert heading.split() == ["code", "name", "category", "strength", "cautions"]
    expected = sorted(i.code for i in SHIPPED.ingredients if i.category == "local_anaesthetic")
    assert sorted(r.split()[0] for r in rows) == expected
    column = heading.index("category")
    assert all(r[column:].startswith("local_anaesthetic") for r in rows)
    strength = heading.index("strength")
    assert any(r[strength:].startswith("2 %") for r in rows if r.startswith("lidocaine_2pct"))
    assert summary == f"{len(rows)} of {len(SHIPPED.ingredients)} ingredients shown."
    assert set(rule) == {"-", " "}


def test_list_search_products_and_retired(context, capsys):
    with work(context.database, context.actor) as uow:
        svc.retire_item(uow, "ingredient", "sage")
    run(context, "list", "--search", "SAGE")
    assert "0 of" in capsys.readouterr().out
    run(context, "list", "--search", "sage", "--include-retired")
    out = capsys.readouterr().out
    assert "Sage extract (retired)" in out and "unverified" in out
    run(context, "list", "--products", "--search", "juvederm")
    out = capsys.readouterr().out
    assert "vyc_12l" in out and "hyaluronic_acid, amide_local_anaesthetic" in out


def test_import_recognises_the_file_kind_and_reports_counts(context, tmp_path, capsys):
    ingredient = replace(SHIPPED.ingredients[0], code="clinic_extra", name="Clinic extra ü")
    ingredients_file = tmp_path / "mine.csv"
    ingredients_file.write_text("\ufeff" + ingredients_to_csv([ingredient]), encoding="utf-8")
    products_file = tmp_path / "products.csv"
    product = replace(SHIPPED.products[0], code="clinic_pack", name="Clinic pack")
    products_file.write_text(products_to_csv([product]), encoding="utf-8")

    assert run(context, "import", str(ingredients_file)) == 0
    assert "1 ingredients read: 1 added" in capsys.readouterr().out
    assert run(context, "import", str(products_file)) == 0
    assert "1 products read: 1 added" in capsys.readouterr().out
    with read(context.database, context.actor) as uow:
        assert svc.get_ingredient(uow, "clinic_extra").name == "Clinic extra ü"
        assert svc.get_product(uow, "clinic_pack").custom


def test_a_broken_file_names_file_row_and_column_and_changes_nothing(context, tmp_path):
    good = replace(SHIPPED.ingredients[0], code="clinic_good")
    text = ingredients_to_csv([good]) + ingredients_to_csv([SHIPPED.ingredients[1]]).splitlines()[1] \
        .replace(",aqueous,", ",oil-ish,") + "\n"
    path = tmp_path / "broken.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        run(context, "import", str(path))
    assert str(caught.value).startswith("broken.csv, row 3, column vehicle: 'oil-ish'")
    with read(context.database, context.actor) as uow:
        assert "clinic_good" not in {i.code for i in svc.list_ingredients(uow)}


def test_unreadable_files_are_reported_plainly(context, tmp_path):
    with pytest.raises(ValidationError, match="cannot read the file"):
        run(context, "import", str(tmp_path / "missing.csv"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("code,name\nx,Crème\n".encode("latin-1"))
    with pytest.raises(ValidationError, match="not UTF-8"):
        run(context, "import", str(latin))


def test_export_writes_what_import_reads(context, tmp_path, capsys):
    target = tmp_path / "out.csv"
    assert run(context, "export", str(target)) == 0
    assert f"Wrote {len(SHIPPED.ingredients)} ingredients" in capsys.readouterr().out
    with read(context.database, context.actor) as uow:
        assert target.read_text(encoding="utf-8") == svc.export_ingredients_csv(uow)
    assert run(context, "import", str(target)) == 0
    assert f"0 added, 0 updated, {len(SHIPPED.ingredients)} unchanged" in capsys.readouterr().out
    assert run(context, "export", "-", "--products") == 0
    assert capsys.readouterr().out.startswith("code,name,maker,")
