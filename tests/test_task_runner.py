"""The task runner releases what a task holds on the UI thread only: a widget's Python
wrapper that dies on a worker thread destroys the widget there, which can crash the process
later (seen as a segmentation fault while pytest-qt processed events)."""

from __future__ import annotations

import threading
from typing import ClassVar

import pytest

from aim3desk.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


class Owner:
    """Stands for a widget: records the thread its last reference was dropped on."""

    died_on: ClassVar[list[str]] = []

    def done(self, _result: object) -> None:
        pass

    def __del__(self) -> None:
        Owner.died_on.append(threading.current_thread().name)


def test_callbacks_and_captured_values_die_on_the_ui_thread(qtbot) -> None:
    runner = TaskRunner()
    Owner.died_on = []
    try:
        for _ in range(300):
            owner, captured = Owner(), Owner()
            runner.run(lambda c=captured: id(c), owner.done)
            del owner, captured
        assert runner.wait_for_idle(30_000)
        runner.run_beside_store(lambda: None, Owner().done)
        assert runner.wait_for_idle(30_000)
    finally:
        runner.shutdown()
    assert len(Owner.died_on) == 601
    assert set(Owner.died_on) == {threading.main_thread().name}
