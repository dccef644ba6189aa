"""The ``mesoplan`` command: with no sub-command it opens the app; sub-commands work headless.

Each group of sub-commands lives in ``mesoplan.commands.<name>`` and registers itself with
``register(subparsers)``; they are only imported when a command is given, so opening the window
does not pay for them. Errors a person can act on are printed as one clear message (exit 1);
usage errors exit 2. Anything unexpected prints one plain line naming the log file where the
details went (``mesoplan.errorlog``, which never writes a record's content) and exits 1. Nothing here imports Qt unless the window is opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from mesoplan import __version__
from mesoplan.commands.context import CommandContext
from mesoplan.errors import MesoPlanError, ValidationError


def _global_parser(**kwargs) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        **kwargs,
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
    return parser


def build_parser() -> argparse.ArgumentParser:
    from mesoplan.commands import command_modules

    parser = _global_parser()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in command_modules():
        module.register(subparsers)
    return parser


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The global options alone when no command is given (the window opens), else everything."""
    argv = list(sys.argv[1:] if argv is None else argv)
    known, rest = _global_parser(add_help=False).parse_known_args(argv)
    if not rest and not {"-h", "--help", "--version"} & set(argv):
        known.command = None
        return known
    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    context = CommandContext(database_url=args.database, user=args.user)
    try:
        if args.command is None:
            from mesoplan.ui.app import run_app

            return run_app(context.url)
        return int(args.handler(args, context) or 0)
    except ValidationError as exc:
        problems = "\n".join(f"  - {problem}" for problem in exc.problems)
        print(f"mesoplan: nothing was changed, because:\n{problems}", file=sys.stderr)
        return 1
    except MesoPlanError as exc:
        print(f"mesoplan: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. "mesoplan plan list | head": the reader stopped early
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return 0
    except KeyboardInterrupt:
        print("mesoplan: interrupted; nothing more was changed.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one plain line, never a traceback or a record
        from mesoplan import errorlog

        path = errorlog.record(exc, f"mesoplan {args.command or ''}".strip())
        print(f"mesoplan: something unexpected went wrong ({type(exc).__name__}); the step that "
              f"failed was undone. {errorlog.where_told(path)}", file=sys.stderr)
        return 1
    finally:
        context.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
