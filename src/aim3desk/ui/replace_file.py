"""Asking before a file the person chose is replaced: once, at the moment of writing,
whichever way the path came (typed into a field, chosen in a save dialog, or given a
suffix after the dialog closed). The save dialogs are told not to ask themselves
(SAVE_DIALOG_OPTIONS), so the question is never asked twice, nor skipped for a name the
dialog never saw. The services refuse an existing file unless told the person agreed
(output_path.py), so a writer that forgot to ask replaces nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from aim3desk.output_path import OutputRefused, check_output_file

SAVE_DIALOG_OPTIONS = QFileDialog.Option.DontConfirmOverwrite
REPLACE_TITLE = "Replace the file?"


def agree_to_replace(parent: QWidget, path: Path, profile_dir: Path) -> bool | None:
    """False when nothing is at `path` (nothing to replace); True when an ordinary file is
    there and the person chose to replace it; None when they chose to keep it (write
    nothing). A path the rule refuses anyway (in the profile folder, a device, a folder) is
    not asked about: the writer refuses it in its own words."""
    try:
        check_output_file(path, profile_dir, replace=True)
    except OutputRefused:
        return False
    if not os.path.isfile(path):
        return False
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        REPLACE_TITLE,
        f"{path} already exists.\n\nReplace it? What it holds now will be lost.",
        parent=parent,
    )
    replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep the file", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)  # Enter keeps what is there
    box.setEscapeButton(keep)
    box.setAccessibleName(REPLACE_TITLE)
    box.exec()
    return True if box.clickedButton() is replace else None
