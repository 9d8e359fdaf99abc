"""What the main window offers for supervisor review: Case > Send for review... and the
Reviews tab beside the case list (File > Reviews sent to me, Ctrl+Shift+R), which opens a
review window for a bundle.

The Reviews tab is there from the start for a supervisor (your card's role); anyone else
gets it from the menu. `ReviewTools` owns the actions, the tab and the open review windows,
so the main window only calls its hooks: `attach`, `case_opened`, `case_closing`, `detach`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QTabWidget

from aim3desk.domain.identity import Role
from aim3desk.ui.case_tools import window_action
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.identity import People, read_people
from aim3desk.ui.review.inbox import InboxPage

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.domain.forms import FormSet
    from aim3desk.services.session import Session
    from aim3desk.ui.review.send_dialog import SendForReviewDialog
    from aim3desk.ui.review.window import ReviewWindow
    from aim3desk.ui.tasks import TaskRunner

INBOX_TAB = "Reviews"


class ReviewTools(QObject):
    def __init__(
        self,
        window: QMainWindow,
        runner: TaskRunner,
        home: QTabWidget,
        flush: Callable[[], None],
        show_contacts: Callable[[], object],
    ) -> None:
        super().__init__(window)
        self.window = window
        self._runner = runner
        self._home = home
        self._flush = flush
        self._show_contacts = show_contacts
        self._reads = Latest()
        self.session: Session | None = None
        self.form_set: FormSet | None = None
        self.case: Case | None = None
        self.inbox = InboxPage(runner)
        self.inbox.open_requested.connect(self.open_review)
        self.review_windows: dict[str, ReviewWindow] = {}
        self.dialog: SendForReviewDialog | None = None

    def build_actions(self, file_menu: QMenu, file_before: QAction, case_menu: QMenu) -> None:
        self.inbox_action = window_action(
            self.window, "&Reviews sent to me", self.show_inbox, "Ctrl+Shift+R"
        )
        self.send_action = window_action(self.window, "Send for re&view...", self.send_for_review)
        file_menu.insertAction(file_before, self.inbox_action)
        case_menu.addSeparator()
        case_menu.addAction(self.send_action)
        self.update_actions()

    def update_actions(self) -> None:
        self.inbox_action.setEnabled(self.session is not None)
        self.send_action.setEnabled(self.case is not None)

    # -- hooks --------------------------------------------------------------------------------
    def attach(self, session: Session, form_set: FormSet) -> None:
        self.session = session
        self.form_set = form_set
        self.inbox.attach(session)
        read_people(self._runner, session).latest(self._reads).on_done(self._people_read).run()
        self.update_actions()

    def _people_read(self, people: People) -> None:
        if people.me.role is Role.SUPERVISOR:
            self._add_tab()

    def _add_tab(self) -> None:
        if self._home.indexOf(self.inbox) < 0:
            self._home.insertTab(1, self.inbox, INBOX_TAB)

    def case_opened(self, case: Case) -> None:
        self.case = case
        self.update_actions()

    def case_closing(self) -> None:
        self.case = None
        self.update_actions()

    def detach(self) -> None:
        """Close the review windows (their drafts save first) and forget the inbox."""
        self._reads.drop()
        for review_window in list(self.review_windows.values()):
            review_window.done(QDialog.DialogCode.Rejected)
        self.review_windows.clear()
        if self.dialog is not None:
            self.dialog.done(QDialog.DialogCode.Rejected)
            self.dialog = None
        index = self._home.indexOf(self.inbox)
        if index >= 0:
            self._home.removeTab(index)
        self.inbox.clear()
        self.session = None
        self.case = None
        self.update_actions()

    # -- the inbox and review windows ---------------------------------------------------------
    def show_inbox(self) -> InboxPage | None:
        if self.session is None:
            return None
        close_case = getattr(self.window, "close_case", None)
        if close_case is not None:
            close_case()
        self._add_tab()
        self._home.setCurrentWidget(self.inbox)
        self.inbox.refresh()
        self.inbox.table.setFocus()
        return self.inbox

    def open_review(self, bundle_id: str) -> ReviewWindow | None:
        if self.session is None:
            return None
        existing = self.review_windows.get(bundle_id)
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return existing
        from aim3desk.ui.review.window import ReviewWindow

        review_window = ReviewWindow(self.session, self._runner, bundle_id, self.window)
        self.review_windows[bundle_id] = review_window

        def finished(_result: int) -> None:
            if self.review_windows.get(bundle_id) is review_window:
                del self.review_windows[bundle_id]
            review_window.deleteLater()

        review_window.finished.connect(finished)
        review_window.show()
        return review_window

    # -- sending ------------------------------------------------------------------------------
    def send_for_review(self) -> SendForReviewDialog | None:
        if self.session is None or self.case is None or self.form_set is None:
            return None
        from aim3desk.ui.review.send_dialog import SendForReviewDialog

        self._flush()  # the version goes as it is on screen: the saves run first
        dialog = SendForReviewDialog(
            self.session, self.case, self.form_set, self._runner, self.window
        )
        dialog.contacts_requested.connect(self._show_contacts)

        def finished(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()

        self.dialog = dialog
        dialog.finished.connect(finished)
        dialog.open()
        return dialog
