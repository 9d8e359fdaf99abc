"""Delete case: says what will be removed and what cannot be (copies other people hold), asks
why, and makes the person type the case reference before the Delete button works. A case on
legal hold is refused here: the button stays off and the hold's message is shown. The deletion
runs on the store worker with a busy indicator; its result (files withdrawn or queued,
backups, copies held by others) then takes the form's place."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.gates import reason_problem
from aim3desk.domain.retention import RetentionError
from aim3desk.ui.assessment.page_kit import explanation
from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.deletion import delete_case, read_deletion_preview
from aim3desk.ui.tasks import TaskRunner, describe_unexpected
from aim3desk.ui.text_limit import LimitedPlainTextEdit

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.services.deletion import DeletionPreview, DeletionResult
    from aim3desk.services.session import Session


@dataclass(frozen=True)
class CaseName:
    """The case to delete: one of this profile's, or one it holds only as received copies
    (a supervisor's bundles and reviews of a supervisee's case)."""

    id: str
    reference: str


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def result_html(result: DeletionResult) -> str:
    """The result for a person: what went, and what is left for them to do."""
    parts = [
        f"<p><b>Case {html.escape(result.reference)} was deleted.</b> "
        f"{result.rows_removed} records were removed from this profile and from its "
        "backups. The audit trail keeps one entry: the case id, who, when and why "
        "(the rule, not your words).</p>"
    ]
    if result.withdrawn:
        parts.append("<p>Withdrawn from the shared folder:</p>" + _list(list(result.withdrawn)))
    if result.waiting:
        parts.append(
            "<p>Your files of it on the shared folder are removed at the next sync (the "
            "folder cannot be reached now):</p>" + _list(list(result.waiting))
        )
    problems = [f"{b.name}: {b.message}" for b in result.backup_problems]
    if problems:
        parts.append("<p><b>Backups that need you:</b></p>" + _list(problems))
    if result.copies:
        holders = [
            f"{c.holder_name}: bundle {c.bundle_id[:8]} "
            f"({'you sent it to them' if c.how == 'sent' else 'they sent it to you'})"
            for c in result.copies
        ]
        parts.append(
            "<p><b>Copies other people hold</b> (ask them to delete theirs; mark them as "
            "asked in File, Copies of deleted cases):</p>" + _list(holders)
        )
    if result.quarantined_files:
        parts.append(
            f"<p>The profile's quarantine folder holds {result.quarantined_files} set-aside "
            "bundle file(s) that could not be opened, so cannot be matched to a case: check "
            "and delete them there.</p>"
        )
    return "".join(parts)


class DeleteCaseDialog(QDialog):
    """`before_delete` runs on the UI thread just before the deletion is queued (the main
    window closes the case, so its last saves reach the store first). Accepted once the
    result is shown and closed; `result` holds it."""

    def __init__(
        self,
        case: Case | CaseName,
        session: Session,
        runner: TaskRunner,
        before_delete: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = CaseName(case.id, case.reference)
        self._session = session
        self._runner = runner
        self._before_delete = before_delete
        self._reads = Latest()
        self.preview: DeletionPreview | None = None
        self.result: DeletionResult | None = None
        self.setWindowTitle(f"Delete case {case.reference}")
        self.setAccessibleName("Delete case")
        self.resize(620, 560)

        self.summary = QTextBrowser()
        self.summary.setAccessibleName("What deleting the case removes and what stays")
        self.summary.setOpenLinks(False)
        self.summary.setPlainText("Reading what deleting this case removes...")
        self.hold_label = explanation("")
        self.hold_label.setObjectName("errorLabel")
        self.hold_label.hide()
        self.reason_edit = LimitedPlainTextEdit("reason")
        self.reason_edit.setAccessibleName("Why the case is deleted")
        self.reason_edit.setPlaceholderText(
            "For example: a retention decision, or opened in error (required, not kept)"
        )
        self.reason_edit.setFixedHeight(64)
        self.reference_edit = QLineEdit()
        self.reference_edit.setAccessibleName("Type the case reference to confirm")
        self.reference_edit.setPlaceholderText(case.reference)
        form = QFormLayout()
        form.addRow("&Reason:", self.reason_edit)
        form.addRow(f"Type {case.reference} to &confirm:", self.reference_edit)
        self.busy = BusyIndicator()
        self.error_label = explanation("")
        self.error_label.setObjectName("errorLabel")

        self.form_page = QWidget()
        form_layout = QVBoxLayout(self.form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(self.summary, 1)
        form_layout.addWidget(self.hold_label)
        form_layout.addLayout(form)
        self.result_view = QTextBrowser()
        self.result_view.setAccessibleName("What the deletion did")
        self.result_view.setOpenLinks(False)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.result_view)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = self.buttons.addButton(
            "Delete for good", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.delete_button.setAccessibleName("Delete for good")
        self.delete_button.setAutoDefault(False)
        self.delete_button.clicked.connect(self.run_deletion)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._update)
        self.reference_edit.textChanged.connect(self._update)
        self._update()
        read_deletion_preview(runner, session, case.id).latest(self._reads).on_done(
            self._show_preview
        ).run()

    # -- before ---------------------------------------------------------------------------
    def _show_preview(self, preview: DeletionPreview) -> None:
        self.preview = preview
        removed = [
            "the copies of the case you hold: the bundles you received, their reports, and "
            "your reviews of them (drafts and sent)"
            if preview.copies_only
            else "every record of the case: its assessment versions (finished ones too), "
            "evidence, formulation, supervision notes, plan, logs and reviews"
        ]
        if preview.bundles:
            removed.append(f"{_count(preview.bundles, 'bundle')} of it you sent or received")
        backups = (
            f" and in {_count(preview.backups, 'backup file')} of this profile"
            if preview.backups
            else ""
        )
        removed.append(
            "their pages in the encrypted database (overwritten, then the database is "
            f"rebuilt){backups}"
        )
        if preview.share_files:
            removed.append(f"your {_count(preview.share_files, 'file')} of it on the shared folder")
        kept = [
            "one entry in the audit trail: the case id, who deleted it, when and the rule; "
            "your reason is not kept (it could name the young person)"
        ]
        if preview.holders:
            kept.append(
                "copies other people hold, which you will be asked to follow up: "
                + ", ".join(preview.holders)
            )
        kept.append("reports and exports you saved outside the profile")
        self.summary.setHtml(
            f"<p>Deleting <b>{html.escape(preview.reference)}</b> cannot be undone. It "
            "removes:</p>" + _list(removed) + "<p>What stays:</p>" + _list(kept)
        )
        if preview.refusal:
            self.hold_label.setText(preview.refusal)
            self.hold_label.show()
            self.reason_edit.setEnabled(False)
            self.reference_edit.setEnabled(False)
        self._update()

    def problem(self) -> str | None:
        """Why the Delete button is off, or None when it may be pressed."""
        if self.preview is None:
            return "Reading the case..."
        if self.preview.refusal:
            return self.preview.refusal
        reason = " ".join(self.reason_edit.toPlainText().split())
        if reason_problem(reason):
            return "Write why the case is deleted."
        if self.reference_edit.text().strip() != self.case.reference:
            return f"Type {self.case.reference} to confirm."
        return None

    def _update(self) -> None:
        problem = self.problem()
        self.delete_button.setEnabled(problem is None)
        self.delete_button.setToolTip(problem or "")

    # -- the deletion ---------------------------------------------------------------------
    def run_deletion(self) -> None:
        if self.problem() is not None:
            return
        reason = self.reason_edit.toPlainText()
        self.delete_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
        self.form_page.setEnabled(False)
        self.error_label.clear()
        self.busy.start("Deleting the case, cleaning the backups and the shared folder...")
        self._before_delete()
        delete_case(self._runner, self._session, self.case.id, reason).on_done(
            self._deleted
        ).on_error(self._failed).run()

    def _deleted(self, result: DeletionResult) -> None:
        self.result = result
        self.busy.stop()
        self.result_view.setHtml(result_html(result))
        self.pages.setCurrentWidget(self.result_view)
        self.delete_button.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
        self.close_button.show()
        self.close_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.form_page.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(True)
        if isinstance(exc, RetentionError):  # a hold set meanwhile, a reason refused
            self.error_label.setText(str(exc))
        else:
            self.error_label.setText(describe_unexpected("deleting the case", exc))
        self._update()
