"""Versions of the case's assessment: finish the open one (it becomes read-only), start the
next from the last finished one, and compare two side by side. Store calls are operations
(ui/operations/assessments.py); finishing or starting a version is a change to the case, from
which the workspace opens the current version again."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.cases import Assessment, local_day
from aim3desk.domain.gates import GateClosed
from aim3desk.domain.profile import readiness
from aim3desk.domain.sign_off import SignOffRecords, override_lines
from aim3desk.domain.versions import Change
from aim3desk.ui.assessment.finish_dialog import FinishDialog
from aim3desk.ui.assessment.page_kit import ItemTable, button, explanation, fmt_date, heading
from aim3desk.ui.assessment.pages import AssessmentPage
from aim3desk.ui.operations.assessments import (
    compare_versions,
    finish_version,
    read_versions,
    start_new_version,
)
from aim3desk.ui.operations.gates import read_sign_off_records

_Index = QModelIndex | QPersistentModelIndex
VERSION_COLUMNS = ("Version", "Model", "Requested", "Due", "Finished on", "State")
AREA_LABELS = {
    "rating": "Rating",
    "rationale": "Rationale",
    "strength_note": "Strength note",
    "concerns": "Domain concerns",
    "strengths": "Domain strengths",
    "evidence": "Evidence",
    "formulation": "Formulation",
    "safety_plan": "Safety plan",
    "recommendations": "Recommendations",
    "sharing_notes": "Sharing with partners",
}


class TextRowsModel(QAbstractTableModel):
    """Rows of plain text under headings that can change (the comparisons)."""

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[list[str]] = []

    def set_rows(self, rows: list[list[str]], headers: list[str] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        if headers is not None:
            self.headers = headers
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text = self.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.headers[index.column()]}: {text or 'empty'}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None


def version_row(
    assessment: Assessment, current_id: str, records: SignOffRecords | None = None
) -> list[str]:
    records = records or SignOffRecords()
    signed = records.state(assessment)
    if signed.signed_off:
        state = f"Signed off by {signed.supervisor} on {fmt_date(signed.signed_off_on)}"
    else:
        state = "Finished (read-only)" if assessment.finished else "Open"
    if records.overrides_of(assessment.id):
        state += ", with an override"
    if assessment.id == current_id:
        state += ", shown now"
    finished_on = local_day(assessment.finished_at) if assessment.finished_at else None
    return [
        f"Version {assessment.version}",
        assessment.model.label,
        fmt_date(assessment.request_date),
        fmt_date(assessment.due_date),
        fmt_date(finished_on),
        state,
    ]


def change_row(change: Change) -> list[str]:
    return [AREA_LABELS.get(change.area, change.area), change.key, change.old, change.new]


class VersionsPage(AssessmentPage):
    title = "Versions"
    nav_key = "versions"
    compared = Signal()  # a comparison has been shown (tests and screen readers wait on it)

    def __init__(self, editor, context, parent: QWidget | None = None) -> None:
        super().__init__(editor, context, parent)
        self.versions: list[Assessment] = []
        self.changes: list[Change] = []
        self._box: FinishDialog | None = None
        self._records = SignOffRecords()  # sign-offs and overrides of the case's versions
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Versions", level=1))
        layout.addWidget(
            explanation(
                "Review the assessment as things change: finish a version to make it read-only, "
                "then start a new version from it. Compare two versions to see what changed."
            )
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        layout.addWidget(splitter, 1)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.versions_model = TextRowsModel(list(VERSION_COLUMNS), self)
        self.versions_table = ItemTable("Versions of this assessment")
        self.versions_table.setModel(self.versions_model)
        header = self.versions_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # Room for three versions whatever the sign-off and override lines below take.
        rows = self.versions_table.verticalHeader().defaultSectionSize()
        self.versions_table.setMinimumHeight(header.sizeHint().height() + int(rows * 3.5))
        top_layout.addWidget(self.versions_table, 1)
        buttons = QHBoxLayout()
        self.finish_button = button("&Finish this version...", "Finish this version")
        self.finish_button.clicked.connect(self.ask_finish)
        self.new_button = button("Start a &new version", "Start a new version", edits=False)
        self.new_button.clicked.connect(self.start_new_version)
        self.send_button = button("Send for re&view...", "Send for review", edits=False)
        self.send_button.setToolTip("Send this version to your supervisor for sign-off")
        self.send_button.clicked.connect(self.send_for_review)
        self.send_dialog: QDialog | None = None
        self.signed_label = QLabel()  # who signed the version shown off, when, with which key
        self.signed_label.setObjectName("signedOffLabel")
        self.signed_label.setWordWrap(True)
        self.signed_label.setStyleSheet(
            "QLabel#signedOffLabel { background: #e8f5e9; color: #1b5e20; border: 1px solid "
            "#66bb6a; border-radius: 6px; padding: 6px; }"
        )
        self.signed_label.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        buttons.addWidget(self.finish_button)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.status_label, 1)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.signed_label)
        self.overrides_label = QLabel()  # the reasons recorded for passing a gate unready
        self.overrides_label.setWordWrap(True)
        self.overrides_label.setVisible(False)
        top_layout.addWidget(self.overrides_label)
        splitter.addWidget(top)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(heading("Compare two versions"))
        # Two rows (From / With) so the picker fits beside the supervision dock.
        pick = QGridLayout()
        self.old_combo = QComboBox()
        self.old_combo.setAccessibleName("Compare from version")
        self.new_combo = QComboBox()
        self.new_combo.setAccessibleName("Compare with version")
        for combo in (self.old_combo, self.new_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(20)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.compare_button = button("&Compare...", "Compare the two versions", edits=False)
        self.compare_button.clicked.connect(self.compare)
        from_label = QLabel("F&rom:")
        from_label.setBuddy(self.old_combo)
        with_label = QLabel("&With:")
        with_label.setBuddy(self.new_combo)
        pick.addWidget(from_label, 0, 0)
        pick.addWidget(self.old_combo, 0, 1)
        pick.addWidget(with_label, 1, 0)
        pick.addWidget(self.new_combo, 1, 1)
        pick.addWidget(self.compare_button, 1, 2)
        pick.setColumnStretch(1, 1)
        bottom_layout.addLayout(pick)
        self.compare_summary = QLabel("Pick two versions and press Compare.")
        self.compare_summary.setWordWrap(True)
        bottom_layout.addWidget(self.compare_summary)
        self.changes_model = TextRowsModel(["Area", "Item", "Before", "After"], self)
        self.changes_table = ItemTable("Changes between the two versions")
        self.changes_table.setModel(self.changes_model)
        changes_header = self.changes_table.horizontalHeader()
        changes_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        changes_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        changes_header.resizeSection(1, 260)
        changes_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        changes_header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        bottom_layout.addWidget(self.changes_table, 1)
        splitter.addWidget(bottom)
        splitter.setSizes([340, 300])
        self._loaded_for: str | None = None
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------
    def refresh(self, content: AssessmentContent) -> None:
        # Content edits do not change the list of versions: load it once per assessment.
        if self._loaded_for != self.editor.assessment.id:
            self._loaded_for = self.editor.assessment.id
            self.load_versions()

    def load_versions(self) -> None:
        context = self.context
        read_sign_off_records(context.runner, context.session, context.case.id).on_done(
            self._show_records
        ).run()
        read_versions(context.runner, context.session, context.case.id).on_done(
            self._show_versions
        ).run()

    def _show_records(self, records: SignOffRecords) -> None:
        self._records = records  # read first (the runner keeps order): the rows use it

    def _show_versions(self, versions: list[Assessment]) -> None:
        self.versions = list(versions)
        current = self.editor.assessment.id
        self.versions_model.set_rows(
            [version_row(a, current, self._records) for a in self.versions]
        )
        lines = override_lines(self._records.overrides_of(current))
        self.overrides_label.setText(
            "Recorded for this version: " + " ".join(lines) if lines else ""
        )
        self.overrides_label.setVisible(bool(lines))
        for combo in (self.old_combo, self.new_combo):
            combo.clear()
            for assessment in self.versions:
                state = "finished" if assessment.finished else "open"
                combo.addItem(f"Version {assessment.version} ({state})", assessment.id)
        if len(self.versions) >= 2:
            self.old_combo.setCurrentIndex(len(self.versions) - 2)
            self.new_combo.setCurrentIndex(len(self.versions) - 1)
        self._update_buttons()

    def _latest(self) -> Assessment | None:
        return max(self.versions, key=lambda a: a.version, default=None)

    def _update_buttons(self) -> None:
        latest = self._latest()
        is_latest = latest is not None and latest.id == self.editor.assessment.id
        self.finish_button.setEnabled(is_latest and not self.editor.read_only)
        self.new_button.setEnabled(latest is not None and latest.finished)
        self.compare_button.setEnabled(len(self.versions) >= 2)
        # a signed-off version needs no review; a change to it starts a new version
        self.send_button.setEnabled(not self.signed_label.text())
        if self.editor.read_only:
            text = f"Version {self.editor.assessment.version} is finished and read-only."
            if latest is not None and latest.finished:
                text += " Start a new version to record changes."
        else:
            text = f"Version {self.editor.assessment.version} is open for editing."
        self.status_label.setText(text)
        self.status_label.setAccessibleName(text)

    # -- finishing and new versions ------------------------------------------------------
    def ask_finish(self) -> FinishDialog:
        """The question with the readiness result of the content being edited and, when it
        does not pass, the reason to finish it anyway (domain/gates.py)."""
        context, assessment = self.context, self.editor.assessment
        missing = readiness(self.editor.content, context.model, context.form_set)
        overrides = self._records.overrides_of(assessment.id)
        dialog = FinishDialog(assessment.version, missing, overrides, self)

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self.finish_version(dialog.reason())
            dialog.deleteLater()

        dialog.finished.connect(done)
        self._box = dialog
        dialog.open()
        return dialog

    def finish_version(self, override_reason: str = "") -> None:
        """Save what is pending first (the runner keeps order), then finish."""
        self.editor.flush()
        self.finish_button.setEnabled(False)
        context = self.context
        finish_version(
            context.runner,
            context.session,
            context.case.id,
            self.editor.assessment.id,
            override_reason,
        ).on_error(self._finish_failed).run()  # the workspace opens the version again

    def _finish_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if isinstance(exc, GateClosed):  # the content changed since the dialog checked it
            QMessageBox.information(self, "Finish this version", str(exc))
            return
        raise exc

    def start_new_version(self) -> None:
        self.new_button.setEnabled(False)
        context = self.context
        start_new_version(context.runner, context.session, context.case.id).on_error(
            self._new_version_failed
        ).run()  # the workspace opens the new version from the change

    def _new_version_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if isinstance(exc, ValueError):  # the latest version is still open: say so plainly
            QMessageBox.information(self, "Start a new version", str(exc))
            return
        raise exc

    # -- review -------------------------------------------------------------------------
    def send_for_review(self) -> QDialog:
        """The version as it is on screen (pending saves run first) to your supervisor."""
        from aim3desk.ui.review.send_dialog import SendForReviewDialog

        self.editor.flush()
        context = self.context
        dialog = SendForReviewDialog(
            context.session, context.case, context.form_set, context.runner, self
        )
        dialog.finished.connect(dialog.deleteLater)
        self.send_dialog = dialog
        dialog.open()
        return dialog

    def show_signing(self, text: str) -> None:
        """ "Signed off by NAME on DATE, key FINGERPRINT" for the version shown, or ""."""
        self.signed_label.setText(text)
        self.signed_label.setAccessibleName(text)
        self.signed_label.setVisible(bool(text))
        self._update_buttons()

    # -- comparing -----------------------------------------------------------------------
    def compare(self) -> None:
        old_id, new_id = self.old_combo.currentData(), self.new_combo.currentData()
        if old_id is None or new_id is None:
            return
        if old_id == new_id:
            self._show_changes([], "Pick two different versions to compare.")
            return
        old_text, new_text = self.old_combo.currentText(), self.new_combo.currentText()
        context = self.context
        compare_versions(context.runner, context.session, old_id, new_id).on_done(
            lambda changes: self._show_changes(
                changes, None, old_text.split(" (")[0], new_text.split(" (")[0]
            )
        ).run()

    def _show_changes(
        self,
        changes: list[Change],
        message: str | None,
        old_name: str = "Before",
        new_name: str = "After",
    ) -> None:
        self.changes = list(changes)
        self.changes_model.set_rows(
            [change_row(c) for c in self.changes], ["Area", "Item", old_name, new_name]
        )
        if message is None:
            count = len(self.changes)
            message = (
                f"No changes from {old_name} to {new_name}."
                if not count
                else f"{count} change{'s' if count != 1 else ''} from {old_name} to {new_name}."
            )
        self.compare_summary.setText(message)
        self.compare_summary.setAccessibleName(message)
        self.compared.emit()

    def set_read_only(self, read_only: bool) -> None:
        self._update_buttons()

    def clear_sensitive(self) -> None:
        self.signed_label.clear()
        self.changes = []
        self.changes_model.set_rows([])
        self.compare_summary.clear()
        self._loaded_for = None
        self._stale = True
