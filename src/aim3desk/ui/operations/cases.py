"""Operations on the case list and a case's own details."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from aim3desk.ui.case_table import CaseRow, case_rows
from aim3desk.ui.operations.base import Change, Changes, Query

if TYPE_CHECKING:
    from aim3desk.domain.cases import AssessmentModel, Case, CaseStatus
    from aim3desk.services.search import SearchHit
    from aim3desk.services.session import Session
    from aim3desk.ui.case_list import CaseQuery
    from aim3desk.ui.tasks import TaskRunner


def read_case_list(runner: TaskRunner, session: Session, query: CaseQuery) -> Query[list[CaseRow]]:
    """The cases for the filters, made ready for the table on the worker (texts, sort and
    search keys), so the screen only swaps them in."""
    cases, today = session.cases, query["today"]
    what = "reading the case list"
    return Query(runner, lambda: case_rows(cases.list_cases(**query), today), what)


def search_content(runner: TaskRunner, session: Session, words: str) -> Query[list[SearchHit]]:
    search = session.search
    return Query(runner, lambda: search.search(words), "searching what you wrote")


def read_case(runner: TaskRunner, session: Session, case_id: str) -> Query[Case]:
    cases = session.cases
    return Query(runner, lambda: cases.get_case(case_id), "reading the case")


def add_case(
    runner: TaskRunner, session: Session, case: Case, model: AssessmentModel
) -> Change[Case]:
    cases = session.cases
    return Change(
        runner,
        lambda: cases.add_case(case, model=model),
        "adding the case",
        lambda added: Changes(case_id=added.id, case_details=True, case_list=True),
    )


def update_case(runner: TaskRunner, session: Session, case: Case) -> Change[Case]:
    """Save the case's own details (Case details)."""
    cases = session.cases
    return Change(
        runner,
        lambda: cases.update_case(case),
        "saving the case details",
        Changes(case_id=case.id, case_details=True, case_list=True),
    )


def change_model(
    runner: TaskRunner, session: Session, case_id: str, assessment_id: str, model: AssessmentModel
) -> Change[None]:
    cases = session.cases
    return Change(
        runner,
        lambda: cases.change_model(assessment_id, model),
        "changing the assessment model",
        Changes(case_id=case_id, case_details=True, case_list=True, assessment_id=assessment_id),
    )


def set_status(
    runner: TaskRunner,
    session: Session,
    case_id: str,
    status: CaseStatus,
    reason: str,
    on: date | None,
    override_reason: str = "",
) -> Change[Case]:
    """Change the status; "Assessment completed" of an unsigned version needs the reason."""
    cases = session.cases
    return Change(
        runner,
        lambda: cases.set_status(case_id, status, reason, on, override_reason),
        "changing the case status",
        Changes(case_id=case_id, case_details=True, case_list=True),
    )
