"""Unexpected errors, written down for support without a single patient record in them (no Qt).

An exception's message can carry the data it failed on: a database error repeats the failing
row ("Failing row contains (…, 'Smith', …)"), a KeyError its key, a ValueError the text it could
not read. So neither the screen nor the log ever shows an unexpected exception's message: the
log keeps the exception's type, the database's error code and constraint, and where in the
program it happened (file, line, function, the line of code). ``record(exc)`` appends that to
``log_path()`` (owner-only, in the data folder) and returns the path to tell the person.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import traceback
from pathlib import Path

from mesoplan import __version__

LOG_NAME = "mesoplan-errors.log"
MAX_LOG_BYTES = 1_000_000
"""When the log grows past this, it is moved to ``*.1`` (replacing the older one)."""


def log_path() -> Path:
    from mesoplan.paths import data_dir

    return data_dir() / "logs" / LOG_NAME


def _kind(exc: BaseException) -> str:
    name = type(exc).__qualname__
    module = type(exc).__module__
    return name if module in ("builtins", "__main__") else f"{module}.{name}"


def _database_details(exc: BaseException) -> str:
    """The SQLSTATE / error code and the constraint or table named by a driver error (no data)."""
    orig = getattr(exc, "orig", None)
    if orig is None:
        return ""
    parts = [f"driver error {_kind(orig)}"]
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code:
        parts.append(f"SQLSTATE {code}")
    diag = getattr(orig, "diag", None)
    for field in ("table_name", "column_name", "constraint_name"):
        value = getattr(diag, field, None) if diag is not None else None
        if value:
            parts.append(f"{field.replace('_', ' ')} {value}")
    sqlite_code = getattr(orig, "sqlite_errorname", None)
    if sqlite_code:
        parts.append(str(sqlite_code))
    return ", ".join(parts)


def safe_report(exc: BaseException) -> str:
    """Type, database codes and the program's frames of ``exc`` and its causes — no messages."""
    lines: list[str] = []
    seen: set[int] = set()
    previous: BaseException | None = None
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if previous is not None:
            lines.append("  caused by:" if current is previous.__cause__ else "  while handling:")
        lines.append(f"  {_kind(current)}")
        details = _database_details(current)
        if details:
            lines.append(f"    ({details})")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"    {frame.filename}:{frame.lineno} in {frame.name}")
        previous, current = current, current.__cause__ or current.__context__
    return "\n".join(lines)


def _open_log(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
        os.replace(path, path.with_name(path.name + ".1"))
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    return os.fdopen(fd, "a", encoding="utf-8")


def write_entry(text: str) -> Path | None:
    """Append ``text`` with a time stamp to the log; the log's path, or None if it cannot be written."""
    path = log_path()
    try:
        with _open_log(path) as handle:
            stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            handle.write(f"--- {stamp} MesoPlan {__version__}\n{text}\n")
    except OSError:
        return None
    return path


def record(exc: BaseException, what: str = "") -> Path | None:
    """Write ``exc`` to the log safely (see the module's docstring); where it went, or None."""
    heading = f"{what}\n" if what else ""
    return write_entry(heading + safe_report(exc))


def where_told(path: Path | None) -> str:
    """The sentence that tells people where the details went."""
    if path is None:
        return "The details could not be written to a log file."
    return f"The details for support are in {path}."


class SafeLogHandler(logging.Handler):
    """Sends WARNING and worse to the error log: the call's fixed message (never its arguments,
    which may carry records) and ``safe_report`` of any exception."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = f"{record.levelname} {record.name}: {record.msg}"
            if record.exc_info and record.exc_info[1] is not None:
                text += "\n" + safe_report(record.exc_info[1])
            write_entry(text)
        except Exception:  # noqa: BLE001 - logging must never fail the program
            pass


def install_logging() -> None:
    """Route the program's warnings and errors to the safe log instead of the terminal."""
    root = logging.getLogger()
    if not any(isinstance(h, SafeLogHandler) for h in root.handlers):
        root.addHandler(SafeLogHandler())
