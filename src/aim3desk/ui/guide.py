"""Help > Guide (F1): the workflow, the keyboard shortcuts and where data lives.

The prose is data (guide.html beside this module); the shortcut table is generated from the
main window's own actions and the assessment workspace's keys (assessment/shortcuts.py), so it
never drifts from what the keys do. The folders are this profile's own.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from string import Template

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from aim3desk.ui.assessment.shortcuts import WORKSPACE_KEYS

GUIDE_FILE = "guide.html"


def action_shortcuts(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(what, keys) of every action with a shortcut, in the order given, each once."""
    rows: list[tuple[str, str]] = []
    for action in actions:
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        what = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        what = what.removesuffix("...").removesuffix("…").strip()
        if not keys or not what:
            continue
        row = (what, ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys))
        if row not in rows:
            rows.append(row)
    return rows


def workspace_shortcuts() -> list[tuple[str, str]]:
    return [
        (
            key.what,
            ", ".join(
                QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in key.keys
            ),
        )
        for key in WORKSPACE_KEYS
    ]


def _table(title: str, rows: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><td style='padding-right:24px'>{html.escape(what)}</td>"
        f"<td><b>{html.escape(keys)}</b></td></tr>"
        for what, keys in rows
    )
    return f"<p><i>{html.escape(title)}</i></p><table cellspacing='2'>{body}</table>"


def guide_html(
    actions: Iterable[QAction], profile_folder: Path, backups_folder: Path, shared_folder: str
) -> str:
    template = Template(resources.files(__package__).joinpath(GUIDE_FILE).read_text("utf-8"))
    shared = (
        f"<code>{html.escape(shared_folder)}</code>."
        if shared_folder
        else "none is set (Profile &gt; Preferences &gt; Shared folder)."
    )
    shortcuts = _table("Anywhere in the app", action_shortcuts(actions)) + _table(
        "In an open assessment", workspace_shortcuts()
    )
    return template.substitute(
        shortcuts=shortcuts,
        profile_folder=html.escape(str(profile_folder)),
        backups_folder=html.escape(str(backups_folder)),
        shared_folder=shared,
    )


class GuideDialog(QDialog):
    """The guide in a readable, scrollable window with a Close button (not modal)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("AIM3 Desk guide")
        self.setObjectName("guideDialog")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Guide")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(820, 640)
