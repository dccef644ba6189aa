"""The application's shared state for every screen: the database, who is signed in, what changed.

Screens call services through ``ctx.work()`` / ``ctx.read()`` (one user action = one unit of work)
and announce writes with ``ctx.notify(kinds)``; every view listens to ``ctx.changed`` and decides
for itself whether to refresh. No widget reaches into another.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from PySide6.QtCore import QObject, Signal

from mesoplan import numbers
from mesoplan.access import Actor, Permission
from mesoplan.db.engine import Database
from mesoplan.services import clinic
from mesoplan.services.uow import UnitOfWork, read, work
from mesoplan.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class AppContext(QObject):
    changed = Signal(object)
    """Emitted with a frozenset of record kinds ("patient", "plan", "screening", ...) after a write."""
    actor_changed = Signal(object)
    navigate = Signal(object)
    """A request from mesoplan.ui.navigation (OpenPatient, OpenPlan, ...) for the main window."""

    def __init__(self, database: Database, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._actor = actor
        self.tasks = TaskRunner(self)
        self.follow_clinic_numbers()
        self.changed.connect(lambda kinds: "clinic_settings" in kinds and self.follow_clinic_numbers())

    def follow_clinic_numbers(self) -> None:
        """Read and show numbers with the decimal separator of the clinic's country."""
        try:
            with read(self.database, self._actor) as uow:
                jurisdiction = clinic.get_clinic_settings(uow).details.jurisdiction
        except Exception:  # noqa: BLE001 - a database not reachable yet keeps the default
            log.warning("the clinic's number format could not be read; using a decimal point")
            jurisdiction = ""
        numbers.use_decimal_separator(numbers.decimal_separator_for(jurisdiction))

    @property
    def actor(self) -> Actor:
        return self._actor

    def set_actor(self, actor: Actor) -> None:
        self._actor = actor
        self.actor_changed.emit(actor)

    def can(self, permission: Permission) -> bool:
        return self._actor.can(permission)

    def can_open_front_desk(self) -> bool:
        return self.can(Permission.VIEW_SCHEDULE)

    def can_see_patients(self) -> bool:
        return self.can(Permission.VIEW_CONTACT)

    @contextmanager
    def work(self) -> Iterator[UnitOfWork]:
        """A writing unit of work; on success, views are told what changed."""
        with work(self.database, self._actor) as uow:
            yield uow
        if uow.changes:
            self.notify(uow.changes)

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        with read(self.database, self._actor) as uow:
            yield uow

    def notify(self, kinds) -> None:
        self.changed.emit(frozenset(kinds))

    def open(self, request) -> None:
        self.navigate.emit(request)
