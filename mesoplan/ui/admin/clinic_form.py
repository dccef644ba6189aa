"""The clinic settings dialog's two forms: the clinic's details (with its logo) and its policies
(screen lock, rolling backups, how long records are kept).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mesoplan.documents.content import PAGE_SIZES
from mesoplan.errors import Problem, ValidationError
from mesoplan.services.clinic import ClinicDetails, document_languages, logo_problems, rule_jurisdictions
from mesoplan.services.users import SafetySettings
from mesoplan.ui import messages
from mesoplan.ui.admin import forms
from mesoplan.ui.admin.forms import add_row, form_layout, hint_label
from mesoplan.ui.patients.patient_form import text_box
from mesoplan.ui.widgets.field_errors import FieldErrors

PAGE_SIZE_LABELS = {"A4": "A4 (210 × 297 mm)", "Letter": "US Letter (8.5 × 11 in)"}
LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
                  "pl": "Polish", "pt": "Portuguese", "nl": "Dutch"}


class LogoPicker(QWidget):
    """The clinic's logo: a preview, Choose… and Remove. Holds the PNG bytes (or None)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: bytes | None = None
        self.preview = QLabel()
        self.preview.setObjectName("logoPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(self.fontMetrics().height() * 4)
        self.preview.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.choose_button = QPushButton("C&hoose PNG…")
        self.choose_button.setObjectName("chooseLogo")
        self.clear_button = QPushButton("Remo&ve")
        self.clear_button.setObjectName("clearLogo")
        self.choose_button.clicked.connect(self.choose)
        self.clear_button.clicked.connect(lambda: self.set_data(None))
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.preview)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.setFocusProxy(self.choose_button)
        self.set_data(None)

    def set_data(self, data: bytes | None) -> None:
        self.data = data
        if data is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No logo")
        else:
            pixmap = QPixmap()
            pixmap.loadFromData(data, "PNG")
            height = self.fontMetrics().height() * 4
            self.preview.setPixmap(pixmap.scaled(height * 3, height, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
        self.clear_button.setEnabled(data is not None)

    def load_file(self, path) -> bool:
        """Use the PNG at ``path``; False (after saying why) when it is not a usable PNG."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            messages.show_error(self, "The logo was not used", f"{path} cannot be read: {exc}")
            return False
        problems = logo_problems(data)
        if not problems and not QPixmap().loadFromData(data, "PNG"):
            problems = [Problem("logo", "cannot be read as a PNG image")]
        if problems:
            messages.show_error(self, "The logo was not used", ValidationError(problems))
            return False
        self.set_data(data)
        return True

    def choose(self) -> None:
        path = forms.ask_open_path(self, "Choose the clinic's logo", "PNG images (*.png)")
        if path is not None:
            self.load_file(path)


class ClinicDetailsForm(QWidget):
    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setObjectName("clinicName")
        self.address = text_box(4)
        self.address.setObjectName("clinicAddress")
        self.phone = QLineEdit()
        self.phone.setObjectName("clinicPhone")
        self.emergency_phone = QLineEdit()
        self.emergency_phone.setObjectName("emergencyPhone")
        self.email = QLineEdit()
        self.email.setObjectName("clinicEmail")
        self.logo = LogoPicker()
        self.jurisdiction = QComboBox()
        self.jurisdiction.setObjectName("jurisdiction")
        self.jurisdiction.setEditable(True)
        self.jurisdiction.addItems(rule_jurisdictions())
        self.page_size = QComboBox()
        self.page_size.setObjectName("pageSize")
        for size in PAGE_SIZES:
            self.page_size.addItem(PAGE_SIZE_LABELS.get(size, size), size)
        self.language = QComboBox()
        self.language.setObjectName("documentLanguage")
        for code in document_languages():
            self.language.addItem(f"{LANGUAGE_NAMES.get(code, code)} ({code})", code)
        form = form_layout()
        add_row(form, "Clinic &name", self.name, errors, ("name",))
        add_row(form, "A&ddress", self.address, errors, ("address",))
        add_row(form, "&Phone", self.phone, errors, ("phone",))
        add_row(form, "&Emergency phone", self.emergency_phone, errors, ("emergency phone",),
                "Printed on aftercare sheets for problems after a session.")
        add_row(form, "E-&mail", self.email, errors, ("email",))
        add_row(form, "&Logo", self.logo, errors, ("logo",), "A PNG printed at the top of documents.")
        add_row(form, "&Jurisdiction", self.jurisdiction, errors, ("jurisdiction",),
                "Where the clinic works, as a code such as GB-ENG; rules that apply only in some "
                "places (for example R21) use it.")
        add_row(form, "Page si&ze", self.page_size, errors, ("page size",))
        add_row(form, "Document lan&guage", self.language, errors, ("document language",))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(form)
        layout.addStretch(1)

    def set_details(self, details: ClinicDetails) -> None:
        self.name.setText(details.name)
        self.address.setPlainText(details.address)
        self.phone.setText(details.phone)
        self.emergency_phone.setText(details.emergency_phone)
        self.email.setText(details.email)
        self.logo.set_data(details.logo_png)
        self.jurisdiction.setEditText(details.jurisdiction)
        self.page_size.setCurrentIndex(max(0, self.page_size.findData(details.page_size)))
        index = self.language.findData(details.document_language)
        if index < 0:
            self.language.addItem(details.document_language, details.document_language)
            index = self.language.count() - 1
        self.language.setCurrentIndex(index)

    def details(self) -> ClinicDetails:
        return ClinicDetails(
            name=self.name.text(), address=self.address.toPlainText(), phone=self.phone.text(),
            emergency_phone=self.emergency_phone.text(), email=self.email.text(),
            jurisdiction=self.jurisdiction.currentText(), logo_png=self.logo.data,
            page_size=self.page_size.currentData(), document_language=self.language.currentData())


def spin(minimum: int, maximum: int, suffix: str, name: str) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setRange(minimum, maximum)
    box.setSuffix(suffix)
    box.setAccelerated(True)
    box.setMinimumWidth(box.fontMetrics().averageCharWidth() * 16)
    box.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return box


class PoliciesForm(QWidget):
    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lock_enabled = QCheckBox("Lock the screen when nobody has used MesoPlan for")
        self.lock_enabled.setObjectName("idleLockEnabled")
        self.idle_minutes = spin(1, 720, " minutes", "idleLockMinutes")
        self.lock_enabled.toggled.connect(self.idle_minutes.setEnabled)
        lock_row = QWidget()
        row = QHBoxLayout(lock_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.lock_enabled)
        row.addWidget(self.idle_minutes)
        row.addStretch(1)
        lock_row.setFocusProxy(self.lock_enabled)
        self.backup_interval = spin(5, 7 * 24 * 60, " minutes", "backupInterval")
        self.backup_keep = spin(1, 1000, " copies", "backupKeep")
        self.retention_years = spin(1, 100, " years", "retentionYears")
        form = form_layout()
        add_row(form, "Screen &lock", lock_row, errors, ("idle lock minutes",),
                "The same user's password unlocks it. Ctrl+L locks at once.")
        add_row(form, "&Back up every", self.backup_interval, errors, ("backup interval minutes",),
                "A copy of the database is made while MesoPlan runs (SQLite databases only).")
        add_row(form, "&Keep the newest", self.backup_keep, errors, ("backup keep",))
        add_row(form, "Keep records &for", self.retention_years, errors, ("retention years",),
                "After a patient's last record; only then may they be anonymised. Check the period "
                "your professional body and local law require.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(form)
        layout.addWidget(hint_label("Changes take effect as soon as they are saved."))
        layout.addStretch(1)

    def set_settings(self, policy: SafetySettings) -> None:
        self.lock_enabled.setChecked(policy.idle_lock_minutes is not None)
        self.idle_minutes.setValue(policy.idle_lock_minutes or 10)
        self.idle_minutes.setEnabled(policy.idle_lock_minutes is not None)
        self.backup_interval.setValue(policy.backup_interval_minutes)
        self.backup_keep.setValue(policy.backup_keep)
        self.retention_years.setValue(policy.retention_years)

    def values(self) -> dict[str, int | None]:
        return {"idle_lock_minutes": self.idle_minutes.value() if self.lock_enabled.isChecked() else None,
                "backup_interval_minutes": self.backup_interval.value(),
                "backup_keep": self.backup_keep.value(), "retention_years": self.retention_years.value()}
