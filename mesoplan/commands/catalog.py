"""``mesoplan catalog list | import | export``: the ingredient and product catalog from the command line.

Handlers take ``(args, context)`` and return the exit code; problems are raised as MesoPlanError for
``mesoplan.cli`` to print.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from mesoplan.catalog import CATEGORIES, IngredientEntry, ProductEntry, csv_kind, filter_entries
from mesoplan.commands.context import CommandContext
from mesoplan.commands.progress import CommandProgress
from mesoplan.errors import Problem, ValidationError
from mesoplan.safe_json import size_problem
from mesoplan.services import catalog as catalog_service
from mesoplan.services.uow import read, work
from mesoplan.text import printable_line
from mesoplan.units import format_number

NAME_WIDTH = 40


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "catalog", help="list, import or export the ingredient and product catalog",
        description="Work with the catalog of ingredients and ready-made products.")
    actions = parser.add_subparsers(dest="catalog_action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="print the catalog as a table")
    listing.add_argument("--category", choices=CATEGORIES, help="only this category")
    listing.add_argument("--search", metavar="TEXT", default="",
                         help="only entries whose code, name or common name contain every word")
    listing.add_argument("--include-retired", action="store_true", help="show retired entries too")
    listing.add_argument("--products", action="store_true",
                         help="list ready-made products instead of ingredients")
    listing.set_defaults(handler=list_command)

    importing = actions.add_parser(
        "import", help="add or update entries from a CSV file (all or nothing)",
        description="Read a catalog CSV file (UTF-8). A products file is recognised by its "
        "header; existing codes are updated, new ones added. Nothing changes if any row is wrong.")
    importing.add_argument("file", metavar="FILE", type=Path, help="CSV file to read")
    importing.add_argument("--products", action="store_true",
                           help="treat FILE as a products file whatever its header says")
    importing.set_defaults(handler=import_command)

    exporting = actions.add_parser("export", help="write the catalog to a CSV file")
    exporting.add_argument("file", metavar="FILE", help="file to write, or - for standard output")
    exporting.add_argument("--products", action="store_true", help="export products")
    exporting.add_argument("--include-retired", action="store_true",
                           help="include retired entries")
    exporting.set_defaults(handler=export_command)


def _strength(entry: IngredientEntry) -> str:
    if entry.strength_value is None:
        return ""
    return f"{format_number(entry.strength_value)} {entry.strength_unit}"


def _shorten(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell; the last column is not padded."""
    rows = [[printable_line(cell) for cell in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headings)]
    lines = []
    for cells in (headings, ["-" * w for w in widths], *rows):
        padded = [c.ljust(w) for c, w in zip(cells[:-1], widths)] + [cells[-1]]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def _name(entry: IngredientEntry | ProductEntry) -> str:
    return _shorten(entry.name) + (" (retired)" if entry.retired else "")


def list_command(args: argparse.Namespace, context: CommandContext) -> int:
    with read(context.database, context.actor) as uow:
        if args.products:
            entries = catalog_service.list_products(uow, args.include_retired)
        else:
            entries = catalog_service.list_ingredients(uow, args.include_retired)
    shown = filter_entries(entries, args.search, category=args.category)
    if args.products:
        headings = ("code", "name", "category", "maker", "cautions")
        rows = [(e.code, _name(e), e.category, _shorten(e.maker, 30), ", ".join(e.caution_tags))
                for e in shown]
    else:
        headings = ("code", "name", "category", "strength", "cautions")
        rows = [(e.code, _name(e), e.category, _strength(e), ", ".join(e.caution_tags))
                for e in shown]
    if rows:
        print(format_table(headings, rows))
    kind = "products" if args.products else "ingredients"
    print(f"{len(rows)} of {len(entries)} {kind} shown.")
    return 0


MAX_CSV_BYTES = 64 * 1024 * 1024
"""Largest catalog file read (the shipped catalog is well under 1 MB)."""


def read_csv_file(path: Path) -> str:
    """The file's text; a missing, unreadable, too big or non-UTF-8 file is a ValidationError."""
    try:
        too_big = size_problem(path.stat().st_size, str(path), MAX_CSV_BYTES)
        if too_big is not None:
            raise ValidationError([too_big])
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ValidationError(f"cannot read the file: {exc.strerror or exc}", where=str(path))
    except UnicodeDecodeError:
        raise ValidationError("the file is not UTF-8 text; save it from the spreadsheet as "
                              "'CSV UTF-8'", where=str(path)) from None


def import_command(args: argparse.Namespace, context: CommandContext) -> int:
    text = read_csv_file(args.file)
    products = args.products or csv_kind(text) == "products"
    progress = CommandProgress("Importing")
    try:
        with work(context.database, context.actor) as uow:
            if products:
                report = catalog_service.import_products_csv(uow, text, progress)
            else:
                report = catalog_service.import_ingredients_csv(uow, text, progress)
    except KeyboardInterrupt:
        print("mesoplan: import cancelled; the catalog was not changed.", file=sys.stderr)
        return 130
    except ValidationError as exc:
        name = args.file.name
        raise ValidationError([Problem(f"{name}, {p.where}" if p.where else name, p.message)
                               for p in exc.problems]) from None
    print(f"Imported {args.file}: {report}.")
    return 0


def export_command(args: argparse.Namespace, context: CommandContext) -> int:
    with read(context.database, context.actor) as uow:
        if args.products:
            text = catalog_service.export_products_csv(uow, args.include_retired)
        else:
            text = catalog_service.export_ingredients_csv(uow, args.include_retired)
    if args.file == "-":
        sys.stdout.write(text)
        return 0
    path = Path(args.file)
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise ValidationError(f"cannot write the file: {exc.strerror or exc}", where=str(path))
    count = sum(1 for _ in csv.reader(io.StringIO(text, newline=""))) - 1
    print(f"Wrote {count} {'products' if args.products else 'ingredients'} to {path}.")
    return 0
