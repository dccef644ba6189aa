"""``mesoplan documents``: consent forms and aftercare sheets as PDF files, for one plan or a whole day.

Every file written is recorded as an issued document (with its fingerprint) and audited. Files are
readable by their owner only; on a bad date, a missing folder or any failure, nothing is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from mesoplan.commands.arguments import record_number
from mesoplan.errors import MesoPlanError
from mesoplan.services.day_schedule import (
    check_output_folder,
    prepare_day_set,
    record_day_set,
    write_pdf_files,
)
from mesoplan.services.documents import KIND_LABELS, prepare_document, record_issue
from mesoplan.services.uow import read, work


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "documents", help="write consent forms and aftercare sheets as PDF files",
        description="Write a plan's consent form and/or aftercare sheet, or every session's pair for one\n"
        "day, as PDF files. Each file counts as an issued document: it is recorded with its\n"
        "fingerprint and can be reprinted identically from the application.",
        epilog="examples:\n  mesoplan documents --plan 12 --consent consent.pdf --aftercare aftercare.pdf\n"
        "  mesoplan documents --day 2026-11-25 --out ~/today",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--plan", type=record_number("plan number"), metavar="ID", help="the plan (see 'mesoplan plan list')")
    which.add_argument("--day", metavar="YYYY-MM-DD", help="every session booked on this day")
    parser.add_argument("--consent", type=Path, metavar="FILE", help="with --plan: write the consent form here")
    parser.add_argument("--aftercare", type=Path, metavar="FILE", help="with --plan: write the aftercare sheet here")
    parser.add_argument("--out", type=Path, metavar="FOLDER",
                        help="with --day: the existing folder to write the day's files into")
    parser.set_defaults(handler=run_documents)


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise MesoPlanError(f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-25. "
                            "Nothing was written.") from None


def run_documents(args, context) -> int:
    if args.plan is not None:
        if args.out is not None:
            raise MesoPlanError("--out goes with --day; with --plan, name the files with --consent and/or "
                                "--aftercare. Nothing was written.")
        return run_plan_documents(args, context)
    if args.consent is not None or args.aftercare is not None:
        raise MesoPlanError("--consent and --aftercare go with --plan; with --day, name a folder with --out. "
                            "Nothing was written.")
    return run_day_documents(args, context)


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise MesoPlanError(f"{path} is a folder; give a file name such as {path / 'consent.pdf'}. "
                            "Nothing was written.")
    check_output_folder(path.parent if str(path.parent) else Path("."))


def warn_unprintable(prepared, what: str) -> None:
    """Tell (on stderr) which characters of which field the document cannot print, if any."""
    for problem in prepared.unprintable:
        if problem.chars:
            print(f"Warning: {what}: {problem.field}: "
                  f"{', '.join(_describe(c) for c in problem.chars)} cannot be printed (no installed font has "
                  f"{'it' if len(problem.chars) == 1 else 'them'}); printed as the character code instead.",
                  file=sys.stderr)
        if problem.mixed_words:
            print(f"Warning: {what}: {problem.field}: {', '.join(problem.mixed_words)} mixes right-to-left "
                  "letters with other letters or digits in one word and prints in the wrong order.",
                  file=sys.stderr)


def _describe(char: str) -> str:
    from mesoplan.documents.scripts import describe

    return describe(char)


def run_plan_documents(args, context) -> int:
    targets = [(kind, path) for kind, path in (("consent", args.consent), ("aftercare", args.aftercare)) if path]
    if not targets:
        raise MesoPlanError("Say which document to write: --consent FILE and/or --aftercare FILE. "
                            "Nothing was written.")
    if len(targets) == 2 and targets[0][1].resolve() == targets[1][1].resolve():
        raise MesoPlanError("--consent and --aftercare name the same file. Nothing was written.")
    for _kind, path in targets:
        _check_target(path)
    with read(context.database, context.actor) as uow:
        prepared = [(prepare_document(uow, args.plan, kind), path) for kind, path in targets]
    for document, path in prepared:
        warn_unprintable(document, f"{KIND_LABELS[document.kind]} for plan {args.plan} ({path.name})")
    written: list[Path] = []
    try:
        for document, path in prepared:
            written += write_pdf_files(path.parent, [(path.name, document.pdf)])
        with work(context.database, context.actor) as uow:
            records = [record_issue(uow, document) for document, _path in prepared]
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    for record, path in zip(records, written):
        print(f"{record.kind_label} for {record.patient_name} (plan {record.plan_id}): {path} "
              f"[document {record.id}, {record.page_count} page(s), fingerprint {record.fingerprint[:16]}…]")
    return 0


def run_day_documents(args, context) -> int:
    if args.out is None:
        raise MesoPlanError("Name the folder for the day's files with --out FOLDER. Nothing was written.")
    day = parse_day(args.day)
    folder = check_output_folder(args.out)
    with read(context.database, context.actor) as uow:
        documents = prepare_day_set(uow, day)
    if not documents:
        print(f"No sessions to print on {day.isoformat()}; nothing was written.")
        return 0
    for document in documents:
        warn_unprintable(document.prepared, f"{KIND_LABELS[document.prepared.kind]} for plan "
                                            f"{document.session.plan_id} ({document.file_name})")
    written = write_pdf_files(folder, [(d.file_name, d.prepared.pdf) for d in documents])
    try:
        with work(context.database, context.actor) as uow:
            record_day_set(uow, documents)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    sessions = {d.session.session_id: d.session for d in documents}
    print(f"{day.isoformat()}: {len(sessions)} session(s), {len(documents)} document(s) written to {folder}")
    for document, path in zip(documents, written):
        session = document.session
        time = session.time.strftime("%H:%M") if session.time else "--:--"
        print(f"  {time}  {session.full_name:<30}  {KIND_LABELS[document.prepared.kind]:<15}  {path.name}")
    return 0
