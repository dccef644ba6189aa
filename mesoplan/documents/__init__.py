"""Consent forms and aftercare sheets as PDF (ReportLab; no Qt, no database).

Fill a ``DocumentRequest`` from the services and call ``render(request)``; store
``request_to_json(request)`` with the issued document to reprint it identically later.
"""

from importlib import import_module

# Names are loaded on first use (PEP 562), so importing a light part such as
# ``mesoplan.documents.content`` does not load ReportLab: the window starts without it.
_WHERE = {
    "request_from_json": "codec", "request_to_dict": "codec", "request_to_json": "codec",
    "ClinicInfo": "content", "CocktailLine": "content", "DocumentRequest": "content",
    "FindingInfo": "content", "PatientInfo": "content", "PlanInfo": "content",
    "PlannedSession": "content", "PractitionerInfo": "content",
    "content_fingerprint": "fingerprint",
    "RenderedDocument": "render", "render": "render", "render_aftercare": "render",
    "render_consent": "render",
    "DocumentTexts": "texts", "load_texts": "texts",
}


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'mesoplan.documents' has no attribute {name!r}")
    value = getattr(import_module(f"mesoplan.documents.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ClinicInfo", "CocktailLine", "DocumentRequest", "DocumentTexts", "FindingInfo", "PatientInfo", "PlanInfo",
    "PlannedSession", "PractitionerInfo", "RenderedDocument", "content_fingerprint", "load_texts", "render",
    "render_aftercare", "render_consent", "request_from_json", "request_to_dict", "request_to_json",
]
