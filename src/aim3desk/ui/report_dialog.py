"""Case > Report...: choose the report; for a share report first see what will be included
and left out, then say to whom, why and on what lawful basis (or record a decision not to
share); choose the file; build it in the background with progress and Cancel; open it.

Every step is a named operation (ui/operations/reports.py). Reading the case and recording the
report run on the store worker; laying out the PDF is a Job beside it: it touches no store, so
a long report never holds up autosave, and Cancel stops it with nothing written.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.domain.cases import Case, ValidationError
from aim3desk.domain.gates import Gate, GateClosed
from aim3desk.domain.share_checks import draft_share_warning, share_answer_problems
from aim3desk.domain.sign_off import sign_off
from aim3desk.services.errors import StoreBusy
from aim3desk.services.reports import (
    ReportCancelled,
    ReportKind,
    ReportRequest,
    ShareAnswers,
    default_filename,
)
from aim3desk.ui.gate_reason import GateReasonBox
from aim3desk.ui.operations import reports as ops
from aim3desk.ui.operations.base import Job, Latest
from aim3desk.ui.operations.gates import GateFacts, read_gate_facts
from aim3desk.ui.share_preview import confirm_draft_share, preview_html
from aim3desk.ui.tasks import TaskRunner, describe_unexpected, report_to_stderr
from aim3desk.ui.text_limit import LimitedPlainTextEdit, limit_line

if TYPE_CHECKING:
    from aim3desk.services.reports import ProducedReport
    from aim3desk.services.session import Session
    from aim3desk.services.sharing import SharePreview


SUPERVISION_RECORD_NOTE = (
    "For you and your supervisor only, never for another agency: every supervision session "
    "with its notes, agreed actions and key questions. Well-being responses appear only for "
    "the sessions where you ticked \u201cInclude this record for the supervisor\u201d."
)


class ReportDialog(QDialog):
    report_written = Signal(object)  # Path
    decision_recorded = Signal(object)  # SharingDecision

    def __init__(
        self, session: Session, case: Case, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._case = case
        self._runner = runner
        self._previews = Latest()
        self._sign_off_reads = Latest()
        self._build: Job[bytes] | None = None
        self._output: Path | None = None
        self.open_when_done = True
        self.draft_box: QMessageBox | None = None  # the question before a DRAFT is shared
        self.setWindowTitle(f"Report: case {case.reference}")
        self.setMinimumWidth(620)

        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Report")
        for kind in ReportKind:
            self.kind_combo.addItem(kind.label, kind.value)

        self.preview = QTextBrowser()
        self.preview.setAccessibleName("What the share report will include and leave out")
        self.preview.setMinimumHeight(170)
        self.recipient_edit = limit_line(QLineEdit(), "recipient")
        self.recipient_edit.setPlaceholderText("Name, role and agency")
        self.recipient_edit.setAccessibleName("Recipient")
        self.reason_edit = LimitedPlainTextEdit("reason")
        self.reason_edit.setPlaceholderText("Why sharing is necessary and proportionate")
        self.reason_edit.setAccessibleName("Reason")
        self.reason_edit.setFixedHeight(70)
        self.basis_combo = QComboBox()
        self.basis_combo.setAccessibleName("Lawful basis")
        self._bases = list(session.sharing.policy.lawful_bases)
        for basis in self._bases:
            self.basis_combo.addItem("Other..." if basis.needs_text else basis.label, basis.id)
            self.basis_combo.setItemData(
                self.basis_combo.count() - 1,
                basis.description,
                3,  # Qt.ToolTipRole
            )
        self.other_basis_edit = limit_line(QLineEdit(), "lawful_basis_text")
        self.other_basis_edit.setPlaceholderText("Write out the lawful basis")
        self.other_basis_edit.setAccessibleName("Other lawful basis")

        self.share_box = QWidget()
        share_form = QFormLayout(self.share_box)
        share_form.setContentsMargins(0, 0, 0, 0)
        share_form.addRow(QLabel("<b>What will be shared</b>"))
        share_form.addRow(self.preview)
        share_form.addRow("Recipient", self.recipient_edit)
        share_form.addRow("Reason", self.reason_edit)
        share_form.addRow("Lawful basis", self.basis_combo)
        share_form.addRow("", self.other_basis_edit)
        self.gate_box = GateReasonBox(Gate.SHARE)  # an unsigned version not passing the check
        self._facts: GateFacts | None = None

        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to write")
        self.choose_button = QPushButton("Choose...")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.error_label = QLabel("")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")

        self.create_button = QPushButton("Create report")
        self.create_button.setDefault(True)
        self.not_shared_button = QPushButton("Record a decision not to share")
        self.cancel_button = QPushButton("Cancel")
        buttons = QHBoxLayout()
        buttons.addWidget(self.not_shared_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)

        form = QFormLayout()
        form.addRow("Report", self.kind_combo)
        self.kind_note = QLabel(SUPERVISION_RECORD_NOTE)  # shown for the supervision record
        self.kind_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.kind_note)
        layout.addWidget(self.share_box)
        layout.addWidget(self.gate_box)
        file_form = QFormLayout()
        file_form.addRow("Save as", path_row)
        layout.addLayout(file_form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.basis_combo.currentIndexChanged.connect(self._basis_changed)
        self.choose_button.clicked.connect(self._choose_file)
        self.create_button.clicked.connect(self._create)
        self.not_shared_button.clicked.connect(self._record_not_shared)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self._path_chosen_by_hand = False
        self.path_edit.textEdited.connect(self._path_edited)
        # Until the reviews are read the version counts as not signed off.
        self._sign_off = sign_off(case.current_assessment, (), ())
        read_gate_facts(runner, session, case).latest(self._sign_off_reads).on_done(
            self._facts_read
        ).run()
        self._kind_changed()
        self._basis_changed()

    # -- state --------------------------------------------------------------------------

    @property
    def kind(self) -> ReportKind:
        return ReportKind(self.kind_combo.currentData())

    def set_kind(self, kind: ReportKind | str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(ReportKind(kind).value))

    def set_output_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        self._path_chosen_by_hand = True

    def _path_edited(self, _text: str) -> None:
        self._path_chosen_by_hand = True

    def _default_folder(self) -> Path:
        found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(found) if found else Path.home()

    def _update_file_name(self) -> None:
        name = default_filename(self._case, self.kind, self._sign_off)
        if not self._path_chosen_by_hand:
            self.path_edit.setText(str(self._default_folder() / name))
        elif self.path_edit.text():
            self.path_edit.setText(str(Path(self.path_edit.text()).parent / name))

    def _facts_read(self, facts: GateFacts) -> None:
        """The name says DRAFT until the reviews show the version signed off; a share report
        of an unsigned version that does not pass the readiness check asks for a reason."""
        if not isValid(self.path_edit):
            return  # the dialog was closed while the reviews were read
        self._sign_off = facts.sign_off
        self._facts = facts
        self._show_gate()
        if not self._path_chosen_by_hand:  # a file the person chose keeps its name
            self._update_file_name()

    def _show_gate(self) -> None:
        """The readiness result and the reason, for a share report only."""
        if self.kind.is_share and self._facts is not None:
            self.gate_box.show_facts(self._facts)
        else:
            self.gate_box.hide_gate()
        self.adjustSize()
        # Wrapped lines need their height at this width (adjustSize does not ask for it).
        needed = self.layout().totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _kind_changed(self) -> None:
        kind = self.kind
        self.share_box.setVisible(kind.is_share)
        self.kind_note.setVisible(kind is ReportKind.SUPERVISION_RECORD)
        self._show_gate()
        self.not_shared_button.setVisible(kind.is_share)
        self.create_button.setText(
            "Create and log share report" if kind.is_share else "Create report"
        )
        self._update_file_name()
        self.error_label.setText("")
        if kind.is_share:
            self.preview.setHtml("<i>Reading what would be shared...</i>")
            audience = kind.value
            ops.read_share_preview(self._runner, self._session, self._case.id, audience).latest(
                self._previews
            ).on_done(lambda preview: self._show_preview(audience, preview)).on_error(
                self._show_error
            ).run()
        self.adjustSize()

    def _show_preview(self, audience: str, preview: SharePreview) -> None:
        if self.kind.value != audience:
            return  # the choice changed while it was read
        self.preview.setHtml(preview_html(preview))

    def _needs_text(self) -> bool:
        index = self.basis_combo.currentIndex()
        return 0 <= index < len(self._bases) and self._bases[index].needs_text

    def _basis_changed(self) -> None:
        basis = self._bases[self.basis_combo.currentIndex()] if self._bases else None
        self.other_basis_edit.setVisible(self._needs_text())
        self.basis_combo.setToolTip(basis.description if basis else "")

    def _choose_file(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save the report as", self.path_edit.text(), "PDF files (*.pdf)"
        )
        if chosen:
            if not chosen.lower().endswith(".pdf"):
                chosen += ".pdf"
            self.set_output_path(Path(chosen))

    def _answers(self) -> ShareAnswers | None:
        if not self.kind.is_share:
            return None
        return ShareAnswers(
            self.recipient_edit.text(),
            self.reason_edit.toPlainText(),
            self.basis_combo.currentData() or "",
            self.other_basis_edit.text() if self._needs_text() else "",
            self.gate_box.reason(),
        )

    def _check_share_answers(self, sharing: bool = True) -> ShareAnswers | None:
        """The answers, or ValidationError naming what is missing; a decision not to share
        needs no reason for sharing early."""
        answers = self._answers()
        if answers is None:
            return None
        problems = list(share_answer_problems(answers.recipient, answers.reason).values())
        if self._needs_text() and not answers.lawful_basis_text.strip():
            problems.append("Write out the lawful basis.")
        gate_problem = self.gate_box.problem() if sharing else None
        if gate_problem:
            problems.append("Why share it before sign-off? " + gate_problem)
        if problems:
            raise ValidationError({"share": " ".join(problems)})
        return answers

    def _busy(self, busy: bool) -> None:
        for widget in (
            self.kind_combo,
            self.share_box,
            self.gate_box,
            self.path_edit,
            self.choose_button,
            self.create_button,
            self.not_shared_button,
        ):
            widget.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.cancel_button.setText("Cancel report" if busy else "Close")

    # -- actions ------------------------------------------------------------------------

    def _create(self) -> None:
        self.error_label.setText("")
        try:
            answers = self._check_share_answers()
        except ValidationError as exc:
            self.error_label.setText(" ".join(exc.problems.values()))
            return
        if not self.path_edit.text().strip():
            self.error_label.setText("Choose where to save the report.")
            return
        path = Path(self.path_edit.text().strip()).expanduser()
        if not path.parent.is_dir():
            self.error_label.setText(f"The folder {path.parent} does not exist.")
            return
        kind = self.kind
        warning = self._draft_warning() if kind.is_share else None
        if warning:  # the person says it is meant before a draft leaves the service
            self.draft_box = confirm_draft_share(
                self, warning, lambda: self._prepare(kind, answers, path)
            )
            return
        self._prepare(kind, answers, path)

    def _draft_warning(self) -> str | None:
        assessment = self._case.current_assessment
        label = self._session.sharing.policy.audience(self.kind.value).label
        return draft_share_warning(
            self._case.reference, assessment.version if assessment else None, label, self._sign_off
        )

    def _prepare(self, kind: ReportKind, answers: ShareAnswers | None, path: Path) -> None:
        self._busy(True)
        self.progress.setValue(0)
        self.status.setText("Reading the case...")
        ops.prepare_report(self._runner, self._session, self._case.id, kind, answers).on_done(
            lambda prepared: self._start_build(prepared, path, answers)
        ).on_error(self._failed).run()

    def _start_build(
        self, prepared: ops.PreparedReport, path: Path, answers: ShareAnswers | None
    ) -> None:
        """The preview shown, the PDF and the record all come from this one request."""
        request = prepared.request
        if not self._path_chosen_by_hand and path.name != request.filename:
            path = path.with_name(request.filename)  # the sign-off changed since it was read
            self.path_edit.setText(str(path))
        if prepared.preview is not None:
            self._previews.drop()  # an earlier preview read must not replace this one
            self._show_preview(request.kind.value, prepared.preview)
        self._build = ops.render_report(self._runner, self._session, request)
        self._build.on_progress(self._on_progress).on_done(
            lambda data: self._built(request, data, path, answers)
        ).on_error(self._failed).run()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 100))
        self.status.setText(message)

    def _built(
        self, request: ReportRequest, data: bytes, path: Path, answers: ShareAnswers | None
    ) -> None:
        self._build = None
        self._output = path
        self.status.setText("Writing the report and recording it in the audit trail...")
        ops.save_report(self._runner, self._session, request, data, path, answers).on_done(
            self._recorded
        ).on_error(self._failed).run()

    def _recorded(self, produced: ProducedReport) -> None:
        self._busy(False)
        self.progress.setVisible(False)
        what = "written and the decision to share logged" if produced.decision else "written"
        self.status.setText(f"The report was {what}: {produced.path}")
        if produced.decision is not None:
            self.decision_recorded.emit(produced.decision)
        self.report_written.emit(produced.path)
        if self.open_when_done:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(produced.path)))
        self.accept()

    def _record_not_shared(self) -> None:
        self.error_label.setText("")
        try:
            answers = self._check_share_answers(sharing=False)
        except ValidationError as exc:
            self.error_label.setText(" ".join(exc.problems.values()))
            return
        assert answers is not None
        audience = self.kind.value
        self._busy(True)
        self.progress.setRange(0, 0)
        ops.record_not_shared(
            self._runner, self._session, self._case.id, audience, answers
        ).on_done(self._not_shared_recorded).on_error(self._failed).run()

    def _not_shared_recorded(self, produced: ProducedReport) -> None:
        self.progress.setRange(0, 100)
        self._busy(False)
        self.status.setText("The decision not to share was logged.")
        self.decision_recorded.emit(produced.decision)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._build = None
        self.progress.setRange(0, 100)
        self._busy(False)
        if isinstance(exc, ReportCancelled):
            self.status.setText("Cancelled: no file was written.")
            return
        self.status.setText("")
        if isinstance(exc, ValidationError):
            self.error_label.setText(" ".join(exc.problems.values()))
            return
        if isinstance(exc, GateClosed):  # signed-off state or readiness changed meanwhile
            self.error_label.setText(str(exc))
            read_gate_facts(self._runner, self._session, self._case).latest(
                self._sign_off_reads
            ).on_done(self._facts_read).run()
            return
        if isinstance(exc, OSError):
            self.error_label.setText(f"The report could not be saved: {exc.strerror or 'error'}.")
            return
        if isinstance(exc, StoreBusy):  # another window or command: nothing was written
            self.error_label.setText(str(exc))
            return
        report_to_stderr(exc)
        self.error_label.setText(describe_unexpected("making the report", exc))

    def _show_error(self, exc: BaseException) -> None:
        report_to_stderr(exc)
        self.preview.setHtml(escape(describe_unexpected("reading what would be shared", exc)))

    def _cancel_or_close(self) -> None:
        if self._build is not None:
            self._build.cancel()
            self.status.setText("Cancelling...")
            return
        self.reject()

    def reject(self) -> None:
        if self._build is not None:  # closing the window cancels the build first
            self._build.cancel()
            self._runner.wait_for_idle()  # the job stops at its next step; nothing is written
        self._previews.drop()
        self._sign_off_reads.drop()
        super().reject()
