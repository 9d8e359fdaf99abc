"""Named operations on the one store worker (Anki's CollectionOp and QueryOp, in small).

Every call the UI makes to the store is a named function in this package that returns an
operation: a `Query` (a read) or a `Change` (a write that says what it changed). The call site
reads as a sentence and ends in `run()`:

    read_case_list(runner, session, query).latest(self._reads).on_done(self.show_rows).run()
    set_status(runner, session, case_id, status, reason, on).on_done(self._saved).run()

Both run on the TaskRunner (one serialised worker), so reads and writes keep their order.
Stale results are dropped here, in one place: an operation run through a `Latest` slot
delivers only if no newer one went through that slot and the slot was not dropped (lock,
close) meanwhile. A change publishes its `Changes` on the runner's `ChangeHub` after its own
callback, on the UI thread; open views refresh from that instead of each caller reloading
them. A `Job` is long work that touches no store (laying out a PDF): it runs beside the store
worker with progress and cancel, so it never holds up autosave.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Generic, Self, TypeVar

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

if TYPE_CHECKING:
    from aim3desk.ui.tasks import TaskRunner

T = TypeVar("T")


class Record(enum.StrEnum):
    """Kinds of a case's records a change may touch."""

    SUPERVISION = "supervision"
    INTERVENTION = "intervention"
    LOGS = "logs"
    SHARING = "sharing"
    REVIEWS = "reviews"  # reviews sent or received, their drafts and to-dos


@dataclass(frozen=True)
class Changes:
    """What a change touched, so each open view can decide whether it must refresh."""

    case_id: str | None = None
    case_details: bool = False  # the case's own fields, status or model: header, list
    case_list: bool = False  # a case added or its row in the list changed
    assessment_id: str | None = None  # a version's content, or a version finished or started
    records: frozenset[Record] = field(default_factory=frozenset)

    @property
    def deadlines(self) -> bool:
        """Whether what is due may have moved (the deadlines dashboard reads it again)."""
        return (
            self.case_details
            or self.case_list
            or bool(self.records & {Record.SUPERVISION, Record.INTERVENTION})
        )

    def touches(self, case_id: str | None, record: Record) -> bool:
        return record in self.records and (self.case_id is None or self.case_id == case_id)


class ChangeHub(QObject):
    """The one signal changes are published on: `changed(changes, initiator)`. The initiator
    is the object that asked for the change (or None), so a view can skip its own."""

    changed = Signal(object, object)

    def publish(self, changes: Changes, initiator: object = None) -> None:
        self.changed.emit(changes, initiator)


class Latest:
    """A slot for one view's reads of one thing: only the newest query run through it
    delivers; `drop()` makes every query in flight through it deliver nothing (lock, close)."""

    def __init__(self) -> None:
        self._ticket = 0

    def issue(self) -> int:
        self._ticket += 1
        return self._ticket

    def is_current(self, ticket: int) -> bool:
        return ticket == self._ticket

    def drop(self) -> None:
        self._ticket += 1


def _receiver_alive(callback: Callable) -> bool:
    """Whether a callback's widget still exists: a result that arrives after its window was
    closed (a status read queued just before) has nobody to show it to and is dropped."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or isValid(owner)


class Operation(Generic[T]):
    """A unit of work for the store worker, with its callbacks; `run()` queues it."""

    def __init__(self, runner: TaskRunner, work: Callable[[], T], what: str) -> None:
        self._runner = runner
        self._work = work
        self.what = what  # plain words for an error message, never case data
        self._done: Callable[[T], None] | None = None
        self._error: Callable[[BaseException], None] | None = None
        self._slot: Latest | None = None
        self._ticket = 0

    def on_done(self, callback: Callable[[T], None]) -> Self:
        self._done = callback
        return self

    def on_error(self, callback: Callable[[BaseException], None]) -> Self:
        """Without it an error goes to the runner's single error handler."""
        self._error = callback
        return self

    def latest(self, slot: Latest) -> Self:
        """Deliver only if no newer operation went through `slot` and it was not dropped
        meanwhile; a stale result (or error) is thrown away on arrival. A change still
        happens and is still published: only what its caller would show is dropped."""
        self._slot = slot
        return self

    def run(self) -> None:
        self._submit(self._runner.run)

    def _submit(self, submit: Callable[..., None]) -> None:
        if self._slot is not None:
            self._ticket = self._slot.issue()
        submit(self._runnable(), self._delivered, self._failed, what=self.what)

    def _runnable(self) -> Callable[[], T]:
        """What the worker calls. Never a closure over the operation itself: a cycle through
        it could be collected on the worker thread with the widgets' callbacks it holds."""
        return self._work

    def _current(self) -> bool:
        return self._slot is None or self._slot.is_current(self._ticket)

    def _delivered(self, result: T) -> None:
        if self._done is not None and self._current() and _receiver_alive(self._done):
            self._done(result)

    def _failed(self, exc: BaseException) -> None:
        if not self._current():
            return
        if self._error is not None:
            if _receiver_alive(self._error):
                self._error(exc)
        else:
            self._runner.report_error(self.what, exc)


class Query(Operation[T]):
    """A read: nothing in the store changes. A read through a `latest` slot that is already
    stale when the worker reaches it is not run at all (its result would be thrown away):
    a search per typed word does not queue behind the searches for earlier words."""

    def _runnable(self) -> Callable[[], T | None]:
        work, slot, ticket = self._work, self._slot, self._ticket
        if slot is None:
            return work
        return lambda: work() if slot.is_current(ticket) else None


class Change(Operation[T]):
    """A write. After its own callback it publishes what it changed on the runner's hub;
    `changes` may depend on the result (a new case's id)."""

    def __init__(
        self,
        runner: TaskRunner,
        work: Callable[[], T],
        what: str,
        changes: Changes | Callable[[T], Changes],
    ) -> None:
        super().__init__(runner, work, what)
        self._changes = changes
        self._initiator: object = None

    def by(self, initiator: object) -> Self:
        """Name who asked, so that view may skip refreshing from its own change."""
        self._initiator = initiator
        return self

    def _delivered(self, result: T) -> None:
        try:
            super()._delivered(result)
        finally:
            changes = self._changes(result) if callable(self._changes) else self._changes
            self._runner.changes.publish(changes, self._initiator)


Progress = Callable[[float, str], None]


class _ProgressRelay(QObject):
    """Carries progress from the job's thread to the UI thread (a queued signal)."""

    progressed = Signal(float, str)


class Job(Operation[T]):
    """Long work that needs no store, run beside the store worker (so saves keep flowing) and
    delivered like every other operation. `work(progress, cancelled)` reports progress and
    checks `cancelled()` now and then; `cancel()` asks it to stop."""

    def __init__(
        self,
        runner: TaskRunner,
        work: Callable[[Progress, Callable[[], bool]], T],
        what: str,
    ) -> None:
        self._cancelled = threading.Event()
        self._relay = _ProgressRelay()
        job_work = work
        super().__init__(
            runner, lambda: job_work(self._relay.progressed.emit, self._cancelled.is_set), what
        )

    def on_progress(self, callback: Progress) -> Self:
        self._relay.progressed.connect(callback)
        return self

    def cancel(self) -> None:
        self._cancelled.set()

    def run(self) -> None:
        # The runner holds `cancel` on the UI thread only, so locking can stop the job.
        self._submit(partial(self._runner.run_job, cancel=self.cancel))
