"""What the main window offers for people and for moving cases: Profile > Contacts...
(Ctrl+Shift+K); Case > Send bundle... (Ctrl+Shift+B), Hand over case..., Export case...;
File and Case > Import bundles or case files... (Ctrl+Shift+O) and Open bundle...
(Ctrl+Shift+V: check one bundle, see who signed it and what it holds, save its files or
import it).

`ExchangeTools` owns the actions and the contacts window, so the main window only calls its
hooks: `attach`, `case_opened`, `case_closing` and `detach`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu

from aim3desk.ui.case_tools import window_action
from aim3desk.ui.exchange_kit import documents_folder

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.services.bundles import ExportedBundle
    from aim3desk.services.session import Session
    from aim3desk.ui.bundle_dialogs import AddressedBundleDialog
    from aim3desk.ui.contacts_page import ContactsWindow
    from aim3desk.ui.import_dialog import ImportDialog
    from aim3desk.ui.open_bundle_dialog import OpenBundleDialog
    from aim3desk.ui.tasks import TaskRunner


class ExchangeTools(QObject):
    """`flush` queues every unsaved edit (the main window's), so a bundle or export reads
    what is on screen: the store worker runs the saves first."""

    def __init__(self, window: QMainWindow, runner: TaskRunner, flush: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self._runner = runner
        self._flush = flush
        self.session: Session | None = None
        self.case: Case | None = None
        self.contacts_window: ContactsWindow | None = None
        self.dialog: QDialog | None = None  # the bundle, export or import dialog open now

    def _action(self, text: str, slot: Callable[[], object], shortcut: str = "") -> QAction:
        return window_action(self.window, text, slot, shortcut)

    def build_actions(
        self, file_menu: QMenu, file_before: QAction, profile_menu: QMenu, case_menu: QMenu
    ) -> None:
        """Import and Open bundle in the File menu (before `file_before`), Contacts in the
        Profile menu, and the bundle, handover and export actions at the end of the Case
        menu."""
        self.contacts_action = self._action("&Contacts...", self.show_contacts, "Ctrl+Shift+K")
        self.import_action = self._action(
            "I&mport bundles or case files...", self.choose_imports, "Ctrl+Shift+O"
        )
        self.open_bundle_action = self._action(
            "&Open bundle...", self.choose_bundle, "Ctrl+Shift+V"
        )
        self.send_action = self._action("Send &bundle...", self.send_bundle, "Ctrl+Shift+B")
        self.hand_over_action = self._action("&Hand over case...", self.hand_over)
        self.export_action = self._action("E&xport case...", self.export_case)
        profile_menu.addSeparator()
        profile_menu.addAction(self.contacts_action)
        file_menu.insertAction(file_before, self.import_action)
        file_menu.insertAction(file_before, self.open_bundle_action)
        case_menu.addSeparator()
        for action in (self.send_action, self.hand_over_action, self.export_action):
            case_menu.addAction(action)
        # Bundles arrive for cases too: the same two actions, where the reader and a
        # practitioner looking for "the bundle things" expect them, beside sending.
        case_menu.addSeparator()
        case_menu.addAction(self.open_bundle_action)
        case_menu.addAction(self.import_action)
        self.update_actions()

    def update_actions(self) -> None:
        attached, has_case = self.session is not None, self.case is not None
        self.contacts_action.setEnabled(attached)
        self.import_action.setEnabled(attached)
        self.open_bundle_action.setEnabled(attached)
        for action in (self.send_action, self.hand_over_action, self.export_action):
            action.setEnabled(has_case)

    # -- hooks ------------------------------------------------------------------------------

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
        """Close the contacts window and any dialog (locking closes them first anyway)."""
        for widget in (self.contacts_window, self.dialog):
            if widget is not None:
                widget.done(QDialog.DialogCode.Rejected)
        self.contacts_window = None
        self.dialog = None
        self.session = None
        self.case = None
        self.update_actions()

    # -- contacts ---------------------------------------------------------------------------

    def show_contacts(self) -> ContactsWindow | None:
        if self.session is None:
            return None
        if self.contacts_window is None:
            from aim3desk.ui.contacts_page import ContactsWindow

            window = ContactsWindow(self.session, self._runner, self.window)
            window.finished.connect(lambda _r, w=window: self._contacts_closed(w))
            self.contacts_window = window
        self.contacts_window.show()
        self.contacts_window.raise_()
        self.contacts_window.activateWindow()
        return self.contacts_window

    def _contacts_closed(self, window: ContactsWindow) -> None:
        if self.contacts_window is window:
            self.contacts_window = None
        window.deleteLater()

    # -- dialogs ----------------------------------------------------------------------------

    def _present(self, dialog: QDialog) -> QDialog:
        """Open a dialog window-modal (never a nested event loop: the worker carries on)."""

        def finished(_result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()

        self.dialog = dialog
        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def _bundle_dialog(self, dialog: AddressedBundleDialog) -> AddressedBundleDialog:
        dialog.contacts_requested.connect(self.show_contacts)
        dialog.written.connect(self._bundle_written)
        self._present(dialog)
        return dialog

    def send_bundle(self) -> AddressedBundleDialog | None:
        if self.session is None or self.case is None:
            return None
        from aim3desk.ui.bundle_dialogs import SendBundleDialog

        self._flush()  # the bundle carries what is on screen
        return self._bundle_dialog(
            SendBundleDialog(self.session, self.case, self._runner, self.window)
        )

    def hand_over(self) -> AddressedBundleDialog | None:
        if self.session is None or self.case is None:
            return None
        from aim3desk.ui.bundle_dialogs import HandOverDialog

        self._flush()
        return self._bundle_dialog(
            HandOverDialog(self.session, self.case, self._runner, self.window)
        )

    def _bundle_written(self, exported: ExportedBundle) -> None:
        self.window.statusBar().showMessage(f"Bundle written: {exported.path}", 10_000)

    def export_case(self) -> QDialog | None:
        if self.session is None or self.case is None:
            return None
        from aim3desk.ui.export_case_dialog import ExportCaseDialog

        self._flush()
        dialog = ExportCaseDialog(self.session, self.case, self._runner, self.window)
        dialog.accepted.connect(
            lambda: self.window.statusBar().showMessage(
                f"Case exported to {dialog.written}", 10_000
            )
        )
        return self._present(dialog)

    # -- import -----------------------------------------------------------------------------

    def choose_imports(self) -> None:
        if self.session is None:
            return
        from aim3desk.ui.import_dialog import IMPORT_FILTER

        chosen, _ = QFileDialog.getOpenFileNames(
            self.window,
            "Import bundles or case files",
            str(documents_folder()),
            IMPORT_FILTER,
        )
        if chosen:
            self.import_files([Path(p) for p in chosen])

    def import_files(self, paths: list[Path]) -> ImportDialog | None:
        """Import the files and show what became of each (the file dialog's other half)."""
        if self.session is None or not paths:
            return None
        from aim3desk.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.session, self._runner, paths, self.window)
        self._present(dialog)
        return dialog

    # -- one bundle -------------------------------------------------------------------------

    def choose_bundle(self) -> None:
        if self.session is None:
            return
        from aim3desk.ui.open_bundle_dialog import BUNDLE_FILTER

        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Open bundle", str(documents_folder()), BUNDLE_FILTER
        )
        if chosen:
            self.open_bundle(Path(chosen))

    def open_bundle(self, path: Path) -> OpenBundleDialog | None:
        """Check the bundle and show who signed it and what it holds (the file dialog's
        other half)."""
        if self.session is None:
            return None
        from aim3desk.ui.open_bundle_dialog import OpenBundleDialog

        dialog = OpenBundleDialog(self.session, self._runner, path, self.window)
        dialog.contacts_requested.connect(self.show_contacts)
        dialog.saved.connect(
            lambda paths: self.window.statusBar().showMessage(
                f"{len(paths)} files saved, not encrypted, to {dialog.saved_folder}", 10_000
            )
        )
        self._present(dialog)
        return dialog
