"""Administration › Clinic settings: details, practitioners, policies and safety-rule choices on
four tabs. Save writes details, policies and rules in one unit of work (all or nothing);
practitioners are saved one by one as they are changed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QScrollArea, QTabWidget, QWidget

from mesoplan.errors import ValidationError
from mesoplan.services.clinic import get_clinic_settings, list_rule_choices, save_rule_choices, update_clinic_settings
from mesoplan.services.users import get_safety_settings, update_safety_settings
from mesoplan.ui import messages
from mesoplan.ui.admin.clinic_form import ClinicDetailsForm, PoliciesForm
from mesoplan.ui.admin.forms import dialog_buttons, dialog_layout, fit_to_screen, heading
from mesoplan.ui.admin.practitioners_panel import PractitionersPanel
from mesoplan.ui.admin.rules_panel import RulesPanel
from mesoplan.ui.context import AppContext
from mesoplan.ui.widgets.field_errors import FieldErrors, error_label

DETAILS_TAB, PRACTITIONERS_TAB, POLICIES_TAB, RULES_TAB = range(4)


def scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


class ClinicSettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("clinicSettingsDialog")
        self.setWindowTitle("Clinic settings")
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.details_form = ClinicDetailsForm(self.errors)
        self.practitioners = PractitionersPanel(ctx)
        self.policies = PoliciesForm(self.errors)
        self.rules = RulesPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("clinicSettingsTabs")
        self.tabs.addTab(scrolling(self.details_form), "&Clinic")
        self.tabs.addTab(self.practitioners, "&Practitioners")
        self.tabs.addTab(scrolling(self.policies), "P&olicies")
        self.tabs.addTab(self.rules, "Safety &rules")
        self.buttons, self.save_button = dialog_buttons("&Save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = dialog_layout(self)
        layout.addWidget(heading("Clinic settings"))
        layout.addWidget(self.general_error)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.load()
        fit_to_screen(self, 120, 42)

    def load(self) -> None:
        with self.ctx.read() as uow:
            record = get_clinic_settings(uow)
            policy = get_safety_settings(uow)
            rules = list_rule_choices(uow)
        self.version = record.version
        self.details_form.set_details(record.details)
        self.policies.set_settings(policy)
        self.rules.set_rules(rules)
        self._loaded = self._snapshot()

    def _snapshot(self) -> tuple:
        return (self.details_form.details(), tuple(sorted(self.policies.values().items())),
                tuple(sorted(self.rules.model.choices().items())))

    def is_modified(self) -> bool:
        return self._snapshot() != self._loaded

    def save(self) -> bool:
        self.errors.clear()
        try:
            with self.ctx.work() as uow:
                update_clinic_settings(uow, self.details_form.details(), self.version)
                update_safety_settings(uow, **self.policies.values())
                save_rule_choices(uow, self.rules.model.choices())
        except ValidationError as exc:
            first = self.errors.show(exc.problems)
            if first is not None:
                self._show_tab_of(first)
                first.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        except Exception as exc:  # noqa: BLE001 - e.g. changed elsewhere: shown, the form keeps its values
            messages.show_error(self, "The clinic settings were not saved", exc)
            return False
        self.accept()
        return True

    def _show_tab_of(self, widget: QWidget) -> None:
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).isAncestorOf(widget):
                self.tabs.setCurrentIndex(index)
                return

    def reject(self) -> None:
        if self.is_modified() and not messages.confirm(
                self, "Discard your changes?", "The changes to the clinic details, policies or safety "
                "rules have not been saved.", "Discard", "Keep editing"):
            return
        super().reject()
