"""The deadlines dashboard across all cases, read in one unit of work with a few queries in
all (store/queries.py: deadline_data), never one query per case."""

from __future__ import annotations

from datetime import date

from aim3desk.config import EffectiveSettings
from aim3desk.domain.deadlines import Deadline, deadlines
from aim3desk.store.unit_of_work import UnitOfWork


class DeadlineService:
    """The deadlines dashboard (`session.deadlines`)."""

    def __init__(self, uow: UnitOfWork, settings: EffectiveSettings):
        self._uow = uow
        self._settings = settings

    def dashboard(self, today: date | None = None) -> list[Deadline]:
        """Every deadline of every case in the profile: overdue first, then soonest."""
        with self._uow.read() as tx:
            data = tx.deadline_data()
        return deadlines(data, self._settings.values, today or date.today())
