"""One user action = one unit of work: a transaction, the acting user and the audit trail.

Screens and commands do ``with work(db, actor) as uow: service(uow, ...)``; services take the
unit of work, never commit, and record what they change with ``uow.audit(...)``. Leaving the
``with`` block commits everything (changes and their audit entries) or nothing. A save that lost
a race with another workstation (the row's version moved on) becomes a ``ConflictError`` naming
who saved first, never a silent overwrite.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from sqlalchemy import inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mesoplan.access import Actor, Permission
from mesoplan.audit_chain import GENESIS_HASH, entry_hash, json_safe
from mesoplan.db.engine import Database
from mesoplan.db.models import AuditEntry, AuditHead, utcnow
from mesoplan.errors import ConflictError, DatabaseUnavailable


@dataclass
class UnitOfWork:
    session: Session
    actor: Actor
    database: Database
    changes: set[str] = field(default_factory=set)
    """What kinds of record this unit changed ("patient", "plan", ...), for screens to refresh."""
    writable: bool = True
    """False for ``read()`` units, whose transaction is always rolled back."""

    def require(self, permission: Permission) -> None:
        self.actor.require(permission)

    def audit(
        self, action: str, entity_type: str = "", entity_id: Any = "", summary: str = "",
        before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
    ) -> None:
        """Append one link to the hash-chained audit trail, in this unit's transaction."""
        if not self.writable:
            # A read() unit is rolled back, so the entry would silently vanish: a programming error.
            raise RuntimeError(f"'{action}' must be recorded in a work() unit, not a read() unit")
        head = lock_audit_head(self.session)
        at = utcnow()
        entity_id = "" if entity_id is None else str(entity_id)
        before, after = json_safe(before), json_safe(after)
        digest = entry_hash(head.last_hash, at, self.actor.name, action, entity_type, entity_id,
                            summary, before, after)
        entry = AuditEntry(at=at, actor=self.actor.name, action=action, entity_type=entity_type,
                           entity_id=entity_id, summary=summary, before=before, after=after,
                           prev_hash=head.last_hash, hash=digest)
        self.session.add(entry)
        self.session.flush()
        head.last_entry_id = entry.id
        head.last_hash = digest
        if entity_type:
            self.changes.add(entity_type)


def lock_audit_head(session: Session) -> AuditHead:
    """The chain's head row, locked until commit (PostgreSQL: FOR UPDATE; SQLite: the write lock).

    The row is created on first use with ON CONFLICT DO NOTHING, so two workstations writing the
    very first entries at once cannot both create it.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.flush()  # the head's pending changes from an earlier entry of this unit
    if session.get(AuditHead, 1) is None:
        session.execute(insert(AuditHead).values(id=1, last_entry_id=0, last_hash=GENESIS_HASH)
                        .on_conflict_do_nothing())
    return session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()
                           .execution_options(populate_existing=True)).one()


_STALE_TABLE = re.compile(r"on table '([^']+)'")
_LABELS = {"treatment_plan": "Plan", "patient": "Patient", "clinic_settings": "The clinic settings",
           "app_user": "User"}


def _stale_rows(session: Session, exc: StaleDataError) -> list[tuple[type, Any]]:
    """(class, primary key) of the versioned rows of the table this failed flush tried to change.

    A failed flush no longer marks which objects were dirty, so every versioned row of that
    table in the unit's identity map is a candidate (normally there is one).
    """
    match = _STALE_TABLE.search(str(exc))
    table = match.group(1) if match else None
    rows = []
    for obj in list(session.identity_map.values()):
        mapper = type(obj).__mapper__
        if mapper.version_id_col is None or (table and mapper.local_table.name != table):
            continue
        identity = inspect(obj).identity  # read without touching the (rolled back) transaction
        if identity:
            rows.append((type(obj), identity[0]))
    return rows


def _conflict(database: Database, rows: list[tuple[type, Any]]) -> ConflictError:
    if not rows:
        return ConflictError("This record", "", None)
    cls, key = rows[0]
    label = _LABELS.get(cls.__tablename__, cls.__tablename__.replace("_", " ").capitalize())
    what = label if cls.__tablename__ == "clinic_settings" else f"{label} {key}"
    with database.sessions() as session:
        current = session.get(cls, key)
        if current is None:
            return ConflictError(f"{what} (since deleted)", "", None)
        return ConflictError(what, getattr(current, "updated_by", "") or "",
                             getattr(current, "updated_at", None))


@contextmanager
def work(database: Database, actor: Actor) -> Iterator[UnitOfWork]:
    """A writing unit of work: commits on success, rolls back on any exception."""
    stale: list[tuple[type, Any]] | None = None
    try:
        with database.write_sessions.begin() as session:
            try:
                yield UnitOfWork(session=session, actor=actor, database=database)
            except StaleDataError as exc:
                stale = _stale_rows(session, exc)
                raise
    except StaleDataError as exc:
        raise _conflict(database, stale or []) from exc
    except OperationalError as exc:
        raise DatabaseUnavailable.from_exception(database.url, exc) from exc


@contextmanager
def read(database: Database, actor: Actor) -> Iterator[UnitOfWork]:
    """A read-only unit of work (rolled back at the end; nothing it does is kept)."""
    session = database.sessions()
    try:
        yield UnitOfWork(session=session, actor=actor, database=database, writable=False)
    except OperationalError as exc:
        raise DatabaseUnavailable.from_exception(database.url, exc) from exc
    finally:
        session.rollback()
        session.close()
