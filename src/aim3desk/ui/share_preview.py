"""What the share dialog shows before anything is shared: the preview of a share report (its
sections, the evidence included and left out, and what the practitioner wrote for partner
agencies: the summary and this audience's recommendations, or that they are not written yet),
and the question asked before a DRAFT is shared."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from aim3desk.ui.assessment.page_kit import confirm

if TYPE_CHECKING:
    from aim3desk.services.sharing import SharePreview

NOT_WRITTEN = (
    "<i>Not written yet: write it on the assessment's “Recommendations and sharing” page.</i>"
)


def _written(text: str) -> str:
    if not text.strip():
        return f"<p>{NOT_WRITTEN}</p>"
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def preview_html(preview: SharePreview) -> str:
    included = (
        "".join(f"<li>{escape(label)}: {count}</li>" for label, count in preview.included)
        or "<li>No evidence entries</li>"
    )
    left = [
        f"<li>{escape(label)} (not for this audience): {count}</li>"
        for label, count in preview.excluded_categories
    ] + [f"<li>{escape(label)}: {count}</li>" for label, count in preview.excluded_classes]
    sections = ", ".join(escape(s) for s in preview.sections)
    never = "; ".join(escape(n) for n in preview.never_included)
    audience = escape(preview.audience_label.lower())
    return (
        f"<p><b>For {escape(preview.audience_label)}.</b> Opens with “How to read this” and "
        f"what the assessment means for {audience}, then: {sections}.</p>"
        f"<p><b>Summary for partner agencies</b></p>{_written(preview.partner_summary)}"
        f"<p><b>Recommendations for {audience}</b></p>{_written(preview.recommendations)}"
        f"<p><b>Evidence included ({preview.included_count})</b></p><ul>{included}</ul>"
        f"<p><b>Left out ({preview.excluded_count})</b></p>"
        f"<ul>{''.join(left) or '<li>Nothing</li>'}</ul>"
        f"<p><small>Never shared: {never}.</small></p>"
    )


def confirm_draft_share(parent: QWidget, warning: str, on_yes: Callable[[], None]) -> QMessageBox:
    """Ask before a share report of a version not signed off is produced; on_yes runs only
    when the person chooses to share the draft. Non-blocking (window-modal)."""
    box = confirm(
        parent, "Share a DRAFT?", warning, on_yes, "Share the DRAFT", QMessageBox.Icon.Warning
    )
    box.setInformativeText(
        "Share it only if the recipient needs it before sign-off, and tell them it is a draft."
    )
    return box
