"""Administration › Audit trail: who changed what and when, filtered by dates, person, action and
record, with each entry's values before and after, and a check that no entry was altered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mesoplan.errors import Problem, ValidationError
from mesoplan.services.audit import AuditFilter, AuditRecord, audit_choices, verify_audit_chain
from mesoplan.ui import messages
from mesoplan.ui.admin.audit_model import (
    AuditTableModel,
    DiffModel,
    diff_rows,
    local_time,
    record_label,
)
from mesoplan.ui.admin.forms import dialog_layout, fit_to_screen, heading, hint_label
from mesoplan.ui.context import AppContext
from mesoplan.ui.widgets.banner import Banner
from mesoplan.ui.widgets.dates import DATE_HINT, OptionalDateEdit
from mesoplan.ui.widgets.record_model import record_table
from mesoplan.audit_chain import REDACTED_SUMMARY
from mesoplan.ui.style import mark


def action_items(actions: list[str]) -> list[tuple[str, str]]:
    """(label, filter value) for the action list: each group ('plan: every action') then its actions."""
    groups: dict[str, list[str]] = {}
    for action in actions:
        groups.setdefault(action.split(".")[0], []).append(action)
    items = [("Every action", "")]
    for group, members in sorted(groups.items()):
        if members != [group]:
            items.append((f"{group}: every action", group))
        items += [(f"    {action}" if members != [group] else action, action) for action in members]
    return items


class AuditDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("auditDialog")
        self.setWindowTitle("Audit trail")
        self.model = AuditTableModel(ctx, self)
        self.table = record_table(self.model, "auditTable")
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.diff_model = DiffModel(self)
        self.diff_table = record_table(self.diff_model, "auditDiff")
        self.diff_table.horizontalHeader().setStretchLastSection(True)
        self._build_filters()
        self.verify_button = QPushButton("&Verify chain")
        self.verify_button.setObjectName("verifyChain")
        self.verify_button.setToolTip("Check that no entry was changed or deleted since it was written")
        self.verify_button.clicked.connect(self.verify_chain)
        self.result_banner = Banner()
        self.result_banner.setObjectName("chainResult")
        self.count_label = hint_label("")
        self.count_label.setObjectName("auditCount")

        self.detail_title = QLabel()
        mark(self.detail_title, role="subtitle")
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_title.setWordWrap(True)
        self.detail_meta = hint_label("")
        self.detail_note = hint_label("")
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 8, 0, 0)
        detail_layout.setSpacing(4)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail_meta)
        detail_layout.addWidget(self.detail_note)
        detail_layout.addWidget(self.diff_table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        top = QHBoxLayout()
        top.addWidget(heading("Audit trail"))
        top.addWidget(self.count_label, 1, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.verify_button, 0, Qt.AlignmentFlag.AlignVCenter)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = dialog_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.result_banner)
        layout.addLayout(self.filters)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(close)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self.show_entry(current.row()))
        self.apply_filter()
        fit_to_screen(self, 150, 46)
        line = self.fontMetrics().height()
        self.splitter.setSizes([line * 20, line * 10])

    # --- filters --------------------------------------------------------------------------------

    def _build_filters(self) -> None:
        with self.ctx.read() as uow:
            actions, actors, entity_types = audit_choices(uow)
        self.since = OptionalDateEdit(placeholder="first day")
        self.since.setObjectName("auditSince")
        self.until = OptionalDateEdit(placeholder="last day")
        self.until.setObjectName("auditUntil")
        for edit in (self.since, self.until):
            edit.line.setToolTip(f"Leave empty for no limit; {DATE_HINT}")
        self.actor = QComboBox()
        self.actor.setObjectName("auditActor")
        self.actor.setEditable(True)
        self.actor.addItem("")
        self.actor.addItems(actors)
        self.actor.lineEdit().setPlaceholderText("anyone (or part of a name)")
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        for label, value in action_items(actions):
            self.action.addItem(label, value)
        self.entity_type = QComboBox()
        self.entity_type.setObjectName("auditEntityType")
        self.entity_type.addItem("Any record", "")
        for kind in entity_types:
            self.entity_type.addItem(kind.replace("_", " "), kind)
        self.entity_id = QLineEdit()
        self.entity_id.setObjectName("auditEntityId")
        self.entity_id.setPlaceholderText("number")
        self.entity_id.setMinimumWidth(self.fontMetrics().horizontalAdvance("number") + 24)
        self.entity_id.setMaximumWidth(self.fontMetrics().horizontalAdvance("number 0000") + 24)
        self.apply_button = QPushButton("&Show")
        self.apply_button.setObjectName("applyFilter")
        mark(self.apply_button, primary="true")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply_filter)
        self.clear_button = QPushButton("C&lear")
        self.clear_button.clicked.connect(self.clear_filter)
        self.entity_id.returnPressed.connect(self.apply_filter)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)

        def labelled(row: int, column: int, text: str, widget: QWidget) -> None:
            label = QLabel(text)
            label.setBuddy(widget.focusProxy() or widget)
            grid.addWidget(label, row, column)
            grid.addWidget(widget, row, column + 1)

        labelled(0, 0, "&From", self.since)
        labelled(0, 2, "&To", self.until)
        labelled(0, 4, "&Who", self.actor)
        labelled(1, 0, "A&ction", self.action)
        record = QHBoxLayout()
        record.setSpacing(4)
        record.addWidget(self.entity_type, 1)
        record.addWidget(self.entity_id)
        record_label_widget = QLabel("&Record")
        record_label_widget.setBuddy(self.entity_type)
        grid.addWidget(record_label_widget, 1, 2)
        grid.addLayout(record, 1, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 1, 4, 1, 2)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        self.filters = grid

    def current_filter(self) -> AuditFilter:
        problems = [Problem(name, f"'{edit.text()}' is not a date; {DATE_HINT}")
                    for name, edit in (("From", self.since), ("To", self.until)) if edit.has_error()]
        if problems:
            raise ValidationError(problems)
        return AuditFilter(since=self.since.date(), until=self.until.date(),
                           actor=self.actor.currentText().strip(), action=self.action.currentData() or "",
                           entity_type=self.entity_type.currentData() or "",
                           entity_id=self.entity_id.text().strip())

    def apply_filter(self) -> None:
        try:
            self.model.reload(self.current_filter())
        except Exception as exc:  # noqa: BLE001 - a bad date or the database: shown, filters kept
            messages.show_error(self, "The audit trail could not be shown", exc)
            return
        shown = self.model.total
        self.count_label.setText("No entries match." if not shown else
                                 f"{shown} {'entry matches' if shown == 1 else 'entries match'}, newest first.")
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.show_entry(-1)

    def clear_filter(self) -> None:
        self.since.clear()
        self.until.clear()
        self.actor.setCurrentIndex(0)
        self.actor.setEditText("")
        self.action.setCurrentIndex(0)
        self.entity_type.setCurrentIndex(0)
        self.entity_id.clear()
        self.apply_filter()

    # --- one entry ------------------------------------------------------------------------------

    def show_entry(self, row: int) -> None:
        entry: AuditRecord | None = self.model.entry(row)
        if entry is None:
            self.detail_title.setText("Select an entry to see what it changed.")
            self.detail_meta.clear()
            self.detail_note.hide()
            self.diff_model.set_rows([])
            self.diff_table.hide()
            return
        self.detail_title.setText(entry.summary or entry.action)
        where = record_label(entry)
        self.detail_meta.setText(f"{local_time(entry.at)} · {entry.actor} · {entry.action}"
                                 + (f" · {where}" if where else "") + f" · entry {entry.id}")
        if entry.redacted:
            note = "The details were removed when the patient was anonymised; the entry still verifies."
        elif entry.before is None and entry.after is None:
            note = "This entry records an event; it has no values before or after."
        else:
            note = "Changed values are in bold." if entry.before and entry.after else ""
        self.detail_note.setText(note)
        self.detail_note.setVisible(bool(note))
        rows = [] if entry.redacted or entry.summary == REDACTED_SUMMARY else diff_rows(entry.before, entry.after)
        self.diff_model.set_rows(rows)
        self.diff_table.setVisible(bool(rows))
        self.diff_table.resizeColumnToContents(0)

    # --- the chain ------------------------------------------------------------------------------

    def verify_chain(self) -> None:
        database, actor = self.ctx.database, self.ctx.actor

        def check(_progress):
            from mesoplan.services.uow import read

            with read(database, actor) as uow:
                return verify_audit_chain(uow)

        def done(report) -> None:
            self.result_banner.show_message(report.describe(), "ok" if report.ok else "block")

        self.ctx.tasks.run(check, done, lambda exc: messages.show_error(self, "The check did not finish", exc),
                           label="Checking the audit trail…", parent=self)
