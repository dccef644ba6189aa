"""The errors the core raises for people to read: each says what is wrong and where.

Screens and commands show ``str(error)``; none of these should ever surface as a traceback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class MesoPlanError(Exception):
    """Base class: a problem a user can understand and act on."""


@dataclass
class Problem:
    """One thing wrong with some input: where it is and what is wrong with it."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ValidationError(MesoPlanError):
    """Input that cannot be accepted; nothing was changed."""

    def __init__(self, problems: list[Problem] | str, where: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(where, problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class NotFound(MesoPlanError):
    pass


class PermissionDenied(MesoPlanError):
    pass


class ConflictError(MesoPlanError):
    """Someone else saved the same record first; reload before saving again."""

    def __init__(self, what: str, changed_by: str, changed_at: dt.datetime | None) -> None:
        self.changed_by = changed_by
        self.changed_at = changed_at
        when = changed_at.strftime("%Y-%m-%d %H:%M") if changed_at else "an unknown time"
        super().__init__(
            f"{what} was changed by {changed_by or 'another user'} at {when} (UTC) after you opened "
            "it. Your changes were not saved; reload to see theirs, then make yours again."
        )


class PlanNotReady(MesoPlanError):
    """The plan still has findings that stop it from being marked ready."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("The plan cannot be marked ready:\n" + "\n".join(f"- {r}" for r in reasons))


@dataclass
class DatabaseUnavailable(MesoPlanError):
    """The database cannot be opened or used; the message says what to do."""

    url: str
    reason: str
    advice: str = field(default="")

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"The database {self.url} cannot be used: {self.reason}"
        return f"{text}\n{self.advice}" if self.advice else text

    @classmethod
    def from_exception(cls, url: str, exc: BaseException) -> "DatabaseUnavailable":
        from sqlalchemy.engine import make_url

        shown = make_url(url).render_as_string(hide_password=True)
        message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        lowered = message.lower()
        if "locked" in lowered or "busy" in lowered:
            advice = (
                "Another program is holding the database. Close other MesoPlan windows or "
                "programs using this file and try again."
            )
        elif "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            advice = (
                "The file is damaged. Restore the newest backup with 'mesoplan restore FILE' "
                "(backups are kept in the 'backups' folder beside the database)."
            )
        elif "permission" in lowered or "readonly" in lowered or "read-only" in lowered:
            advice = "Check that your user account may read and write this file and its folder."
        elif "connect" in lowered or "could not" in lowered or "refused" in lowered:
            advice = "Check that the database server is running and the URL, user and password are right."
        else:
            advice = "Check the address, or restore the newest backup with 'mesoplan restore FILE'."
        return cls(shown, message, advice)
