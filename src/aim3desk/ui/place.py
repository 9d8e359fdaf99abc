"""Where in the main window a person is, or is sent: a home tab, or a case at one of its
assessment pages (a nav key) with perhaps a tool beside it. It holds ids and keys only, never
case text, so the controller may keep one while the profile is locked and return there after
unlock; the deadlines dashboard sends people to the item that is due with one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from aim3desk.domain.deadlines import Deadline, DeadlineKind
from aim3desk.ui.assessment.unknowns_page import UnknownsPage

if TYPE_CHECKING:
    from aim3desk.ui.assessment.workspace import AssessmentWorkspace
    from aim3desk.ui.case_tools import CaseTools


class Beside(enum.StrEnum):
    """A tool of the open case to show on arrival."""

    NOTHING = ""
    SUPERVISION = "supervision"  # the supervision notes pane, at its sessions
    PLAN = "plan"  # the intervention plan window
    READINESS = "readiness"  # the readiness check of the assessment due


@dataclass(frozen=True)
class Place:
    """`case_id` None: the home tabs, at `home_tab` (its index). Otherwise the case, at the
    page `nav_key` (None: the first domain), selecting `item_id` there (an unknown), with
    `beside` shown."""

    case_id: str | None = None
    nav_key: str | None = None
    item_id: str | None = None
    beside: Beside = Beside.NOTHING
    home_tab: int = 0

    @property
    def needs_workspace(self) -> bool:
        """Whether arriving waits for the assessment to be read (pages and readiness do)."""
        return bool(self.nav_key or self.item_id) or self.beside is Beside.READINESS


def place_of_deadline(deadline: Deadline) -> Place:
    """The item that is due: an unknown on the Unknowns page, the assessment's readiness, the
    supervision pane, or the intervention plan for a review."""
    if deadline.kind is DeadlineKind.UNKNOWN:
        return Place(deadline.case_id, UnknownsPage.nav_key, item_id=deadline.item_id or None)
    beside = {
        DeadlineKind.ASSESSMENT: Beside.READINESS,
        DeadlineKind.SUPERVISION: Beside.SUPERVISION,
        DeadlineKind.REVIEW: Beside.PLAN,
    }[deadline.kind]
    return Place(deadline.case_id, beside=beside)


def arrive_in_workspace(workspace: AssessmentWorkspace, place: Place) -> None:
    """Once the assessment is shown: its page, the item on it, the readiness check."""
    if place.nav_key and workspace.go_to(place.nav_key):
        page = workspace.current_page()
        if isinstance(page, UnknownsPage) and place.item_id and workspace.editor is not None:
            page.refresh(workspace.editor.content)  # rows before the selection
            row = page.model.row_of(place.item_id)
            if row >= 0:
                page.table.selectRow(row)
                page.table.setFocus(Qt.FocusReason.OtherFocusReason)
    if place.beside is Beside.READINESS:
        workspace.check_readiness()


def arrive_beside(tools: CaseTools, place: Place) -> None:
    """The tools beside the case, as soon as the case is open."""
    if place.beside is Beside.SUPERVISION:
        tools.pane.show()  # the person may have closed it
        tools.pane.raise_()
        pane = tools.pane  # New session once the case's sessions are read, else the list
        target = pane.new_button if pane.new_button.isEnabled() else pane.session_list
        target.setFocus(Qt.FocusReason.OtherFocusReason)
    elif place.beside is Beside.PLAN:
        tools.show_plan()
