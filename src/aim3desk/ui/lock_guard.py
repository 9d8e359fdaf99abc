"""What locking does to the windows, whatever was open: every dialog is closed (a modal one's
nested event loop returns) and emptied of the text it showed, popups and tooltips go, and
until the profile is unlocked again no other window may show over the unlock dialog (a late
result or error of work begun before the lock would otherwise open one)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QWidget,
)

LOCKED_TITLE = "AIM3 Desk"


def close_popups() -> None:
    """Menus, completer lists and tooltips open over any window."""
    QToolTip.hideText()
    for _ in range(32):  # popups stack; each close reveals the one below (never endless)
        popup = QApplication.activePopupWidget()
        if popup is None:
            break
        popup.close()


def clear_texts(window: QWidget) -> None:
    """Empty every text a closed window holds, its title too. Signals are blocked meanwhile:
    an editor bound to autosave must not save the emptied text (its edits were flushed or
    belonged to a dialog the lock cancelled)."""
    window.setWindowTitle(LOCKED_TITLE)
    for widget in [window, *window.findChildren(QWidget)]:
        blocked = widget.blockSignals(True)
        try:
            if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QLabel):
                widget.clear()
            elif isinstance(widget, QComboBox) and widget.isEditable():
                widget.clearEditText()
        finally:
            widget.blockSignals(blocked)


def close_dialogs(keep: Callable[[QWidget], bool]) -> None:
    """Close every dialog but those `keep` names, and empty them all. done(), not reject():
    a dialog at work refuses reject() and some ask a question first; done() is how a lock
    closes them (a late result finds them gone). Deepest first: an inner modal loop ends
    before the dialog under it."""
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and not keep(w)]
    for dialog in reversed(dialogs):
        if dialog.isVisible():
            dialog.done(QDialog.DialogCode.Rejected)
    for dialog in dialogs:
        clear_texts(dialog)


class LockGuard(QObject):
    """While engaged, any top-level window that shows and is not allowed is closed at once
    (on the next turn of the event loop: never inside its own show)."""

    def __init__(self, allowed: Callable[[QWidget], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._allowed = allowed
        self._engaged = False

    @property
    def engaged(self) -> bool:
        return self._engaged

    def engage(self) -> None:
        app = QCoreApplication.instance()
        if not self._engaged and app is not None:
            app.installEventFilter(self)
        self._engaged = True

    def release(self) -> None:
        app = QCoreApplication.instance()
        if self._engaged and app is not None:
            app.removeEventFilter(self)
        self._engaged = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            self._engaged
            and event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and not self._allowed(watched)
        ):
            QTimer.singleShot(0, watched, lambda: self._send_away(watched))
        return False

    def _send_away(self, window: QWidget) -> None:
        if not self._engaged or self._allowed(window) or not window.isVisible():
            return
        if isinstance(window, QDialog):
            window.done(QDialog.DialogCode.Rejected)
        else:
            window.hide()
        clear_texts(window)  # hidden is not gone: what it was opened to show goes too
