"""Turns a navigation request into the page that shows it (the main window calls ``create``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from mesoplan.ui.context import AppContext
from mesoplan.ui.navigation import (
    NewPlan,
    OpenCatalog,
    OpenFrontDesk,
    OpenPatient,
    OpenPlan,
    ShowDocument,
)
from mesoplan.ui.pages import Page


def create(ctx: AppContext, request, parent: QWidget) -> Page | None:
    """A new page for ``request`` (the window switches to an existing tab for the same record)."""
    if isinstance(request, OpenPatient):
        from mesoplan.ui.patients.patient_page import PatientPage

        return PatientPage(ctx, request.patient_id)
    if isinstance(request, OpenPlan):
        from mesoplan.ui.plan_editor.editor import PlanEditorPage

        return PlanEditorPage.open_existing(ctx, request.plan_id, parent)
    if isinstance(request, NewPlan):
        from mesoplan.ui.plan_editor.editor import PlanEditorPage

        return PlanEditorPage.start_new(ctx, request.patient_id, parent, request.template_id)
    if isinstance(request, OpenFrontDesk):
        from mesoplan.ui.frontdesk.day_view import FrontDeskPage

        return FrontDeskPage(ctx, request.day)
    if isinstance(request, OpenCatalog):
        from mesoplan.ui.catalog.catalog_page import CatalogPage

        return CatalogPage(ctx)
    if isinstance(request, ShowDocument):
        from mesoplan.ui.documents.preview import show_document

        show_document(ctx, request.plan_id, request.kind, parent)
        return None
    raise TypeError(f"unknown navigation request {request!r}")
