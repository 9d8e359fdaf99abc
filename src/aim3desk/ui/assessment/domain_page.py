"""One domain of the assessment: its summary and practice prompts, five factor cards (rating,
rationale, strengths, unknown), the domain's concerns and strengths, and its evidence.

One class serves all five domains. Pages are built once and kept; `refresh` compares what each
widget shows with the content and touches only what changed, so switching domains and typing
stay fast on a long assessment.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import (
    AssessmentContent,
    DomainNotes,
    EvidenceEntry,
    FactorRating,
    Unknown,
    new_unknown,
)
from aim3desk.domain.forms import DomainDef, FactorSlot, ModelDef
from aim3desk.ui.assessment.editor import AssessmentEditor
from aim3desk.ui.assessment.evidence import ADD_SHORTCUT, EvidenceList
from aim3desk.ui.assessment.pages import AssessmentPage, PageContext
from aim3desk.ui.assessment.text import GrowingTextEdit

NOT_RATED = "Not rated"
REQUIRED_TEXT = "Required once rated: say why."
UNKNOWN_DUE_DAYS = 14


def domain_nav_key(domain_id: str) -> str:
    return f"domain:{domain_id}"


class _WheelGuard(QObject):
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
        intro = QLabel(f"Record what is not known yet about <b>{html.escape(about)}</b>.")
        intro.setWordWrap(True)
        self.question_edit = GrowingTextEdit(
            "What is not known",
            "For example: whether the behaviour continued at school.",
            min_lines=2,
        )
        self.question_edit.setUndoRedoEnabled(True)
        self.how_edit = QLineEdit()
        self.how_edit.setAccessibleName("How it will be found out")
        self.how_edit.setPlaceholderText("For example: ask the designated safeguarding lead")
        self.who_edit = QLineEdit()
        self.who_edit.setAccessibleName("Who will find out")
        self.by_when_edit = QDateEdit()
        self.by_when_edit.setDisplayFormat("dd/MM/yyyy")
        self.by_when_edit.setCalendarPopup(True)
        self.by_when_edit.setAccessibleName("By when")
        due = date.today() + timedelta(days=UNKNOWN_DUE_DAYS)
        self.by_when_edit.setDate(QDate(due.year, due.month, due.day))
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
        self.accept()

    def unknown(self, domain_id: str, slot: int | None) -> Unknown:
        return new_unknown(
            self.question_edit.toPlainText().strip(),
            how=self.how_edit.text().strip(),
            who=self.who_edit.text().strip(),
            by_when=self.by_when_edit.date().toPython(),
            about_domain=domain_id,
            about_slot=slot,
        )


class FactorCard(QFrame):
    """One factor slot: label and descriptor, rating, rationale, strength note, unknowns."""

    def __init__(
        self,
        page: DomainPage,
        factor: FactorSlot,
        model: ModelDef,
        wheel_guard: QObject,
    ) -> None:
        super().__init__()
        self.setObjectName("factorCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.page = page
        self.slot = factor.slot
        self.factor = factor
        self._shown: FactorRating | None = None
        self._shown_unknowns: tuple[Unknown, ...] | None = None
        self._shown_evidence = -1
        self._updating = False
        domain_id, editor = page.domain.id, page.editor

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
            "Record what is not known yet, and how, by whom and by when it will be found out"
        )
        self.unknown_button.clicked.connect(self.mark_unknown)
        self.add_evidence_button = QPushButton("Add evidence...")
        self.add_evidence_button.setAccessibleName(f"Add evidence for factor {factor.slot}")
        self.add_evidence_button.clicked.connect(lambda: page.evidence_list.add_entry(factor.slot))

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
        page = self.page
        label = self.rating_combo.itemText(index)
        page.editor.edit(
            f"Rate factor {self.slot} {label.lower()}",
            lambda c: c.set_rating(page.context.model, page.domain.id, self.slot, value),
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
        page = self.page
        dialog = MarkUnknownDialog(f"{self.factor.label} ({page.domain.title})", self.window())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            unknown = dialog.unknown(page.domain.id, self.slot)
            page.editor.edit("Mark unknown", lambda c: c.mark_unknown(unknown))
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


class DomainPage(AssessmentPage):
    """A domain of the model; construct as DomainPage(editor, context, domain_id)."""

    def __init__(
        self,
        editor: AssessmentEditor,
        context: PageContext,
        domain_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(editor, context, parent)
        self.domain: DomainDef = context.form_set.domain(domain_id)
        self.title = self.domain.title
        self.nav_key = domain_nav_key(domain_id)
        self._shown_notes: DomainNotes | None = None
        self._read_only = False
        self._wheel_guard = _WheelGuard(self)
        model = context.model
        domain = self.domain

        heading = QLabel(f"<h2 style='margin:0'>{html.escape(domain.title)}</h2>")
        heading.setAccessibleName(domain.title)
        summary = QLabel(domain.summary)
        summary.setWordWrap(True)
        summary.setAccessibleName(f"About {domain.title}")
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.prompts_button = QToolButton()
        self.prompts_button.setText("Practice prompts and strengths")
        self.prompts_button.setAccessibleName("Show practice prompts")
        self.prompts_button.setCheckable(True)
        self.prompts_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.prompts_button.setArrowType(Qt.ArrowType.RightArrow)
        self.prompts_button.setAutoRaise(True)
        self.prompts_button.toggled.connect(self._toggle_prompts)
        self.prompts_label = QLabel()
        self.prompts_label.setWordWrap(True)
        self.prompts_label.setTextFormat(Qt.TextFormat.RichText)
        self.prompts_label.setAccessibleName(f"Practice prompts for {domain.title}")
        self.prompts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.prompts_label.hide()
        scale_note = QLabel(
            f"<b>{html.escape(model.name)}: {html.escape(model.scale.label)}.</b> "
            f"{html.escape(model.scale.note)}"
        )
        scale_note.setWordWrap(True)
        scale_note.setAccessibleName("About the rating scale")

        self.cards = [FactorCard(self, f, model, self._wheel_guard) for f in domain.factors]

        notes_head = QLabel("<h3 style='margin:0'>Concerns and strengths in this domain</h3>")
        self.concerns = GrowingTextEdit(
            f"Concerns in {domain.title}", "The concerns this domain shows, in your words."
        )
        self.strengths = GrowingTextEdit(
            f"Strengths in {domain.title}",
            "Strengths belong in every domain: what is going well, who helps, what works.",
        )
        self.concerns.bind(
            lambda text: editor.edit(
                "Typing concerns",
                lambda c: c.set_domain_notes(domain.id, concerns=text),
                merge_key=f"concerns:{domain.id}",
            )
        )
        self.strengths.bind(
            lambda text: editor.edit(
                "Typing strengths",
                lambda c: c.set_domain_notes(domain.id, strengths=text),
                merge_key=f"strengths:{domain.id}",
            )
        )
        concerns_label = QLabel("&Concerns:")
        concerns_label.setBuddy(self.concerns)
        strengths_label = QLabel("Stre&ngths (needed for completeness):")
        strengths_label.setBuddy(self.strengths)
        evidence_head = QLabel(
            f"<h3 style='margin:0'>Evidence</h3>"
            f"<span>Add with {ADD_SHORTCUT}; Enter edits the selected entry, Delete removes "
            "it.</span>"
        )
        evidence_head.setWordWrap(True)
        self.evidence_list = EvidenceList(editor, context.evidence_rules, domain)

        body = QWidget()
        body.setObjectName("domainBody")
        layout = QVBoxLayout(body)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(summary)
        layout.addWidget(self.prompts_button)
        layout.addWidget(self.prompts_label)
        layout.addWidget(scale_note)
        for card in self.cards:
            layout.addWidget(card)
        layout.addSpacing(6)
        layout.addWidget(notes_head)
        layout.addWidget(concerns_label)
        layout.addWidget(self.concerns)
        layout.addWidget(strengths_label)
        layout.addWidget(self.strengths)
        layout.addSpacing(6)
        layout.addWidget(evidence_head)
        layout.addWidget(self.evidence_list)
        layout.addStretch(1)
        body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        # The content wraps to fit (down to ~480 px beside the supervision dock).
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(body)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

    # -- prompts ------------------------------------------------------------------------------
    def _toggle_prompts(self, shown: bool) -> None:
        if shown and not self.prompts_label.text():
            domain = self.domain
            parts = [f"<p><i>{html.escape(domain.strengths)}</i></p>"] if domain.strengths else []
            for area in domain.areas:
                items = "".join(f"<li>{html.escape(p)}</li>" for p in area.prompts)
                parts.append(f"<b>{html.escape(area.title)}</b><ul>{items}</ul>")
            self.prompts_label.setText("".join(parts))
        self.prompts_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.prompts_button.setAccessibleName(
            "Hide practice prompts" if shown else "Show practice prompts"
        )
        self.prompts_label.setVisible(shown)

    # -- showing content ----------------------------------------------------------------------
    def refresh(self, content: AssessmentContent) -> None:
        domain_id = self.domain.id
        evidence = content.evidence_for(domain_id)
        unknowns: dict[int, list[Unknown]] = {}
        for unknown in content.unknowns:
            if unknown.is_open and unknown.about_domain == domain_id and unknown.about_slot:
                unknowns.setdefault(unknown.about_slot, []).append(unknown)
        counts = _count_by_slot(evidence)
        for card in self.cards:
            card.show_rating(content.rating(domain_id, card.slot))
            card.show_unknowns(tuple(unknowns.get(card.slot, ())))
            card.show_evidence_count(counts.get(card.slot, 0))
        notes = content.notes(domain_id)
        if notes != self._shown_notes:
            self._shown_notes = notes
            self.concerns.show_text(notes.concerns)
            self.strengths.show_text(notes.strengths)
        self.evidence_list.show_entries(evidence)

    # -- keyboard -----------------------------------------------------------------------------
    def card_with_focus(self) -> FactorCard | None:
        widget = QApplication.focusWidget()
        while widget is not None:
            if isinstance(widget, FactorCard) and widget.page is self:
                return widget
            widget = widget.parentWidget()
        return None

    def step_factor(self, step: int) -> None:
        """Move the focus to the next (step 1) or previous (-1) factor's rating."""
        current = self.card_with_focus()
        if current is None:
            index = 0 if step > 0 else len(self.cards) - 1
        else:
            index = max(0, min(len(self.cards) - 1, self.cards.index(current) + step))
        self.focus_factor(self.cards[index].slot)

    def focus_factor(self, slot: int) -> None:
        for card in self.cards:
            if card.slot == slot:
                target = card.rating_combo if card.rating_combo.isEnabled() else card.rationale
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
                self.scroll.ensureWidgetVisible(card, 0, 40)
                self.scroll.ensureWidgetVisible(card.rating_combo, 0, 40)
                return

    def focus_first(self) -> None:
        self.focus_factor(1)

    def add_evidence(self) -> None:
        card = self.card_with_focus()
        self.evidence_list.add_entry(card.slot if card else None)

    # -- read-only and locking ----------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for card in self.cards:
            card.set_read_only(read_only)
        self.concerns.setReadOnly(read_only)
        self.strengths.setReadOnly(read_only)
        self.evidence_list.set_read_only(read_only)

    def clear_sensitive(self) -> None:
        for card in self.cards:
            card.clear_sensitive()
        self._shown_notes = None
        for edit in (self.concerns, self.strengths):
            edit.blockSignals(True)
            edit.setPlainText("")
            edit.blockSignals(False)
        self.evidence_list.clear_sensitive()


def _count_by_slot(entries: tuple[EvidenceEntry, ...]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for entry in entries:
        if entry.factor_slot is not None:
            counts[entry.factor_slot] = counts.get(entry.factor_slot, 0) + 1
    return counts
