"""One factor of a domain page: its card (label and descriptor, rating, rationale, strength
note, open unknowns, how much evidence cites it) and the dialog that marks it unknown.

A card edits through the assessment editor and knows nothing of the page around it: the
page lays the cards out, shows content on them and hears `add_evidence_requested(slot)`.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import FactorRating, Unknown, new_unknown
from aim3desk.domain.forms import DomainDef, FactorSlot, ModelDef
from aim3desk.ui.assessment.editor import AssessmentEditor
from aim3desk.ui.assessment.text import GrowingTextEdit
from aim3desk.ui.date_field import DateField, accept_if_dates_valid
from aim3desk.ui.text_limit import limit_line

NOT_RATED = "Not rated"
REQUIRED_TEXT = "Required once rated: say why."
UNKNOWN_DUE_DAYS = 14


class RatingWheelGuard(QObject):
    """A rating must not change because the page scrolled over it: wheel events reach a
    rating box only when it has the keyboard focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            event.ignore()
            return True
        return False


class MarkUnknownDialog(QDialog):
    """What is not known about a factor, and how, by whom and by when it will be found out."""

    def __init__(self, about: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark unknown")
        self.setMinimumWidth(520)
        intro = QLabel(
            f"Record what is not known yet about <b>{html.escape(about)}</b>. The factor is "
            "rated unknown until it is found out (Ctrl+Z undoes the mark)."
        )
        intro.setWordWrap(True)
        self.question_edit = GrowingTextEdit(
            "What is not known",
            "For example: whether the behaviour continued at school.",
            min_lines=2,
        )
        self.question_edit.setUndoRedoEnabled(True)
        self.how_edit = limit_line(QLineEdit(), "how")
        self.how_edit.setAccessibleName("How it will be found out")
        self.how_edit.setPlaceholderText("For example: ask the designated safeguarding lead")
        self.who_edit = limit_line(QLineEdit(), "who")
        self.who_edit.setAccessibleName("Who will find out")
        due = date.today() + timedelta(days=UNKNOWN_DUE_DAYS)
        self.by_when_edit = DateField("By when", due)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow("&Question:", self.question_edit)
        form.addRow("&How:", self.how_edit)
        form.addRow("&Who:", self.who_edit)
        form.addRow("&By when:", self.by_when_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Mark unknown")
        ok.setAccessibleName("Mark unknown")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.question_edit.setFocus()

    def _accept(self) -> None:
        if not self.question_edit.toPlainText().strip():
            self.error_label.setText("Say what is not known.")
            self.error_label.show()
            self.question_edit.setFocus()
            return
        accept_if_dates_valid(self)

    def unknown(self, domain_id: str, slot: int | None) -> Unknown:
        return new_unknown(
            self.question_edit.toPlainText().strip(),
            how=self.how_edit.text().strip(),
            who=self.who_edit.text().strip(),
            by_when=self.by_when_edit.value(),
            about_domain=domain_id,
            about_slot=slot,
        )


class FactorCard(QFrame):
    """One factor slot: label and descriptor, rating, rationale, strength note, unknowns."""

    add_evidence_requested = Signal(int)  # the factor's slot

    def __init__(
        self,
        editor: AssessmentEditor,
        model: ModelDef,
        domain: DomainDef,
        factor: FactorSlot,
        wheel_guard: QObject,
    ) -> None:
        super().__init__()
        self.setObjectName("factorCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.editor = editor
        self.model = model
        self.domain = domain
        self.slot = factor.slot
        self.factor = factor
        self._shown: FactorRating | None = None
        self._shown_unknowns: tuple[Unknown, ...] | None = None
        self._shown_evidence = -1
        self._updating = False
        domain_id = domain.id

        self.title = QLabel(f"<b>{factor.slot}. {html.escape(factor.label)}</b>")
        self.title.setWordWrap(True)
        self.title.setAccessibleName(f"Factor {factor.slot}: {factor.label}")
        self.descriptor = QLabel(factor.descriptor)
        self.descriptor.setWordWrap(True)
        self.descriptor.setObjectName("hintLabel")
        self.descriptor.setStyleSheet("color: palette(placeholder-text);")
        self.descriptor.setAccessibleName(f"About factor {factor.slot}")
        self.rating_combo = QComboBox()
        self.rating_combo.setAccessibleName(f"Rating for factor {factor.slot}: {factor.label}")
        self.rating_combo.setToolTip(
            f"{model.scale.label}. Arrow keys or the first letter choose; Alt+Down/Alt+Up "
            "move to the next or previous factor."
        )
        self.rating_combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.rating_combo.installEventFilter(wheel_guard)
        self.rating_combo.addItem(NOT_RATED, None)
        for option in model.scale.options:
            label = option.label if option.score is None else f"{option.label} ({option.score})"
            self.rating_combo.addItem(label, option.value)
        # Sized to its longest option, but never wider than the workspace next to the dock.
        self.rating_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.rating_combo.setMinimumContentsLength(18)
        self.rating_combo.currentIndexChanged.connect(self._rating_chosen)
        rating_label = QLabel("&Rating:")
        rating_label.setBuddy(self.rating_combo)

        self.rationale = GrowingTextEdit(
            f"Rationale for factor {factor.slot}",
            "Why this rating: the evidence and what it means.",
            min_lines=2,
        )
        self.rationale.bind(
            lambda text: editor.edit(
                "Typing a rationale",
                lambda c: c.set_rationale(model, domain_id, factor.slot, text),
                merge_key=f"rationale:{domain_id}:{factor.slot}",
            )
        )
        self.rationale_label = QLabel("Ra&tionale:")
        self.rationale_label.setBuddy(self.rationale)
        self.required_label = QLabel(REQUIRED_TEXT)
        self.required_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.required_label.setAccessibleName(f"Factor {factor.slot} needs a rationale")
        self.required_label.hide()
        self.strength = GrowingTextEdit(
            f"Strengths for factor {factor.slot}",
            "Strengths and protective factors seen here (optional).",
            min_lines=1,
        )
        self.strength.bind(
            lambda text: editor.edit(
                "Typing a strength note",
                lambda c: c.set_strength_note(model, domain_id, factor.slot, text),
                merge_key=f"strength:{domain_id}:{factor.slot}",
            )
        )
        strength_label = QLabel("&Strengths:")
        strength_label.setBuddy(self.strength)
        self.unknown_label = QLabel()
        self.unknown_label.setWordWrap(True)
        self.unknown_label.setAccessibleName(f"Open unknowns for factor {factor.slot}")
        self.unknown_label.setTextFormat(Qt.TextFormat.PlainText)
        self.unknown_label.setStyleSheet(
            "background: #fff4d6; color: #4a3800; border-radius: 3px; padding: 2px 6px;"
        )
        self.unknown_label.hide()
        self.evidence_label = QLabel()
        self.evidence_label.setWordWrap(True)
        self.evidence_label.setAccessibleName(f"Evidence count for factor {factor.slot}")
        self.evidence_label.setObjectName("hintLabel")
        self.unknown_button = QPushButton("Mark &unknown...")
        self.unknown_button.setAccessibleName(f"Mark factor {factor.slot} unknown")
        self.unknown_button.setToolTip(
            "Rate the factor unknown and record what is not known yet, and how, by whom and "
            "by when it will be found out"
        )
        self.unknown_button.clicked.connect(self.mark_unknown)
        self.add_evidence_button = QPushButton("Add evidence...")
        self.add_evidence_button.setAccessibleName(f"Add evidence for factor {factor.slot}")
        self.add_evidence_button.clicked.connect(
            lambda: self.add_evidence_requested.emit(factor.slot)
        )

        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(120)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(rating_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.rating_combo, 0, Qt.AlignmentFlag.AlignTop)
        rationale_head = QHBoxLayout()
        rationale_head.addWidget(self.rationale_label)
        rationale_head.addWidget(self.required_label)
        rationale_head.addStretch(1)
        self.evidence_label.setMinimumWidth(100)
        foot = QHBoxLayout()
        foot.addWidget(self.evidence_label, 1)
        foot.addWidget(self.add_evidence_button, 0, Qt.AlignmentFlag.AlignTop)
        foot.addWidget(self.unknown_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.descriptor)
        layout.addLayout(rationale_head)
        layout.addWidget(self.rationale)
        layout.addWidget(strength_label)
        layout.addWidget(self.strength)
        layout.addWidget(self.unknown_label)
        layout.addLayout(foot)

    def _rating_chosen(self, index: int) -> None:
        if self._updating or index < 0:
            return
        value = self.rating_combo.itemData(index)
        label = self.rating_combo.itemText(index)
        self.editor.edit(
            f"Rate factor {self.slot} {label.lower()}",
            lambda c: c.set_rating(self.model, self.domain.id, self.slot, value),
        )

    def show_rating(self, rating: FactorRating) -> None:
        if rating == self._shown:
            return
        self._shown = rating
        index = self.rating_combo.findData(rating.rating) if rating.rating is not None else 0
        if index < 0:  # a rating no longer on the scale: shown as not rated
            index = 0
        if self.rating_combo.currentIndex() != index:
            self._updating = True
            self.rating_combo.setCurrentIndex(index)
            self._updating = False
        self.rationale.show_text(rating.rationale)
        self.strength.show_text(rating.strength_note)
        missing = rating.rating is not None and not rating.rationale.strip()
        self.required_label.setVisible(missing)
        self.rationale.setProperty("required", missing)

    def show_unknowns(self, unknowns: tuple[Unknown, ...]) -> None:
        if unknowns == self._shown_unknowns:
            return
        self._shown_unknowns = unknowns
        lines = []
        for unknown in unknowns:
            details = [unknown.who] if unknown.who else []
            if unknown.by_when:
                details.append(f"by {unknown.by_when:%d/%m/%Y}")
            suffix = f" ({', '.join(details)})" if details else ""
            lines.append(f"Unknown: {unknown.question}{suffix}")
        self.unknown_label.setText("\n".join(lines))
        self.unknown_label.setVisible(bool(lines))

    def show_evidence_count(self, count: int) -> None:
        if count == self._shown_evidence:
            return
        self._shown_evidence = count
        self.evidence_label.setText(
            f"{count} evidence entr{'y' if count == 1 else 'ies'} about this factor"
            if count
            else "No evidence recorded about this factor yet"
        )

    def mark_unknown(self) -> None:
        dialog = MarkUnknownDialog(f"{self.factor.label} ({self.domain.title})", self.window())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            unknown = dialog.unknown(self.domain.id, self.slot)
            self.editor.edit("Mark unknown", lambda c: c.mark_factor_unknown(self.model, unknown))
        dialog.deleteLater()
        self.unknown_button.setFocus()

    def set_read_only(self, read_only: bool) -> None:
        self.rating_combo.setEnabled(not read_only)
        self.rationale.setReadOnly(read_only)
        self.strength.setReadOnly(read_only)
        self.unknown_button.setEnabled(not read_only)
        self.add_evidence_button.setEnabled(not read_only)

    def clear_sensitive(self) -> None:
        self._shown = None
        self._shown_unknowns = None
        for edit in (self.rationale, self.strength):
            edit.blockSignals(True)
            edit.setPlainText("")
            edit.blockSignals(False)
        self.unknown_label.clear()
