"""Issued documents of a plan in export and import (service layer; the format is in mesoplan.exchange_documents).

Export writes every consent form and aftercare sheet of the plan with what it covers (read as the
safety rules read it, so a form issued before coverage was stored exports the same as one after);
import stores them again under the new plan and session ids, keeping who issued them and when.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from mesoplan.db.models import IssuedDocument
from mesoplan.exchange_documents import DocumentData, document_to_json
from mesoplan.plan import PlanDraft
from mesoplan.services.evaluation import document_coverage
from mesoplan.services.uow import UnitOfWork


def export_plan_documents(uow: UnitOfWork, draft: PlanDraft,
                          practitioner_ref: Callable[[int], str]) -> list[dict[str, Any]]:
    """The plan's issued documents, oldest first, as exchange JSON."""
    sequences = {s.id: s.sequence for s in draft.sessions}
    rows = uow.session.scalars(select(IssuedDocument).where(IssuedDocument.plan_id == draft.id)
                               .order_by(IssuedDocument.issued_at, IssuedDocument.id))
    out = []
    for row in rows:
        covers = document_coverage(uow, row)
        out.append(document_to_json(DocumentData(
            kind=row.kind, session=sequences.get(row.session_id), template_version=row.template_version,
            language=row.language, page_size=row.page_size, fingerprint=row.fingerprint,
            issued_by=row.issued_by, issued_at=row.issued_at, times_printed=row.times_printed,
            practitioner=practitioner_ref(covers.practitioner_id) if covers.practitioner_id is not None else None,
            covered_codes=tuple(sorted(covers.covered_item_codes)),
            covered_zones=tuple(sorted(covers.covered_zones or ())),
            request=(row.content or {}).get("request") or {},
        )))
    return out


def import_plan_documents(uow: UnitOfWork, saved: PlanDraft, documents: tuple[DocumentData, ...],
                          practitioner_ids: dict[str, int]) -> int:
    """Store the documents of an imported plan; returns how many."""
    session_ids = {s.sequence: s.id for s in saved.sessions}
    for document in documents:
        uow.session.add(IssuedDocument(
            plan_id=saved.id, session_id=session_ids.get(document.session) if document.session is not None else None,
            kind=document.kind, template_version=document.template_version, language=document.language,
            page_size=document.page_size, fingerprint=document.fingerprint,
            content={"request": document.request, "covered_codes": list(document.covered_codes),
                     "covered_zones": list(document.covered_zones),
                     "practitioner_id": practitioner_ids.get(document.practitioner or "")},
            issued_by=document.issued_by, issued_at=document.issued_at, times_printed=document.times_printed,
        ))
    uow.session.flush()
    return len(documents)
