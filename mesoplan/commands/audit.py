"""``mesoplan audit verify`` and ``mesoplan audit list``: check and read the audit trail.

``verify`` exits with status 1 and names the first broken link when a past entry was changed or
deleted. Both need the administrator role once the database has user accounts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from mesoplan.services.audit import AuditFilter, browse_audit, verify_audit_chain
from mesoplan.services.uow import read


def day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def count(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 100_000:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number from 1 to 100000")
    return int(text)


def register(subparsers) -> None:
    audit = subparsers.add_parser("audit", help="verify or read the audit trail",
                                  description="The audit trail records who changed, printed, "
                                  "exported or signed in, when, and what changed.")
    commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = commands.add_parser("verify", help="check that no past entry was changed or deleted")
    verify.set_defaults(handler=run_verify)
    listing = commands.add_parser("list", help="show entries, newest first")
    listing.add_argument("--since", type=day, metavar="YYYY-MM-DD", help="from this local day")
    listing.add_argument("--until", type=day, metavar="YYYY-MM-DD", help="up to this local day")
    listing.add_argument("--actor", default="", help="part of the name of who acted")
    listing.add_argument("--action", default="", help="an action, e.g. plan.update, or a group: plan")
    listing.add_argument("--entity", default="", metavar="TYPE[:ID]",
                         help="what it is about, e.g. patient or patient:12")
    listing.add_argument("--limit", type=count, default=50, help="how many entries (default 50)")
    listing.add_argument("--json", action="store_true", help="print JSON with before/after values")
    listing.set_defaults(handler=run_list)


def run_verify(args, context) -> int:
    with read(context.database, context.actor) as uow:
        report = verify_audit_chain(uow)
    print(report.describe())
    return 0 if report.ok else 1


def run_list(args, context) -> int:
    entity_type, _, entity_id = args.entity.partition(":")
    flt = AuditFilter(since=args.since, until=args.until, actor=args.actor, action=args.action,
                      entity_type=entity_type, entity_id=entity_id)
    with read(context.database, context.actor) as uow:
        entries = browse_audit(uow, flt, limit=args.limit)
    if args.json:
        print(json.dumps([{"id": e.id, "at": e.at.isoformat() + "Z", "actor": e.actor,
                           "action": e.action, "entity_type": e.entity_type,
                           "entity_id": e.entity_id, "summary": e.summary, "before": e.before,
                           "after": e.after} for e in entries], ensure_ascii=False, indent=2))
        return 0
    for e in entries:
        about = f"{e.entity_type} {e.entity_id}".strip()
        print(f"{e.id:>7}  {e.at:%Y-%m-%d %H:%M:%S}Z  {e.actor:<28}  {e.action:<18} {about:<16} {e.summary}")
    if not entries:
        print("No matching entries.")
    return 0
