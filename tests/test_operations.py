"""Named operations on the one store worker: stale results are dropped in one place, a change
publishes what it changed after its own callback, errors reach the single handler, and a job
that touches no store never holds up the store worker."""

from __future__ import annotations

import threading

import pytest

from aim3desk.ui.operations.base import Change, Changes, Job, Latest, Query, Record
from aim3desk.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def runner(qtbot):
    errors: list[tuple[str, BaseException]] = []
    task_runner = TaskRunner(error_handler=lambda what, exc: errors.append((what, exc)))
    task_runner.errors = errors  # type: ignore[attr-defined]
    yield task_runner
    task_runner.shutdown()


def test_only_the_newest_read_through_a_slot_delivers(runner) -> None:
    slot = Latest()
    shown: list[str] = []
    release = threading.Event()
    Query(runner, lambda: (release.wait(), "old")[1], "reading").latest(slot).on_done(
        shown.append
    ).run()
    Query(runner, lambda: "new", "reading").latest(slot).on_done(shown.append).run()
    release.set()
    assert runner.wait_for_idle(10_000)
    assert shown == ["new"]


def test_a_result_for_a_widget_already_deleted_is_dropped_not_an_error(runner) -> None:
    from PySide6.QtWidgets import QLabel
    from shiboken6 import delete

    label = QLabel()
    release = threading.Event()
    Query(runner, lambda: (release.wait(), "status")[1], "reading").on_done(label.setText).run()
    Query(runner, lambda: 1 / 0, "reading").on_error(label.setText).run()
    delete(label)  # the window closed while the reads were queued
    release.set()
    assert runner.wait_for_idle(10_000)
    assert runner.errors == []


def test_a_read_already_stale_when_the_worker_reaches_it_is_not_run(runner) -> None:
    slot = Latest()
    ran: list[str] = []
    release = threading.Event()
    runner.run(release.wait)  # the worker is busy while three searches are typed
    for words in ("a", "ab", "abc"):
        Query(runner, lambda w=words: ran.append(w) or w, "searching").latest(slot).on_done(
            ran.append
        ).run()
    release.set()
    assert runner.wait_for_idle(10_000)
    assert ran == ["abc", "abc"]  # run once and delivered; the two stale ones never ran


def test_a_dropped_slot_delivers_nothing_not_even_an_error(runner) -> None:
    slot = Latest()
    delivered: list[object] = []

    def fails() -> None:
        raise OSError("disk gone")

    Query(runner, lambda: "rows", "reading").latest(slot).on_done(delivered.append).run()
    Query(runner, fails, "reading").latest(Latest()).run()  # another slot: still reported
    stale = Query(runner, fails, "reading").latest(slot)
    stale.run()
    slot.drop()  # locked before the result came back
    assert runner.wait_for_idle(10_000)
    assert delivered == []
    assert [what for what, _exc in runner.errors] == ["reading"]


def test_a_change_publishes_what_it_changed_after_its_own_callback(runner) -> None:
    order: list[str] = []
    published: list[tuple[Changes, object]] = []
    runner.changes.changed.connect(
        lambda changes, by: (order.append("published"), published.append((changes, by)))
    )
    owner = object()
    changes = Changes(case_id="case-1", records=frozenset({Record.LOGS}))
    Change(runner, lambda: 42, "saving", changes).on_done(lambda _r: order.append("done")).by(
        owner
    ).run()
    assert runner.wait_for_idle(10_000)
    assert order == ["done", "published"]
    assert published == [(changes, owner)]
    assert changes.touches("case-1", Record.LOGS)
    assert not changes.touches("case-2", Record.LOGS)
    assert not changes.touches("case-1", Record.SUPERVISION)


def test_a_change_may_name_what_it_changed_from_its_result(runner) -> None:
    published: list[Changes] = []
    runner.changes.changed.connect(lambda changes, _by: published.append(changes))
    Change(runner, lambda: "new-case", "adding", lambda made: Changes(case_id=made)).run()
    assert runner.wait_for_idle(10_000)
    assert published == [Changes(case_id="new-case")]


def test_a_failed_change_publishes_nothing(runner) -> None:
    published: list[Changes] = []
    runner.changes.changed.connect(lambda changes, _by: published.append(changes))
    failures: list[BaseException] = []

    def fails() -> None:
        raise ValueError("refused")

    Change(runner, fails, "saving", Changes(case_list=True)).on_error(failures.append).run()
    assert runner.wait_for_idle(10_000)
    assert published == [] and isinstance(failures[0], ValueError)


def test_deadlines_move_with_case_details_and_plans_not_with_logs() -> None:
    assert Changes(case_details=True).deadlines
    assert Changes(records=frozenset({Record.INTERVENTION})).deadlines
    assert not Changes(records=frozenset({Record.LOGS})).deadlines
    assert not Changes(assessment_id="a").deadlines


def test_a_job_runs_beside_the_store_worker_so_saves_keep_flowing(qtbot, runner) -> None:
    """The job waits until a store operation queued after it has finished: if both shared
    the one worker this would never happen."""
    saved = threading.Event()
    progress: list[float] = []

    def long_build(report, cancelled) -> str:
        report(0.5, "halfway")
        if not saved.wait(10):
            raise TimeoutError("the store worker was held up")
        return "built"

    built: list[str] = []
    Job(runner, long_build, "making the report").on_progress(
        lambda fraction, _m: progress.append(fraction)
    ).on_done(built.append).run()
    Change(runner, saved.set, "saving", Changes()).run()
    assert runner.wait_for_idle(15_000)
    assert built == ["built"] and progress == [0.5]
    assert runner.errors == []


def test_a_cancelled_job_is_told_so(qtbot, runner) -> None:
    started = threading.Event()
    outcome: list[bool] = []

    def build(_report, cancelled) -> bool:
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        return True

    job = Job(runner, build, "making the report").on_done(outcome.append)
    job.run()
    assert started.wait(10)
    job.cancel()
    assert runner.wait_for_idle(10_000)
    assert outcome == [True]
