"""Showing and printing the recovery key: large monospace groups, a few per line."""

from __future__ import annotations

import html
import re
from datetime import date

from PySide6.QtGui import QFont, QFontDatabase, QTextDocument
from PySide6.QtWidgets import QWidget

GROUPS_PER_LINE = 3  # a 36-symbol key in groups of 4 makes three even lines


def key_lines(key: str) -> list[str]:
    """Split the key into lines of GROUPS_PER_LINE groups, keeping its own separator."""
    key = key.strip()
    separator = " " if re.search(r"\s", key) else "-"
    groups = [g for g in re.split(r"[\s]+" if separator == " " else "-", key) if g]
    if len(groups) <= 1:  # no separators: make groups of four characters
        groups = [key[i : i + 4] for i in range(0, len(key), 4)]
        separator = " "
    joiner = "   " if separator == " " else " - "
    return [
        joiner.join(groups[i : i + GROUPS_PER_LINE]) for i in range(0, len(groups), GROUPS_PER_LINE)
    ]


def key_font(point_size: int = 18) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(point_size)
    font.setBold(True)
    return font


def print_recovery_key(key: str, parent: QWidget | None) -> None:
    """Print through the system dialog (the user may pick a printer or a PDF file)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # only when asked to print

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print recovery key")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return
    lines = "<br>".join(html.escape(line) for line in key_lines(key))
    document = QTextDocument()
    document.setHtml(
        "<h2>AIM3 Desk recovery key</h2>"
        f"<p>Printed {date.today():%d %B %Y}. Keep this sheet somewhere safe and private, "
        "away from the computer. With it, anyone can open your AIM3 Desk profile and set a "
        "new passphrase.</p>"
        f"<p style='font-family: monospace; font-size: 20pt; font-weight: bold'>{lines}</p>"
    )
    document.print_(printer)
