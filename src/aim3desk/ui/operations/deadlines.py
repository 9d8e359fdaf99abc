"""Operations across every case: the deadlines dashboard, the annual return and, for a
supervisor, the supervision due across the supervisees' cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.domain.identity import Role
from aim3desk.ui.operations.base import Change, Changes, Query

if TYPE_CHECKING:
    from aim3desk.domain.annual_return import AnnualReturn
    from aim3desk.domain.deadlines import Deadline, SuperviseeCase
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


def read_deadlines(runner: TaskRunner, session: Session, today: date) -> Query[list[Deadline]]:
    deadlines = session.deadlines
    return Query(runner, lambda: deadlines.dashboard(today), "reading the deadlines")


def count_annual_return(
    runner: TaskRunner, session: Session, start: date, end: date
) -> Query[AnnualReturn]:
    annual_return = session.annual_return
    return Query(runner, lambda: annual_return.compute(start, end), "counting the annual return")


def default_annual_return_period(
    runner: TaskRunner, session: Session, today: date
) -> Query[tuple[date, date]]:
    annual_return = session.annual_return
    return Query(runner, lambda: annual_return.default_period(today), "finding the year to count")


def write_annual_return(
    runner: TaskRunner,
    session: Session,
    start: date,
    end: date,
    path: Path,
    replace: bool = False,
) -> Change[AnnualReturn]:
    """Writes the file and its audit entry; no open view shows either. An existing file is
    replaced only with `replace` (the person agreed)."""

    annual_return = session.annual_return
    return Change(
        runner,
        lambda: annual_return.write(start, end, path, replace=replace),
        "saving the annual return",
        Changes(),
    )


@dataclass(frozen=True)
class SuperviseeView:
    """Whether this profile supervises (its role), and its supervisees' cases."""

    is_supervisor: bool
    rows: list[SuperviseeCase]


def read_supervisees(runner: TaskRunner, session: Session, today: date) -> Query[SuperviseeView]:
    identity, deadlines = session.identity, session.deadlines

    def read() -> SuperviseeView:
        is_supervisor = identity.me().role is Role.SUPERVISOR
        return SuperviseeView(is_supervisor, deadlines.supervisees(today) if is_supervisor else [])

    return Query(runner, read, "reading the supervisees' cases")
