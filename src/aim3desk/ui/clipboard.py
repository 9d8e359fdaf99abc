"""Copying sensitive text: remember a digest of what we put on the clipboard so locking can
clear it (security.md: no plaintext on the clipboard after lock) without touching anything the
user copied from another program.

What lands on the clipboard while one of our windows is active is ours: Ctrl+C or the context
menu's Copy in any editor, table or label. Qt copies those in C++, so overriding copy() in
Python widgets would miss them; watching the clipboard itself does not."""

from __future__ import annotations

from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication

_our_digests: set[str] = set()
_watching = False


def _digest(text: str) -> str:
    import hashlib  # lazily: start-up time

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def copy_sensitive(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    _our_digests.add(_digest(text))


def _remember(mode: QClipboard.Mode) -> None:
    if QApplication.activeWindow() is None:
        return  # another program has the focus: what it copied is not ours
    text = QGuiApplication.clipboard().text(mode)
    if text:
        _our_digests.add(_digest(text))


def watch_clipboard() -> None:
    """Start remembering what our windows put on the clipboard (once per process)."""
    global _watching
    if _watching:
        return
    clipboard = QGuiApplication.clipboard()
    clipboard.dataChanged.connect(lambda: _remember(QClipboard.Mode.Clipboard))
    if clipboard.supportsSelection():
        clipboard.selectionChanged.connect(lambda: _remember(QClipboard.Mode.Selection))
    _watching = True


def clipboard_holds_ours() -> bool:
    clipboard = QGuiApplication.clipboard()
    modes = [QClipboard.Mode.Clipboard]
    if clipboard.supportsSelection():
        modes.append(QClipboard.Mode.Selection)
    return any(_digest(clipboard.text(mode)) in _our_digests for mode in modes)


def clear_if_ours() -> None:
    """Empty the clipboard (and the X11 selection) when it holds text this app put there."""
    clipboard = QGuiApplication.clipboard()
    modes = [QClipboard.Mode.Clipboard]
    if clipboard.supportsSelection():
        modes.append(QClipboard.Mode.Selection)
    for mode in modes:
        text = clipboard.text(mode)
        owned = (
            clipboard.ownsClipboard()
            if mode == QClipboard.Mode.Clipboard
            else clipboard.ownsSelection()
        )
        # ownsClipboard covers Ctrl+C from any of our editors where the platform reports it.
        if text and (owned or _digest(text) in _our_digests):
            clipboard.clear(mode)
    _our_digests.clear()
