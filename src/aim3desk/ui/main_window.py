"""The main window: menus, the case list and the open case, and the save state."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QWidget,
)
from shiboken6 import isValid

from aim3desk import __version__
from aim3desk.services.errors import CaseNotFound
from aim3desk.ui.case_list import CaseListPage
from aim3desk.ui.case_tools import CaseTools
from aim3desk.ui.case_view import SAVED, SAVING, CaseView
from aim3desk.ui.exchange_tools import ExchangeTools
from aim3desk.ui.integrity_watch import IntegrityWatch
from aim3desk.ui.operations.base import Changes, Latest
from aim3desk.ui.operations.cases import read_case, read_case_list, search_content
from aim3desk.ui.place import Place, arrive_beside, arrive_in_workspace, place_of_search
from aim3desk.ui.retention_tools import RetentionTools
from aim3desk.ui.review.tools import ReviewTools
from aim3desk.ui.sync_status import SyncDriver, SyncStatusLabel
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.config import EffectiveSettings
    from aim3desk.domain.cases import Case
    from aim3desk.domain.forms import FormSet
    from aim3desk.services.session import Session
    from aim3desk.ui.case_table import CaseRow


def practitioner_name(session: Session) -> str:
    return session.practitioner


class MainWindow(QMainWindow):
    """Shows one session at a time: `attach(session, form_set)` after unlock, `detach()` on
    lock. Emits `lock_requested` and `quit_requested`; the controller does the work."""

    lock_requested = Signal()
    quit_requested = Signal()
    settings_changed = Signal(object)  # EffectiveSettings

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session: Session | None = None
        self.form_set: FormSet | None = None
        self.case_view: CaseView | None = None
        self._case_list_reads = Latest()
        self._content_reads = Latest()
        self._case_reads = Latest()
        self.setWindowTitle("AIM3 Desk")
        self.resize(1180, 760)

        self.pages = QStackedWidget()
        self.case_list = CaseListPage()
        # Supervision pane, plan, logs, status, deadlines and annual return (case_tools.py).
        self.tools = CaseTools(self, runner, self.show_deadlines)
        # Contacts, bundles, handover, export and import (exchange_tools.py).
        self.exchange = ExchangeTools(self, runner, self.flush_saves)
        self.home = QTabWidget()
        self.home.setObjectName("homeTabs")
        self.home.addTab(self.case_list, "Cases")
        self.home.addTab(self.tools.dashboard, "Deadlines")
        self.home.addTab(self.tools.supervisees, "Supervisees")
        self._show_supervisees_tab(False)  # until the profile's role is read
        self.tools.supervisees.role_known.connect(self._show_supervisees_tab)
        self.home.currentChanged.connect(self._home_tab_changed)
        # Send for review, the Reviews tab (inbox) and review windows (ui/review/tools.py).
        self.reviews = ReviewTools(
            self, runner, self.home, self.flush_saves, lambda: self.exchange.show_contacts()
        )
        # Retention review and legal hold (retention_tools.py).
        self.retention = RetentionTools(self, runner, self.close_case)
        self.pages.addWidget(self.home)
        self.setCentralWidget(self.pages)
        self.practitioner_label = QLabel()
        self.practitioner_label.setAccessibleName("Signed in as")
        self.save_label = QLabel(SAVED)
        self.save_label.setAccessibleName("Save state")
        self.statusBar().addWidget(self.practitioner_label)
        self.sync_label = SyncStatusLabel()
        self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().addPermanentWidget(self.save_label)
        # Rounds with the shared folder: every few minutes and on Sync now (sync_status.py).
        self.sync = SyncDriver(runner, self.sync_label, self)
        # The whole-database check, once per unlock after the case list has loaded.
        self.integrity = IntegrityWatch(self)
        self._integrity_due = False
        self._build_menus()

        self.case_list.filters_changed.connect(self.list_cases)
        self.case_list.content_search.connect(self.refresh_found)
        self.case_list.open_case.connect(self.open_case)
        self.case_list.open_case_at.connect(self.open_case_at)
        self.tools.open_place.connect(self.open_place)
        self.tools.save_state_changed.connect(self.set_save_state)
        # What every change changed comes here; each part refreshes what it shows from it.
        runner.changes.changed.connect(self._store_changed)

    # -- menus --------------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work while the menu bar is hidden too
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_case_action = self._action("&New case...", self.new_case, "Ctrl+N")
        self.find_action = self._action("&Find case", self.focus_search, "Ctrl+F")
        self.close_case_action = self._action("&Close case", self.close_case, "Ctrl+W")
        self.lock_action = self._action("&Lock now", lambda: self.lock_requested.emit(), "Ctrl+L")
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setShortcuts([QKeySequence("Ctrl+Q")])
        self.sync_action = self._action("S&ync now", self.sync.sync_now, "F9")
        for action in (self.new_case_action, self.find_action, self.close_case_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.sync_action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.quit_action)

        profile_menu = self.menuBar().addMenu("&Profile")
        self.change_passphrase_action = self._action(
            "Change &passphrase...", self.change_passphrase
        )
        profile_menu.addAction(self.change_passphrase_action)
        self.preferences_action = self._action(
            "P&references...", self.preferences, QKeySequence.StandardKey.Preferences
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        profile_menu.addAction(self.preferences_action)

        self.tools.build_actions(
            file_menu, self.lock_action, self.menuBar(), profile_menu.menuAction()
        )
        self.exchange.build_actions(file_menu, self.find_action, profile_menu, self.tools.case_menu)
        self.tools.toolbar.insertAction(self.tools.status_action, self.exchange.send_action)
        self.reviews.build_actions(file_menu, self.close_case_action, self.tools.case_menu)
        self.tools.toolbar.insertAction(self.tools.status_action, self.reviews.send_action)
        self.retention.build_actions(file_menu, self.close_case_action, self.tools.case_menu)

        help_menu = self.menuBar().addMenu("&Help")
        self.guide_action = self._action(
            "&Guide", self.show_guide, QKeySequence.StandardKey.HelpContents
        )
        self.guide_action.setShortcuts([QKeySequence("F1")])
        self.about_action = self._action("&About AIM3 Desk", self.about)
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.about_action)
        self._update_actions()

    def _update_actions(self) -> None:
        attached = self.session is not None
        for action in (
            self.new_case_action,
            self.find_action,
            self.lock_action,
            self.change_passphrase_action,
            self.preferences_action,
            self.sync_action,
        ):
            action.setEnabled(attached)
        self.close_case_action.setEnabled(attached and self.case_view is not None)
        self.tools.update_actions()
        self.exchange.update_actions()
        self.reviews.update_actions()
        self.retention.update_actions()

    # -- session ------------------------------------------------------------------------------
    def attach(self, session: Session, form_set: FormSet) -> None:
        self.session = session
        self.form_set = form_set
        self.practitioner_label.setText(f"Signed in as {practitioner_name(session)}")
        self.set_save_state(SAVED)
        self.pages.setCurrentWidget(self.home)
        self.home.setCurrentWidget(self.case_list)
        self._integrity_due = True
        # The case list first on the store worker, before the tools' own reads (supervisees,
        # reviews, contacts, sync); the deadlines wait for their tab.
        self.refresh_cases()
        self.tools.attach(session)
        self.exchange.attach(session)
        self.reviews.attach(session, form_set)
        self.retention.attach(session)
        self.sync.attach(session)
        self._update_actions()
        self.case_list.search_edit.setFocus()

    def flush_saves(self) -> None:
        if self.case_view is not None:
            self.case_view.flush()
        self.tools.flush()

    def detach(self) -> None:
        """Forget the session and clear every widget that showed case data. Call after
        `flush_saves()` and after the queued saves have run."""
        self._case_list_reads.drop()  # reads still in flight are dropped on arrival
        self._content_reads.drop()
        self._case_reads.drop()
        self._integrity_due = False
        self.integrity.forget()
        self._drop_case_view()
        self.tools.detach()
        self._show_supervisees_tab(False)
        self.exchange.detach()
        self.reviews.detach()
        self.retention.detach()
        self.sync.detach()
        self.case_list.clear()
        self.practitioner_label.clear()
        self.session = None
        self.form_set = None
        self._update_actions()

    # -- case list ----------------------------------------------------------------------------
    def refresh_cases(self) -> None:
        """The case list and the matches in what was written, read again (a change landed)."""
        self.list_cases()
        self.refresh_found()

    def list_cases(self) -> None:
        """The cases for the status and due filters; the typed search applies on arrival."""
        if self.session is None:
            return
        query = self.case_list.query()
        read_case_list(self._runner, self.session, query).latest(self._case_list_reads).on_done(
            self._show_case_rows
        ).run()

    def refresh_found(self) -> None:
        """The matches in what was written for the words in the search box (none: hidden)."""
        if self.session is None:
            return
        words = self.case_list.search_text()
        if not words:
            self._content_reads.drop()
            self.case_list.show_found([])
            return
        search_content(self._runner, self.session, words).latest(self._content_reads).on_done(
            self.case_list.show_found
        ).run()

    def _show_case_rows(self, rows: list[CaseRow]) -> None:
        self.case_list.show_rows(rows)
        if self._integrity_due and self.session is not None:
            self._integrity_due = False
            self.integrity.start(self.session)

    def focus_search(self) -> None:
        if self.case_view is not None:
            self.close_case()
        self.home.setCurrentWidget(self.case_list)
        self.case_list.search_edit.setFocus()
        self.case_list.search_edit.selectAll()

    def new_case(self) -> None:
        if self.session is None:
            return
        from aim3desk.ui.new_case_dialog import NewCaseDialog

        dialog = NewCaseDialog.for_session(self.session, self._runner, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.case is not None:
            self.open_case(dialog.case.id)  # the list follows from the change itself
        dialog.deleteLater()

    # -- one case -----------------------------------------------------------------------------
    def open_case_at(self, case_id: str, place_key: str) -> None:
        """Open the case at a search result's place (services/search_places.py: a workspace
        page's nav key, or "records:<window>")."""
        self.open_place(place_of_search(case_id, place_key))

    def open_case(self, case_id: str) -> None:
        self.open_place(Place(case_id))

    def where(self) -> Place:
        """Where the person is: the open case and its page, or the home tab shown."""
        if self.case_view is None:
            return Place(home_tab=self.home.currentIndex())
        page = self.case_view.workspace.current_page()
        return Place(self.case_view.case.id, nav_key=page.nav_key if page is not None else None)

    def open_place(self, place: Place) -> None:
        """A home tab, or a case at a page or tool (a deadline's item; where the person was
        before a lock). A case gone meanwhile leaves the case list showing, without a word."""
        if self.session is None:
            return
        if place.case_id is None:
            if 0 <= place.home_tab < self.home.count() and self.home.isTabVisible(place.home_tab):
                self.home.setCurrentIndex(place.home_tab)
            return

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, CaseNotFound):
                self._runner.report_error("reading the case", exc)

        # The case record here; the workspace then reads the assessment content itself.
        read_case(self._runner, self.session, place.case_id).latest(self._case_reads).on_done(
            lambda case: self._show_case(case, place)
        ).on_error(failed).run()

    def _show_case(self, case: Case, place: Place | None = None) -> None:
        self._drop_case_view()
        view = CaseView(
            case,
            self.session,
            self.form_set,
            self._runner,
            autosave_delay_ms=self.session.settings.values.autosave_delay_ms,
        )
        view.save_state_changed.connect(self.set_save_state)
        view.close_requested.connect(self.close_case)
        self.case_view = view
        self.pages.addWidget(view)
        self.pages.setCurrentWidget(view)
        self.setWindowTitle(f"{case.reference} - AIM3 Desk")  # the reference, never the name
        self.tools.case_opened(case)
        self.exchange.case_opened(case)
        self.reviews.case_opened(case)
        self.retention.case_opened(case)
        self._update_actions()
        view.navigator.setFocus()
        if place is not None:
            arrive_beside(self.tools, place)
            if place.needs_workspace:
                view.workspace.loaded.connect(
                    lambda: arrive_in_workspace(view.workspace, place),
                    Qt.ConnectionType.SingleShotConnection,
                )

    def close_case(self) -> None:
        if self.case_view is None:
            return
        case_id = self.case_view.case.id
        self.case_view.flush()
        self._drop_case_view()
        self.refresh_cases()
        self.case_list.select_case(case_id)
        self.case_list.table.setFocus()

    def _drop_case_view(self) -> None:
        view = self.case_view
        if view is None:
            return
        view.flush()
        self.tools.case_closing()  # the pane and the plan and log windows save and empty
        self.exchange.case_closing()
        self.reviews.case_closing()
        self.retention.case_closing()
        self.case_view = None
        view.clear_sensitive()
        self.pages.removeWidget(view)
        view.deleteLater()
        self.pages.setCurrentWidget(self.home)
        self.setWindowTitle("AIM3 Desk")
        self._update_actions()

    def _store_changed(self, changes: Changes, _initiator: object) -> None:
        """A change landed: the case list and the case tools follow it (the open case follows
        by itself)."""
        if self.session is None:
            return
        if changes.case_list:
            self.refresh_cases()
        self.tools.store_changed(changes)

    # -- deadlines ----------------------------------------------------------------------------
    def show_deadlines(self) -> None:
        """The Deadlines tab beside the case list (Ctrl+D); closes an open case first."""
        if self.session is None:
            return
        if self.case_view is not None:
            self.close_case()
        self.home.setCurrentWidget(self.tools.dashboard)
        self.tools.dashboard.table.setFocus()

    def _home_tab_changed(self) -> None:
        # The Deadlines tab reads its rows itself whenever it is shown (ui/dashboard.py).
        if self.home.currentWidget() is self.tools.supervisees and self.session is not None:
            self.tools.supervisees.refresh(self.session)

    def _show_supervisees_tab(self, is_supervisor: bool) -> None:
        """The Supervisees tab is there for a profile whose role is supervisor."""
        if not isValid(self.home):
            return  # the window went while the role was read
        self.home.setTabVisible(self.home.indexOf(self.tools.supervisees), is_supervisor)

    def set_save_state(self, text: str) -> None:
        self.save_label.setText(text)
        self.save_label.setProperty("problem", text not in (SAVED, SAVING))
        self.save_label.style().unpolish(self.save_label)
        self.save_label.style().polish(self.save_label)

    # -- profile and help ---------------------------------------------------------------------
    def change_passphrase(self) -> None:
        if self.session is None:
            return
        from aim3desk.ui.change_passphrase import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self.session, self._runner, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage("Your passphrase has been changed.", 8000)
        dialog.deleteLater()

    def preferences(self) -> None:
        if self.session is None:
            return
        from aim3desk.ui.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(
            self.session.settings,
            self.session.profile_dir,
            parent=self,
            runner=self._runner,
            session=self.session,
        )
        dialog.settings_saved.connect(self._settings_saved)
        dialog.exec()
        dialog.deleteLater()

    def _settings_saved(self, effective: EffectiveSettings) -> None:
        if self.session is not None:
            self.session.settings = effective  # autosave delay, deadline, idle time from now
            self.settings_changed.emit(effective)

    def show_guide(self) -> QDialog:
        """Help > Guide (F1): the workflow, the shortcuts (from the actions) and the folders."""
        from aim3desk.config import default_profile_dir
        from aim3desk.ui.guide import GuideDialog, guide_html

        if self.session is not None:
            folder, backups = self.session.profile_dir, self.session.deletion.backups_dir
            shared = self.session.settings.values.share_folder
        else:
            folder = default_profile_dir()
            backups, shared = folder / "backups", ""
        dialog = GuideDialog(guide_html(self.actions(), folder, backups, shared), self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show()
        return dialog

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About AIM3 Desk",
            f"<h3>AIM3 Desk {html.escape(__version__)}</h3>"
            "<p>An encrypted desktop workspace for AIM3 and AIM u12 assessments of children "
            "who have displayed harmful sexual behaviour.</p>"
            "<p>AIM3 and AIM u12 belong to the AIM Project. Only practitioners trained in "
            "the model may use it. AIM3 Desk ships its own practice prompts; licensed factor "
            "content comes from your organisation's form file.</p>",
        )

    # -- closing ------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        # Quitting goes through the controller, which saves, closes the session and waits.
        event.ignore()
        self.quit_requested.emit()
