"""The audit trail's hash chain (pure): how each entry's fingerprint is computed and checked.

Each entry's hash covers its own fields and the previous entry's hash, so changing or deleting a
past entry breaks every link after it. The entry's content (summary, before, after) enters the
hash through its own digest, so anonymisation can remove a patient's details from old entries
while keeping that digest: the entry then shows as redacted and the chain still verifies, and
any other change is still detected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

GENESIS_HASH = "0" * 64
REDACTED_KEY = "__redacted__"
REDACTED_SUMMARY = "[details removed when the patient was anonymised]"


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def json_safe(value: Any) -> Any:
    """``value`` as it reads back from a JSON column (dates as text, tuples as lists)."""
    return None if value is None else json.loads(canonical_json(value))


def content_digest(summary: str, before: Any, after: Any) -> str:
    """The digest of what an entry says; kept in place of the content when it is redacted."""
    redacted = redaction_digest(before)
    if redacted is not None and summary == REDACTED_SUMMARY and after is None:
        return redacted
    payload = canonical_json([summary, before, after])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def redaction_digest(before: Any) -> str | None:
    """The kept digest if ``before`` is a redaction marker, else None."""
    if isinstance(before, dict) and set(before) == {REDACTED_KEY} and isinstance(before[REDACTED_KEY], str):
        return before[REDACTED_KEY]
    return None


def redacted_content(summary: str, before: Any, after: Any) -> tuple[str, dict[str, str], None]:
    """(summary, before, after) to store instead of an entry's content when redacting it."""
    return REDACTED_SUMMARY, {REDACTED_KEY: content_digest(summary, before, after)}, None


def entry_hash(
    prev_hash: str, at: dt.datetime, actor: str, action: str, entity_type: str, entity_id: str,
    summary: str, before: Any, after: Any,
) -> str:
    payload = canonical_json([
        prev_hash, at.isoformat(timespec="microseconds"), actor, action, entity_type, entity_id,
        content_digest(summary, before, after),
    ])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainLink:
    id: int
    at: dt.datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    summary: str
    before: Any
    after: Any
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    problem: str
    redacted: int = 0

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    def describe(self) -> str:
        if self.ok:
            extra = f" ({self.redacted} redacted at anonymisation)" if self.redacted else ""
            return f"The audit trail is intact: {self.checked} entries checked{extra}."
        return (f"The audit trail is broken at entry {self.broken_at}: {self.problem}. "
                f"{self.checked} entries were read up to that point.")


def verify_chain(links: Iterable[ChainLink], head_hash: str | None, head_id: int | None) -> ChainReport:
    """Walk the links in id order; report the first whose hash or back-link does not fit.

    ``head_hash``/``head_id`` are the stored newest link (None: no head record), which is how
    deleting the newest entries is detected.
    """
    expected_prev = GENESIS_HASH
    count = redacted = 0
    last_id = 0
    for link in links:
        count += 1
        if link.prev_hash != expected_prev:
            if last_id == 0:
                problem = "it is not the first entry, so earlier entries were deleted"
            else:
                problem = f"it does not follow entry {last_id}, so an entry between them was deleted or changed"
            return ChainReport(count, link.id, problem, redacted)
        recomputed = entry_hash(link.prev_hash, link.at, link.actor, link.action, link.entity_type,
                                link.entity_id, link.summary, link.before, link.after)
        if recomputed != link.hash:
            return ChainReport(count, link.id, "it was changed after it was written", redacted)
        if redaction_digest(link.before) is not None:
            redacted += 1
        expected_prev = link.hash
        last_id = link.id
    if head_hash is None and count:
        return ChainReport(count, last_id + 1, "the record of the newest entry (audit_head) was "
                           "deleted, so deleted newest entries cannot be ruled out", redacted)
    if head_hash is not None and (head_hash != expected_prev or (head_id or 0) != last_id):
        return ChainReport(count, last_id + 1 if last_id else 1,
                           f"the newest entries after entry {last_id} were deleted", redacted)
    return ChainReport(count, None, "", redacted)
