"""The ``mesoplan`` command: with no sub-command it opens the app; sub-commands work headless.

Each group of sub-commands lives in ``mesoplan.commands.<name>`` and registers itself with
``register(subparsers)``. Errors a person can act on are printed as one clear message (exit 1);
usage errors exit 2. Nothing here imports Qt unless the window is opened.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mesoplan import __version__
from mesoplan.commands import COMMAND_MODULES
from mesoplan.commands.context import CommandContext
from mesoplan.errors import MesoPlanError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mesoplan",
        description="MesoPlan: treatment planning for mesotherapy clinics. "
        "Without a command, the application window opens.",
    )
    parser.add_argument("--version", action="version", version=f"MesoPlan {__version__}")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database to open, e.g. sqlite:////path/clinic.sqlite3 or "
        "postgresql+psycopg://user:password@host/dbname (default: MESOPLAN_DATABASE_URL, "
        "else a SQLite file in your user data folder)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="who runs the command, once the database has user accounts (the password is asked "
        "for, or read from MESOPLAN_PASSWORD); without accounts, commands act as the local "
        "administrator",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    context = CommandContext(database_url=args.database, user=args.user)
    try:
        if args.command is None:
            from mesoplan.ui.app import run_app

            return run_app(context.url)
        return int(args.handler(args, context) or 0)
    except MesoPlanError as exc:
        print(f"mesoplan: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("mesoplan: interrupted; nothing more was changed.", file=sys.stderr)
        return 130
    finally:
        context.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
