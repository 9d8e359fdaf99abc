"""Baseline for start-up: a bare PySide6 window with a label and a line edit, shown and closed."""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

app = QApplication(sys.argv)
window = QWidget()
layout = QVBoxLayout(window)
layout.addWidget(QLabel("Passphrase"))
layout.addWidget(QLineEdit())
window.show()
print(f"shown {time.time():.6f}", flush=True)
QTimer.singleShot(0, app.quit)  # first turn of the event loop after the window is shown
sys.exit(app.exec())
