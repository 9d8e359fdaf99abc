"""What every page of the assessment workspace shares: the context it reads and its base class.

A page shows part of the open version's content and changes it only through the editor
(`editor.edit(description, change)`); on `editor.changed` it calls `refresh(content)`, which
must leave the widget the person is typing in alone when its text already matches, so undo and
autosave never move the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.cases import Case
from aim3desk.domain.forms import EvidenceRules, FormSet, ModelDef, ScreeningScale
from aim3desk.ui.assessment.editor import AssessmentEditor

if TYPE_CHECKING:
    from aim3desk.services.session import Session
    from aim3desk.ui.assessment.evidence_rows import EvidenceRow
    from aim3desk.ui.tasks import TaskRunner


@dataclass(frozen=True)
class PageContext:
    case: Case
    form_set: FormSet
    model: ModelDef
    evidence_rules: EvidenceRules
    screening: ScreeningScale
    session: Session  # pages needing more than the editor (versions) run operations on it
    runner: TaskRunner
    # Each domain's evidence rows shaped on the worker (evidence_rows.py), by domain id: its
    # page takes them out when it is built.
    evidence_rows: dict[str, tuple[EvidenceRow, ...]] = field(default_factory=dict)


class AssessmentPage(QWidget):
    """Base for pages. Subclasses set `title` and `nav_key` and implement `refresh`."""

    title = ""
    nav_key = ""

    def __init__(
        self, editor: AssessmentEditor, context: PageContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.context = context
        editor.changed.connect(self._on_changed)

    def _on_changed(self, content: AssessmentContent) -> None:
        if self.isVisible():
            self.refresh(content)
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        if getattr(self, "_stale", True):
            self._stale = False
            self.refresh(self.editor.content)
        super().showEvent(event)

    def refresh(self, content: AssessmentContent) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        """Finished versions: pages disable their inputs (override when needed)."""
        for child in self.findChildren(QWidget):
            if hasattr(child, "setReadOnly"):
                child.setReadOnly(read_only)

    def clear_sensitive(self) -> None:
        """Locking: empty every widget that shows case data."""
