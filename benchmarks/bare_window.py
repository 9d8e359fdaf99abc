"""Baseline for start-up: a bare PySide6 window with a label and a line edit. Prints the
wall-clock time of its first paint (benchmarks/paint_probe.py, the same hook as AIM3 Desk's)."""

import sys

from PySide6.QtWidgets import QApplication

from benchmarks.paint_probe import watch_first_paint

app = QApplication(sys.argv)
probe = watch_first_paint(app)

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget  # noqa: E402

window = QWidget()
layout = QVBoxLayout(window)
layout.addWidget(QLabel("Passphrase"))
layout.addWidget(QLineEdit())
window.show()
sys.exit(app.exec())
