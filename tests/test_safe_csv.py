"""Catalog CSV files that are safe in a spreadsheet: cells that would run as formulas are
neutralised on export and restored exactly on import; trimming never uncovers a formula; a
semicolon-separated file is read correctly, or refused with a message saying to use commas."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from mesoplan.catalog import (
    ingredients_to_csv,
    load_shipped_catalog,
    parse_ingredients_csv,
    validate_ingredient,
)
from mesoplan.cli import main
from mesoplan.services import catalog as svc
from mesoplan.services.uow import read, work
from mesoplan.spreadsheet import neutralise, restore, safe_strip

SHIPPED = load_shipped_catalog()
HOSTILE = {"name": "=HYPERLINK(\"http://x\",\"click\")", "common_name": "+1+1",
           "presentation": "-2+3", "storage": "@SUM(A1)", "notes": "\t=1+1",
           "sources": "\r=cmd", "cautions": "'=already quoted"}


def hostile_entry(code="clinic_formula"):
    return replace(SHIPPED.ingredients[0], code=code, **HOSTILE)


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@x", "\t=1", "\r=1", "'=1", "''", "'", "x",
                                  "", " =1", "a=b"])
def test_neutralise_and_restore_are_exact_inverses(cell):
    written = neutralise(cell)
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(written) == cell


def test_trimming_never_uncovers_a_formula():
    assert safe_strip("\t=1+1") == "\t=1+1"
    assert safe_strip("  =1+1  ") == "  =1+1"
    assert safe_strip("  -2 ") == "  -2"
    assert safe_strip("  plain  ") == "plain"
    assert validate_ingredient(replace(SHIPPED.ingredients[0], notes="\t=1+1")).notes == "\t=1+1"


def test_export_neutralises_formula_cells_and_import_gives_them_back(db, actor, database_url,
                                                                     tmp_path, capsys):
    with work(db, actor) as uow:
        svc.add_ingredient(uow, hostile_entry())
    target = tmp_path / "catalog.csv"
    assert main(["--database", database_url, "catalog", "export", str(target)]) == 0
    written = target.read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(written, newline="")))
    row = next(r for r in rows if r["code"] == "clinic_formula")
    for column, value in HOSTILE.items():
        assert row[column] == "'" + value, column
    for every in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in every.values())
    with work(db, actor) as uow:  # change it, then import the file: it must come back exactly
        svc.update_ingredient(uow, replace(hostile_entry(), name="Changed"))
    capsys.readouterr()
    assert main(["--database", database_url, "catalog", "import", str(target)]) == 0
    assert "1 updated" in capsys.readouterr().out
    with read(db, actor) as uow:
        again = svc.get_ingredient(uow, "clinic_formula")
        assert {column: getattr(again, column) for column in HOSTILE} == HOSTILE
        assert svc.export_ingredients_csv(uow) == written


def test_import_never_turns_an_inert_cell_into_a_formula(db, actor, database_url, tmp_path):
    text = ingredients_to_csv([replace(SHIPPED.ingredients[0], code="clinic_inert")])
    header, line = text.splitlines()
    cells = next(csv.reader([line]))
    columns = header.split(",")
    cells[columns.index("notes")] = "\t=1+1"
    cells[columns.index("common_name")] = "  =2+2  "
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([columns, cells])
    path = tmp_path / "inert.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert main(["--database", database_url, "catalog", "import", str(path)]) == 0
    with read(db, actor) as uow:
        entry = svc.get_ingredient(uow, "clinic_inert")
    assert entry.notes == "\t=1+1" and entry.common_name == "  =2+2"


def semicolons(text):
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
        csv.reader(io.StringIO(text, newline="")))
    return out.getvalue()


def test_a_semicolon_separated_file_is_read_correctly(db, actor, database_url, tmp_path, capsys):
    entries = [replace(SHIPPED.ingredients[0], code="clinic_semi", regions=("face", "scalp"),
                       caution_tags=("refrigerate", "light_sensitive"), notes="a; b, c")]
    path = tmp_path / "semi.csv"
    path.write_text(semicolons(ingredients_to_csv(entries)), encoding="utf-8")
    assert main(["--database", database_url, "catalog", "import", str(path)]) == 0
    assert "1 added" in capsys.readouterr().out
    with read(db, actor) as uow:
        stored = svc.get_ingredient(uow, "clinic_semi")
    assert stored == validate_ingredient(entries[0])
    assert parse_ingredients_csv(semicolons(ingredients_to_csv(SHIPPED.ingredients))) == \
        list(SHIPPED.ingredients)


def test_a_file_whose_columns_are_not_recognised_is_told_to_use_commas(db, actor, database_url,
                                                                      tmp_path, capsys):
    path = tmp_path / "semi.csv"
    path.write_text("Kode;Naam;Kategorie\nx;y;z\n", encoding="utf-8")
    assert main(["--database", database_url, "catalog", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "separated by semicolons" in err and "use commas" in err
    assert "'kode;naam;kategorie'" not in err.lower()


def test_a_malformed_or_huge_csv_gets_a_plain_message(db, actor, database_url, tmp_path, capsys,
                                                      monkeypatch):
    text = ingredients_to_csv([replace(SHIPPED.ingredients[0], code="clinic_big",
                                       notes="n" * 200_000)])
    path = tmp_path / "wide.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["--database", database_url, "catalog", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "row 2: cannot be read as CSV" in err and "Traceback" not in err
    monkeypatch.setattr("mesoplan.commands.catalog.MAX_CSV_BYTES", 1000)
    assert main(["--database", database_url, "catalog", "import", str(path)]) == 1
    assert "MesoPlan reads files of up to 1.0 KB" in capsys.readouterr().err


def test_catalog_text_limits_come_from_the_models(db, actor, database_url, tmp_path, capsys):
    long = replace(SHIPPED.ingredients[0], code="clinic_long", name="n" * 201,
                   typical_volume="v" * 201)
    path = tmp_path / "long.csv"
    path.write_text(ingredients_to_csv([long]), encoding="utf-8")
    assert main(["--database", database_url, "catalog", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "row 2, column name: is 201 characters long; at most 200 fit" in err
    assert "row 2, column typical_volume: is 201 characters long; at most 200 fit" in err
    with pytest.raises(Exception, match="lot_number: is 81 characters long; at most 80 fit"):
        with work(db, actor) as uow:
            import datetime as dt

            svc.add_batch(uow, "ingredient", SHIPPED.ingredients[0].code, "L" * 81,
                          dt.date(2030, 1, 1))
