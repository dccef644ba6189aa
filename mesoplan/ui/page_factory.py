"""Turns a navigation request into the page that shows it (the main window calls ``create``).

Screens written elsewhere (plan editor, front desk, document preview) may be missing from an
installation or not written yet; the window then shows a page saying so instead of failing.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from mesoplan.ui import messages
from mesoplan.ui.context import AppContext
from mesoplan.ui.navigation import (
    NewPlan,
    OpenCatalog,
    OpenFrontDesk,
    OpenPatient,
    OpenPlan,
    ShowDocument,
)
from mesoplan.ui.pages import Page, UnavailablePage

PLAN_EDITOR = "mesoplan.ui.plan_editor.editor"
FRONT_DESK = "mesoplan.ui.frontdesk.day_view"
DOCUMENT_PREVIEW = "mesoplan.ui.documents.preview"


def is_missing(exc: ImportError, module: str) -> bool:
    """True when ``exc`` says that ``module`` (or its package, or a name in it) does not exist,
    rather than that something inside an existing module failed to import."""
    name = exc.name or ""
    return bool(name) and (module == name or module.startswith(name + "."))


def create(ctx: AppContext, request, parent: QWidget) -> Page | None:
    """A new page for ``request`` (the window switches to an existing tab for the same record)."""
    if isinstance(request, OpenPatient):
        from mesoplan.ui.patients.patient_page import PatientPage

        return PatientPage(ctx, request.patient_id)
    if isinstance(request, OpenCatalog):
        from mesoplan.ui.catalog.catalog_page import CatalogPage

        return CatalogPage(ctx)
    try:
        return _create_elsewhere(ctx, request, parent)
    except ImportError as exc:
        for module, key, title in ((PLAN_EDITOR, ("plan",), "Plan"),
                                   (FRONT_DESK, ("today",), "Today")):
            if is_missing(exc, module):
                return UnavailablePage(ctx, key, title, "This installation of MesoPlan has no "
                                       f"{title.lower()} screen yet ({module} is missing).")
        if is_missing(exc, DOCUMENT_PREVIEW):
            messages.show_error(parent, "Documents are not available",
                                "This installation of MesoPlan cannot preview consent forms or "
                                "aftercare sheets yet.")
            return None
        raise


def _create_elsewhere(ctx: AppContext, request, parent: QWidget) -> Page | None:
    if isinstance(request, OpenPlan):
        from mesoplan.ui.plan_editor.editor import PlanEditorPage

        return PlanEditorPage.open_existing(ctx, request.plan_id, parent)
    if isinstance(request, NewPlan):
        from mesoplan.ui.plan_editor.editor import PlanEditorPage

        return PlanEditorPage.start_new(ctx, request.patient_id, parent, request.template_id)
    if isinstance(request, OpenFrontDesk):
        from mesoplan.ui.frontdesk.day_view import FrontDeskPage

        return FrontDeskPage(ctx, request.day)
    if isinstance(request, ShowDocument):
        from mesoplan.ui.documents.preview import show_document

        show_document(ctx, request.plan_id, request.kind, parent)
        return None
    raise TypeError(f"unknown navigation request {request!r}")
