"""One domain of the assessment: its summary and practice prompts, five factor cards (rating,
rationale, strengths, unknown: factor_card.py), the domain's concerns and strengths, and its
evidence.

One class serves all five domains. Pages are built once and kept; `refresh` compares what each
widget shows with the content and touches only what changed, so switching domains and typing
stay fast on a long assessment.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import AssessmentContent, DomainNotes, EvidenceEntry, Unknown
from aim3desk.domain.forms import DomainDef
from aim3desk.domain.review import AnchorKind
from aim3desk.ui.assessment.comment_strip import CommentStrip, PlacedComment
from aim3desk.ui.assessment.editor import AssessmentEditor
from aim3desk.ui.assessment.evidence import ADD_SHORTCUT, EvidenceList
from aim3desk.ui.assessment.factor_card import FactorCard, RatingWheelGuard
from aim3desk.ui.assessment.pages import AssessmentPage, PageContext
from aim3desk.ui.assessment.staged import BuildSteps, build_all
from aim3desk.ui.assessment.text import GrowingTextEdit


def domain_nav_key(domain_id: str) -> str:
    return f"domain:{domain_id}"


class DomainPage(AssessmentPage):
    """A domain of the model; construct as DomainPage(editor, context, domain_id)."""

    def __init__(
        self,
        editor: AssessmentEditor,
        context: PageContext,
        domain_id: str,
        parent: QWidget | None = None,
        *,
        staged: bool = False,
    ) -> None:
        """With `staged`, the page is only begun: run `build_steps()` (StagedBuild) to
        complete it before it is shown; without, it is built here."""
        super().__init__(editor, context, parent)
        self.domain: DomainDef = context.form_set.domain(domain_id)
        self.title = self.domain.title
        self.nav_key = domain_nav_key(domain_id)
        self._shown_notes: DomainNotes | None = None
        self._read_only = False
        self._wheel_guard = RatingWheelGuard(self)
        self.cards: list[FactorCard] = []
        self.card_strips: dict[int, CommentStrip] = {}
        self._steps = self._build()
        if staged:
            self.hide()  # not shown with its parent until it is complete and chosen
        else:
            build_all(self.build_steps())

    def build_steps(self) -> BuildSteps:
        """The rest of the page's construction, a slice per step (staged.py)."""
        return self._steps

    def _build(self) -> BuildSteps:
        editor, model, domain = self.editor, self.context.model, self.domain
        # The frame first, then each part added into it once: a widget moved into a new
        # parent has its whole tree styled again, so nothing is built apart and moved in.
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        # The content wraps to fit (down to ~480 px beside the supervision dock).
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = QWidget()
        body.setObjectName("domainBody")
        body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(body)
        layout.setSpacing(8)
        self.scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self._build_head(layout)
        body.ensurePolished()  # styled now, a slice at a time, not all at the first show
        yield
        for factor in domain.factors:
            card = FactorCard(editor, model, domain, factor, self._wheel_guard)
            self.cards.append(card)
            self.card_strips[card.slot] = CommentStrip()
            layout.addWidget(card)
            layout.addWidget(self.card_strips[card.slot])
            card.ensurePolished()
            yield
        layout.addSpacing(6)
        self._build_notes(layout)
        body.ensurePolished()
        yield
        evidence_head = QLabel(
            f"<h3 style='margin:0'>Evidence</h3>"
            f"<span>Add with {ADD_SHORTCUT}; Enter edits the selected entry, Delete removes "
            "it.</span>"
        )
        evidence_head.setWordWrap(True)
        self.evidence_list = EvidenceList(editor, self.context.evidence_rules, domain)
        self.evidence_list.model.shaper.adopt(self.context.evidence_rows.pop(domain.id, ()))
        for card in self.cards:
            card.add_evidence_requested.connect(self.evidence_list.add_entry)
        layout.addSpacing(6)
        layout.addWidget(evidence_head)
        layout.addWidget(self.evidence_list)
        layout.addStretch(1)
        self.ensurePolished()
        yield
        # The evidence table filled ahead (the heavy part of a long one); the text fields are
        # filled as the page is shown (showEvent), when they know their width and can grow
        # to their text before the first paint.
        self.evidence_list.show_entries(self.editor.content.evidence_for(domain.id))

    def _build_head(self, layout: QVBoxLayout) -> None:
        """The heading, the review comments on the domain, the summary, the practice prompts
        (filled on first opening) and the note on the rating scale."""
        domain, model = self.domain, self.context.model
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
        layout.addWidget(heading)
        # A review received: comments on the domain and its evidence here, on a factor
        # under its card (show_review_comments).
        self.comment_strip = CommentStrip()
        layout.addWidget(self.comment_strip)
        layout.addWidget(summary)
        layout.addWidget(self.prompts_button)
        layout.addWidget(self.prompts_label)
        layout.addWidget(scale_note)

    def _build_notes(self, layout: QVBoxLayout) -> None:
        """The domain's concerns and strengths, in the person's words."""
        editor, domain = self.editor, self.domain
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
        layout.addWidget(notes_head)
        layout.addWidget(concerns_label)
        layout.addWidget(self.concerns)
        layout.addWidget(strengths_label)
        layout.addWidget(self.strengths)

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

    def show_review_comments(self, placed: list[PlacedComment]) -> None:
        """The comments of a review received that are on this domain, its factors or its
        evidence entries (placed by ui/review/practitioner.py)."""
        domain_id = self.domain.id
        evidence_ids = {e.id for e in self.editor.content.evidence_for(domain_id)}
        here = [p for p in placed if p.present]
        self.comment_strip.show_comments(
            [
                p
                for p in here
                if (p.kind is AnchorKind.DOMAIN and p.ref == domain_id)
                or (p.kind is AnchorKind.EVIDENCE and p.ref in evidence_ids)
            ]
        )
        for slot, strip in self.card_strips.items():
            ref = f"{domain_id}:{slot}"
            strip.show_comments([p for p in here if p.kind is AnchorKind.FACTOR and p.ref == ref])

    # -- keyboard -----------------------------------------------------------------------------
    def card_with_focus(self) -> FactorCard | None:
        widget = QApplication.focusWidget()
        while widget is not None:
            if isinstance(widget, FactorCard) and any(widget is card for card in self.cards):
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
        self.comment_strip.clear_sensitive()
        for strip in self.card_strips.values():
            strip.clear_sensitive()
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
