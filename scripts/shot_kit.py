"""What the screenshot scripts share: wait for the app to settle, then save a widget."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from aim3desk.ui.tasks import TaskRunner


class Shots:
    def __init__(self, app: QApplication, runner: TaskRunner, out: Path) -> None:
        self.app, self.runner, self.out = app, runner, out

    def wait(self, cond: Callable[[], object] = lambda: True, timeout: float = 30) -> None:
        """Until `cond` holds, then until every task is delivered and painted."""
        end = time.time() + timeout
        while not cond():
            self.app.processEvents()
            time.sleep(0.01)
            if time.time() > end:
                raise TimeoutError
        self.runner.wait_for_idle()
        for _ in range(10):
            self.app.processEvents()

    def save(self, widget: QWidget, name: str) -> None:
        self.wait()
        if not widget.grab().save(str(self.out / name)):
            raise SystemExit(f"could not save {self.out / name}")
        print("saved", name, f"{widget.width()}x{widget.height()}")


def demo_session(folder: Path, count: int = 12, seed: int = 7) -> tuple[Any, list[Any]]:
    """A new profile in `folder` (fast key derivation) with `count` invented demo cases:
    (the open session, the cases)."""
    from datetime import date

    from aim3desk.security.kdf import KdfParams
    from aim3desk.services.demo import add_demo_cases
    from aim3desk.services.profile import ProfileService

    session, _recovery = ProfileService(folder, kdf=KdfParams(8192, 1, 1)).create(
        "ochre lantern tidal quibble meadow", "Alex Testworker"
    )
    return session, add_demo_cases(session, count, seed=seed, today=date.today())
