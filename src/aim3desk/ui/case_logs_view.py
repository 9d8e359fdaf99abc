"""A case's escalation log (a barrier or delay, the line manager it was reported to, when, and
the outcome) and consultation log (date, service consulted, advice). Each entry is edited in
a small dialog; Enter or double-click edits, Delete removes (after asking)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.case_logs import ConsultationEntry, EscalationEntry
from aim3desk.domain.cases import ValidationError, new_id
from aim3desk.ui.assessment.page_kit import (
    confirm,
    explanation,
    fmt_date,
    ok_cancel,
)
from aim3desk.ui.date_field import DateField, first_invalid
from aim3desk.ui.operations import logs as ops
from aim3desk.ui.operations.base import Change, Changes, Latest, Record
from aim3desk.ui.record_saver import save_failure_reason
from aim3desk.ui.record_widgets import NoteEdit
from aim3desk.ui.tasks import TaskRunner
from aim3desk.ui.text_limit import limit_line

if TYPE_CHECKING:
    from aim3desk.services.session import Session

ID_ROLE = Qt.ItemDataRole.UserRole


def _date_field(name: str, value: date, today: date) -> DateField:
    return DateField(name, value, required=True, maximum=today)


def _day(field: DateField) -> date:
    value = field.value()
    assert value is not None  # saving is refused until the date field holds a date
    return value


class EscalationDialog(QDialog):
    def __init__(self, entry: EscalationEntry | None, today: date, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle("Escalation" if entry else "Record an escalation")
        self.resize(560, 400)
        self.entry_id = entry.id if entry else new_id()
        self.date_edit = _date_field("When it arose", entry.date if entry else today, today)
        self.barrier_edit = NoteEdit("Barrier or delay", "What is holding the assessment up", 3)
        self.reported_to_edit = limit_line(QLineEdit(), "reported_to")
        self.reported_to_edit.setAccessibleName("Line manager reported to")
        self.reported_on_edit = DateField("When it was reported")
        self.outcome_edit = NoteEdit("Outcome", "What happened after it was reported", 3)
        if entry:
            self.barrier_edit.setPlainText(entry.barrier_or_delay)
            self.reported_to_edit.setText(entry.reported_to)
            self.reported_on_edit.set_value(entry.reported_on)
            self.outcome_edit.setPlainText(entry.outcome)
        else:
            self.reported_on_edit.set_value(today)
        self.error_label = explanation("")
        self.error_label.setObjectName("errorLabel")
        form = QFormLayout(self)
        form.addRow("&Arose on:", self.date_edit)
        form.addRow("&Barrier or delay:", self.barrier_edit)
        form.addRow("&Reported to:", self.reported_to_edit)
        form.addRow("Reported &on:", self.reported_on_edit)
        form.addRow("O&utcome:", self.outcome_edit)
        form.addRow(self.error_label)
        self.buttons = ok_cancel(self, "Save")
        form.addRow(self.buttons)

    def entry(self) -> EscalationEntry:
        return EscalationEntry(
            self.entry_id,
            _day(self.date_edit),
            self.barrier_edit.toPlainText().strip(),
            self.reported_to_edit.text().strip(),
            self.reported_on_edit.value(),
            self.outcome_edit.toPlainText().strip(),
        )


class ConsultationDialog(QDialog):
    def __init__(self, entry: ConsultationEntry | None, today: date, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle("Consultation" if entry else "Record a consultation")
        self.resize(540, 320)
        self.entry_id = entry.id if entry else new_id()
        self.date_edit = _date_field("Consultation date", entry.date if entry else today, today)
        self.service_edit = limit_line(QLineEdit(), "service")
        self.service_edit.setAccessibleName("Service consulted")
        self.advice_edit = NoteEdit("Advice", "The advice given", 4)
        if entry:
            self.service_edit.setText(entry.service)
            self.advice_edit.setPlainText(entry.advice)
        self.error_label = explanation("")
        self.error_label.setObjectName("errorLabel")
        form = QFormLayout(self)
        form.addRow("&Date:", self.date_edit)
        form.addRow("&Service:", self.service_edit)
        form.addRow("&Advice:", self.advice_edit)
        form.addRow(self.error_label)
        self.buttons = ok_cancel(self, "Save")
        form.addRow(self.buttons)

    def entry(self) -> ConsultationEntry:
        return ConsultationEntry(
            self.entry_id,
            _day(self.date_edit),
            self.service_edit.text().strip(),
            self.advice_edit.toPlainText().strip(),
        )


LogEntryDialog = EscalationDialog | ConsultationDialog


class LogTable(QTableWidget):
    """Enter edits the current row, Delete asks to remove it."""

    edit_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, name: str, columns: tuple[str, ...]) -> None:
        super().__init__(0, len(columns))
        self.setAccessibleName(name)
        self.setHorizontalHeaderLabels(columns)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.activated.connect(lambda index: self._emit(self.edit_requested, index.row()))

    def _emit(self, signal: Any, row: int) -> None:
        item = self.item(row, 0)
        if item is not None:
            signal.emit(item.data(ID_ROLE))

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentRow() >= 0:
            self._emit(self.delete_requested, self.currentRow())
            return
        super().keyPressEvent(event)

    def set_rows(self, rows: list[tuple[str, tuple[str, ...]]]) -> None:
        self.setRowCount(len(rows))
        for row, (entry_id, values) in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(ID_ROLE, entry_id)
                item.setToolTip(value)
                self.setItem(row, column, item)

    def current_id(self) -> str | None:
        item = self.item(self.currentRow(), 0) if self.currentRow() >= 0 else None
        return item.data(ID_ROLE) if item is not None else None


class CaseLogsView(QWidget):
    """`load()` reads both logs of the case; every change is saved at once, and the logs are
    read again from the change."""

    def __init__(
        self,
        session: Session,
        case_id: str,
        runner: TaskRunner,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.case_id = case_id
        self._runner = runner
        self._today = today
        self._reads = Latest()
        runner.changes.changed.connect(self._store_changed)
        self.escalations: list[EscalationEntry] = []
        self.consultations: list[ConsultationEntry] = []
        self.active_dialog: QDialog | None = None

        self.escalation_table = LogTable(
            "Escalation log", ("Arose", "Barrier or delay", "Reported to", "Reported", "Outcome")
        )
        self.consultation_table = LogTable("Consultation log", ("Date", "Service", "Advice"))
        for table, widths in (
            (self.escalation_table, (90, 260, 150, 90)),
            (self.consultation_table, (90, 200)),
        ):
            for column, width in enumerate(widths):
                table.setColumnWidth(column, width)
        self.add_escalation_button = QPushButton("Record an &escalation...")
        self.add_consultation_button = QPushButton("Record a &consultation...")
        self.remove_escalation_button = QPushButton("Remove")
        self.remove_escalation_button.setAccessibleName("Remove escalation")
        self.remove_consultation_button = QPushButton("Remove")
        self.remove_consultation_button.setAccessibleName("Remove consultation")
        escalations = QGroupBox("Escalation log")
        escalation_layout = QVBoxLayout(escalations)
        escalation_layout.addWidget(
            explanation(
                "Barriers or delays to completing the assessment, escalated to your line "
                "manager: when each arose, who it was reported to and when, and the outcome."
            )
        )
        escalation_layout.addWidget(self.escalation_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_escalation_button)
        row.addWidget(self.remove_escalation_button)
        row.addStretch(1)
        escalation_layout.addLayout(row)
        consultations = QGroupBox("Consultation log")
        consultation_layout = QVBoxLayout(consultations)
        consultation_layout.addWidget(
            explanation("Consultations with a specialist service: date, service and advice.")
        )
        consultation_layout.addWidget(self.consultation_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_consultation_button)
        row.addWidget(self.remove_consultation_button)
        row.addStretch(1)
        consultation_layout.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(escalations)
        split.addWidget(consultations)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self.add_escalation_button.clicked.connect(lambda: self.edit_escalation(None))
        self.add_consultation_button.clicked.connect(lambda: self.edit_consultation(None))
        self.escalation_table.edit_requested.connect(self.edit_escalation)
        self.consultation_table.edit_requested.connect(self.edit_consultation)
        self.escalation_table.delete_requested.connect(self.remove_escalation)
        self.consultation_table.delete_requested.connect(self.remove_consultation)
        self.remove_escalation_button.clicked.connect(
            lambda: self.remove_escalation(self.escalation_table.current_id())
        )
        self.remove_consultation_button.clicked.connect(
            lambda: self.remove_consultation(self.consultation_table.current_id())
        )

    def load(self) -> None:
        read_logs = ops.read_logs(self._runner, self._session, self.case_id)
        read_logs.latest(self._reads).on_done(lambda logs: self._show(*logs)).run()

    def _store_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(self.case_id, Record.LOGS):
            self.load()

    def _show(
        self, escalations: list[EscalationEntry], consultations: list[ConsultationEntry]
    ) -> None:
        self.escalations, self.consultations = escalations, consultations
        self.escalation_table.set_rows(
            [
                (
                    e.id,
                    (
                        fmt_date(e.date),
                        e.barrier_or_delay,
                        e.reported_to,
                        fmt_date(e.reported_on),
                        e.outcome,
                    ),
                )
                for e in escalations
            ]
        )
        self.consultation_table.set_rows(
            [(c.id, (fmt_date(c.date), c.service, c.advice)) for c in consultations]
        )

    def _write(self, change: Change[bool], dialog: LogEntryDialog | None = None) -> None:
        def done(_written: bool) -> None:
            if dialog is not None:
                dialog.accept()

        def failed(exc: BaseException) -> None:
            message = (
                " ".join(exc.problems.values())
                if isinstance(exc, ValidationError)
                else save_failure_reason(exc)
            )
            if dialog is not None:
                dialog.error_label.setText(message)
            else:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.warning(self, "Not saved", f"Not saved: {message}")

        change.on_done(done).on_error(failed).run()

    def _open(self, dialog: LogEntryDialog, save: Callable[[], Change[bool]]) -> None:
        """Show a log entry dialog without blocking; OK saves and closes it only once the
        entry is stored (a validation problem stays in the dialog)."""
        self.active_dialog = dialog
        dialog.buttons.accepted.disconnect()
        dialog.buttons.accepted.connect(
            lambda: first_invalid(dialog) is None and self._write(save(), dialog)
        )
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        dialog.deleteLater()

    def edit_escalation(self, entry_id: str | None) -> None:
        entry = next((e for e in self.escalations if e.id == entry_id), None)
        dialog = EscalationDialog(entry, self._today(), self)
        today = self._today()
        self._open(
            dialog,
            lambda: ops.save_escalation(
                self._runner, self._session, self.case_id, dialog.entry(), today
            ),
        )

    def edit_consultation(self, entry_id: str | None) -> None:
        entry = next((c for c in self.consultations if c.id == entry_id), None)
        dialog = ConsultationDialog(entry, self._today(), self)
        today = self._today()
        self._open(
            dialog,
            lambda: ops.save_consultation(
                self._runner, self._session, self.case_id, dialog.entry(), today
            ),
        )

    def remove_escalation(self, entry_id: str | None) -> None:
        if entry_id is None:
            return
        confirm(
            self,
            "Remove escalation",
            "Remove this escalation from the log?",
            lambda: self._write(
                ops.delete_escalation(self._runner, self._session, self.case_id, entry_id)
            ),
        )

    def remove_consultation(self, entry_id: str | None) -> None:
        if entry_id is None:
            return
        confirm(
            self,
            "Remove consultation",
            "Remove this consultation from the log?",
            lambda: self._write(
                ops.delete_consultation(self._runner, self._session, self.case_id, entry_id)
            ),
        )

    def flush(self) -> None:
        """Every change is saved when it is made: nothing waits."""

    def clear_sensitive(self) -> None:
        self._reads.drop()
        if self.active_dialog is not None:
            self.active_dialog.reject()
        self.escalations, self.consultations = [], []
        self.escalation_table.setRowCount(0)
        self.consultation_table.setRowCount(0)
