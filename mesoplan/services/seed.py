"""Reference data a new database starts with: clinic settings, the catalog and starter protocols.

Runs at every start but only fills what is missing, so a clinic's edits are never overwritten.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mesoplan.db.models import ClinicSettings


def seed_reference_data(session: Session) -> None:
    if session.get(ClinicSettings, 1) is None:
        session.add(ClinicSettings(id=1))
        # A new database: load the shipped catalog and protocols once. Later starts leave them
        # alone, so retired or edited entries stay as the clinic left them.
        from mesoplan.services.catalog import seed_catalog
        from mesoplan.services.protocols import seed_protocols

        seed_catalog(session)
        seed_protocols(session)
