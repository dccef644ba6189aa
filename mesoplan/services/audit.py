"""Reading the audit trail (service layer): browse and filter it, and verify its hash chain.

Entries are written by ``UnitOfWork.audit``; this module only reads them. Browsing and verifying
need ``Permission.VIEW_AUDIT``; ``chain_report(session)`` is the unchecked walk used when a
backup is validated. Times are stored in UTC; a date given as a filter means that local day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from mesoplan.access import Permission
from mesoplan.audit_chain import ChainLink, ChainReport, redaction_digest, verify_chain
from mesoplan.db.models import AuditEntry, AuditHead
from mesoplan.services.uow import UnitOfWork


@dataclass(frozen=True)
class AuditRecord:
    """One entry as the audit screen shows it (``at`` in UTC)."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def redacted(self) -> bool:
        """True when anonymisation removed this entry's details (its digest is kept)."""
        return redaction_digest(self.before) is not None


@dataclass(frozen=True)
class AuditFilter:
    """What to show. Dates are local days (inclusive); datetimes are UTC. Empty fields match all."""

    since: dt.date | dt.datetime | None = None
    until: dt.date | dt.datetime | None = None
    actor: str = ""
    """Part of the actor's name, any case."""
    action: str = ""
    """An action ('plan.update') or a group of them ('plan' matches 'plan.create' and 'plan.update')."""
    entity_type: str = ""
    entity_id: str = ""


def utc_bounds(since: dt.date | dt.datetime | None, until: dt.date | dt.datetime | None
               ) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[start, end) in naive UTC; a date means the whole local day."""
    def to_utc(value: dt.date | dt.datetime, *, end: bool) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None) if value.tzinfo is None else \
                value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        day = value + dt.timedelta(days=1) if end else value
        local = dt.datetime.combine(day, dt.time()).astimezone()
        return local.astimezone(dt.timezone.utc).replace(tzinfo=None)

    start = to_utc(since, end=False) if since is not None else None
    stop = to_utc(until, end=True) if until is not None else None
    if isinstance(until, dt.datetime):
        stop = stop + dt.timedelta(microseconds=1)
    return start, stop


def _conditions(flt: AuditFilter) -> list:
    conditions = []
    start, stop = utc_bounds(flt.since, flt.until)
    if start is not None:
        conditions.append(AuditEntry.at >= start)
    if stop is not None:
        conditions.append(AuditEntry.at < stop)
    if flt.actor.strip():
        conditions.append(func.lower(AuditEntry.actor).contains(flt.actor.strip().lower(),
                                                                autoescape=True))
    if flt.action.strip():
        action = flt.action.strip()
        conditions.append(or_(AuditEntry.action == action,
                              AuditEntry.action.startswith(action + ".", autoescape=True)))
    if flt.entity_type.strip():
        conditions.append(AuditEntry.entity_type == flt.entity_type.strip())
    if str(flt.entity_id).strip():
        conditions.append(AuditEntry.entity_id == str(flt.entity_id).strip())
    return conditions


def _record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(row.id, row.at, row.actor, row.action, row.entity_type, row.entity_id,
                       row.summary, row.before, row.after)


def browse_audit(uow: UnitOfWork, flt: AuditFilter = AuditFilter(), *, limit: int = 200,
                 before_id: int | None = None) -> list[AuditRecord]:
    """Matching entries, newest first; pass the last id shown as ``before_id`` for the next page."""
    uow.require(Permission.VIEW_AUDIT)
    query = select(AuditEntry).where(*_conditions(flt))
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    query = query.order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 10_000)))
    return [_record(row) for row in uow.session.scalars(query)]


def count_audit(uow: UnitOfWork, flt: AuditFilter = AuditFilter()) -> int:
    uow.require(Permission.VIEW_AUDIT)
    return uow.session.scalar(select(func.count(AuditEntry.id)).where(*_conditions(flt))) or 0


def audit_choices(uow: UnitOfWork) -> tuple[list[str], list[str], list[str]]:
    """(actions, actors, entity types) that occur, sorted: the filter lists of the audit screen."""
    uow.require(Permission.VIEW_AUDIT)
    def distinct(column) -> list[str]:
        return sorted(v for v in uow.session.scalars(select(column).distinct()) if v)
    return distinct(AuditEntry.action), distinct(AuditEntry.actor), distinct(AuditEntry.entity_type)


def entries_about(uow: UnitOfWork, entities: Iterable[tuple[str, str]]) -> list[AuditRecord]:
    """Every entry about any of the (entity type, entity id) pairs, oldest first (no permission check:
    callers decide, e.g. the privacy export of a patient's record)."""
    pairs = {(kind, str(key)) for kind, key in entities}
    if not pairs:
        return []
    rows: list[AuditEntry] = []
    by_type: dict[str, list[str]] = {}
    for kind, key in pairs:
        by_type.setdefault(kind, []).append(key)
    for kind, keys in by_type.items():
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            rows += uow.session.scalars(select(AuditEntry).where(
                and_(AuditEntry.entity_type == kind, AuditEntry.entity_id.in_(chunk))))
    return [_record(row) for row in sorted(rows, key=lambda r: r.id)]


def _links(session: Session) -> Iterator[ChainLink]:
    query = select(AuditEntry.id, AuditEntry.at, AuditEntry.actor, AuditEntry.action,
                   AuditEntry.entity_type, AuditEntry.entity_id, AuditEntry.summary,
                   AuditEntry.before, AuditEntry.after, AuditEntry.prev_hash, AuditEntry.hash
                   ).order_by(AuditEntry.id).execution_options(yield_per=2000)
    for row in session.execute(query):
        yield ChainLink(*row)


def chain_report(session: Session) -> ChainReport:
    """Walk the whole chain (no permission check; for validating a backup file)."""
    head = session.get(AuditHead, 1)
    return verify_chain(_links(session), head.last_hash if head else None,
                        head.last_entry_id if head else None)


def verify_audit_chain(uow: UnitOfWork) -> ChainReport:
    """Check that no past entry was changed or deleted; the report names the first broken link."""
    uow.require(Permission.VIEW_AUDIT)
    return chain_report(uow.session)
