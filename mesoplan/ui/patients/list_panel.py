"""The patient list dock: search as you type (name, birth date or phone), open, add a patient.

Every keystroke searches the database through indexed columns (``PatientListModel``); Down moves
from the search box into the list and Enter opens the patient's page.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mesoplan.access import Permission
from mesoplan.services.patients import PatientRecord
from mesoplan.ui.context import AppContext
from mesoplan.ui.widgets.columns import size_columns
from mesoplan.ui.widgets.record_model import record_table
from mesoplan.ui.navigation import OpenPatient
from mesoplan.ui.patients.list_model import PATIENT_ID_ROLE, PatientColumn, PatientListModel
from mesoplan.ui.style import mark

PHONE_COLUMN_MIN_CHARS = 54
SEARCH_HINT = "Name, birth date (2001-03-14 or 14.03.2001) or phone"


class PatientListPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._select_when_loaded: int | None = None
        self.setObjectName("patientListPanel")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("patientSearch")
        self.search_edit.setPlaceholderText(SEARCH_HINT)
        self.search_edit.setToolTip("Type any part of a name (accents do not matter), a date of "
                                    "birth or the first digits of a phone number")
        self.search_edit.setClearButtonEnabled(True)
        self.model = PatientListModel(ctx, self)
        self.table = record_table(self.model, "patientTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PatientColumn.NAME, QHeaderView.ResizeMode.Stretch)
        size_columns(self.table, {PatientColumn.BORN: "8888-88-88 (888)",
                                  PatientColumn.PHONE: "+888 8888 888888"})
        header.setHighlightSections(False)
        self.table.setAccessibleName("Patients")
        self.status = QLabel()
        mark(self.status, role="hint")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.new_button = QPushButton("&New patient…")
        self.new_button.setObjectName("newPatientButton")
        self.new_button.setToolTip("Add a patient (Ctrl+N)")
        self.new_button.clicked.connect(self.new_patient)

        search_label = QLabel("&Search")
        search_label.setBuddy(self.search_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(search_label)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.new_button)
        layout.addLayout(bottom)

        self.search_edit.textChanged.connect(self.model.search)
        self.search_edit.installEventFilter(self)
        self.table.activated.connect(self._open_index)
        self.model.loaded.connect(self._loaded)
        self.model.rowsInserted.connect(lambda *_: self._update_status())
        ctx.changed.connect(self._records_changed)
        ctx.actor_changed.connect(lambda _actor: self._apply_permissions())
        self._apply_permissions()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        # Wide enough for a name, a birth date with age and a phone number side by side.
        return QSize(self.fontMetrics().averageCharWidth() * 60, super().sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        # In a narrow dock the names matter most: the phone column steps aside (it is still
        # searchable and shown in each row's tooltip).
        super().resizeEvent(event)
        narrow = self.width() < self.fontMetrics().averageCharWidth() * PHONE_COLUMN_MIN_CHARS
        self.table.setColumnHidden(PatientColumn.PHONE, narrow)

    # --- public ---------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def new_patient(self):
        """Open the new-patient form (not modal to the app: returns the dialog)."""
        if not self.ctx.can(Permission.EDIT_CONTACT):
            return None
        from mesoplan.ui.patients.patient_form import NewPatientDialog

        dialog = NewPatientDialog(self.ctx, self.window())
        dialog.created.connect(self._created)
        dialog.open()
        return dialog

    def selected_patient_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(PATIENT_ID_ROLE) if index.isValid() else None

    def select_patient(self, patient_id: int) -> bool:
        row = self.model.row_of(patient_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    # --- behaviour ------------------------------------------------------------------------------

    def _open_index(self, index: QModelIndex) -> None:
        patient_id = index.data(PATIENT_ID_ROLE)
        if patient_id is not None:
            self.ctx.open(OpenPatient(patient_id))

    def _created(self, record: PatientRecord) -> None:
        # Show the new patient among namesakes (the search before may not have matched them).
        self._select_when_loaded = record.id
        if self.search_edit.text() == record.family_name:
            self.model.refresh()
        else:
            self.search_edit.setText(record.family_name)
        self.ctx.open(OpenPatient(record.id))

    def _loaded(self, _text: str) -> None:
        wanted, self._select_when_loaded = self._select_when_loaded, None
        if not (wanted is not None and self.select_patient(wanted)) and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._update_status()

    def _update_status(self) -> None:
        count = self.model.rowCount()
        text = self.model.text.strip()
        if count == 0:
            self.status.setText(f"No patient matches “{text}”." if text else "No patients yet.")
        elif self.model.is_complete():
            self.status.setText(f"{count} patient{'s' if count != 1 else ''}")
        else:
            self.status.setText(f"First {count} shown; scroll for more")

    def _records_changed(self, kinds: frozenset[str]) -> None:
        if "patient" in kinds and self.ctx.can_see_patients():
            if self._select_when_loaded is None:
                self._select_when_loaded = self.selected_patient_id()
            self.model.refresh()

    def _apply_permissions(self) -> None:
        self.new_button.setVisible(self.ctx.can(Permission.EDIT_CONTACT))
        self.setEnabled(self.ctx.can_see_patients())
        if self.ctx.can_see_patients() and self.model.rowCount() == 0 and not self.model.is_loading():
            self.model.search(self.search_edit.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.model.rowCount():
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                if not self.table.currentIndex().isValid():
                    self.table.setCurrentIndex(self.model.index(0, 0))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self.table.currentIndex()
                if not index.isValid() and self.model.rowCount():
                    index = self.model.index(0, 0)
                if index.isValid():
                    self._open_index(index)
                return True
        return super().eventFilter(watched, event)
