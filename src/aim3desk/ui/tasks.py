"""One serialised background worker for every store and service call (Anki's taskman pattern).

Every call that touches the encrypted store, the key file or the KDF runs here, one at a time
and in the order it was asked for, so the UI never freezes and two writes never race. Results
and errors come back on the UI thread through a queued signal. A counter of pending tasks lets
locking and quitting wait until every save has reached the store.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from aim3desk.ui.operations.base import ChangeHub

log = logging.getLogger(__name__)

# The longest the UI waits for work in flight (locking, quitting, closing a case or a report
# being cancelled) before it goes on without it: what arrives later finds nobody to show it to.
WAIT_LIMIT_MS = 60_000

DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass
class _Task:
    """A queued call and its callbacks. Held by the runner on the UI thread until delivered,
    so the last reference to the callbacks (bound methods of widgets) and to what `fn`
    captured is always dropped on the UI thread: a Qt object whose Python wrapper dies on a
    worker thread is destroyed there, which can crash the process later."""

    fn: Callable[[], Any] | None
    on_done: DoneCallback | None
    on_error: ErrorCallback | None
    what: str
    era: int  # the runner's era when queued: see TaskRunner.new_era


@dataclass(frozen=True)
class _Outcome:
    task_id: int
    result: Any = None
    error: BaseException | None = None


def describe_unexpected(what: str, exc: BaseException) -> str:
    """A plain sentence for an error nobody planned for. Never includes str(exc): it may hold
    case data (a value that failed to parse, a name in a constraint message). The profile
    in use by another window or command is said as it is: nothing was changed, try again."""
    from aim3desk.services.errors import StoreBusy  # lazily: start-up time

    if isinstance(exc, StoreBusy):
        return str(exc)
    return (
        f"AIM3 Desk could not finish {what}. Your earlier work is safe. Please try again, and "
        f"tell your IT support if it keeps happening (error type: {type(exc).__name__})."
    )


def report_to_stderr(exc: BaseException) -> None:
    """Where the error happened, for support: the type and frames, never the message."""
    from aim3desk.logs import describe_exception  # lazily: start-up time

    log.error("ui task failed %s", type(exc).__name__.lower())
    sys.stderr.write(
        "AIM3 Desk error:\n" + describe_exception(type(exc), exc, exc.__traceback__) + "\n"
    )


def show_unexpected_error(what: str, exc: BaseException) -> None:
    """The one place unexpected errors end up: a message box with a plain sentence."""
    from PySide6.QtWidgets import QMessageBox

    from aim3desk.services.errors import StoreBusy

    if not isinstance(exc, StoreBusy):  # expected while another window writes: no trace
        report_to_stderr(exc)
    parent = QApplication.activeWindow()
    QMessageBox.warning(parent, "Something went wrong", describe_unexpected(what, exc))


class TaskRunner(QObject):
    """Runs functions on a single worker thread and reports back on the UI thread."""

    busy_changed = Signal(bool)
    idle = Signal()
    _delivered = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        error_handler: Callable[[str, BaseException], None] = show_unexpected_error,
        wait_limit_ms: int = WAIT_LIMIT_MS,
    ) -> None:
        super().__init__(parent)
        self.wait_limit_ms = wait_limit_ms
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aim3desk-store")
        self._beside: ThreadPoolExecutor | None = None  # jobs that touch no store (operations.Job)
        self._pending = 0
        self._tasks: dict[int, _Task] = {}  # queued and not yet delivered (UI thread only)
        self._next_id = 0
        self._closed = False
        self._era = 0
        self._callback_era: int | None = None  # while a task's callback runs: the task's era
        self._cancels: dict[int, Callable[[], None]] = {}  # jobs in flight, by task id
        self._error_handler = error_handler
        # Every change runs here, so what changed is published beside it (operations/base.py).
        self.changes = ChangeHub(self)
        self._delivered.connect(self._deliver)

    @property
    def pending(self) -> int:
        return self._pending

    def run(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        what: str = "the last action",
    ) -> None:
        """Queue fn. on_done(result) or on_error(exc) runs later on the UI thread; without
        on_error the error goes to the single error handler. `what` names the action in plain
        words for that message ("saving your evidence") and must not contain case data."""
        self._submit(self._executor, fn, on_done, on_error, what)

    def run_beside_store(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        what: str = "the last action",
    ) -> None:
        """Like run(), on a second worker for long work that never touches the store (laying
        out a PDF), so it cannot hold up saves. Delivery, errors and the pending count are
        the same; quitting waits for it too."""
        if self._beside is None:
            self._beside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aim3desk-job")
        self._submit(self._beside, fn, on_done, on_error, what)

    def run_job(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        cancel: Callable[[], None],
        what: str = "the last action",
    ) -> None:
        """Like run_beside_store(), for work that stops when `cancel()` is called:
        `cancel_jobs()` (locking, quitting) asks every such job still running to stop."""
        self.run_beside_store(fn, on_done, on_error, what=what)
        self._cancels[self._next_id] = cancel

    def cancel_jobs(self) -> None:
        for cancel in list(self._cancels.values()):
            cancel()

    def new_era(self) -> None:
        """Locking starts a new era: an error of work queued before it and left to the
        single handler goes to the error stream only (the type, never the message), so no
        message box about the closed session shows over the unlock dialog."""
        self._era += 1

    @property
    def era(self) -> int:
        """The era work queued now belongs to. Work a late callback queues (a save after a
        read that landed after the lock) belongs to the era of the task it follows on."""
        return self._era if self._callback_era is None else self._callback_era

    def _submit(
        self,
        executor: ThreadPoolExecutor,
        fn: Callable[[], Any],
        on_done: DoneCallback | None,
        on_error: ErrorCallback | None,
        what: str,
    ) -> None:
        if self._closed:
            raise RuntimeError("The task runner has been shut down.")
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._next_id += 1
        task = _Task(fn, on_done, on_error, what, self.era)
        self._tasks[self._next_id] = task
        executor.submit(self._work, self._next_id, task)

    def hold(self) -> None:
        """Work the UI thread finishes in slices after a task (opening a version: page
        builds.py) counts as pending until `release()`: `wait_for_idle` waits for it too."""
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

    def release(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
            self.idle.emit()

    def report_error(self, what: str, exc: BaseException) -> None:
        """The single place an error nobody handled goes. Called from a task's callback (an
        operation's own error path), the error is of that task's era: one of an era before
        the last lock goes to the error stream only, never a box over the unlock dialog."""
        if self.era != self._era:
            report_to_stderr(exc)
        else:
            self._error_handler(what, exc)

    def _work(self, task_id: int, task: _Task) -> None:
        """On a worker thread. `task` stays referenced by self._tasks until the UI thread
        delivers it, so nothing it holds is released here (see _Task)."""
        fn = task.fn
        assert fn is not None
        try:
            result = fn()
        except BaseException as exc:  # delivered to the UI thread, never swallowed
            del fn
            self._delivered.emit(_Outcome(task_id, error=exc))
        else:
            del fn
            self._delivered.emit(_Outcome(task_id, result=result))

    def _deliver(self, outcome: _Outcome) -> None:
        task = self._tasks.pop(outcome.task_id)
        self._cancels.pop(outcome.task_id, None)
        task.fn = None  # the worker may still hold `task`: only an empty shell is left to it
        on_done, on_error, task.on_done, task.on_error = task.on_done, task.on_error, None, None
        self._pending -= 1
        outer_era, self._callback_era = self._callback_era, task.era  # a callback may nest
        try:
            if outcome.error is not None:
                if on_error is not None:
                    on_error(outcome.error)
                else:
                    self.report_error(task.what, outcome.error)
            elif on_done is not None:
                on_done(outcome.result)
        except Exception as exc:  # a callback failed (its widget gone?): same single place
            self.report_error(task.what, exc)
        finally:
            self._callback_era = outer_era
            if self._pending == 0:
                self.busy_changed.emit(False)
                self.idle.emit()

    def wait_for_idle(self, timeout_ms: int | None = None) -> bool:
        """Deliver every pending task (their callbacks run) before returning, or give up
        after `timeout_ms` (the runner's wait limit unless given). User input is held back
        meanwhile, so nothing new is queued by a click during the wait."""
        if self._pending == 0:
            return True
        loop = QEventLoop()
        self.idle.connect(loop.quit)
        QTimer.singleShot(self.wait_limit_ms if timeout_ms is None else timeout_ms, loop.quit)
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        self.idle.disconnect(loop.quit)
        return self._pending == 0

    @property
    def closed(self) -> bool:
        """True once shut down: nothing more may be submitted (timers check this first)."""
        return self._closed

    def shutdown(self, timeout_ms: int | None = None) -> bool:
        """Wait for pending work, then stop the worker thread. True when nothing was left."""
        finished = self.wait_for_idle(timeout_ms)
        self._closed = True
        self._executor.shutdown(wait=True)
        if self._beside is not None:
            self._beside.shutdown(wait=True)
        return finished
