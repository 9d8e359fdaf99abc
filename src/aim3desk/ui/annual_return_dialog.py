"""The annual return (File menu): choose the period (by default the last April-to-March year
with anything to count, domain/annual_return.py), see the counts, save them as CSV or PDF.
Counts only: no names, no references. Counting and writing run on the TaskRunner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.annual_return import AnnualReturn, return_year
from aim3desk.domain.limits import EARLIEST_DATE, LATEST_DATE
from aim3desk.ui.assessment.page_kit import DATE_FORMAT, explanation, fmt_date
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.deadlines import (
    count_annual_return,
    default_annual_return_period,
    write_annual_return,
)
from aim3desk.ui.record_saver import save_failure_reason
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.services.session import Session


def _date_edit(name: str, value: date) -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setAccessibleName(name)
    edit.setDateRange(
        QDate(EARLIEST_DATE.year, EARLIEST_DATE.month, EARLIEST_DATE.day),
        QDate(LATEST_DATE.year, LATEST_DATE.month, LATEST_DATE.day),
    )
    edit.setDate(QDate(value.year, value.month, value.day))
    return edit


class AnnualReturnDialog(QDialog):
    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self._counts = Latest()
        self.result_shown: AnnualReturn | None = None
        self.saved_path: Path | None = None
        self.setWindowTitle("Annual return")
        self.setAccessibleName("Annual return")
        self.resize(600, 440)
        # The reporting year today is in, until the service says which year has data.
        start, end = return_year(today())
        self.from_edit = _date_edit("Period from", start)
        self.to_edit = _date_edit("Period to", end)
        period = QHBoxLayout()
        period.addWidget(self.from_edit)
        period.addWidget(QLabel("to"))
        period.addWidget(self.to_edit)
        period.addStretch(1)
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName("Annual return counts")
        self.table.setHorizontalHeaderLabels(("Measure", "Count"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.status_label = explanation("")
        self.status_label.setAccessibleName("Annual return status")
        self.csv_button = QPushButton("Save as &CSV...")
        self.pdf_button = QPushButton("Save as &PDF...")
        for widget in (self.csv_button, self.pdf_button):
            widget.setAutoDefault(False)
            widget.setAccessibleName(widget.text().replace("&", "").rstrip("."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.csv_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        period_label = QLabel("&Period:")  # a label of its own: a row of fields has no buddy
        period_label.setBuddy(self.from_edit)
        form.addRow(period_label, period)
        layout = QVBoxLayout(self)
        layout.addWidget(
            explanation(
                "The number of AIM3 assessments completed (signed off by a supervisor; "
                "those marked completed with a recorded reason instead are counted apart), "
                "ongoing or outstanding (including finished versions awaiting sign-off), and "
                "not completed (with the reasons) in the period. Counts only: the return "
                "never holds a name or a case reference."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.from_edit.dateChanged.connect(self.recount)
        self.to_edit.dateChanged.connect(self.recount)
        self.csv_button.clicked.connect(lambda: self.ask_save(".csv"))
        self.pdf_button.clicked.connect(lambda: self.ask_save(".pdf"))
        self.status_label.setText("Counting...")
        default_annual_return_period(runner, session, today()).latest(self._counts).on_done(
            self._start_at
        ).on_error(lambda _exc: self.recount()).run()

    def _start_at(self, period: tuple[date, date]) -> None:
        """Open at the year that has something to count, then count it (once)."""
        start, end = period
        for edit, value in ((self.from_edit, start), (self.to_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(value.year, value.month, value.day))
            edit.blockSignals(False)
        self.recount()

    def period(self) -> tuple[date, date]:
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()

    def recount(self) -> None:
        start, end = self.period()
        if start > end:
            self._counts.drop()  # a count still in flight must not replace the problem
            self._problem("The period starts after it ends.")
            return
        self.status_label.setText("Counting...")
        count_annual_return(self._runner, self._session, start, end).latest(self._counts).on_done(
            self._show
        ).run()

    def _problem(self, text: str) -> None:
        self.result_shown = None
        self.table.setRowCount(0)
        self.status_label.setText(text)
        self.csv_button.setEnabled(False)
        self.pdf_button.setEnabled(False)

    def _show(self, result: AnnualReturn) -> None:
        self.result_shown = result
        rows = result.rows()
        self.table.setRowCount(len(rows))
        for row, (label, count) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(label))
            number = QTableWidgetItem(str(count))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, number)
        self.status_label.setText(
            f"From {fmt_date(result.period_from)} to {fmt_date(result.period_to)}."
        )
        self.csv_button.setEnabled(True)
        self.pdf_button.setEnabled(True)

    def ask_save(self, suffix: str) -> None:
        start, end = self.period()
        kind = "CSV files (*.csv)" if suffix == ".csv" else "PDF files (*.pdf)"
        default = f"annual-return-{start.isoformat()}-to-{end.isoformat()}{suffix}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save the annual return", str(Path.home() / default), kind
        )
        if chosen:
            path = Path(chosen)
            self.save_to(path if path.suffix.lower() == suffix else path.with_suffix(suffix))

    def save_to(self, path: Path) -> None:
        """Write the return for the chosen period to `path` (.csv or .pdf) in the background."""
        start, end = self.period()
        self.csv_button.setEnabled(False)
        self.pdf_button.setEnabled(False)
        self.status_label.setText("Saving...")

        def done(result: AnnualReturn) -> None:
            self.saved_path = path
            self._show(result)
            self.status_label.setText(f"Saved to {path}.")

        def failed(exc: BaseException) -> None:
            self.csv_button.setEnabled(True)
            self.pdf_button.setEnabled(True)
            self.status_label.setText(f"Not saved: {save_failure_reason(exc)}")

        write_annual_return(self._runner, self._session, start, end, path).on_done(done).on_error(
            failed
        ).run()
