"""The clinic's own settings (service layer): details, practitioners and safety-rule choices. Reading
needs no permission (documents print these); changes need MANAGE_SETTINGS (linking an account to a
practitioner: MANAGE_USERS), are audited with before/after, and return frozen records.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select

from mesoplan.access import Permission
from mesoplan.db.models import ClinicSettings, Practitioner, RuleSetting, User, utcnow
from mesoplan.documents.content import PAGE_SIZES
from mesoplan.errors import ConflictError, NotFound, Problem, ValidationError
from mesoplan.paths import resource
from mesoplan.safety.rules import SEVERITIES, default_rules
from mesoplan.services.uow import UnitOfWork
from mesoplan.services.users import UserRecord, get_user, normalise_username

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_LOGO_BYTES = 2 * 1024 * 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_JURISDICTION = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_LENGTHS = {"name": 200, "phone": 60, "emergency_phone": 60, "email": 200}


# --- clinic details --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClinicDetails:
    """What documents print about the clinic, and how they are laid out."""

    name: str = ""
    address: str = ""
    phone: str = ""
    emergency_phone: str = ""
    email: str = ""
    jurisdiction: str = "GB-ENG"
    logo_png: bytes | None = None
    page_size: str = "A4"
    document_language: str = "en"


@dataclass(frozen=True)
class ClinicSettingsRecord:
    details: ClinicDetails
    version: int
    """Pass back to ``update_clinic_settings`` so a change made meanwhile elsewhere is not overwritten."""


def document_languages() -> tuple[str, ...]:
    """Languages the document texts are installed in (resources/documents/<code>.json)."""
    folder = resource("documents")
    return tuple(sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".json")))


def rule_jurisdictions() -> tuple[str, ...]:
    """Jurisdiction codes the shipped safety rules refer to (e.g. GB-ENG), for the settings screen."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key == "jurisdiction":
                    found.update(v for v in (value if isinstance(value, list) else [value])
                                 if isinstance(v, str))
                else:
                    walk(value)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)

    for rule in default_rules().rules:
        walk(rule.when)
    return tuple(sorted(found))


def _settings_row(uow: UnitOfWork) -> ClinicSettings:
    row = uow.session.get(ClinicSettings, 1)
    if row is None:
        row = ClinicSettings(id=1)
        uow.session.add(row)
        uow.session.flush()
    return row


def get_clinic_settings(uow: UnitOfWork) -> ClinicSettingsRecord:
    row = uow.session.get(ClinicSettings, 1)
    if row is None:
        return ClinicSettingsRecord(ClinicDetails(), 0)
    values = {f.name: getattr(row, f.name) or f.default for f in fields(ClinicDetails)}
    values["logo_png"] = bytes(row.logo_png) if row.logo_png else None
    return ClinicSettingsRecord(ClinicDetails(**values), row.version or 0)


def logo_problems(data: bytes | None) -> list[Problem]:
    """Why ``data`` cannot be the clinic's logo (empty list: it can)."""
    if data is None:
        return []
    if not data.startswith(PNG_SIGNATURE) or len(data) < 24 or data[12:16] != b"IHDR":
        return [Problem("logo", "is not a PNG image; choose a .png file")]
    if len(data) > MAX_LOGO_BYTES:
        return [Problem("logo", f"is {len(data) // 1024} KB; use a PNG of at most "
                        f"{MAX_LOGO_BYTES // (1024 * 1024)} MB")]
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if not (0 < width <= 8000 and 0 < height <= 8000):
        return [Problem("logo", f"is {width}×{height} pixels; use at most 8000×8000")]
    return []


def _clean_details(details: ClinicDetails) -> ClinicDetails:
    """Trimmed values, or ValidationError listing everything wrong."""
    text = {name: (getattr(details, name) or "").strip()
            for name in ("name", "address", "phone", "emergency_phone", "email")}
    jurisdiction = (details.jurisdiction or "").strip().upper()
    problems = [Problem(name.replace("_", " "), f"is longer than {limit} characters")
                for name, limit in _LENGTHS.items() if len(text[name]) > limit]
    if text["email"] and not _EMAIL.match(text["email"]):
        problems.append(Problem("email", f"'{text['email']}' does not look like an e-mail address"))
    if not _JURISDICTION.match(jurisdiction):
        problems.append(Problem("jurisdiction", f"'{details.jurisdiction}' is not a country or "
                                "region code such as GB-ENG, IE or DE"))
    if details.page_size not in PAGE_SIZES:
        problems.append(Problem("page size", f"'{details.page_size}' is not one of "
                                f"{', '.join(PAGE_SIZES)}"))
    languages = document_languages()
    if details.document_language not in languages:
        problems.append(Problem("document language", f"'{details.document_language}' has no "
                                f"document texts; use one of {', '.join(languages)}"))
    problems += logo_problems(details.logo_png)
    if problems:
        raise ValidationError(problems)
    return ClinicDetails(**text, jurisdiction=jurisdiction, logo_png=details.logo_png or None,
                         page_size=details.page_size, document_language=details.document_language)


def _audited(details: ClinicDetails, name: str) -> Any:
    value = getattr(details, name)
    if name == "logo_png":  # the audit trail keeps a fingerprint of the picture, not the picture
        return None if value is None else {"bytes": len(value),
                                           "sha256": hashlib.sha256(value).hexdigest()[:16]}
    return value


def update_clinic_settings(uow: UnitOfWork, details: ClinicDetails,
                           expected_version: int | None = None) -> ClinicSettingsRecord:
    """Save the clinic's details; refused when someone else saved them since ``expected_version``."""
    uow.require(Permission.MANAGE_SETTINGS)
    clean = _clean_details(details)
    row = _settings_row(uow)
    if expected_version is not None and (row.version or 0) != expected_version:
        raise ConflictError("The clinic settings", "", None)
    current = get_clinic_settings(uow).details
    changed = [f.name for f in fields(ClinicDetails) if getattr(current, f.name) != getattr(clean, f.name)]
    if changed:
        for name in changed:
            setattr(row, name, getattr(clean, name))
        uow.session.flush()
        uow.audit("settings.update", "clinic_settings", 1,
                  f"Changed clinic {', '.join(n.replace('_', ' ') for n in changed)}",
                  before={n: _audited(current, n) for n in changed},
                  after={n: _audited(clean, n) for n in changed})
    return get_clinic_settings(uow)


# --- practitioners ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PractitionerRecord:
    id: int | None
    """None for a practitioner not saved yet (``save_practitioner`` then adds one)."""
    name: str
    profession: str = ""
    registration_number: str = ""
    active: bool = True


def _practitioner(row: Practitioner) -> PractitionerRecord:
    return PractitionerRecord(row.id, row.name, row.profession or "", row.registration_number or "",
                              bool(row.active))


def list_practitioners(uow: UnitOfWork, include_inactive: bool = True) -> list[PractitionerRecord]:
    """Practitioners by name (no permission needed: their names appear on every document)."""
    query = select(Practitioner).order_by(Practitioner.name, Practitioner.id)
    if not include_inactive:
        query = query.where(Practitioner.active.is_(True))
    return [_practitioner(row) for row in uow.session.scalars(query)]


def _practitioner_row(uow: UnitOfWork, practitioner_id: int) -> Practitioner:
    row = uow.session.get(Practitioner, practitioner_id)
    if row is None:
        raise NotFound(f"There is no practitioner number {practitioner_id}.")
    return row


def save_practitioner(uow: UnitOfWork, record: PractitionerRecord) -> PractitionerRecord:
    """Add a practitioner (``record.id`` None) or change one's name, profession or registration."""
    uow.require(Permission.MANAGE_SETTINGS)
    values = {"name": record.name.strip(), "profession": record.profession.strip(),
              "registration_number": record.registration_number.strip()}
    problems = [] if values["name"] else [Problem("name", "is required")]
    for name, limit in (("name", 200), ("profession", 120), ("registration_number", 60)):
        if len(values[name]) > limit:
            problems.append(Problem(name.replace("_", " "), f"is longer than {limit} characters"))
    if problems:
        raise ValidationError(problems)
    if record.id is None:
        row = Practitioner(**values, active=True)
        uow.session.add(row)
        uow.session.flush()
        uow.audit("practitioner.create", "practitioner", row.id, f"Added practitioner {row.name}",
                  after={**values, "active": True})
        return _practitioner(row)
    row = _practitioner_row(uow, record.id)
    before = {name: getattr(row, name) or "" for name in values}
    changed = {name: value for name, value in values.items() if before[name] != value}
    if changed:
        for name, value in changed.items():
            setattr(row, name, value)
        uow.session.flush()
        uow.audit("practitioner.update", "practitioner", row.id, f"Changed practitioner {row.name}",
                  before={n: before[n] for n in changed}, after=changed)
    return _practitioner(row)


def set_practitioner_active(uow: UnitOfWork, practitioner_id: int, active: bool) -> PractitionerRecord:
    """Deactivate a practitioner who left (their plans and documents keep the name), or reactivate."""
    uow.require(Permission.MANAGE_SETTINGS)
    row = _practitioner_row(uow, practitioner_id)
    if bool(row.active) != active:
        row.active = active
        uow.session.flush()
        uow.audit("practitioner.activate" if active else "practitioner.deactivate", "practitioner",
                  row.id, f"{'Reactivated' if active else 'Deactivated'} practitioner {row.name}",
                  before={"active": not active}, after={"active": active})
    return _practitioner(row)


# --- accounts: what the screens need beyond mesoplan.services.users ---------------------------------


def own_username(uow: UnitOfWork) -> str | None:
    """The signed-in user's account name (None for the local administrator without an account)."""
    if uow.actor.user_id is None:
        return None
    return uow.session.scalar(select(User.username).where(User.id == uow.actor.user_id))


def set_user_practitioner(uow: UnitOfWork, username: str, practitioner_id: int | None) -> UserRecord:
    """Link an account to the practitioner record printed on the documents it issues (or unlink)."""
    uow.require(Permission.MANAGE_USERS)
    user = uow.session.scalars(select(User).where(User.username == normalise_username(username))
                               ).one_or_none()
    if user is None:
        raise NotFound(f"There is no user '{username}'.")
    if practitioner_id is not None and not _practitioner_row(uow, practitioner_id).active:
        raise ValidationError([Problem("practitioner", f"number {practitioner_id} is deactivated")])
    if user.practitioner_id != practitioner_id:
        before = user.practitioner_id
        user.practitioner_id = practitioner_id
        uow.session.flush()
        uow.audit("user.practitioner", "user", user.id,
                  f"Practitioner record of {user.username} changed",
                  before={"practitioner_id": before}, after={"practitioner_id": practitioner_id})
    return get_user(uow, user.username)


# --- safety rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleChoice:
    """One shipped rule and what this clinic made of it."""

    rule_id: str
    title: str
    shipped_severity: str
    severity: str
    """The severity plans get in this clinic (the shipped one unless re-classified)."""
    enabled: bool
    shipped_enabled: bool = True

    @property
    def is_shipped(self) -> bool:
        return self.severity == self.shipped_severity and self.enabled == self.shipped_enabled


def list_rule_choices(uow: UnitOfWork) -> list[RuleChoice]:
    """Every shipped rule in file order with the clinic's severity and whether it is switched on."""
    rows = {row.rule_id: row for row in uow.session.scalars(select(RuleSetting))}
    choices = []
    for rule in default_rules().rules:
        row = rows.get(rule.id)
        severity = (row.severity if row and row.severity in SEVERITIES else rule.shipped_severity)
        choices.append(RuleChoice(rule.id, rule.title, rule.shipped_severity, severity,
                                  bool(row.enabled) if row else rule.enabled, rule.enabled))
    return choices


def save_rule_choices(uow: UnitOfWork, choices: Mapping[str, tuple[str, bool]]) -> list[RuleChoice]:
    """Re-classify rules: ``{rule_id: (severity, enabled)}``; plans opened afterwards use them."""
    uow.require(Permission.MANAGE_SETTINGS)
    current = {choice.rule_id: choice for choice in list_rule_choices(uow)}
    problems = []
    for rule_id, (severity, _enabled) in choices.items():
        if rule_id not in current:
            problems.append(Problem(f"rule {rule_id}", "is not one of the shipped safety rules"))
        elif severity not in SEVERITIES:
            problems.append(Problem(f"rule {rule_id}", f"'{severity}' is not one of "
                                    f"{', '.join(SEVERITIES)}"))
    if problems:
        raise ValidationError(problems)
    before: dict[str, dict[str, Any]] = {}
    after: dict[str, dict[str, Any]] = {}
    for rule_id, (severity, enabled) in choices.items():
        old = current[rule_id]
        if (old.severity, old.enabled) == (severity, bool(enabled)):
            continue
        before[rule_id] = {"severity": old.severity, "enabled": old.enabled}
        after[rule_id] = {"severity": severity, "enabled": bool(enabled)}
        row = uow.session.get(RuleSetting, rule_id)
        if severity == old.shipped_severity and bool(enabled) == old.shipped_enabled:
            if row is not None:
                uow.session.delete(row)
            continue
        if row is None:
            row = RuleSetting(rule_id=rule_id)
            uow.session.add(row)
        row.severity = None if severity == old.shipped_severity else severity
        row.enabled = bool(enabled)
        row.updated_by = uow.actor.name
        row.updated_at = utcnow()
    if after:
        uow.session.flush()
        uow.audit("rules.update", "safety_rules", "",
                  f"Safety rules re-classified: {', '.join(sorted(after))}", before=before, after=after)
    return list_rule_choices(uow)
