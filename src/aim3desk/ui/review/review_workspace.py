"""The assessment in the review window: the practitioner's own workspace and pages, read-only,
showing the version decoded from the bundle instead of a version in this profile.

It is the same AssessmentWorkspace (a finished version is read-only there already, through
its editor), given the opened material at once instead of reading the store, without the
Versions page (the versions are the practitioner's, not in this profile) and deaf to store
changes. It remembers the last widget the supervisor had in hand on a page, so "Comment on
this" can name that item even after the focus moved to the button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QWidget

from aim3desk.domain.review import Anchor
from aim3desk.ui.assessment.pages import AssessmentPage
from aim3desk.ui.assessment.versions_page import VersionsPage
from aim3desk.ui.assessment.workspace import OTHER_PAGES, AssessmentWorkspace
from aim3desk.ui.operations.assessments import OpenedAssessment
from aim3desk.ui.operations.base import Changes
from aim3desk.ui.review.anchors import GENERAL, anchor_in_page
from aim3desk.ui.review.practitioner import ReviewPage

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.domain.forms import FormSet
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

NEVER_SAVES_MS = 3_600_000  # a read-only editor never saves; the delay is never used


class FocusFollower:
    """Calls `slot(new_widget)` on every focus change in the application until `stop()`
    (safe to call twice: closing after locking)."""

    def __init__(self, slot: Callable[[QWidget | None], None]) -> None:
        self._slot = slot
        self._app = QApplication.instance()
        self._app.focusChanged.connect(self._changed)
        self._following = True

    def _changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._slot(new)

    def stop(self) -> None:
        if self._following:
            self._following = False
            self._app.focusChanged.disconnect(self._changed)


class ReviewWorkspace(AssessmentWorkspace):
    # The practitioner's versions and what came back to them are not in this profile.
    other_pages = tuple(cls for cls in OTHER_PAGES if cls not in (VersionsPage, ReviewPage))

    def __init__(
        self,
        opened: OpenedAssessment,
        case: Case,
        session: Session,
        form_set: FormSet,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        # Read-only whatever the record says: a supervisor never edits the practitioner's work.
        assessment = replace(opened.assessment, finished=True)
        self._opened = replace(opened, assessment=assessment)
        self._in_hand: tuple[AssessmentPage, QWidget] | None = None
        super().__init__(
            case, session, form_set, runner, NEVER_SAVES_MS, assessment=assessment, parent=parent
        )
        self.undo_button.hide()
        self.redo_button.hide()
        self._focus = FocusFollower(self._focus_changed)

    def load(self, assessment: object = None) -> None:
        self._drop_pages()
        self._show(self._opened)
        self.finish_opening()  # the material is in hand: shown at once, the banner below
        self.banner.setText(
            f"Version {self._opened.assessment.version} as the practitioner sent it, "
            "read-only. Comment on any item: select it, then press Comment on this."
        )

    def _store_changed(self, changes: Changes, _initiator: object) -> None:
        """The version shown is the bundle's, which no change in this profile touches."""

    def read_reviews(self) -> None:
        """Reviews received are the practitioner's; a supervisor's own draft is beside."""

    # -- the item in hand ----------------------------------------------------------------------
    def _focus_changed(self, new: QWidget | None) -> None:
        widget = new
        while widget is not None:
            if isinstance(widget, AssessmentPage) and self.pages.get(widget.nav_key) is widget:
                self._in_hand = (widget, new)
                return
            widget = widget.parentWidget()

    def anchor_in_hand(self) -> Anchor:
        """The item last in hand on the page shown now (the page itself when nothing on it
        was), or the assessment as a whole."""
        page = self.current_page()
        if page is None:
            return GENERAL
        widget = self._in_hand[1] if self._in_hand and self._in_hand[0] is page else None
        return anchor_in_page(page, widget)

    def clear_sensitive(self) -> None:
        self._focus.stop()
        self._in_hand = None
        super().clear_sensitive()
