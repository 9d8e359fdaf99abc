"""The fingerprint as people compare it, and the dialog in which they do.

A fingerprint is shown large, in a monospace font, in its five numbered groups, so two
people can read it to each other group by group. A contact is confirmed only from the check
dialog, after the person says the groups match what their colleague sees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.ui.assessment.page_kit import explanation, fmt_date, heading
from aim3desk.ui.exchange_kit import WARNING_COLOUR, MessageLabel, error_sentence
from aim3desk.ui.operations.identity import confirm_contact

if TYPE_CHECKING:
    from aim3desk.domain.identity import Contact, PublicIdentity
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


def monospace_font(scale: float = 1.0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10.0) * scale)
    return font


def spoken(fingerprint: str) -> str:
    """The fingerprint as a screen reader should say it: character by character, a pause
    between groups."""
    return ", ".join(" ".join(group) for group in fingerprint.split("-"))


class FingerprintView(QWidget):
    """Five boxed groups of four characters, numbered 1 to 5 underneath."""

    def __init__(self, scale: float = 2.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups: list[QLabel] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(max(6, int(6 * scale)))
        grid.setVerticalSpacing(2)
        for column in range(5):
            group = QLabel("····")
            group.setFont(monospace_font(scale))
            group.setAlignment(Qt.AlignmentFlag.AlignCenter)
            group.setFrameShape(QFrame.Shape.StyledPanel)
            group.setContentsMargins(8, 2, 8, 2)
            group.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            number = QLabel(str(column + 1))
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            number.setEnabled(False)  # drawn in the muted colour: a guide, not content
            grid.addWidget(group, 0, column)
            grid.addWidget(number, 1, column)
            self._groups.append(group)
        grid.setColumnStretch(5, 1)
        self.fingerprint = ""

    def set_fingerprint(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        for label, group in zip(self._groups, fingerprint.split("-"), strict=True):
            label.setText(group)
        self.setAccessibleName(f"Fingerprint {spoken(fingerprint)}")
        self.setToolTip(fingerprint)

    def text(self) -> str:
        return "-".join(label.text() for label in self._groups)


class FingerprintCheckDialog(QDialog):
    """Compare a contact's fingerprint with them. "They match – confirm" confirms the card
    (emits `confirmed(contact)` and accepts); "They do not match" says what to do instead."""

    confirmed = Signal(object)  # Contact

    def __init__(
        self,
        contact: Contact,
        me: PublicIdentity,
        session: Session,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.contact = contact
        self._session = session
        self._runner = runner
        person = contact.identity
        name = person.name
        self.setWindowTitle(f"Check {name}'s fingerprint")
        self.setAccessibleName("Check a contact's fingerprint")
        self.setMinimumWidth(640)

        who = heading(f"{name}, {person.role.label.lower()}", level=1)
        self.instruction = explanation(
            f"Read this fingerprint aloud with {name}, one group at a time: in person or on "
            "the phone, not by email or message (whoever could change the card on its way "
            f"could change an email too). {name} finds theirs in AIM3 Desk under Profile > "
            "Contacts..., Your card."
        )
        self.their_fingerprint = FingerprintView(scale=2.2)
        self.their_fingerprint.set_fingerprint(contact.fingerprint)
        yours_label = explanation("Your own fingerprint, for them to check in the same way:")
        self.your_fingerprint = FingerprintView(scale=1.3)
        self.your_fingerprint.set_fingerprint(me.fingerprint)

        self.outcome = explanation("")
        self.outcome.setObjectName("fingerprintOutcome")
        for label in (who, self.instruction, self.outcome):
            label.setTextFormat(Qt.TextFormat.PlainText)  # names are shown as typed
        self.outcome.hide()
        self.error_label = MessageLabel("errorLabel")

        self.match_button = QPushButton("They match – confirm")
        self.match_button.setAccessibleName("They match: confirm this contact")
        self.mismatch_button = QPushButton("They do not match")
        self.close_button = QPushButton("Cancel")
        for button in (self.match_button, self.mismatch_button, self.close_button):
            button.setAutoDefault(False)  # Enter must never confirm by accident
        buttons = QHBoxLayout()
        buttons.addWidget(self.mismatch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.match_button)

        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(self.instruction)
        layout.addSpacing(6)
        layout.addWidget(self.their_fingerprint)
        layout.addSpacing(12)
        layout.addWidget(yours_label)
        layout.addWidget(self.your_fingerprint)
        layout.addSpacing(6)
        layout.addWidget(self.outcome)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.match_button.clicked.connect(self.they_match)
        self.mismatch_button.clicked.connect(self.they_do_not_match)
        self.close_button.clicked.connect(self.reject)
        if contact.confirmed:
            self._show_outcome(
                f"You confirmed this card on {fmt_date(contact.confirmed_at.date())}. "
                "If it no longer matches what they see, do not send them anything and ask "
                "your IT support.",
                warning=False,
            )
        self.mismatch_button.setFocus()

    def _show_outcome(self, text: str, warning: bool) -> None:
        colour = f"color: {WARNING_COLOUR}; font-weight: bold;" if warning else ""
        self.outcome.setStyleSheet(f"QLabel {{ {colour} }}")
        self.outcome.setText(text)
        self.outcome.setAccessibleName(text)
        self.outcome.show()
        self.match_button.hide()
        self.mismatch_button.hide()
        self.close_button.setText("Close")
        self.close_button.setFocus()

    def they_do_not_match(self) -> None:
        name = self.contact.identity.name
        self._show_outcome(
            f"Do not confirm this card. It may have been altered on its way to you, or it "
            f"may not be {name}'s. Ask {name} to send their card again, by another route if "
            "you can, add it, and check the fingerprint again.",
            warning=True,
        )

    def they_match(self) -> None:
        self.error_label.setText("")
        self.match_button.setEnabled(False)
        self.mismatch_button.setEnabled(False)
        confirm_contact(self._runner, self._session, self.contact.fingerprint).on_done(
            self._confirmed
        ).on_error(self._failed).run()

    def _confirmed(self, contact: Contact) -> None:
        self.contact = contact
        self.confirmed.emit(contact)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.match_button.setEnabled(True)
        self.mismatch_button.setEnabled(True)
        self.error_label.setText(error_sentence(exc, "confirming the contact"))
