"""Consent forms and aftercare sheets as PDF (ReportLab; no Qt, no database).

Fill a ``DocumentRequest`` from the services and call ``render(request)``; store
``request_to_json(request)`` with the issued document to reprint it identically later.
"""

from mesoplan.documents.codec import request_from_json, request_to_dict, request_to_json
from mesoplan.documents.content import (
    ClinicInfo,
    CocktailLine,
    DocumentRequest,
    FindingInfo,
    PatientInfo,
    PlanInfo,
    PlannedSession,
    PractitionerInfo,
)
from mesoplan.documents.fingerprint import content_fingerprint
from mesoplan.documents.render import RenderedDocument, render, render_aftercare, render_consent
from mesoplan.documents.texts import DocumentTexts, load_texts

__all__ = [
    "ClinicInfo", "CocktailLine", "DocumentRequest", "DocumentTexts", "FindingInfo", "PatientInfo", "PlanInfo",
    "PlannedSession", "PractitionerInfo", "RenderedDocument", "content_fingerprint", "load_texts", "render",
    "render_aftercare", "render_consent", "request_from_json", "request_to_dict", "request_to_json",
]
