"""Who may do what: roles, permissions and the acting user (pure rules, no database).

Checked in the service layer, so a screen that forgot to hide a button still cannot do harm.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable

from mesoplan.errors import PermissionDenied, Problem, ValidationError


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    FRONT_DESK = "front_desk"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return {"practitioner": "Practitioner", "front_desk": "Front desk",
                "administrator": "Administrator"}[self.value]


class Permission(StrEnum):
    VIEW_SCHEDULE = "view the schedule"
    VIEW_CONTACT = "see patients' contact details"
    EDIT_CONTACT = "change patients' contact details"
    VIEW_CLINICAL = "see medical records"
    EDIT_CLINICAL = "change screenings, cocktails, plans or sessions"
    EDIT_CATALOG = "change the ingredient catalog"
    ISSUE_DOCUMENTS = "print or reprint consent forms and aftercare sheets"
    EXPORT_DATA = "export or import patient records"
    ANONYMISE = "anonymise patients"
    MANAGE_USERS = "manage users"
    MANAGE_SETTINGS = "change clinic settings"
    MANAGE_BACKUPS = "make or restore backups"
    VIEW_AUDIT = "read the audit trail"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PRACTITIONER: frozenset({
        Permission.VIEW_SCHEDULE, Permission.VIEW_CONTACT, Permission.EDIT_CONTACT,
        Permission.VIEW_CLINICAL, Permission.EDIT_CLINICAL, Permission.EDIT_CATALOG,
        Permission.ISSUE_DOCUMENTS, Permission.EXPORT_DATA,
    }),
    Role.FRONT_DESK: frozenset({
        Permission.VIEW_SCHEDULE, Permission.VIEW_CONTACT, Permission.EDIT_CONTACT,
        Permission.ISSUE_DOCUMENTS,
    }),
    # Not EXPORT_DATA: an export holds medical notes, screenings and plans, which an administrator
    # who is not also a practitioner must not read. Anonymising reveals nothing, so it stays here.
    Role.ADMINISTRATOR: frozenset({
        Permission.VIEW_SCHEDULE, Permission.MANAGE_USERS, Permission.MANAGE_SETTINGS,
        Permission.MANAGE_BACKUPS, Permission.VIEW_AUDIT, Permission.ANONYMISE,
    }),
}


def parse_roles(names: Iterable[str]) -> frozenset[Role]:
    """Roles from their names ('practitioner', 'front_desk' or 'front-desk', 'administrator')."""
    roles: set[Role] = set()
    for name in names:
        key = name.strip().lower().replace("-", "_").replace(" ", "_")
        try:
            roles.add(Role(key))
        except ValueError:
            known = ", ".join(role.value for role in Role)
            raise ValidationError([Problem("role", f"'{name}' is not a role; use one of {known}")]) from None
    return frozenset(roles)


@dataclass(frozen=True)
class Actor:
    """The person (or command) on whose behalf a service runs."""

    name: str
    roles: frozenset[Role]
    user_id: int | None = None
    practitioner_id: int | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        granted: set[Permission] = set()
        for role in self.roles:
            granted |= ROLE_PERMISSIONS[role]
        return frozenset(granted)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            roles = ", ".join(sorted(r.label for r in self.roles)) or "no role"
            raise PermissionDenied(f"{self.name} ({roles}) may not {permission.value}.")


def nobody() -> Actor:
    """Before anyone has signed in: may only ask whether accounts exist and try to sign in."""
    return Actor(name="not signed in", roles=frozenset())


def local_command_actor() -> Actor:
    """The actor for headless commands run by whoever can open the database file."""
    import getpass

    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on some systems; the audit still needs one
        who = "unknown"
    return Actor(name=f"command line ({who})", roles=frozenset(Role))
