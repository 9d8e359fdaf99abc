"""What the main window offers beside the assessment: the supervision notes pane (a dock), the
intervention plan and the case logs (windows of their own), the case status dialog, the
deadlines dashboard (a tab beside the case list), the annual return and the copies of deleted
cases (File menu), and Delete case.

`CaseTools` owns these so the main window only calls its hooks: `attach`, `case_opened`,
`case_closing`, `flush` and `detach`.

Shortcuts: Ctrl+D deadlines, Ctrl+Shift+U supervision notes, Ctrl+Shift+I intervention plan,
Ctrl+Shift+G escalation and consultation logs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QMenuBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from aim3desk.ui.dashboard import DeadlinesDashboard
from aim3desk.ui.operations.base import Changes, Record
from aim3desk.ui.supervisees import SuperviseesPage
from aim3desk.ui.supervision import SupervisionPane
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.services.session import Session

PANE_WIDTH = 400  # the supervision dock's first width: about 380 px of notes plus margins


def window_action(
    window: QMainWindow, text: str, slot: Callable[[], object], shortcut: str | None = None
) -> QAction:
    """An action of the main window: its shortcut works while the menu bar is hidden too."""
    action = QAction(text, window)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    window.addAction(action)
    return action


class CaseRecordContent(Protocol):
    """What a case record window holds (the plan, the logs, the sharing log)."""

    def flush(self) -> None: ...

    def clear_sensitive(self) -> None: ...


class CaseRecordWindow(QDialog):
    """A window of its own for a case's plan or logs (not modal: the case stays usable).
    Closing, or locking (which closes every dialog), saves and empties it."""

    def __init__(self, title: str, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content: CaseRecordContent = content  # type: ignore[assignment]
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setModal(False)
        self.resize(1180, 760)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)  # Close (or Escape) saves and empties it
        layout = QVBoxLayout(self)
        layout.addWidget(content, 1)
        layout.addWidget(buttons)

    def done(self, result: int) -> None:
        self.release()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.release()
        super().closeEvent(event)

    def release(self) -> None:
        """Queue unsaved edits, then empty every field (the queued saves hold their data)."""
        self.content.flush()
        self.content.clear_sensitive()
        self.deleteLater()


class CaseTools(QObject):
    """Signals: `save_state_changed(text)` from the pane and plan, `open_place(place)` from
    the dashboard (ui/place.py: the case at the item that is due). `store_changed(changes)`
    keeps what they show up to date."""

    save_state_changed = Signal(str)
    open_place = Signal(object)  # a ui.place.Place

    def __init__(
        self, window: QMainWindow, runner: TaskRunner, show_deadlines: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self.window = window
        self.show_deadlines = show_deadlines
        self._runner = runner
        self.session: Session | None = None
        self.case: Case | None = None
        self.windows: list[CaseRecordWindow] = []
        self.dashboard = DeadlinesDashboard(runner)
        self.dashboard.open_place.connect(self.open_place)
        self.supervisees = SuperviseesPage(runner)  # a supervisor's view of the cadence
        self.pane = SupervisionPane(runner, window)
        self.pane.save_state_changed.connect(self.save_state_changed)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.pane)
        self.pane.hide()
        self._pane_sized = False
        self.toolbar = QToolBar("Case")
        self.toolbar.setObjectName("caseToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar.hide()

    # -- actions ------------------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], None], shortcut: str | None = None) -> QAction:
        return window_action(self.window, text, slot, shortcut)

    def build_actions(
        self, file_menu: QMenu, file_before: QAction, menu_bar: QMenuBar, before: QAction
    ) -> None:
        """The Case menu (before the `before` menu), the case toolbar, and Deadlines (Ctrl+D)
        and Annual return in the File menu (before `file_before`)."""
        self.pane_action = self.pane.toggleViewAction()
        self.pane_action.setText("&Supervision notes")
        self.pane_action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.pane_action.setToolTip("Show or hide the supervision notes pane (Ctrl+Shift+U)")
        self.window.addAction(self.pane_action)
        self.plan_action = self._action("&Intervention plan...", self.show_plan, "Ctrl+Shift+I")
        self.logs_action = self._action(
            "Escalation and &consultation logs...", self.show_logs, "Ctrl+Shift+G"
        )
        self.status_action = self._action("Change &status...", self.change_status)
        self.details_action = self._action("Case &details...", self.edit_details)
        self.report_action = self._action("&Report or share...", self.show_report, "Ctrl+P")
        self.sharing_log_action = self._action("S&haring log...", self.show_sharing_log)
        self.access_action = self._action(
            "Records held (subject &access)...", self.show_access_export
        )
        self.deadlines_action = self._action("&Deadlines", lambda: self.show_deadlines(), "Ctrl+D")
        self.annual_return_action = self._action("&Annual return...", self.annual_return)
        self.delete_action = self._action("&Delete case...", self.delete_case)
        self.copies_action = self._action("Copies of deleted &cases...", self.held_copies)
        case_menu = QMenu("&Case", self.window)
        self.case_menu = case_menu  # the bundle and export actions join it (exchange_tools)
        menu_bar.insertMenu(before, case_menu)
        for action in (self.pane_action, self.plan_action, self.logs_action):
            case_menu.addAction(action)
            self.toolbar.addAction(action)
        case_menu.addSeparator()
        case_menu.addAction(self.report_action)
        case_menu.addAction(self.sharing_log_action)
        case_menu.addAction(self.access_action)
        case_menu.addSeparator()
        case_menu.addAction(self.details_action)
        case_menu.addAction(self.status_action)
        case_menu.addSeparator()
        case_menu.addAction(self.delete_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.report_action)
        self.toolbar.addAction(self.status_action)
        file_menu.insertSeparator(file_before)
        file_menu.insertAction(file_before, self.deadlines_action)
        file_menu.insertAction(file_before, self.annual_return_action)
        file_menu.insertAction(file_before, self.copies_action)
        self.update_actions()

    def update_actions(self) -> None:
        attached, has_case = self.session is not None, self.case is not None
        for action in (
            self.pane_action,
            self.plan_action,
            self.logs_action,
            self.status_action,
            self.details_action,
            self.report_action,
            self.sharing_log_action,
            self.delete_action,
            self.access_action,
        ):
            action.setEnabled(has_case)
        for action in (self.deadlines_action, self.annual_return_action, self.copies_action):
            action.setEnabled(attached)

    # -- hooks --------------------------------------------------------------------------------
    def attach(self, session: Session) -> None:
        self.session = session
        self.pane.saver.set_delay(session.settings.values.autosave_delay_ms)
        self.dashboard.follow(session)  # read when its tab is shown, not before the case list
        self.supervisees.refresh(session)
        self.update_actions()

    def case_opened(self, case: Case) -> None:
        self.case = case
        self.pane.set_case(self.session, case.id)
        self.pane.show()
        if not self._pane_sized and not self.pane.isFloating():
            # Narrow by default so the assessment keeps most of the window; the user may widen it.
            self._pane_sized = True
            self.window.resizeDocks([self.pane], [PANE_WIDTH], Qt.Orientation.Horizontal)
        self.toolbar.show()
        self.update_actions()

    def case_closing(self) -> None:
        """Save and empty everything that shows the case (before the view goes)."""
        for window in list(self.windows):
            window.done(QDialog.DialogCode.Rejected)
        self.windows.clear()
        self.pane.flush()
        self.pane.clear_sensitive()
        self.pane.hide()
        self.toolbar.hide()
        self.case = None
        self.update_actions()
        if self.session is not None:
            self.dashboard.follow(self.session)  # what the case changed, once it is shown

    def forms_ready(self) -> bool:
        """True once the pane has read the case's sessions (tests and screenshots wait)."""
        return self.pane.forms is not None and self.pane.case_id is not None

    def flush(self) -> None:
        self.pane.flush()
        for window in self.windows:
            window.content.flush()

    def detach(self) -> None:
        self.session = None  # first: nothing more is read from a session being locked
        self.case_closing()
        self.dashboard.clear()
        self.supervisees.clear()
        self.update_actions()

    # -- opening things -----------------------------------------------------------------------
    def _window(self, kind: str, title: str, make: Callable[[], QWidget]) -> CaseRecordWindow:
        for window in self.windows:
            if window.objectName() == kind:
                window.show()
                window.raise_()
                window.activateWindow()
                return window
        content = make()
        window = CaseRecordWindow(title, content, self.window)
        window.setObjectName(kind)
        window.finished.connect(lambda _r, w=window: self._forget(w))
        self.windows.append(window)
        window.show()
        return window

    def _forget(self, window: CaseRecordWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def show_plan(self) -> None:
        if self.case is None:
            return
        from aim3desk.ui.intervention import InterventionBoard

        session, case, runner = self.session, self.case, self._runner

        def make() -> QWidget:
            board = InterventionBoard(
                session,
                case.id,
                runner,
                autosave_delay_ms=session.settings.values.autosave_delay_ms,
            )
            board.save_state_changed.connect(self.save_state_changed)
            board.load()
            return board

        self._window("plan", f"Intervention plan: {case.reference}", make)

    def show_logs(self) -> None:
        if self.case is None:
            return
        from aim3desk.ui.case_logs_view import CaseLogsView

        session, case, runner = self.session, self.case, self._runner

        def make() -> QWidget:
            view = CaseLogsView(session, case.id, runner)
            view.load()
            return view

        self._window("logs", f"Escalation and consultation logs: {case.reference}", make)

    def show_report(self) -> None:
        """The full report or a share report, built in the background (Ctrl+P)."""
        if self.case is None:
            return
        from aim3desk.ui.report_dialog import ReportDialog

        self.flush()  # the report reads what is in the store
        dialog = ReportDialog(self.session, self.case, self._runner, self.window)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def show_access_export(self) -> QDialog | None:
        """Everything held about the case as one PDF for a subject access request."""
        if self.case is None or self.session is None:
            return None
        from aim3desk.ui.access_export_dialog import AccessExportDialog

        self.flush()  # the export reads what is in the store
        dialog = AccessExportDialog(self.session, self.case, self._runner, self.window)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def show_sharing_log(self) -> None:
        if self.case is None:
            return
        from aim3desk.ui.sharing_log_view import SharingLogView

        session, case, runner = self.session, self.case, self._runner

        def make() -> QWidget:
            view = SharingLogView(session, case, runner)
            view.refresh()
            return view

        self._window("sharing", f"Sharing log: {case.reference}", make)

    def store_changed(self, changes: Changes) -> None:
        """A change landed: the deadlines and an open sharing log follow it."""
        if changes.deadlines and self.session is not None:
            self.dashboard.follow(self.session)  # hidden, it reads them when next shown
        if self.case is not None and changes.touches(self.case.id, Record.SHARING):
            for window in self.windows:
                if window.objectName() == "sharing":
                    window.content.refresh()  # type: ignore[attr-defined]

    def change_status(self) -> None:
        if self.case is None:
            return
        from aim3desk.ui.status_dialog import StatusDialog

        dialog = StatusDialog(self.case, self.session, self._runner, self.window)

        def finished(result: int) -> None:
            # The header, the list, the deadlines and when supervision is due follow the
            # change itself (store_changed); the tools keep the case as it now is.
            if result == QDialog.DialogCode.Accepted:
                self.case = dialog.case
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def edit_details(self) -> None:
        """The case's own details (social worker, why requested, lead agency ...) in the new
        case dialog's form; the header and list follow the change."""
        if self.case is None or self.session is None:
            return
        from aim3desk.ui.new_case_dialog import NewCaseDialog

        dialog = NewCaseDialog.for_session(self.session, self._runner, self.window, self.case)

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dialog.case is not None:
                self.case = dialog.case
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def annual_return(self) -> None:
        if self.session is None:
            return
        from aim3desk.ui.annual_return_dialog import AnnualReturnDialog

        dialog = AnnualReturnDialog(self.session, self._runner, self.window)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def delete_case(self) -> None:
        """Delete case: the dialog closes the case just before the deletion runs, so its
        last saves reach the store first and nothing shows it afterwards."""
        if self.case is None:
            return
        from aim3desk.ui.delete_case_dialog import DeleteCaseDialog

        self.flush()
        close_case = getattr(self.window, "close_case", lambda: None)
        dialog = DeleteCaseDialog(self.case, self.session, self._runner, close_case, self.window)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def held_copies(self) -> None:
        if self.session is None:
            return
        from aim3desk.ui.held_copies_dialog import HeldCopiesDialog

        dialog = HeldCopiesDialog(self.session, self._runner, self.window)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
