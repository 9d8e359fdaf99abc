"""One case: a header with its details, a navigator of the five domains, and for the chosen
domain its summary, practice prompts and the evidence text, which saves itself."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import AssessmentModel, Case, ValidationError
from aim3desk.ui.case_list import label_of
from aim3desk.ui.clipboard import remember_copied
from aim3desk.ui.tasks import TaskRunner, report_to_stderr

SAVED = "All changes saved"
SAVING = "Saving..."


def not_saved(reason: str) -> str:
    return f"Not saved: {reason}"


def save_failure_reason(exc: BaseException) -> str:
    """Why a save failed, in words that hold no case data."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.problems.values())
    if isinstance(exc, OSError):
        return "the disk could not be written (is it full or disconnected?)."
    report_to_stderr(exc)
    return f"an unexpected error ({type(exc).__name__}). Your text is still here; keep typing."


def _format_date(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


class EvidenceEdit(QPlainTextEdit):
    """Evidence text; copies out of it are remembered so locking can clear the clipboard."""

    def copy(self) -> None:
        super().copy()
        remember_copied(self.textCursor().selectedText().replace("\u2029", "\n"))

    def cut(self) -> None:
        remember_copied(self.textCursor().selectedText().replace("\u2029", "\n"))
        super().cut()


class CaseView(QWidget):
    """Emits `save_state_changed(text)` and `closed`. Call `flush()` before anything that
    ends the session; it queues the save of unsaved text at once."""

    save_state_changed = Signal(str)
    close_requested = Signal()
    case_changed = Signal()

    def __init__(
        self,
        case: Case,
        evidence: dict[str, str],
        cases: Any,
        form_set: Any,
        runner: TaskRunner,
        autosave_delay_ms: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = case
        self._cases = cases
        self._runner = runner
        self._form_set = form_set
        self._domains = list(form_set.domains)
        assessment = case.current_assessment
        self._assessment_id = assessment.id if assessment else None
        self._model = assessment.model if assessment else None
        # Loaded on the worker thread by the caller, never here on the UI thread.
        self._read_only = assessment is None or assessment.finished
        self._texts = {d.id: evidence.get(d.id, "") for d in self._domains}
        self._dirty: set[str] = set()
        self._saves_in_flight = 0
        self._last_failure = ""
        self._failure_shown = False
        self._current_domain: str | None = None

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(autosave_delay_ms)
        self._autosave.timeout.connect(self.flush)

        self.header = self._build_header()
        self.navigator = QListWidget()
        self.navigator.setAccessibleName("Domains")
        self.navigator.setMinimumWidth(190)
        self.navigator.setSpacing(3)
        for domain in self._domains:
            self.navigator.addItem(domain.title)
        self.domain_title = QLabel()
        self.domain_title.setObjectName("domainTitle")
        self.domain_title.setAccessibleName("Domain")
        self.guidance = QLabel()
        self.guidance.setWordWrap(True)
        self.guidance.setTextFormat(Qt.TextFormat.RichText)
        self.guidance.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.guidance.setAccessibleName("Domain summary and practice prompts")
        self.guidance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        guidance_box = QWidget()
        guidance_layout = QVBoxLayout(guidance_box)
        guidance_layout.addWidget(self.guidance)
        guidance_layout.addStretch(1)
        self.guidance_scroll = QScrollArea()
        self.guidance_scroll.setWidgetResizable(True)
        self.guidance_scroll.setWidget(guidance_box)
        self.guidance_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.evidence_label = QLabel("&Evidence for this domain:")
        self.evidence_edit = EvidenceEdit()
        self.evidence_edit.setAccessibleName("Evidence")
        self.evidence_edit.setPlaceholderText(
            "What you found, from which source, and what it tells you. Record strengths "
            "beside concerns. This saves itself as you type."
        )
        self.evidence_edit.setTabChangesFocus(True)
        self.evidence_label.setBuddy(self.evidence_edit)
        evidence_box = QWidget()
        evidence_layout = QVBoxLayout(evidence_box)
        evidence_layout.setContentsMargins(0, 0, 0, 0)
        evidence_layout.addWidget(self.evidence_label)
        evidence_layout.addWidget(self.evidence_edit, 1)

        right_split = QSplitter(Qt.Orientation.Vertical)
        right_split.addWidget(self.guidance_scroll)
        right_split.addWidget(evidence_box)
        right_split.setStretchFactor(0, 1)
        right_split.setStretchFactor(1, 1)
        right_split.setChildrenCollapsible(False)
        right_split.setSizes([330, 270])  # prompts and evidence both in view at first
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.domain_title)
        right_layout.addWidget(right_split, 1)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.navigator)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setSizes([220, 900])
        body.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(body, 1)

        if self._assessment_id is None:
            self.evidence_edit.setReadOnly(True)
            self.evidence_edit.setPlaceholderText("This case has no assessment yet.")
        elif self._read_only:
            self.evidence_edit.setReadOnly(True)
            self.evidence_edit.setToolTip("This assessment version is finished and read-only.")
        self.navigator.currentRowChanged.connect(self._domain_selected)
        self.evidence_edit.textChanged.connect(self._text_edited)
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda s=step: self.step_domain(s))
        self.setTabOrder(self.model_combo, self.back_button)
        self.setTabOrder(self.back_button, self.navigator)
        self.setTabOrder(self.navigator, self.evidence_edit)
        if self._domains:
            self.navigator.setCurrentRow(0)

    # -- header -------------------------------------------------------------------------------
    def _build_header(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("caseHeader")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        case = self.case
        self.title_label = QLabel()
        self.title_label.setObjectName("caseTitle")
        self.title_label.setAccessibleName("Case")
        self.detail_labels: list[QLabel] = []
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        details = [
            (
                "Date of birth",
                f"{_format_date(case.date_of_birth)} (age {case.age_at_request} at request)",
            ),
            ("Lead agency", label_of(case.lead_agency)),
            ("Lead worker", case.lead_worker),
            ("Co-workers", ", ".join(case.co_workers) or "None"),
            ("Requested by", label_of(case.requested_by)),
            ("Request date", _format_date(case.request_date)),
            ("Due", _format_date(self._due_date())),
            ("Status", label_of(case.status)),
            ("Joint with social worker", "Yes" if case.joint_with_social_worker else "No"),
        ]
        for i, (name, value) in enumerate(details):
            label = QLabel(
                f"<span style='color:#555'>{html.escape(name)}:</span> {html.escape(value)}"
            )
            label.setAccessibleName(name)
            label.setTextFormat(Qt.TextFormat.RichText)
            self.detail_labels.append(label)
            grid.addWidget(label, i // 3, i % 3)
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName("Assessment model")
        for model in AssessmentModel:
            self.model_combo.addItem(model.label, model.value)
        if self._model is not None:
            self.model_combo.setCurrentIndex(self.model_combo.findData(self._model.value))
        else:
            self.model_combo.setEnabled(False)
        self.model_combo.activated.connect(self._model_activated)
        self.back_button = QPushButton("Back to case list")
        self.back_button.setAccessibleName("Back to case list")
        self.back_button.setToolTip("Close this case (Ctrl+W)")
        self.back_button.clicked.connect(self.close_requested)
        model_form = QFormLayout()
        model_form.addRow("&Model:", self.model_combo)
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addLayout(model_form)
        top.addWidget(self.back_button)
        layout = QVBoxLayout(frame)
        layout.addLayout(top)
        layout.addLayout(grid)
        self._update_title()
        return frame

    def _due_date(self) -> date | None:
        assessment = self.case.current_assessment
        return assessment.due_date if assessment else None

    def _update_title(self) -> None:
        self.title_label.setText(
            f"<b style='font-size:15pt'>{html.escape(self.case.reference)}</b>"
            f"&nbsp;&nbsp;{html.escape(self.case.young_person_name)}"
        )

    def _model_activated(self) -> None:
        model = AssessmentModel(self.model_combo.currentData())
        if model == self._model or self._assessment_id is None:
            return
        answer = QMessageBox.question(
            self,
            "Change assessment model",
            f"Use {model.label} for this assessment? Your evidence text is kept; "
            "ratings follow the new model's scale.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.model_combo.setCurrentIndex(self.model_combo.findData(self._model.value))
            return
        self.flush()
        previous = self._model
        self._model = model
        assessment_id, cases = self._assessment_id, self._cases

        def failed(exc: BaseException) -> None:
            self._model = previous
            self.model_combo.setCurrentIndex(self.model_combo.findData(previous.value))
            self._set_state(not_saved(save_failure_reason(exc)))

        self._set_state(SAVING)
        self._runner.run(
            lambda: cases.change_model(assessment_id, model),
            on_done=lambda _r: (self._refresh_state(), self.case_changed.emit()),
            on_error=failed,
            what="changing the assessment model",
        )

    # -- domains ------------------------------------------------------------------------------
    def step_domain(self, step: int) -> None:
        count = self.navigator.count()
        if count:
            self.navigator.setCurrentRow((self.navigator.currentRow() + step) % count)

    def _domain_selected(self, row: int) -> None:
        self.flush()  # an immediate save when leaving a domain
        if row < 0:
            return
        domain = self._domains[row]
        self._current_domain = domain.id
        self.domain_title.setText(f"<h2>{html.escape(domain.title)}</h2>")
        parts = [f"<p>{html.escape(domain.summary)}</p>"]
        if getattr(domain, "strengths", ""):
            parts.append(f"<p><i>{html.escape(domain.strengths)}</i></p>")
        for area in domain.areas:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in area.prompts)
            parts.append(f"<h3>{html.escape(area.title)}</h3><ul>{items}</ul>")
        self.guidance.setText("".join(parts))
        self.guidance_scroll.verticalScrollBar().setValue(0)
        self.evidence_edit.blockSignals(True)
        self.evidence_edit.setPlainText(self._texts.get(domain.id, ""))
        self.evidence_edit.blockSignals(False)
        self.evidence_label.setText(f"&Evidence for {domain.title.lower()}:")

    def current_domain_id(self) -> str | None:
        return self._current_domain

    # -- saving -------------------------------------------------------------------------------
    def _text_edited(self) -> None:
        if self._current_domain is None or self._assessment_id is None or self._read_only:
            return
        self._texts[self._current_domain] = self.evidence_edit.toPlainText()
        self._dirty.add(self._current_domain)
        self._set_state(SAVING)
        self._autosave.start()

    def flush(self) -> None:
        """Queue a save of every domain with unsaved text, now."""
        self._autosave.stop()
        if not self._dirty or self._assessment_id is None:
            return
        assessment_id, cases = self._assessment_id, self._cases
        for domain_id in sorted(self._dirty):
            text = self._texts[domain_id]
            self._saves_in_flight += 1
            self._runner.run(
                lambda d=domain_id, t=text: cases.save_evidence(assessment_id, d, t),
                on_done=lambda _r: self._save_finished(None),
                on_error=lambda exc, d=domain_id: self._save_finished(exc, d),
                what="saving your evidence",
            )
        self._dirty.clear()
        self._set_state(SAVING)

    def _save_finished(self, exc: BaseException | None, domain_id: str = "") -> None:
        self._saves_in_flight -= 1
        if exc is not None:
            self._dirty.add(domain_id)  # the text is still in memory; the next save retries
            self._last_failure = save_failure_reason(exc)
            if not self._failure_shown and self.isVisible():
                self._failure_shown = True
                QMessageBox.warning(
                    self,
                    "Not saved",
                    f"Your evidence was not saved: {self._last_failure} AIM3 Desk will try "
                    "again when you next type or switch domain.",
                )
        self._refresh_state()

    def _refresh_state(self) -> None:
        if self._saves_in_flight or self._autosave.isActive():
            self._set_state(SAVING)
        elif self._dirty:
            self._set_state(not_saved(self._last_failure or "waiting to save."))
        else:
            self._last_failure = ""
            self._set_state(SAVED)

    def _set_state(self, text: str) -> None:
        self.save_state_changed.emit(text)

    def has_unsaved(self) -> bool:
        return bool(self._dirty) or self._saves_in_flight > 0

    # -- clearing -----------------------------------------------------------------------------
    def clear_sensitive(self) -> None:
        """Empty every widget that shows case data; the view is thrown away afterwards."""
        self._autosave.stop()
        self._texts.clear()
        self._dirty.clear()
        self.evidence_edit.blockSignals(True)
        self.evidence_edit.setPlainText("")  # also empties the undo history
        self.evidence_edit.blockSignals(False)
        self.guidance.clear()
        self.title_label.clear()
        for label in self.detail_labels:
            label.clear()
        self.navigator.clear()
