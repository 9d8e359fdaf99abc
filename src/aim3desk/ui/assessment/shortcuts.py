"""The assessment workspace's own keys, named once: the workspace binds them and Help > Guide
lists them, so the guide never drifts from what the keys do."""

from __future__ import annotations

from dataclasses import dataclass

from aim3desk.ui.assessment.evidence import ADD_SHORTCUT


@dataclass(frozen=True)
class WorkspaceKey:
    keys: tuple[str, ...]  # QKeySequence portable text, first the main one
    what: str  # for the guide


NEXT_PAGE = WorkspaceKey(("Ctrl+PgDown",), "Next page of the assessment")
PREVIOUS_PAGE = WorkspaceKey(("Ctrl+PgUp",), "Previous page of the assessment")
NEXT_FACTOR = WorkspaceKey(("Alt+Down",), "Next factor on a domain page")
PREVIOUS_FACTOR = WorkspaceKey(("Alt+Up",), "Previous factor on a domain page")
SWITCH_FOCUS = WorkspaceKey(("F6",), "Move between the page list and the page")
ADD_EVIDENCE = WorkspaceKey((ADD_SHORTCUT,), "Add evidence on a domain page")
UNDO = WorkspaceKey(("Ctrl+Z",), "Undo the last change to the assessment")
REDO = WorkspaceKey(("Ctrl+Shift+Z", "Ctrl+Y"), "Redo")

WORKSPACE_KEYS = (
    NEXT_PAGE,
    PREVIOUS_PAGE,
    NEXT_FACTOR,
    PREVIOUS_FACTOR,
    SWITCH_FOCUS,
    ADD_EVIDENCE,
    UNDO,
    REDO,
)
