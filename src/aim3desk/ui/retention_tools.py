"""What the main window offers for retention and legal hold: File > Retention review
(Ctrl+Shift+T), a window of the cases past their retention date and the decisions on them,
and Case > Legal hold... for the open case (also reached from the review window).

`RetentionTools` owns the actions and the open windows, so the main window only calls its
hooks: `attach`, `case_opened`, `case_closing` and `detach`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QWidget

from aim3desk.ui.case_tools import window_action

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.services.session import Session
    from aim3desk.ui.legal_hold_dialog import LegalHoldDialog
    from aim3desk.ui.retention_review import RetentionReviewWindow
    from aim3desk.ui.tasks import TaskRunner


class RetentionTools(QObject):
    def __init__(
        self, window: QMainWindow, runner: TaskRunner, close_case: Callable[[], None]
    ) -> None:
        """`close_case` closes the open case (saving it first)."""
        super().__init__(window)
        self.window = window
        self._close_case = close_case
        self._runner = runner
        self.session: Session | None = None
        self.case: Case | None = None
        self.review_window: RetentionReviewWindow | None = None
        self.hold_dialog: LegalHoldDialog | None = None

    def build_actions(self, file_menu: QMenu, file_before: QAction, case_menu: QMenu) -> None:
        self.review_action = window_action(
            self.window, "Re&tention review", self.show_review, "Ctrl+Shift+T"
        )
        self.review_action.setToolTip(
            "The closed cases past their retention date, and decisions on them (Ctrl+Shift+T)"
        )
        self.hold_action = window_action(self.window, "Legal &hold...", self.show_case_hold)
        file_menu.insertAction(file_before, self.review_action)
        case_menu.addAction(self.hold_action)
        self.update_actions()

    def update_actions(self) -> None:
        self.review_action.setEnabled(self.session is not None)
        self.hold_action.setEnabled(self.case is not None)

    # -- hooks --------------------------------------------------------------------------------
    def attach(self, session: Session) -> None:
        self.session = session
        self.update_actions()

    def case_opened(self, case: Case) -> None:
        self.case = case
        self.update_actions()

    def case_closing(self) -> None:
        self.case = None
        self.update_actions()

    def detach(self) -> None:
        """Close the windows and forget what they showed (lock)."""
        for dialog in (self.hold_dialog, self.review_window):
            if dialog is not None:
                dialog.clear_sensitive()
                dialog.done(QDialog.DialogCode.Rejected)
        self.hold_dialog = None
        self.review_window = None
        self.session = None
        self.case = None
        self.update_actions()

    # -- windows ------------------------------------------------------------------------------
    def show_review(self) -> None:
        if self.session is None:
            return
        if self.review_window is None:
            from aim3desk.ui.retention_review import RetentionReviewWindow

            review = RetentionReviewWindow(
                self.session, self._runner, self.window, before_delete=self._closing_if_open
            )
            review.hold_requested.connect(
                lambda case_id, reference, w=review: self.show_hold(case_id, reference, w)
            )
            review.finished.connect(lambda _r, w=review: self._review_closed(w))
            self.review_window = review
        self.review_window.show()
        self.review_window.raise_()
        self.review_window.activateWindow()

    def _closing_if_open(self, case_id: str) -> None:
        """Before a case is deleted: close it if it is open, so its edits are saved and
        nothing is written to it afterwards."""
        if self.case is not None and self.case.id == case_id:
            self._close_case()

    def _review_closed(self, review: RetentionReviewWindow) -> None:
        if self.review_window is review:
            self.review_window = None
        review.deleteLater()

    def show_case_hold(self) -> None:
        if self.case is not None:
            self.show_hold(self.case.id, self.case.reference)

    def show_hold(self, case_id: str, reference: str, over: QWidget | None = None) -> None:
        """The legal hold dialog of a case (one at a time), over the window that asked."""
        if self.session is None:
            return
        from aim3desk.ui.legal_hold_dialog import LegalHoldDialog

        if self.hold_dialog is not None:
            self.hold_dialog.done(QDialog.DialogCode.Rejected)
        dialog = LegalHoldDialog(
            case_id, reference, self.session, self._runner, over or self.window
        )
        dialog.finished.connect(lambda _r, d=dialog: self._hold_closed(d))
        self.hold_dialog = dialog
        dialog.open()

    def _hold_closed(self, dialog: LegalHoldDialog) -> None:
        if self.hold_dialog is dialog:
            self.hold_dialog = None
        dialog.deleteLater()
