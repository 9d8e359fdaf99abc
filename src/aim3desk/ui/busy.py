"""A busy indicator for long work (KDF calibration, unlock): a moving bar and a sentence."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget


class BusyIndicator(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # indeterminate: it moves while the worker thread works
        self.bar.setMaximumWidth(120)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Working")
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the dialog does not jump when it appears
        self.setSizePolicy(policy)
        self.hide()

    def start(self, message: str) -> None:
        self.label.setText(message)
        self.show()

    def stop(self) -> None:
        self.hide()
        self.label.clear()
