"""Case > Send for review... (and the Versions page's button): the current version to the
supervisors ticked, through the shared folder.

The dialog reads the version and your confirmed supervisors first and runs the readiness
check on it. A version that passes goes as it is; one that does not shows what is missing and
needs a reason in a few words (domain/gates.reason_problem), which the supervisor sees. The
button says what will happen ("Finish version 2 and send to Sam Example"). The bundle is
built in memory and queued for the shared folder behind a busy indicator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.domain.gates import reason_problem
from aim3desk.domain.profile import readiness
from aim3desk.services.review.inbox import MAX_SEND_REASON_CHARS
from aim3desk.ui.addressed_dialog import AddressedDialog, RecipientList
from aim3desk.ui.assessment.readiness_dialog import MissingTree
from aim3desk.ui.exchange_kit import MessageLabel
from aim3desk.ui.operations import review as ops
from aim3desk.ui.text_limit import LimitedPlainTextEdit

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.domain.forms import FormSet
    from aim3desk.domain.profile import Missing
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

NO_SUPERVISOR = (
    "You have no confirmed supervisor yet. Add your supervisor's card on the Contacts page, "
    "check its fingerprint with them, and mark them as your supervisor."
)
READY_TEXT = "Ready: this version passes the readiness check."
QUEUED_TEXT = (
    "Queued for delivery through the shared folder. It is delivered when the shared folder "
    "is reachable; the status bar shows what is still queued."
)


def names_of(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


class SendForReviewDialog(AddressedDialog):
    """Signals: `checked(missing)` once the version and supervisors are shown (tests wait
    for it), `sent(result)` after the bundle is queued, `contacts_requested()`."""

    checked = Signal(object)  # list[Missing]
    sent = Signal(object)  # SentForReview
    working_text = "Building the bundle: laying out the report and encrypting it..."
    what = "sending the version for review"

    def __init__(
        self,
        session: Session,
        case: Case,
        form_set: FormSet,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        title = f"Send for review: case {case.reference}"
        super().__init__(session, case, runner, title, NO_SUPERVISOR, parent)
        self._form_set = form_set
        self.check: ops.SendCheck | None = None
        self.missing: list[Missing] = []
        self.intro.setText("Reading the version...")
        self.action_button.setText("Send")
        self.supervisors = RecipientList("Send to", rows=(2, 5))
        self.supervisors.itemChanged.connect(lambda _item: self._update_action())
        self.form.addRow("Send &to:", self.supervisors)
        self.ready_label = MessageLabel("readyLabel")
        self.ready_label.setStyleSheet(
            "QLabel#readyLabel { background: #e8f5e9; color: #1b5e20; border: 1px solid "
            "#66bb6a; border-radius: 6px; padding: 8px; }"
        )
        self.missing_label = MessageLabel()
        self.missing_tree = MissingTree()
        self.missing_tree.setMinimumHeight(150)
        self.missing_tree.hide()
        self.reason_label = QLabel("&Reason for sending it now:")
        self.reason_edit = LimitedPlainTextEdit("reason", most=MAX_SEND_REASON_CHARS)
        self.reason_edit.setAccessibleName("Reason for sending before it is ready")
        self.reason_edit.setPlaceholderText(
            "In a few words, why it goes before it is ready (your supervisor sees this)"
        )
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(64)
        self.reason_edit.textChanged.connect(self._update_action)
        self.reason_label.setBuddy(self.reason_edit)
        for widget in (self.reason_label, self.reason_edit):
            widget.hide()
        check_box = QVBoxLayout()
        check_box.addWidget(self.ready_label)
        check_box.addWidget(self.missing_label)
        check_box.addWidget(self.missing_tree)
        check_box.addWidget(self.reason_label)
        check_box.addWidget(self.reason_edit)
        self.form.addRow("Readiness:", check_box)
        ops.read_send_check(runner, session, case.id).latest(self._reads).on_done(
            self._show_check
        ).on_error(self._failed).run()

    # -- what goes ------------------------------------------------------------------------------
    def _show_check(self, check: ops.SendCheck) -> None:
        if not isValid(self.content):
            return
        self.check = check
        assessment = check.assessment
        model = self._form_set.model(assessment.model.value)
        self.missing = readiness(check.content, model, self._form_set)
        state = (
            "finished"
            if assessment.finished
            else "open: it is finished (made read-only) as it is sent"
        )
        self.intro.setText(
            f"Case {self.case.reference}, version {assessment.version} ({state}), goes to "
            "your supervisor through the shared folder as one file signed by you and "
            "encrypted to them: the full report and the assessment. They sign it off or "
            "return it with comments."
        )
        if not check.supervisors:
            self._show_no_recipients()
        else:
            self.supervisors.show_contacts(
                check.supervisors, lambda c: c.identity.name, lambda _c: True
            )
            self._show_readiness()
            self.content.setEnabled(True)
        self._update_action()
        self.checked.emit(self.missing)

    def _show_readiness(self) -> None:
        ready = not self.missing
        self.ready_label.setText(READY_TEXT if ready else "")
        if not ready:
            count = len(self.missing)
            self.missing_label.setText(
                f"Not ready: {count} thing{'s' if count != 1 else ''} missing. It can still "
                "go, with a reason your supervisor will see."
            )
            self.missing_tree.show_missing(self.missing)
        for widget in (self.missing_tree, self.reason_label, self.reason_edit):
            widget.setVisible(not ready)

    # -- the button says what will happen ----------------------------------------------------
    def chosen(self) -> list[str]:
        return self.supervisors.fingerprints()

    def _chosen_names(self) -> list[str]:
        items = [self.supervisors.item(i) for i in range(self.supervisors.count())]
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

    def action_text(self) -> str:
        if self.check is None:
            return "Send"
        version = self.check.assessment.version
        finished = self.check.assessment.finished
        verb = f"Send version {version}" if finished else f"Finish version {version} and send"
        names = self._chosen_names()
        return f"{verb} to {names_of(names)}" if names else verb

    def problem(self) -> str | None:
        """Why the version cannot go yet, in words (None: it can)."""
        if not self.chosen():
            return "Tick the supervisor to send it to."
        if self.missing:
            return reason_problem(self.reason_edit.toPlainText())
        return None

    def _update_action(self) -> None:
        self.action_button.setText(self.action_text())
        self.action_button.setAccessibleName(self.action_text())
        self.action_button.setEnabled(
            self.check is not None and bool(self.check.supervisors) and not self._working
        )

    # -- sending ------------------------------------------------------------------------------
    def start(self) -> None:
        self.error_label.setText("")
        problem = self.problem()
        if problem:
            self.error_label.setText(problem)
            return
        reason = " ".join(self.reason_edit.toPlainText().split()) if self.missing else ""
        self._set_working(True)
        ops.send_for_review(
            self._runner, self._session, self.case.id, self.chosen(), reason
        ).on_done(self._sent).on_error(self._failed).run()

    def _sent(self, result: object) -> None:
        if not isValid(self.result_label):
            return
        names = names_of(self._chosen_names())
        version = self.check.assessment.version if self.check else ""
        self._show_done(f"Version {version} for {names}: {QUEUED_TEXT}")
        self.sent.emit(result)
