"""Work begun before a lock whose result or error arrives after it, on a real profile and the
real controller. A gate (a threading.Event in work queued through the runner) holds a worker
while the lock goes through: the lock stops waiting for it after the controller's short
`wait_limit_ms`, closes the session and shows the unlock dialog; then the gate opens and what
was queued behind it delivers. Nothing may show over the unlock dialog, nothing may reach the
closed store, no widget may hold case text, and an error goes to the error stream as its type
only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from shiboken6 import isValid

import lock_kit as kit
from aim3desk.app import create_application
from aim3desk.config import load_settings
from aim3desk.domain.assessment_items import FactorRating
from aim3desk.services.profile import ProfileService
from aim3desk.ui.controller import AppController
from aim3desk.ui.operations.assessments import save_assessment_items
from aim3desk.ui.operations.base import Query
from aim3desk.ui.report_dialog import ReportDialog
from aim3desk.ui.unlock import UnlockDialog
from lock_kit import FAST_KDF, PASSPHRASE, CanaryCase

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
SETTING_UP_MS = 600_000  # no idle lock of its own while a test runs
WAIT_LIMIT_MS = 200  # the lock gives up waiting for the held work this soon


class Gate:
    """Work that holds the worker it runs on until opened (never for ever: a broken test
    fails instead of hanging)."""

    def __init__(self) -> None:
        self._open = threading.Event()

    def hold(self) -> None:
        self._open.wait(WAIT_MS / 1000)

    def open(self) -> None:
        self._open.set()


class WindowsShown(QObject):
    """Every top-level window shown while it listens, whatever closed it afterwards."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[QWidget] = []
        QApplication.instance().installEventFilter(self)

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            self.shown.append(watched)
        return False

    def kinds_besides(self, allowed: QWidget) -> list[str]:
        return [type(w).__name__ for w in self.shown if w is not allowed]


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, CanaryCase]:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    profile_dir = tmp_path / "profile"
    return profile_dir, kit.profile_with_canary_case(profile_dir)


@pytest.fixture
def controller(qtbot, seeded: tuple[Path, CanaryCase]) -> Iterator[AppController]:
    profile_dir, case = seeded
    create_application(["aim3desk-test"])
    app_controller = AppController(
        profile_dir,
        load_settings(profile_dir),
        kdf=FAST_KDF,
        idle_timeout_ms=SETTING_UP_MS,
        wait_limit_ms=WAIT_LIMIT_MS,
    )
    window = kit.start_and_unlock(qtbot, app_controller, WAIT_MS)
    window.open_case(case.case_id)
    qtbot.waitUntil(lambda: window.case_view is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: app_controller.runner.pending == 0, timeout=WAIT_MS)
    yield app_controller
    app_controller.quit()


@pytest.fixture
def gate(controller: AppController) -> Iterator[Gate]:
    """Opened at the end whatever happened, before the controller quits (it waits for it)."""
    held = Gate()
    yield held
    held.open()


@pytest.fixture
def shows(controller: AppController) -> Iterator[WindowsShown]:
    recorder = WindowsShown()
    yield recorder
    recorder.stop()


def lock_past_the_gate(qtbot, controller: AppController, gate: Gate) -> None:
    """Lock while the gate holds a worker, then open it and let everything behind it land."""
    controller.lock()  # a second call (the test locked already) does nothing
    assert controller.session is None  # the lock went through without the held work
    assert isinstance(controller.dialog, UnlockDialog)
    gate.open()
    qtbot.waitUntil(lambda: controller.runner.pending == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: kit.visible_windows() == [controller.dialog], timeout=WAIT_MS)


def test_a_late_error_goes_to_the_error_stream_as_its_type_only(
    qtbot, controller, seeded, gate, shows, capsys
) -> None:
    _profile, case = seeded
    secret = kit.canary("Brackenmoor")

    def fail() -> None:
        raise LookupError(f"no row for {secret}")  # an error whose message holds case text

    runner = controller.runner
    runner.run(gate.hold)
    Query(runner, fail, "reading the case").run()  # no handler of its own
    runner.run(fail)  # straight through the runner, no handler either
    lock_past_the_gate(qtbot, controller, gate)
    assert shows.kinds_besides(controller.dialog) == []  # no message box, not even briefly
    stderr = capsys.readouterr().err
    assert stderr.count("LookupError") >= 2
    assert secret not in stderr
    assert kit.widgets_holding((*case.all, secret)) == []


def test_a_window_a_late_result_opens_is_closed_and_emptied(
    qtbot, controller, seeded, gate, shows
) -> None:
    _profile, case = seeded
    window = controller.main_window
    secret = kit.canary("Tumblevetch")

    def show_box(text: str) -> None:
        QMessageBox(
            QMessageBox.Icon.Information, "Invented", text, QMessageBox.StandardButton.Ok, window
        ).open()

    def show_top_level(text: str) -> None:
        label = QLabel(text)
        label.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        shown.append(label)
        label.show()

    shown: list[QLabel] = []
    runner = controller.runner
    runner.run(gate.hold)
    Query(runner, lambda: f"Found {secret}", "reading").on_done(show_box).run()
    runner.run(lambda: secret, show_top_level)
    lock_past_the_gate(qtbot, controller, gate)
    assert sorted(shows.kinds_besides(controller.dialog)) == ["QLabel", "QMessageBox"]
    assert kit.visible_windows() == [controller.dialog]
    assert kit.widgets_holding((*case.all, secret)) == []


def test_work_queued_after_the_session_closed_writes_nothing(
    qtbot, controller, seeded, gate, shows, capsys
) -> None:
    """A save queued before the lock reaches the store before it closes (it is the
    person's work); one a late callback queues afterwards is refused, quietly."""
    profile_dir, case = seeded
    session = controller.session
    assessment = session.cases.get_case(case.case_id).current_assessment
    assessment_id = assessment.id
    domain = session.assessments.form_set.domains_for(assessment.model.value)[0]
    before, after = kit.canary("Orlquist"), kit.canary("Pennyvale")

    def rating(text: str) -> FactorRating:
        return FactorRating(domain.id, domain.factors[0].slot, None, f"Reason: {text}.")

    def save(text: str):
        return save_assessment_items(
            controller.runner, session, case.case_id, assessment_id, [rating(text)], []
        )

    runner = controller.runner
    runner.run(gate.hold)
    save(before).on_done(lambda _saved: save(after).run()).run()
    lock_past_the_gate(qtbot, controller, gate)
    assert shows.kinds_besides(controller.dialog) == []
    assert "StoreClosed" in capsys.readouterr().err

    reopened = ProfileService(profile_dir, kdf=FAST_KDF).unlock(PASSPHRASE)
    try:
        content = reopened.assessments.load(assessment_id)
        rationales = " ".join(r.rationale for r in content.ratings)
        assert before in rationales
        assert after not in rationales
    finally:
        reopened.close()


def test_a_report_held_behind_the_lock_writes_no_file_and_shows_nothing(
    qtbot, controller, seeded, gate, shows, tmp_path: Path
) -> None:
    profile_dir, case = seeded
    out = tmp_path / "chosen" / "report.pdf"
    out.parent.mkdir()
    window = controller.main_window
    controller.runner.run_beside_store(gate.hold)  # the report's layout waits behind this
    window.tools.show_report()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ReportDialog))
    dialog.open_when_done = False
    dialog.set_output_path(out)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog._build is not None, timeout=WAIT_MS)  # queued, held
    lock_past_the_gate(qtbot, controller, gate)
    assert shows.kinds_besides(controller.dialog) == ["ReportDialog"]  # the one opened above
    assert list(out.parent.iterdir()) == []
    assert kit.widgets_holding(case.all) == []

    reopened = ProfileService(profile_dir, kdf=FAST_KDF).unlock(PASSPHRASE)
    try:
        assert [e for e in reopened.audit.entries() if e.action == "report.export"] == []
    finally:
        reopened.close()


def test_callbacks_of_a_widget_deleted_during_the_lock_are_dropped(
    qtbot, controller, seeded, gate, shows, capsys
) -> None:
    """The case view goes at the lock: a bound method of a widget in it is not called; a
    lambda that reaches one fails, and that failure goes to the error stream only."""
    _profile, case = seeded
    secret = kit.canary("Quillimot")
    in_case_view = QLabel(controller.main_window.case_view)
    runner = controller.runner
    runner.run(gate.hold)
    Query(runner, lambda: secret, "reading").on_done(in_case_view.setText).run()
    Query(runner, lambda: None, "reading").on_done(lambda _none: in_case_view.setText(secret)).run()
    controller.lock()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the app's next turn
    assert not isValid(in_case_view)
    lock_past_the_gate(qtbot, controller, gate)
    assert shows.kinds_besides(controller.dialog) == []
    stderr = capsys.readouterr().err
    assert stderr.count("RuntimeError") == 1  # the lambda's, never the bound method's
    assert secret not in stderr
    assert kit.widgets_holding((*case.all, secret)) == []
