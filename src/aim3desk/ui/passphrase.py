"""Passphrase entry used by first run, recovery and change of passphrase: two fields, a
strength meter and zxcvbn's own advice. A passphrase is acceptable when
services/passphrase_strength.py says so and both entries match."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from aim3desk.services.passphrase_strength import MIN_SCORE, assess

_SCORE_WORDS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")
_SCORE_COLOURS = ("#b00020", "#c2410c", "#a16207", "#15803d", "#166534")


def passphrase_field(accessible_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(accessible_name)
    # Password echo mode also tells input methods the text is hidden and sensitive, with no
    # prediction or history (Qt sets those hints itself; tests/test_gui_flow.py checks).
    return field


class NewPassphraseWidget(QWidget):
    """New passphrase twice, with a strength meter, zxcvbn feedback and a match message."""

    changed = Signal()

    def __init__(
        self,
        first_label: str = "New passphrase:",
        user_inputs: Callable[[], list[str]] | None = None,
        parent: QWidget | None = None,
        empty_hint: str = (
            "Use four or more unrelated words. You will type it every time you open AIM3 Desk."
        ),
    ) -> None:
        super().__init__(parent)
        self._user_inputs = user_inputs or (lambda: [])
        self._empty_hint = empty_hint
        self._score = 0
        self.first = passphrase_field("New passphrase")
        self.second = passphrase_field("New passphrase again")
        self.meter = QProgressBar()
        self.meter.setRange(0, 5)  # 0 = nothing typed, 1-5 = zxcvbn score 0-4
        self.meter.setTextVisible(False)  # the words sit beside it, readable on any colour
        self.meter.setFixedHeight(10)
        self.meter.setAccessibleName("Passphrase strength")
        self.meter.setValue(0)
        self.strength_words = QLabel("None yet")
        self.strength_words.setAccessibleName("Passphrase strength in words")
        self.strength_words.setMinimumWidth(150)
        meter_row = QHBoxLayout()
        meter_row.addWidget(self.meter, 1)
        meter_row.addWidget(self.strength_words)
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setAccessibleName("Passphrase advice")
        self.match = QLabel()
        self.match.setAccessibleName("Do the passphrases match")

        self.form = QFormLayout()
        self.form.addRow(first_label, self.first)
        self.form.addRow("Strength:", meter_row)
        self.form.addRow("", self.feedback)
        self.form.addRow("Type it again:", self.second)
        self.form.addRow("", self.match)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        self.setTabOrder(self.first, self.second)

        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        text = self.first.text()
        if text:
            strength = assess(text, self._user_inputs())
            self._score, advice = strength.score, strength.advice
            self.meter.setValue(self._score + 1)
            self.strength_words.setText(f"{_SCORE_WORDS[self._score]} ({self._score} of 4)")
            self.meter.setStyleSheet(
                f"QProgressBar::chunk {{ background: {_SCORE_COLOURS[self._score]}; }}"
            )
            if self._score < MIN_SCORE:
                advice = (advice + " " if advice else "") + (
                    "Use a longer passphrase: four or more unrelated words work well."
                )
            self.feedback.setText(advice or "Good passphrase.")
        else:
            self._score = 0
            self.meter.setValue(0)
            self.strength_words.setText("None yet")
            self.feedback.setText(self._empty_hint)
        if not self.second.text():
            self.match.setText("")
        elif self.second.text() == text:
            self.match.setText("The passphrases match.")
        else:
            self.match.setText("The passphrases do not match yet.")
        self.changed.emit()

    def add_leading_row(self, label: str, widget: QWidget) -> None:
        """A field above the passphrase that shares its label column (name, current one)."""
        self.form.insertRow(0, label, widget)
        self.setTabOrder(widget, self.first)

    @property
    def score(self) -> int:
        return self._score

    def is_acceptable(self) -> bool:
        text = self.first.text()
        return bool(text) and self._score >= MIN_SCORE and text == self.second.text()

    def passphrase(self) -> str:
        return self.first.text()

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()
