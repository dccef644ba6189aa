"""Session protocols in the clinic database: seeding the shipped ones, listing, saving and retiring.

Convention: every function except ``seed_protocols`` takes a ``UnitOfWork`` (``read(db, actor)``
is enough for the readers) and returns ``mesoplan.schedule.Protocol`` values, never ORM rows.
Reading needs no permission (protocols are reference data, not patient records); saving and
retiring need ``Permission.EDIT_CLINICAL`` and are audited. Shipped protocols are never changed
in place: a clinic saves its own version under a new code and may retire (or restore) the shipped
one. Retired protocols drop out of ``list_protocols`` but ``get_protocol`` still finds them, so
plans made from them keep their meaning.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mesoplan.access import Permission
from mesoplan.db.models import Protocol as ProtocolRow
from mesoplan.db.models import utcnow
from mesoplan.errors import NotFound, ValidationError
from mesoplan.schedule import (
    GROUPS,
    Protocol,
    load_shipped_protocols,
    parse_phases,
    parse_protocol,
    phase_to_data,
    protocol_to_data,
)
from mesoplan.services.uow import UnitOfWork

# The protocol table has no indications column yet; until it has, shipped protocols take theirs
# from resources/protocols.json and custom ones have none stored.
_INDICATIONS_STORED = "indications" in ProtocolRow.__table__.columns


def seed_protocols(session: Session) -> int:
    """Add the shipped protocols whose codes are not in the table yet; returns how many were added.

    Called once on a new database (``seed_reference_data``); never overwrites a clinic's rows.
    """
    existing = set(session.scalars(select(ProtocolRow.code)))
    added = 0
    for protocol in load_shipped_protocols():
        if protocol.code not in existing:
            session.add(_new_row(protocol, custom=False))
            added += 1
    session.flush()
    return added


def list_protocols(uow: UnitOfWork, *, include_retired: bool = False,
                   group: str | None = None) -> list[Protocol]:
    """Shipped and custom protocols, by group (hair, face, pigmentation, body) then name."""
    query = select(ProtocolRow).order_by(ProtocolRow.name, ProtocolRow.id)
    if not include_retired:
        query = query.where(ProtocolRow.retired_at.is_(None))
    if group is not None:
        query = query.where(ProtocolRow.group == group)
    protocols = [_to_protocol(row) for row in uow.session.scalars(query)]
    rank = {name: position for position, name in enumerate(GROUPS)}
    return sorted(protocols, key=lambda p: rank.get(p.group, len(GROUPS)))


def get_protocol(uow: UnitOfWork, code: str) -> Protocol:
    """The protocol with this code, retired or not; raises ``NotFound``."""
    return _to_protocol(_row(uow, code))


def save_custom_protocol(uow: UnitOfWork, protocol: Protocol) -> Protocol:
    """Create or replace a clinic's own protocol (saving a retired one brings it back)."""
    uow.require(Permission.EDIT_CLINICAL)
    checked = parse_protocol(protocol_to_data(protocol))
    row = uow.session.scalars(select(ProtocolRow).where(ProtocolRow.code == checked.code)
                              ).one_or_none()
    if row is not None and not row.custom:
        raise ValidationError(
            f"'{checked.code}' is a protocol shipped with MesoPlan and keeps its shipped settings. "
            "Save your version under a new code, and retire the shipped one if it should no "
            "longer be offered.", where="code")
    before = None if row is None else _snapshot(row)
    if row is None:
        row = _new_row(checked, custom=True)
        uow.session.add(row)
    else:
        _fill_row(row, checked)
        row.retired_at = None
    uow.session.flush()
    saved = _to_protocol(row)
    action = "protocol.create" if before is None else "protocol.update"
    uow.audit(action, "protocol", saved.code, summary=f"Saved protocol '{saved.name}'",
              before=before, after=_snapshot(row))
    return saved


def retire_protocol(uow: UnitOfWork, code: str) -> Protocol:
    """Stop offering a protocol for new plans; existing plans still find it."""
    return _set_retired(uow, code, retire=True)


def restore_protocol(uow: UnitOfWork, code: str) -> Protocol:
    """Offer a retired protocol again (the undo of ``retire_protocol``)."""
    return _set_retired(uow, code, retire=False)


def _set_retired(uow: UnitOfWork, code: str, *, retire: bool) -> Protocol:
    uow.require(Permission.EDIT_CLINICAL)
    row = _row(uow, code)
    if (row.retired_at is not None) == retire:
        return _to_protocol(row)
    before = _snapshot(row)
    row.retired_at = utcnow() if retire else None
    uow.session.flush()
    verb = "Retired" if retire else "Restored"
    uow.audit("protocol.retire" if retire else "protocol.restore", "protocol", row.code,
              summary=f"{verb} protocol '{row.name}'", before=before, after=_snapshot(row))
    return _to_protocol(row)


def _row(uow: UnitOfWork, code: str) -> ProtocolRow:
    row = uow.session.scalars(select(ProtocolRow).where(ProtocolRow.code == code)).one_or_none()
    if row is None:
        raise NotFound(f"There is no session protocol with the code '{code}'.")
    return row


def _new_row(protocol: Protocol, *, custom: bool) -> ProtocolRow:
    row = ProtocolRow(code=protocol.code, custom=custom)
    _fill_row(row, protocol)
    return row


def _fill_row(row: ProtocolRow, protocol: Protocol) -> None:
    row.name = protocol.name
    row.group = protocol.group
    row.description = protocol.description
    row.phases = [phase_to_data(phase) for phase in protocol.phases]
    if _INDICATIONS_STORED:
        setattr(row, "indications", list(protocol.indications))


def _to_protocol(row: ProtocolRow) -> Protocol:
    phases = parse_phases(row.phases, where=f"protocol '{row.code}' in the database, phases")
    return Protocol(code=row.code, name=row.name, group=row.group, description=row.description,
                    indications=_indications_of(row), phases=phases, custom=row.custom,
                    retired=row.retired_at is not None)


def _indications_of(row: ProtocolRow) -> tuple[str, ...]:
    stored = getattr(row, "indications", None) if _INDICATIONS_STORED else None
    if stored:
        return tuple(stored)
    if not row.custom:
        for shipped in load_shipped_protocols():
            if shipped.code == row.code:
                return shipped.indications
    return ()


def _snapshot(row: ProtocolRow) -> dict[str, Any]:
    data = protocol_to_data(_to_protocol(row))
    data["custom"] = row.custom
    data["retired"] = row.retired_at is not None
    return data
