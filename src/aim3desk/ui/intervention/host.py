"""What a tab of the intervention plan needs from the board that hosts it. The tabs are typed
against this, not the board, so the board imports its tabs and no tab imports the board."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from aim3desk.domain.forms import InterventionForms
    from aim3desk.domain.intervention import InterventionPlan
    from aim3desk.services.session import Session
    from aim3desk.ui.operations.base import Change
    from aim3desk.ui.operations.intervention import PlanAfter
    from aim3desk.ui.record_saver import RecordSaver
    from aim3desk.ui.tasks import TaskRunner

T = TypeVar("T")


class PlanHost(Protocol):
    session: Session
    case_id: str
    runner: TaskRunner
    today: Callable[[], date]
    forms: InterventionForms | None
    plan: InterventionPlan
    saver: RecordSaver

    def change(
        self, operation: Change[PlanAfter[T]], after: Callable[[T], None] | None = None
    ) -> None:
        """Run a change that returns the plan after it; show it, then `after(result)`."""

    def failed(self, exc: BaseException) -> None:
        """Say that something was not saved, and why."""

    def show_plan(self, plan: InterventionPlan) -> None:
        """Show this plan in every tab."""

    def open_dialog(self, dialog: QDialog, on_accept: Callable[[], None]) -> QDialog:
        """Show a dialog without blocking; `on_accept` when it is accepted."""

    def draft_ending(self) -> None:
        """Draft the ending summary on the moving-on tab."""
