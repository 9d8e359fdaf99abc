"""Copying sensitive text: remember a digest of what we put on the clipboard so locking can
clear it (security.md: no plaintext on the clipboard after lock) without touching anything the
user copied from another program."""

from __future__ import annotations

from PySide6.QtGui import QClipboard, QGuiApplication

_our_digests: set[str] = set()


def _digest(text: str) -> str:
    import hashlib  # lazily: start-up time

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def copy_sensitive(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    _our_digests.add(_digest(text))


def remember_copied(text: str) -> None:
    """Note text that a widget copied itself (Ctrl+C in an editor showing case data)."""
    if text:
        _our_digests.add(_digest(text))


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
