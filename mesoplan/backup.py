"""SQLite file safety (no SQLAlchemy): consistent copies taken while in use, and integrity checks.

Copies use SQLite's online backup API, so they are consistent even while the app writes. Every
file is written under a temporary name, flushed to disk and then renamed into place, so a crash
or a full disk never leaves a half-written file under the real name.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


def owner_only_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) readable by the owner only; existing ones stay as they are."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir(mode=0o700, exist_ok=True)
        os.chmod(each, 0o700)  # mkdir's mode is reduced by the umask


def read_only_uri(path: Path) -> str:
    """A ``file:`` URI that opens ``path`` read-only (any character in the name is escaped)."""
    return path.resolve().as_uri() + "?mode=ro"


def looks_like_sqlite(path: Path) -> bool:
    """True when the file starts with SQLite's 16-byte header."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def new_partial_file(target: Path) -> Path:
    """An empty owner-only file beside ``target`` to write into before renaming it into place."""
    owner_only_folder(target.parent)
    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        partial.unlink()
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(fd)
    return partial


def sqlite_online_copy(source: Path | sqlite3.Connection, target: Path) -> None:
    """Copy a database to ``target`` page by page; consistent even while others write.

    ``source`` is a path (opened read-only) or an open connection. The copy is a standalone file
    (rollback journal, no ``-wal``), readable by the owner only, renamed into place when complete.
    """
    partial = new_partial_file(target)
    own = not isinstance(source, sqlite3.Connection)
    src = sqlite3.connect(read_only_uri(source), uri=True) if own else source
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        fsync_file(partial)
        os.replace(partial, target)
        fsync_folder(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        if own:
            src.close()


def integrity_problems(connection: sqlite3.Connection, *, full: bool = True) -> list[str]:
    """``PRAGMA integrity_check`` (or the faster ``quick_check``): [] when the file is sound."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = [row[0] for row in connection.execute(f"PRAGMA {pragma}(20)")]
    except sqlite3.OperationalError:
        raise  # locked, interrupted, cannot open: not a verdict about the file's contents
    except sqlite3.DatabaseError as exc:  # damaged so badly that the check itself stops
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def file_integrity_problems(path: Path, *, full: bool = True) -> list[str]:
    """Integrity problems of the database file at ``path`` (opened read-only)."""
    connection = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return integrity_problems(connection, full=full)
    finally:
        connection.close()


@dataclass(frozen=True)
class QuickCheck:
    """The start-up check: whether it finished within its time budget and what it found."""

    finished: bool
    problems: tuple[str, ...]
    seconds: float


def quick_check_within(connection: sqlite3.Connection, budget_s: float) -> QuickCheck:
    """Run ``PRAGMA quick_check``, giving up (unfinished, not failed) after ``budget_s`` seconds.

    On a warm cache a 1.5 GB database takes about 1.4 s and a cold one (just after boot) 25 s,
    so start-up does not wait for big files: the full ``integrity_check`` of every backup covers
    the whole file instead.
    """
    started = time.monotonic()
    # The check is one long step for SQLite, so a progress handler never fires during it; an
    # interrupt from a timer thread does (sqlite3 allows interrupt() from any thread).
    timer = threading.Timer(budget_s, connection.interrupt)
    timer.daemon = True
    timer.start()
    try:
        problems = tuple(integrity_problems(connection, full=False))
        return QuickCheck(True, problems, time.monotonic() - started)
    except sqlite3.OperationalError as exc:
        if "interrupt" not in str(exc).lower():
            raise
        return QuickCheck(False, (), time.monotonic() - started)
    finally:
        timer.cancel()
