"""Plan templates on screen: naming a plan's reusable part as a template, and a list of
templates to retire or restore. The work itself is ``mesoplan.services.templates``.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mesoplan.errors import MesoPlanError
from mesoplan.plan import PlanDraft
from mesoplan.services import templates
from mesoplan.services.templates import PlanTemplateRecord
from mesoplan.ui import messages
from mesoplan.ui.context import AppContext
from mesoplan.ui.plan_editor.fields import text_label
from mesoplan.ui.plan_editor.table_sync import sync_rows
from mesoplan.vocabulary import indication_label

Index = QModelIndex | QPersistentModelIndex


class SaveTemplateDialog(QDialog):
    def __init__(self, draft: PlanDraft, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save as template")
        self.setObjectName("saveTemplateDialog")
        self.name_edit = QLineEdit(name or indication_label(draft.indication, draft.indication_other))
        self.name_edit.setObjectName("templateName")
        self.name_edit.selectAll()
        name_label = QLabel("Template &name:")
        name_label.setBuddy(self.name_edit)
        parts = [f"{len(draft.components)} cocktail component{'s' if len(draft.components) != 1 else ''}"]
        if draft.protocol_code:
            parts.append("the protocol")
        parts.append("indication, treatment areas, goals, technique, depth and needle")
        summary = text_label(
            "Saved: " + "; ".join(parts) + ".\nNot saved: the patient, sessions, dates, notes, "
            "consent and acknowledgements.", "hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(
            lambda t: self.save_button.setEnabled(bool(t.strip())))
        self.save_button.setEnabled(bool(self.name_edit.text().strip()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(name_label)
        layout.addWidget(self.name_edit)
        layout.addWidget(summary)
        layout.addWidget(buttons)

    def name(self) -> str:
        return self.name_edit.text().strip()

    @staticmethod
    def ask(parent: QWidget | None, draft: PlanDraft, name: str = "") -> str | None:
        """The name typed, or None when cancelled (tests replace this)."""
        dialog = SaveTemplateDialog(draft, name, parent)
        return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else None


def save_plan_as_template(ctx: AppContext, parent: QWidget, draft: PlanDraft) -> PlanTemplateRecord | None:
    """Ask for a name and save; on a problem, say so and ask again with the name kept."""
    name = ""
    while True:
        name = SaveTemplateDialog.ask(parent, draft, name)
        if name is None:
            return None
        try:
            with ctx.work() as uow:
                return templates.save_template(uow, name, draft)
        except MesoPlanError as exc:
            messages.show_error(parent, "The template was not saved", exc)


class TemplateColumn(IntEnum):
    NAME = 0
    INDICATION = 1
    COMPONENTS = 2
    CREATED = 3


_HEADERS = {TemplateColumn.NAME: "Name", TemplateColumn.INDICATION: "Indication",
            TemplateColumn.COMPONENTS: "Components", TemplateColumn.CREATED: "Saved by"}
TEMPLATE_ROLE = Qt.ItemDataRole.UserRole + 1


class TemplateListModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: tuple[PlanTemplateRecord, ...] = ()

    def set_templates(self, records) -> None:
        sync_rows(self, self._rows, tuple(records), self._assign)

    def _assign(self, rows) -> None:
        self._rows = tuple(rows)

    def record(self, row: int) -> PlanTemplateRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(TemplateColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(TemplateColumn)):
            return _HEADERS[TemplateColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = TemplateColumn(index.column())
        if role == TEMPLATE_ROLE:
            return record
        if role == Qt.ItemDataRole.DisplayRole:
            if column is TemplateColumn.NAME:
                return record.name + (" (retired)" if record.retired else "")
            if column is TemplateColumn.INDICATION:
                return record.indication_label
            if column is TemplateColumn.COMPONENTS:
                return str(len(record.components))
            return f"{record.created_by}, {record.created_at:%Y-%m-%d}"
        if role == Qt.ItemDataRole.ForegroundRole and record.retired:
            return QBrush(QColor("#5b6b75"))
        return None


class ManageTemplatesDialog(QDialog):
    """The clinic's plan templates; retiring one stops it being offered for new plans."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Plan templates")
        self.setObjectName("manageTemplatesDialog")
        self.model = TemplateListModel(self)
        self.table = QTableView()
        self.table.setObjectName("templatesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(TemplateColumn.NAME,
                                                           QHeaderView.ResizeMode.Stretch)
        self.show_retired = QCheckBox("Show &retired templates")
        self.show_retired.toggled.connect(lambda _c: self.reload())
        self.retire_button = QPushButton("Re&tire")
        self.retire_button.clicked.connect(lambda: self._set_retired(True))
        self.restore_button = QPushButton("Re&store")
        self.restore_button.clicked.connect(lambda: self._set_retired(False))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.show_retired)
        row.addStretch(1)
        row.addWidget(self.retire_button)
        row.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(text_label("Templates are starting points for new plans. Retired ones are "
                                    "no longer offered; plans made from them are not changed.", "hint"))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.resize(640, 360)
        self.reload()

    def reload(self) -> None:
        try:
            with self.ctx.read() as uow:
                records = templates.list_templates(uow, include_retired=self.show_retired.isChecked())
        except MesoPlanError as exc:
            messages.show_error(self, "The templates cannot be shown", exc)
            records = []
        self.model.set_templates(records)
        self._update_buttons()

    def selected(self) -> PlanTemplateRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _set_retired(self, retire: bool) -> None:
        record = self.selected()
        if record is None:
            return
        try:
            with self.ctx.work() as uow:
                (templates.retire_template if retire else templates.restore_template)(uow, record.id)
        except MesoPlanError as exc:
            messages.show_error(self, "The template was not changed", exc)
        self.reload()

    def _update_buttons(self) -> None:
        record = self.selected()
        self.retire_button.setEnabled(record is not None and not record.retired)
        self.restore_button.setEnabled(record is not None and record.retired)
        self.restore_button.setVisible(self.show_retired.isChecked())
