"""The strip at the top of the supervision pane: when the case's next supervision is due, and
why (the cadence rule's own words); red when it is overdue."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtWidgets import QLabel, QWidget

from aim3desk.domain.supervision import SupervisionDue
from aim3desk.ui.assessment.page_kit import fmt_date

OVERDUE_STYLE = (
    "QLabel { background: #fde7e9; color: #8a0014; border: 1px solid #d9534f;"
    " border-radius: 4px; padding: 4px; }"
)
DUE_STYLE = "QLabel { padding: 4px; }"


class SupervisionDueLabel(QLabel):
    """`show_due(due, today)` words it; `due` keeps the last one shown (the pane proposes the
    next session's type from its reason). The `overdue` property is set for the style sheet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisionDue")
        self.setWordWrap(True)
        self.setAccessibleName("Next supervision due")
        self.due: SupervisionDue | None = None

    def show_due(self, due: SupervisionDue, today: date) -> None:
        self.setText(due_text(due, today))
        self.setProperty("overdue", bool(due.overdue))
        self.setStyleSheet(OVERDUE_STYLE if due.overdue else DUE_STYLE)
        self.due = due


def due_text(due: SupervisionDue, today: date) -> str:
    """The strip's rich text: the date (and how late it is) in bold, then the reason."""
    reason = html.escape(due.reason)
    if due.next_due is None:
        return reason
    if due.overdue:
        days = (today - due.next_due).days
        return (
            f"<b>Overdue:</b> next supervision was due {fmt_date(due.next_due)} "
            f"({days} day{'s' if days != 1 else ''} ago). {reason}"
        )
    return f"Next supervision due <b>{fmt_date(due.next_due)}</b>. " + reason
