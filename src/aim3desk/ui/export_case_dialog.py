"""Case > Export case...: the whole case in one file, protected by a passphrase (the default:
an age file the recipient opens with AIM3 Desk or the standard age tool) or, chosen
explicitly, as plain JSON with the warning shown. Written on the store worker and audited."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.services.exchange import NOT_ENCRYPTED_WARNING, export_file_name
from aim3desk.services.passphrase_strength import MIN_SCORE, assess
from aim3desk.ui.assessment.page_kit import explanation
from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.exchange_kit import (
    DIALOG_TEXT_WIDTH,
    WARNING_COLOUR,
    MessageLabel,
    PathField,
    PathMode,
    documents_folder,
    error_sentence,
)
from aim3desk.ui.operations.bundles import export_case
from aim3desk.ui.passphrase import NewPassphraseWidget
from aim3desk.ui.replace_file import agree_to_replace

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


class ExportCaseDialog(QDialog):
    """Accepted once the file is written; `written` is its path."""

    def __init__(
        self, session: Session, case: Case, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.case = case
        self._runner = runner
        self._working = False
        self.written: Path | None = None
        self.setWindowTitle(f"Export case {case.reference}")
        self.setAccessibleName("Export case")

        intro = explanation(
            f"The whole of case {case.reference} in one file: every assessment version and "
            "record, for a subject access request or to move the case where a bundle "
            "cannot go. To give the case to a colleague, Hand over case... is safer."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setMinimumWidth(DIALOG_TEXT_WIDTH)  # the dialog's width (it fits its content)
        self.protected_radio = QRadioButton("&Protected by a passphrase (recommended)")
        self.plain_radio = QRadioButton("&Not encrypted (JSON)")
        self.protected_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.protected_radio)
        group.addButton(self.plain_radio)

        self.passphrase_box = QWidget()
        # The same entry, meter and rule as a profile's own passphrase: the file travels.
        self.new_passphrase = NewPassphraseWidget(
            "Pa&ssphrase:",
            user_inputs=lambda: [session.practitioner],
            empty_hint="Use four or more unrelated words; the person who imports the file "
            "needs the same passphrase.",
        )
        self.new_passphrase.first.setAccessibleName("Passphrase for the file")
        self.new_passphrase.second.setAccessibleName("Passphrase for the file again")
        passphrase_layout = QVBoxLayout(self.passphrase_box)
        passphrase_layout.setContentsMargins(24, 0, 0, 0)
        passphrase_layout.addWidget(self.new_passphrase)
        passphrase_layout.addWidget(
            explanation(
                "Tell the recipient the passphrase separately: by phone or in person, never "
                "in the email that carries the file."
            )
        )
        self.warning = explanation(NOT_ENCRYPTED_WARNING)
        self.warning.setStyleSheet(f"QLabel {{ color: {WARNING_COLOUR}; font-weight: bold; }}")
        self.warning.setContentsMargins(24, 0, 0, 0)

        self.path = PathField(
            PathMode.SAVE_FILE,
            "File to write",
            "Export the case as",
            "Protected case files (*.age);;JSON files (*.json);;All files (*)",
        )
        self.path.set_path(documents_folder() / export_file_name(case, protected=True))
        path_form = QFormLayout()
        path_form.addRow("Save &as:", self.path)

        self.busy = BusyIndicator()
        self.error_label = MessageLabel("errorLabel")
        self.cancel_button = QPushButton("Cancel")
        self.export_button = QPushButton("&Export")
        self.export_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        # As tall as the content at every step (wrapped text, hidden parts), never a gap.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.addWidget(intro)
        layout.addWidget(self.protected_radio)
        layout.addWidget(self.passphrase_box)
        layout.addWidget(self.plain_radio)
        layout.addWidget(self.warning)
        layout.addLayout(path_form)
        layout.addWidget(self.busy)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.protected_radio.toggled.connect(self._protection_changed)
        self.cancel_button.clicked.connect(self.reject)
        self.export_button.clicked.connect(self.export)
        self._protection_changed()
        self.new_passphrase.first.setFocus()

    @property
    def protected(self) -> bool:
        return self.protected_radio.isChecked()

    def _protection_changed(self) -> None:
        protected = self.protected
        self.passphrase_box.setVisible(protected)
        self.warning.setVisible(not protected)
        path = self.path.path()
        if path is not None and path.name == export_file_name(self.case, not protected):
            self.path.set_path(path.with_name(export_file_name(self.case, protected)))
        self.error_label.setText("")

    def _problem(self) -> str:
        if self.protected:
            entry = self.new_passphrase
            if not entry.passphrase().strip():
                return "Type a passphrase to protect the file."
            if not entry.is_acceptable() and entry.score < MIN_SCORE:
                return assess(entry.passphrase(), [self._session.practitioner]).refusal()
            if entry.passphrase() != entry.second.text():
                return "The two passphrases are not the same; type them again."
        return self.path.problem()

    def export(self) -> None:
        problem = self._problem()
        self.error_label.setText(problem)
        path = self.path.path()
        if problem or path is None:
            return
        replace = agree_to_replace(self, path, self._session.profile_dir)
        if replace is None:
            self.error_label.setText(f"Nothing was written: {path} was kept as it was.")
            return
        passphrase = self.new_passphrase.passphrase() if self.protected else None
        self._set_working(True)
        export_case(self._runner, self._session, self.case.id, path, passphrase, replace).on_done(
            self._exported
        ).on_error(self._failed).run()

    def _set_working(self, working: bool) -> None:
        self._working = working
        for widget in (
            self.protected_radio,
            self.plain_radio,
            self.passphrase_box,
            self.path,
            self.export_button,
            self.cancel_button,
        ):
            widget.setEnabled(not working)
        if working:
            self.busy.start("Exporting the case...")
        else:
            self.busy.stop()

    def _exported(self, path: Path) -> None:
        self._set_working(False)
        self.written = path
        self.new_passphrase.clear()  # the passphrase is not kept a moment longer than needed
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self.error_label):
            return
        self._set_working(False)
        self.error_label.setText(error_sentence(exc, "exporting the case"))

    def reject(self) -> None:
        if self._working:
            return
        self.new_passphrase.clear()
        super().reject()
