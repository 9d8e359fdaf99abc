"""Recommendations and sharing: after the formulation, the practitioner writes what they
recommend (intervention, level of supervision, who does what: printed in the full report),
a summary for partner agencies and recommendations for each agency (printed in that agency's
share report only). Seed 004: shared information comes with clear professional analysis of
what it means, its limits, and how it should and should not inform decisions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import QVBoxLayout, QWidget

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.assessment_items import Recommendations
from aim3desk.ui.assessment.page_kit import (
    apply_read_only,
    explanation,
    heading,
    scrolling_body,
)
from aim3desk.ui.assessment.pages import AssessmentPage
from aim3desk.ui.assessment.text import GrowingTextEdit

# (field, label, one-line hint) of the full report's recommendations.
RECOMMENDATION_FIELDS = (
    (
        "intervention",
        "Intervention",
        "The work you recommend with the young person and the family, and its targets.",
    ),
    (
        "supervision_level",
        "Level of supervision",
        "How closely the young person needs to be supervised now, where and by whom.",
    ),
    (
        "who_does_what",
        "Who does what",
        "Which agency and which person takes each part of the work, and by when.",
    ),
)
SUMMARY_HINT = (
    "Printed in every share report after “How to read this”: what the assessment means, its "
    "limits, and how it should and should not inform other agencies' decisions."
)


def audience_hint(label: str) -> str:
    return (
        f"Printed only in the share report for {label.lower()}: what you recommend they do, "
        "and how the assessment should (and should not) inform their decisions."
    )


class SharingPage(AssessmentPage):
    title = "Recommendations and sharing"
    nav_key = "sharing"

    def __init__(self, editor, context, parent: QWidget | None = None) -> None:
        super().__init__(editor, context, parent)
        layout = scrolling_body(self)
        layout.addWidget(heading(self.title, level=1))
        layout.addWidget(
            explanation(
                "What you recommend goes in the full report. What you write for partner "
                "agencies goes in their share reports, each agency seeing only its own "
                "recommendations."
            )
        )
        layout.addWidget(heading("Recommendations (full report)"))
        self.recommendation_edits: dict[str, GrowingTextEdit] = {}
        for name, label, hint in RECOMMENDATION_FIELDS:
            setter = self._recommendation_setter(name, label)
            self.recommendation_edits[name] = self._field(layout, label, hint, setter)
        layout.addWidget(heading("For partner agencies"))
        self.summary_edit = self._field(
            layout, "Summary for partner agencies", SUMMARY_HINT, self._set_summary
        )
        self.audience_edits: dict[str, GrowingTextEdit] = {}
        for audience in context.session.sharing.policy.audiences:
            label = f"Recommendations for {audience.label.lower()}"
            setter = self._audience_setter(audience.id, audience.label)
            hint = audience_hint(audience.label)
            self.audience_edits[audience.id] = self._field(layout, label, hint, setter)
        layout.addStretch(1)
        apply_read_only(self, editor.read_only)

    def _field(
        self, layout: QVBoxLayout, label: str, hint: str, on_text: Callable[[str], None]
    ) -> GrowingTextEdit:
        """A sub-heading, its hint and its text field, added to `layout`; the field is
        returned."""
        layout.addWidget(heading(label, level=3))
        layout.addWidget(explanation(hint))
        edit = GrowingTextEdit(label)
        edit.bind(on_text)
        layout.addWidget(edit)
        return edit

    def _recommendation_setter(self, name: str, label: str) -> Callable[[str], None]:
        def change(content: AssessmentContent, text: str) -> AssessmentContent:
            recommendations: Recommendations = replace(content.recommendations, **{name: text})
            return content.set_recommendations(recommendations)

        return lambda text: self.editor.edit(
            f"Edit the recommendations: {label.lower()}",
            lambda c: change(c, text),
            merge_key=f"recommendations:{name}",
        )

    def _set_summary(self, text: str) -> None:
        self.editor.edit(
            "Edit the summary for partner agencies",
            lambda c: c.set_sharing_notes(replace(c.sharing_notes, partner_summary=text)),
            merge_key="sharing_notes:summary",
        )

    def _audience_setter(self, audience_id: str, label: str) -> Callable[[str], None]:
        return lambda text: self.editor.edit(
            f"Edit the recommendations for {label.lower()}",
            lambda c: c.set_sharing_notes(c.sharing_notes.with_audience(audience_id, text)),
            merge_key=f"sharing_notes:{audience_id}",
        )

    def refresh(self, content: AssessmentContent) -> None:
        for name, edit in self.recommendation_edits.items():
            edit.show_text(getattr(content.recommendations, name))
        self.summary_edit.show_text(content.sharing_notes.partner_summary)
        for audience_id, edit in self.audience_edits.items():
            edit.show_text(content.sharing_notes.for_audience(audience_id))

    def set_read_only(self, read_only: bool) -> None:
        apply_read_only(self, read_only)

    def clear_sensitive(self) -> None:
        for edit in (
            *self.recommendation_edits.values(),
            self.summary_edit,
            *self.audience_edits.values(),
        ):
            edit.show_text("")
        self._stale = True
