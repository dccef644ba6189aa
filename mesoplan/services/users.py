"""User accounts and sign-in (service layer): the first administrator, roles, passwords, lock settings.

``sign_in`` and ``create_first_administrator`` take the ``Database`` (there is no signed-in user
yet) and run their own unit of work, so a failed sign-in is recorded even though it raises.
Everything else takes a ``UnitOfWork`` and needs ``Permission.MANAGE_USERS`` (or
``MANAGE_SETTINGS``). Every change of account, role or setting is in the audit trail; passwords
are stored as Argon2id hashes and never returned.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import func, select

from mesoplan.access import Actor, Permission, Role
from mesoplan.db.engine import Database
from mesoplan.db.models import ClinicSettings, User, utcnow
from mesoplan.errors import MesoPlanError, NotFound, Problem, ValidationError
from mesoplan.security import (
    check_new_password,
    dummy_verify,
    hash_password,
    needs_rehash,
    verify_password,
)
from mesoplan.services.uow import UnitOfWork, lock_audit_head, work

_USERNAME = re.compile(r"^[\w.@-]{1,80}$")


class SignInFailed(MesoPlanError):
    """The user name or password was wrong, or the account is disabled."""


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    active: bool
    practitioner_id: int | None
    created_at: dt.datetime
    last_sign_in_at: dt.datetime | None
    failed_sign_ins: int

    @property
    def actor(self) -> Actor:
        """Who this user acts as once signed in."""
        name = f"{self.display_name} ({self.username})" if self.display_name else self.username
        return Actor(name=name, roles=self.roles, user_id=self.id,
                     practitioner_id=self.practitioner_id)


def _record(user: User) -> UserRecord:
    return UserRecord(user.id, user.username, user.display_name, _roles(user), user.active,
                      user.practitioner_id, user.created_at, user.last_sign_in_at,
                      user.failed_sign_ins)


def _roles(user: User) -> frozenset[Role]:
    return frozenset(Role(name) for name in user.roles or () if name in Role._value2member_map_)


def _role_names(roles: Iterable[Role]) -> list[str]:
    return sorted(role.value for role in roles)


def normalise_username(username: str) -> str:
    """User names are compared without regard to case or Unicode form: 'Anna' signs in as 'anna'."""
    return unicodedata.normalize("NFC", (username or "").strip()).casefold()


def _check_username(username: str) -> str:
    name = normalise_username(username)
    if not _USERNAME.match(name):
        raise ValidationError([Problem("user name", f"'{username}' is not usable: use 1 to 80 "
                                       "letters, digits, dots, dashes, underscores or @")])
    return name


def _find(uow: UnitOfWork, username: str) -> User | None:
    return uow.session.scalars(select(User).where(User.username == normalise_username(username))
                               ).one_or_none()


def _load(uow: UnitOfWork, username: str) -> User:
    user = _find(uow, username)
    if user is None:
        raise NotFound(f"There is no user '{username}'.")
    return user


def _active_administrators(uow: UnitOfWork) -> list[User]:
    users = uow.session.scalars(select(User).where(User.active.is_(True)))
    return [u for u in users if Role.ADMINISTRATOR in _roles(u)]


def _refuse_losing_last_administrator(uow: UnitOfWork, user: User) -> None:
    if [u.id for u in _active_administrators(uow)] == [user.id]:
        raise ValidationError([Problem(f"user {user.username}", "is the only active administrator; "
                                       "make someone else an administrator first")])


def has_users(uow: UnitOfWork) -> bool:
    """True once any account exists (then everyone signs in); needs no permission."""
    return bool(uow.session.scalar(select(func.count(User.id))))


def list_users(uow: UnitOfWork) -> list[UserRecord]:
    uow.require(Permission.MANAGE_USERS)
    return [_record(u) for u in uow.session.scalars(select(User).order_by(User.username))]


def get_user(uow: UnitOfWork, username: str) -> UserRecord:
    uow.require(Permission.MANAGE_USERS)
    return _record(_load(uow, username))


def _create(uow: UnitOfWork, username: str, password: str, roles: frozenset[Role],
            display_name: str, practitioner_id: int | None) -> User:
    name = _check_username(username)
    display = (display_name or "").strip()
    problems: list[Problem] = []
    if not roles:
        problems.append(Problem("roles", "give the user at least one role"))
    if len(display) > 200:
        problems.append(Problem("display name", "is longer than 200 characters"))
    if _find(uow, name) is not None:
        problems.append(Problem("user name", f"'{name}' is already taken"))
    if problems:
        raise ValidationError(problems)
    check_new_password(password, name)
    user = User(username=name, display_name=display, roles=_role_names(roles),
                password_hash=hash_password(password), active=True, practitioner_id=practitioner_id)
    uow.session.add(user)
    uow.session.flush()
    uow.audit("user.create", "user", user.id, f"Added user {name}",
              after={"username": name, "display_name": display, "roles": _role_names(roles),
                     "active": True})
    return user


def add_user(uow: UnitOfWork, username: str, password: str, roles: Iterable[Role], *,
             display_name: str = "", practitioner_id: int | None = None) -> UserRecord:
    """Add an account. The first account of a database must hold the administrator role."""
    uow.require(Permission.MANAGE_USERS)
    roles = frozenset(roles)
    lock_audit_head(uow.session)  # one account change at a time, also across workstations
    if not has_users(uow) and Role.ADMINISTRATOR not in roles:
        raise ValidationError([Problem("roles", "the first user must be an administrator, or "
                                       "nobody could manage users afterwards")])
    return _record(_create(uow, username, password, roles, display_name, practitioner_id))


def create_first_administrator(
    database: Database, username: str, password: str, *, display_name: str = "",
    roles: Iterable[Role] = (Role.ADMINISTRATOR,),
) -> Actor:
    """At first start: create the administrator and return them signed in.

    Refused once any account exists. ``roles`` may add practitioner or front desk.
    """
    roles = frozenset(roles) | {Role.ADMINISTRATOR}
    first = Actor(name=normalise_username(username) or "first start", roles=frozenset())
    with work(database, first) as uow:
        lock_audit_head(uow.session)
        if has_users(uow):
            raise ValidationError([Problem("", "this database already has users; sign in instead")])
        user = _create(uow, username, password, roles, display_name, None)
        user.last_sign_in_at = utcnow()
        return _record(user).actor


def sign_in(database: Database, username: str, password: str) -> Actor:
    """Check a user name and password; returns who the user acts as, or raises ``SignInFailed``.

    Success and failure are both recorded. An unknown name takes as long as a wrong password.
    """
    name = normalise_username(username)[:80]
    refusal = ""
    with work(database, Actor(name=name or "(no name)", roles=frozenset())) as uow:
        user = _find(uow, name) if name else None
        if user is None:
            dummy_verify(password)
            refusal = "Unknown user name or wrong password."
            uow.audit("sign_in.failed", "user", "", f"Sign-in refused: unknown user name '{name}'")
        elif not verify_password(user.password_hash, password):
            user.failed_sign_ins += 1
            refusal = "Unknown user name or wrong password."
            uow.audit("sign_in.failed", "user", user.id,
                      f"Sign-in refused: wrong password ({user.failed_sign_ins} in a row)")
        elif not user.active:
            refusal = f"The account '{user.username}' is disabled; ask an administrator."
            uow.audit("sign_in.failed", "user", user.id, "Sign-in refused: account disabled")
        else:
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            user.failed_sign_ins = 0
            user.last_sign_in_at = utcnow()
            uow.audit("sign_in", "user", user.id, f"{user.username} signed in")
            actor = _record(user).actor
    if refusal:
        raise SignInFailed(refusal)
    return actor


def set_roles(uow: UnitOfWork, username: str, roles: Iterable[Role]) -> UserRecord:
    """Replace a user's roles (a permission change, recorded with before and after)."""
    uow.require(Permission.MANAGE_USERS)
    roles = frozenset(roles)
    if not roles:
        raise ValidationError([Problem("roles", "give the user at least one role")])
    user = _load(uow, username)
    before = _role_names(_roles(user))
    if Role.ADMINISTRATOR not in roles:
        _refuse_losing_last_administrator(uow, user)
    user.roles = _role_names(roles)
    uow.audit("user.roles", "user", user.id, f"Roles of {user.username} changed",
              before={"roles": before}, after={"roles": user.roles})
    return _record(user)


def set_active(uow: UnitOfWork, username: str, active: bool) -> UserRecord:
    """Disable an account (it can no longer sign in; its history stays) or enable it again."""
    uow.require(Permission.MANAGE_USERS)
    user = _load(uow, username)
    if user.active == active:
        return _record(user)
    if not active:
        _refuse_losing_last_administrator(uow, user)
    user.active = active
    if active:
        user.failed_sign_ins = 0
    uow.audit("user.enable" if active else "user.disable", "user", user.id,
              f"{'Enabled' if active else 'Disabled'} user {user.username}",
              before={"active": not active}, after={"active": active})
    return _record(user)


def set_password(uow: UnitOfWork, username: str, new_password: str,
                 current_password: str | None = None) -> None:
    """Set a password: an administrator for anyone, or users for themselves with their current one."""
    user = _find(uow, username)
    if user is None or user.id != uow.actor.user_id:
        uow.require(Permission.MANAGE_USERS)
        if user is None:
            raise NotFound(f"There is no user '{username}'.")
    elif current_password is None or not verify_password(user.password_hash, current_password):
        raise ValidationError([Problem("current password", "is not right")])
    check_new_password(new_password, user.username)
    user.password_hash = hash_password(new_password)
    user.failed_sign_ins = 0
    uow.audit("user.password", "user", user.id, f"Password of {user.username} changed")


# --- the clinic's access and data-safety settings --------------------------------------------------


@dataclass(frozen=True)
class SafetySettings:
    """Set by an administrator: idle lock, rolling backups and how long records are kept."""

    idle_lock_minutes: int | None
    """Lock the screen after this many idle minutes; None: never."""
    backup_keep: int
    backup_interval_minutes: int
    retention_years: int


_LIMITS = {
    "idle_lock_minutes": (1, 720, "minutes"),
    "backup_keep": (1, 1000, "backups"),
    "backup_interval_minutes": (5, 7 * 24 * 60, "minutes"),
    "retention_years": (1, 100, "years"),
}


def get_safety_settings(uow: UnitOfWork) -> SafetySettings:
    """The current settings (the shipped defaults on a database not seeded yet); no permission needed."""
    row = uow.session.get(ClinicSettings, 1)
    values = {}
    for name in _LIMITS:
        column = ClinicSettings.__table__.c[name]
        shipped = column.default.arg if column.default is not None else None
        values[name] = getattr(row, name) if row is not None else shipped
    return SafetySettings(**values)


def update_safety_settings(uow: UnitOfWork, **changes: int | None) -> SafetySettings:
    """Change some of the settings, e.g. ``update_safety_settings(uow, idle_lock_minutes=10)``."""
    uow.require(Permission.MANAGE_SETTINGS)
    problems = []
    for name, value in changes.items():
        if name not in _LIMITS:
            problems.append(Problem(name, "is not a data-safety setting"))
            continue
        low, high, unit = _LIMITS[name]
        if value is None and name == "idle_lock_minutes":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(Problem(name.replace("_", " "), f"must be a whole number of {unit} "
                                    f"from {low} to {high}, not {value!r}"))
    if problems:
        raise ValidationError(problems)
    row = uow.session.get(ClinicSettings, 1)
    if row is None:
        row = ClinicSettings(id=1)
        uow.session.add(row)
        uow.session.flush()
    before = {name: getattr(row, name) for name in changes}
    changed = {name: value for name, value in changes.items() if before[name] != value}
    if changed:
        for name, value in changed.items():
            setattr(row, name, value)
        uow.session.flush()
        uow.audit("settings.update", "clinic_settings", 1,
                  f"Changed {', '.join(name.replace('_', ' ') for name in sorted(changed))}",
                  before={n: before[n] for n in changed}, after=changed)
    return get_safety_settings(uow)
