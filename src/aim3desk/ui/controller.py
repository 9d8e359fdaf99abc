"""The application's states and the moves between them: first run or unlock, the main window,
locking (by Ctrl+L or when idle) and quitting. Every store call goes through one TaskRunner."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from aim3desk.config import EffectiveSettings, Settings, load_settings
from aim3desk.ui.clipboard import clear_if_ours, watch_clipboard
from aim3desk.ui.idle_lock import IdleLock, minutes_to_ms
from aim3desk.ui.lock_guard import LockGuard, close_dialogs, close_popups
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.profile import check_audit_trail, lock, prepare_profile, read_forms
from aim3desk.ui.tasks import WAIT_LIMIT_MS, TaskRunner
from aim3desk.ui.unlock import UnlockDialog

if TYPE_CHECKING:  # typing only: importing these costs start-up time before the first window
    from aim3desk.domain.forms import FormSet
    from aim3desk.services.audit_log import AuditCheck
    from aim3desk.services.profile import KdfParams, ProfileService
    from aim3desk.services.session import Session
    from aim3desk.ui.main_window import MainWindow
    from aim3desk.ui.place import Place

# Names from services.profile and security.keyfile, repeated here so deciding between first
# run and unlock costs no import of SQLAlchemy or cryptography before the first window shows.
# Any of them present means a profile is (or was) here: never offer to create one over it.
_PROFILE_MARKERS = ("profile.key", "profile.key.bak", "store.db")

LOCKED_BY_USER = "You locked AIM3 Desk. Your work was saved. Enter your passphrase to carry on."


def profile_probably_exists(profile_dir: Path) -> bool:
    return any((profile_dir / name).exists() for name in _PROFILE_MARKERS)


def idle_message(minutes: int) -> str:
    return (
        f"AIM3 Desk locked itself after {minutes} minute{'s' if minutes != 1 else ''} without "
        "activity. Your work was saved. Enter your passphrase to carry on."
    )


class AppController(QObject):
    """Owns the task runner, the dialogs, the main window and the open session.

    `kdf` (KdfParams), `idle_timeout_ms` and `wait_limit_ms` are for tests: the real app
    leaves them unset, so the KDF is calibrated, the idle time comes from settings and the UI
    waits tasks.WAIT_LIMIT_MS for work in flight (a lock then goes on without it).
    `quit_finished` is emitted once everything is saved and closed (run_gui connects it to
    QApplication.quit)."""

    quit_finished = Signal()

    def __init__(
        self,
        profile_dir: Path,
        settings: EffectiveSettings | None = None,
        kdf: KdfParams | None = None,
        idle_timeout_ms: int | None = None,
        parent: QObject | None = None,
        *,
        wait_limit_ms: int = WAIT_LIMIT_MS,
    ) -> None:
        super().__init__(parent)
        self.profile_dir = Path(profile_dir)
        self.settings = settings
        self.kdf = kdf
        self._idle_override = idle_timeout_ms
        self.runner = TaskRunner(self, wait_limit_ms=wait_limit_ms)
        # Settings (machine policy and the user's file) are read just after the first window
        # shows; until then nothing depends on them but the idle time, which starts at unlock.
        minutes = (settings.values if settings else Settings()).idle_lock_minutes
        self.idle_lock = IdleLock(idle_timeout_ms or minutes_to_ms(minutes), self)
        self.idle_lock.idle.connect(self.lock_when_idle)  # it watches input only once started
        # From the moment a lock begins until the next unlock, only the unlock dialog (and
        # what it opens) may show.
        self.lock_guard = LockGuard(self._may_show_while_locked, self)
        self.session: Session | None = None
        self.form_set: FormSet | None = None
        self._forms_file: str | None = None  # the licensed form file form_set was read with
        self.forms_problem = ""
        self.dialog: QDialog | None = None
        self.audit_warning: QMessageBox | None = None
        self.unlock_notice_box: QMessageBox | None = None
        self._audit_checks = Latest()
        self.main_window: MainWindow | None = None
        # Where the person was when the profile locked (ids and a nav key, no case text):
        # unlocking returns there.
        self.return_to: Place | None = None
        self._service: ProfileService | None = None
        self._service_lock = threading.Lock()
        self._quitting = False
        self.finished = False

    # -- the profile service, built on the worker thread --------------------------------------
    def profile(self) -> ProfileService:
        with self._service_lock:
            if self._service is None:
                from aim3desk.services.profile import ProfileService

                self._service = ProfileService(
                    self.profile_dir,
                    settings=self.settings or load_settings(self.profile_dir),
                    kdf=self.kdf,
                )
            return self._service

    def _preload(self) -> None:
        """Import the heavy modules and read the forms on the worker while the person types
        their passphrase (the forms need only the settings, not the unlocked profile)."""
        if self._quitting:
            return
        prepare_profile(self.runner, self.profile).run()
        if self.settings is not None and self.form_set is None:
            licensed = self.settings.values.licensed_form_file
            read_forms(self.runner, licensed).on_done(
                lambda result: self._forms_read(result, licensed)
            ).run()

    def _forms_read(self, result: tuple[FormSet, str], licensed_file: str) -> None:
        if self.form_set is None:
            self.form_set, self.forms_problem = result
            self._forms_file = licensed_file

    def _build_main_window_soon(self) -> None:
        """While the worker derives the key (Argon2id lets go of the interpreter), build the
        main window, hidden: the case list then follows the key without waiting for it."""
        QTimer.singleShot(0, self._build_main_window)

    def _build_main_window(self) -> None:
        if self.main_window is not None or self._quitting:
            return
        from aim3desk.ui.main_window import MainWindow

        self.main_window = MainWindow(self.runner)
        self.main_window.lock_requested.connect(self.lock)
        self.main_window.quit_requested.connect(self.quit)
        self.main_window.settings_changed.connect(self._settings_changed)

    # -- start --------------------------------------------------------------------------------
    def start(self) -> None:
        if profile_probably_exists(self.profile_dir):
            self.show_unlock()
        else:
            self.show_first_run()
        QTimer.singleShot(50, self._read_settings)  # once the first window has painted
        QTimer.singleShot(150, self._preload)

    def _read_settings(self) -> None:
        if self.settings is None:
            self.settings = load_settings(self.profile_dir)
        if self.settings.problems:
            QTimer.singleShot(300, self._show_settings_problems)

    def _show_settings_problems(self) -> None:
        if self._quitting:
            return
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(
            self.dialog,
            "Settings problems",
            "AIM3 Desk found problems in its settings and used safe defaults instead:\n\n"
            + "\n".join(f"- {p}" for p in self.settings.problems),
        )

    def _present(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def show_first_run(self) -> None:
        from aim3desk.ui.first_run import FirstRunDialog

        dialog = FirstRunDialog(self.profile, self.runner, kdf=self.kdf)
        dialog.accepted.connect(lambda: self._unlocked(dialog.session))
        dialog.rejected.connect(self.quit)
        self._present(dialog)

    def show_unlock(self, message: str = "") -> None:
        dialog = UnlockDialog(self.profile, self.runner, message=message)
        dialog.accepted.connect(lambda: self._unlocked(dialog.session))
        dialog.unlocking.connect(self._build_main_window_soon)
        dialog.rejected.connect(self.quit)
        self._present(dialog)

    # -- unlocked -----------------------------------------------------------------------------
    def _unlocked(self, session: Session) -> None:
        self.lock_guard.release()
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        self.session = session
        licensed = session.settings.values.licensed_form_file
        if self.form_set is not None and self._forms_file == licensed:
            self._show_main()
            self._say_forms_problem()
            return
        read_forms(self.runner, licensed).on_done(
            lambda result: self._forms_loaded(result, licensed)
        ).run()

    def _forms_loaded(self, result: tuple[FormSet, str], licensed_file: str) -> None:
        self.form_set, self.forms_problem = result
        self._forms_file = licensed_file
        if self.session is not None:
            self._show_main()
        self._say_forms_problem()

    def _say_forms_problem(self) -> None:
        """A licensed form file that could not be used, said once (the forms are kept)."""
        if self.forms_problem:
            from PySide6.QtWidgets import QMessageBox

            problem, self.forms_problem = self.forms_problem, ""
            QMessageBox.warning(self.main_window, "Form file problem", problem)

    def _show_main(self) -> None:
        self._build_main_window()
        assert self.main_window is not None
        watch_clipboard()  # from here on, whatever our windows copy is cleared on lock
        self.main_window.attach(self.session, self.form_set)
        state = self.main_window.windowState()
        if state & Qt.WindowState.WindowMinimized:  # locked while minimised: come back in view
            self.main_window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
        if self.return_to is not None:
            place, self.return_to = self.return_to, None
            self.main_window.open_place(place)
        # Behind the case list on the worker: a broken trail is said, never silently passed.
        check_audit_trail(self.runner, self.session).latest(self._audit_checks).on_done(
            self._audit_checked
        ).run()
        self.main_window.show()
        self.main_window.raise_()
        self.main_window.activateWindow()
        self._show_unlock_notices()
        if self._idle_override is None:
            minutes = self.session.settings.values.idle_lock_minutes
            self.idle_lock.set_timeout_ms(minutes_to_ms(minutes))
        self.idle_lock.start()

    def _show_unlock_notices(self) -> None:
        """What the profile has to tell its owner as it opens (ProfileService), once."""
        if self.session is None or not self.session.unlock_notices:
            return
        text = "\n\n".join(self.session.unlock_notices)
        self.session.unlock_notices.clear()
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "While this profile was locked",
            text,
            QMessageBox.StandardButton.Ok,
            self.main_window,
        )
        box.setObjectName("unlock_notices")
        self.unlock_notice_box = box
        box.open()

    def _audit_checked(self, found: AuditCheck) -> None:
        if found.ok or self.main_window is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Audit trail damaged",
            f"{found.message} The record of who did what in this profile is no longer whole. "
            "Your cases are still here and you can go on working; tell your IT support or data "
            "protection officer today, and keep this laptop as it is.",
            QMessageBox.StandardButton.Ok,
            self.main_window,
        )
        self.audit_warning = box
        box.open()  # window-modal, not a nested event loop: the worker carries on

    def _settings_changed(self, effective: EffectiveSettings) -> None:
        self.settings = effective
        if self._idle_override is None:
            self.idle_lock.set_timeout_ms(minutes_to_ms(effective.values.idle_lock_minutes))

    # -- locking ------------------------------------------------------------------------------
    def lock_when_idle(self) -> None:
        minutes = round(self.idle_lock.timeout_ms / 60_000) or 1
        self.lock(idle_message(minutes))

    def lock(self, message: str = LOCKED_BY_USER) -> None:
        """Hide every window, save, close the session, clear every widget holding case data,
        then ask for the passphrase again. Whatever was open (a modal dialog's nested loop,
        a report being laid out, a minimised window) the lock goes through."""
        if self.session is None or self._quitting:
            return
        self.idle_lock.stop()
        if self.main_window is not None:
            self.return_to = self.main_window.where()
        self._end_session()
        self.show_unlock(message if isinstance(message, str) else LOCKED_BY_USER)

    def _may_show_while_locked(self, window: QWidget) -> bool:
        """The unlock dialog and the windows it opens (its messages, tooltips, popups)."""
        widget: QWidget | None = window
        while widget is not None:
            if widget is self.dialog:
                return True
            widget = widget.parentWidget()
        return False

    def _end_session(self) -> None:
        self.runner.new_era()  # a late error of this session's work: no box over the lock
        self.lock_guard.engage()  # what a late result opens is closed at once
        self._audit_checks.drop()
        self.runner.cancel_jobs()  # a report being laid out stops and writes nothing
        close_popups()
        close_dialogs(keep=lambda window: window is self.dialog)
        if self.main_window is not None:
            self.main_window.hide()  # nothing shows while the saves land
            self.main_window.flush_saves()
        self.runner.wait_for_idle()  # the saves reach the store before it closes
        session, self.session = self.session, None
        if self.main_window is not None:
            self.main_window.detach()
        clear_if_ours()
        if session is not None:
            lock(self.runner, session).run()

    # -- quitting -----------------------------------------------------------------------------
    def quit(self) -> None:
        if self._quitting:
            return
        self._quitting = True
        self.idle_lock.stop()
        if self.session is not None:
            self._end_session()
        self.runner.shutdown()  # waits for every pending save and the session close
        clear_if_ours()
        for widget in (self.main_window, self.dialog):
            if isinstance(widget, QWidget):
                widget.hide()
        self.lock_guard.release()  # nothing of this session is left to keep off the screen
        self.finished = True
        self.quit_finished.emit()
