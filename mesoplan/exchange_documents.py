"""Issued documents in the exchange format (pure): consent forms and aftercare sheets as issued.

Each plan of an exchange file (version 2 on) lists its issued documents, so a plan keeps its
consent status when it moves: what each consent form covered, the day it was issued and the request
it printed, verbatim (the request holds what was printed, so a reprint stays identical). Database
ids never appear: the session is named by its sequence number, the practitioner by a ``ref``.
See docs/exchange-format.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from mesoplan.documents.codec import request_from_json
from mesoplan.errors import ValidationError

DOCUMENT_KINDS = ("consent", "aftercare")
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class DocumentData:
    """One issued document as exchanged."""

    kind: str
    session: int | None
    template_version: str
    language: str
    page_size: str
    fingerprint: str
    issued_by: str
    issued_at: dt.datetime | None
    times_printed: int
    practitioner: str | None
    covered_codes: tuple[str, ...]
    covered_zones: tuple[str, ...]
    request: dict[str, Any]


def document_to_json(document: DocumentData) -> dict[str, Any]:
    return {
        "kind": document.kind, "session": document.session,
        "template_version": document.template_version, "language": document.language,
        "page_size": document.page_size, "fingerprint": document.fingerprint,
        "issued_by": document.issued_by,
        "issued_at": document.issued_at.isoformat() if document.issued_at else None,
        "times_printed": document.times_printed, "practitioner": document.practitioner,
        "covered_codes": list(document.covered_codes), "covered_zones": list(document.covered_zones),
        "request": document.request,
    }


def _names(r, parent: dict, key: str, path: str) -> tuple[str, ...]:
    value = parent.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        r.fail(f"{path}.{key}", "must be a list of codes")
        return ()
    return tuple(value)


def read_documents(r, plan: dict, path: str, practitioner_refs: set[str],
                   sequences: set[int]) -> tuple[DocumentData, ...]:
    """The plan's ``documents`` list, every problem reported through the reader ``r`` with its path."""
    documents = []
    for i, raw in enumerate(r.items(plan, "documents", path)):
        dpath = f"{path}.documents[{i}]"
        d = r.obj(raw, dpath)
        kind = r.text(d, "kind", dpath, required=True)
        if kind and kind not in DOCUMENT_KINDS:
            r.fail(f"{dpath}.kind", f"must be one of {', '.join(DOCUMENT_KINDS)}")
        session = d.get("session")
        if session is not None and (isinstance(session, bool) or not isinstance(session, int)
                                    or session not in sequences):
            r.fail(f"{dpath}.session", f"{session!r} is not the number of a session of this plan")
            session = None
        fingerprint = r.text(d, "fingerprint", dpath, required=True)
        if fingerprint and not _FINGERPRINT.match(fingerprint):
            r.fail(f"{dpath}.fingerprint", "must be 64 lowercase hexadecimal characters")
        practitioner = d.get("practitioner")
        if practitioner is not None and practitioner not in practitioner_refs:
            r.fail(f"{dpath}.practitioner", f"{practitioner!r} is not listed in $.practitioners")
            practitioner = None
        issued_at = r.datetime(d, "issued_at", dpath)
        if issued_at is None and "issued_at" not in d:
            r.fail(f"{dpath}.issued_at", "is required")
        times = d.get("times_printed", 1)
        if isinstance(times, bool) or not isinstance(times, int) or times < 0:
            r.fail(f"{dpath}.times_printed", f"must be a whole number, not {times!r}")
            times = 1
        request = d.get("request")
        if not isinstance(request, dict):
            r.fail(f"{dpath}.request", "must be the object the document printed")
            request = {}
        else:
            try:
                printed = request_from_json(request)
            except ValidationError as exc:
                for problem in exc.problems:
                    r.fail(f"{dpath}.request ({problem.where})", problem.message)
            else:
                if kind and printed.kind != kind:
                    r.fail(f"{dpath}.request", f"prints a {printed.kind} document, not a {kind}")
        documents.append(DocumentData(
            kind=kind, session=session, template_version=r.text(d, "template_version", dpath, required=True),
            language=r.text(d, "language", dpath, default="en"), page_size=r.text(d, "page_size", dpath, default="A4"),
            fingerprint=fingerprint, issued_by=r.text(d, "issued_by", dpath), issued_at=issued_at,
            times_printed=times, practitioner=practitioner, covered_codes=_names(r, d, "covered_codes", dpath),
            covered_zones=_names(r, d, "covered_zones", dpath), request=request,
        ))
    return tuple(documents)
