"""What the screenshot scripts share: the start-up (environment, application, shots folder and
a temporary folder), invented profiles, a main window on one, waiting for the app to settle,
saving a widget or the screen, and the end.

A script begins with `app, out, tmp = start()`; nothing it imports reads the machine policy
or the Qt platform before that call (the settings read AIM3DESK_POLICY when they load)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from PySide6.QtWidgets import QApplication, QWidget

from aim3desk.app import create_application
from aim3desk.domain.cases import Case
from aim3desk.security.kdf import KdfParams
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.forms_loader import load_form_set
from aim3desk.services.profile import ProfileService
from aim3desk.services.session import Session
from aim3desk.ui.main_window import MainWindow
from aim3desk.ui.tasks import TaskRunner

OUT = Path(__file__).resolve().parent.parent / "shots"
SIZE = (1366, 768)  # a common council laptop
PASSPHRASE = "ochre lantern tidal quibble meadow"  # noqa: S105 - invented profiles
FAST_KDF = KdfParams(8192, 1, 1)  # the app calibrates; screenshots only need a profile


def start(policy: str | None = None) -> tuple[QApplication, Path, Path]:
    """Draw offscreen unless a platform was chosen, and read the machine policy `policy`
    (TOML text) or none, never this machine's; then create the application.
    (the application, the shots folder, a new temporary folder)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp())
    policy_file = tmp / "policy.toml"
    if policy is not None:
        policy_file.write_text(policy, encoding="utf-8")
    os.environ["AIM3DESK_POLICY"] = str(policy_file)  # a missing file: no policy
    OUT.mkdir(exist_ok=True)
    return create_application(["shots"]), OUT, tmp


def person(folder: Path, name: str = "Alex Testworker", role: str = "practitioner") -> Session:
    """A new profile in `folder` (fast key derivation), open."""
    return ProfileService(folder, kdf=FAST_KDF).create(PASSPHRASE, name, role=role)[0]


def demo_session(
    folder: Path, count: int = 12, seed: int = 7, name: str = "Alex Testworker"
) -> tuple[Session, list[Case]]:
    """A new profile in `folder` with `count` invented demo cases: (the session, the cases)."""
    session = person(folder, name)
    return session, add_demo_cases(session, count, seed=seed)


class Shots:
    def __init__(self, app: QApplication, out: Path, runner: TaskRunner | None = None) -> None:
        self.app, self.out = app, out
        self.runner = runner or TaskRunner()
        self.windows: list[MainWindow] = []

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

    def save_screen(self, name: str) -> None:
        """The whole screen: popups (a calendar) are windows of their own."""
        self.wait()
        if not self.app.primaryScreen().grabWindow(0).save(str(self.out / name)):
            raise SystemExit(f"could not save {self.out / name}")
        print("saved", name)

    def main_window(self, session: Session, size: tuple[int, int] = SIZE) -> MainWindow:
        """A main window of `size` on `session`, shown; detached by `finish`."""
        window = MainWindow(self.runner)
        window.resize(*size)
        window.attach(session, load_form_set())
        window.show()
        self.windows.append(window)
        return window

    def finish(self, *sessions: Session) -> NoReturn:
        """Detach the main windows, deliver every task, close `sessions` and exit."""
        for window in self.windows:
            window.detach()
        self.runner.shutdown()
        for session in sessions:
            session.close()
        sys.exit(0)
