"""``mesoplan demo``: fill an empty database with an invented demo clinic to try the app on."""

from __future__ import annotations

from mesoplan.services.demo import make_demo_clinic
from mesoplan.services.uow import work


def register(subparsers) -> None:
    demo = subparsers.add_parser(
        "demo", help="fill an empty database with a demo clinic",
        description="Fill an empty database with an invented clinic: practitioners, patients with "
        "screenings, plans with past and future sessions, batches, and plans with safety findings. "
        "Use --database to make a separate demo database.")
    demo.set_defaults(handler=run_demo)


def run_demo(args, context) -> int:
    with work(context.database, context.actor) as uow:
        counts = make_demo_clinic(uow)
    print(f"Demo clinic ready in {context.database.describe()}: {counts['patients']} patients, "
          f"{counts['screenings']} screenings, {counts['plans']} plans, {counts['sessions']} sessions.")
    return 0
