"""``mesoplan privacy export|anonymise|due``: access and portability requests, and anonymisation."""

from __future__ import annotations

import argparse
from pathlib import Path

from mesoplan.commands.exchange import write_json_file
from mesoplan.services.privacy import (
    anonymisation_candidates,
    anonymise_patient,
    export_patient_record,
)
from mesoplan.services.uow import read, work


def patient_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a patient number (a whole number from 1)")
    return int(text)


def register(subparsers) -> None:
    privacy = subparsers.add_parser("privacy", help="a patient's complete record; anonymisation",
                                    description="Answer access and portability requests, and "
                                    "anonymise patients whose retention period has passed.")
    commands = privacy.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)
    export = commands.add_parser("export", help="write everything held about one patient to JSON",
                                 description="The patient's records in the exchange format "
                                 "(importable elsewhere) plus the documents issued to them and "
                                 "the audit entries about them.")
    export.add_argument("patient", type=patient_number, help="the patient number")
    export.add_argument("file", type=Path, help="the JSON file to write ('-' for standard output)")
    export.set_defaults(handler=run_export)
    anonymise = commands.add_parser("anonymise", help="anonymise a patient after the retention period")
    anonymise.add_argument("patient", type=patient_number, help="the patient number")
    anonymise.set_defaults(handler=run_anonymise)
    due = commands.add_parser("due", help="list patients whose retention period has passed")
    due.set_defaults(handler=run_due)


def run_export(args, context) -> int:
    with work(context.database, context.actor) as uow:
        document = export_patient_record(uow, args.patient)
    write_json_file(args.file, document)
    if str(args.file) != "-":
        extra = document["privacy_request"]
        print(f"Wrote the record of patient {args.patient} to {args.file} "
              f"({len(extra['issued_documents'])} document(s), {len(extra['audit_trail'])} audit entries)")
    return 0


def run_anonymise(args, context) -> int:
    with work(context.database, context.actor) as uow:
        result = anonymise_patient(uow, args.patient)
    print(f"Anonymised patient {result.patient_id}: {result.screenings} screening(s), "
          f"{result.plans} plan(s), {result.sessions} session(s), {result.documents} document(s); "
          f"{result.audit_entries_redacted} audit entries redacted")
    return 0


def run_due(args, context) -> int:
    with read(context.database, context.actor) as uow:
        due = anonymisation_candidates(uow)
    if not due:
        print("No patient's retention period has passed.")
    for status in due:
        print(f"patient {status.patient_id:>7}  last record {status.last_record_on.isoformat()}  "
              f"may be anonymised since {status.may_anonymise_from.isoformat()}")
    return 0
