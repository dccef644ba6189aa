"""``mesoplan export FILE [--patient ID]`` and ``mesoplan import [--copy] FILE``: records in the
exchange format, with progress on standard error for big files; Ctrl+C cancels and undoes all."""

from __future__ import annotations

import sys
from pathlib import Path

from mesoplan.commands.progress import CommandProgress
from mesoplan.errors import MesoPlanError
from mesoplan.commands.arguments import record_number
from mesoplan.files import json_bytes, read_json_file, write_private_file
from mesoplan.services.exchange import AlreadyImported, export_document, import_document
from mesoplan.services.uow import work


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export", help="write patient records to a JSON exchange file",
        description="Write every patient (or one) with screenings, plans, cocktails and sessions "
        "to a JSON file in the MesoPlan exchange format (docs/exchange-format.md).")
    export.add_argument("file", type=Path, help="the JSON file to write ('-' for standard output)")
    export.add_argument("--patient", type=record_number("patient number"), metavar="ID", help="export only this patient")
    export.set_defaults(handler=run_export)
    imp = subparsers.add_parser(
        "import", help="add patient records from a JSON exchange file",
        description="Check the whole file, then add its patients as new records. If anything is "
        "wrong, every problem is listed with its JSON path and nothing is imported.")
    imp.add_argument("file", type=Path, help="the JSON file to read")
    imp.add_argument("--copy", action="store_true",
                     help="import the file even though it was exported from or imported into "
                     "this database before (adds a second record of each patient)")
    imp.set_defaults(handler=run_import)


def write_json_file(path: Path, document: dict) -> None:
    """Write atomically, readable by the owner only ('-': standard output)."""
    if str(path) == "-":
        print(json_bytes(document).decode("utf-8"), end="")
        return
    write_private_file(path, json_bytes(document))


def run_export(args, context) -> int:
    try:
        with work(context.database, context.actor) as uow:
            document = export_document(uow, args.patient, progress=CommandProgress("Exporting"))
            write_json_file(args.file, document)  # audited only if written
    except KeyboardInterrupt:
        print("mesoplan: export cancelled; no file was written.", file=sys.stderr)
        return 130
    if str(args.file) != "-":
        print(f"Exported {len(document['patients'])} patient(s) to {args.file}")
    return 0


def run_import(args, context) -> int:
    data = read_json_file(args.file)
    try:
        with work(context.database, context.actor) as uow:
            summary = import_document(uow, data, as_copy=args.copy,
                                      progress=CommandProgress("Importing"))
    except AlreadyImported as exc:
        raise MesoPlanError(f"{exc} To do that, run: mesoplan import --copy {args.file}") from None
    except KeyboardInterrupt:
        print("mesoplan: import cancelled; nothing was imported.", file=sys.stderr)
        return 130
    copy = " (as a copy)" if args.copy else ""
    print(f"Imported {summary.patients} patient(s), {summary.screenings} screening(s), "
          f"{summary.plans} plan(s) and {summary.sessions} session(s) from {args.file}{copy}")
    return 0
