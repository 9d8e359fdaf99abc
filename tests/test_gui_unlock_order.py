"""What runs after unlock, and in what order: the case list's read first, the deadlines only
when their tab is shown, and the whole-database integrity check once, in the background,
after the case list has loaded; damage it finds is said without taking what is typed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from shiboken6 import isValid

from aim3desk.security.kdf import KdfParams
from aim3desk.security.keyfile import KeyFile
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService
from aim3desk.ui.integrity_watch import DAMAGED_TITLE
from aim3desk.ui.operations.base import Changes
from aim3desk.ui.tasks import TaskRunner
from test_store_integrity import MARKER, damage_a_page_holding, fill
from window_kit import WAIT_MS, attached_window

pytestmark = pytest.mark.gui

PASSPHRASE = "ochre lantern tidal quibble meadow"
TODAY = date(2026, 11, 24)


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A closed profile with demo cases that have deadlines, and filler rows to damage."""
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    folder = tmp_path / "profile"
    session, _recovery = ProfileService(folder, kdf=KdfParams(8192, 1, 1)).create(
        PASSPHRASE, "Alex Testworker"
    )
    with session:
        add_demo_cases(session, 6, seed=0, today=TODAY)
        fill(session.store)
    return folder


def test_the_case_list_loads_first_and_the_deadlines_only_when_shown(
    qtbot, runner: TaskRunner, profile: Path
) -> None:
    session = ProfileService(profile).unlock(PASSPHRASE)
    with attached_window(runner, session) as window:
        qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 6, timeout=WAIT_MS)
        assert runner.wait_for_idle(WAIT_MS)
        dashboard = window.tools.dashboard
        assert not dashboard.isVisible()
        assert dashboard.deadlines == [] and dashboard.summary_label.text() == ""

        window.show_deadlines()
        qtbot.waitUntil(lambda: dashboard.deadlines != [], timeout=WAIT_MS)
        assert dashboard.table.rowCount() > 0

        # Back on the case list, a change only marks the deadlines for the next showing.
        window.home.setCurrentWidget(window.case_list)
        dashboard.deadlines = []
        window.tools.store_changed(Changes(case_details=True))
        assert runner.wait_for_idle(WAIT_MS)
        assert dashboard.deadlines == []
        window.home.setCurrentWidget(dashboard)
        qtbot.waitUntil(lambda: dashboard.deadlines != [], timeout=WAIT_MS)


def test_the_integrity_check_runs_once_in_the_background_after_the_list(
    qtbot, runner: TaskRunner, profile: Path
) -> None:
    session = ProfileService(profile).unlock(PASSPHRASE)
    assert not session.integrity_checked  # the unlock itself did not read every page
    with attached_window(runner, session) as window:
        qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 6, timeout=WAIT_MS)
        assert window.integrity.ran_for is session
        qtbot.waitUntil(lambda: session.integrity_checked, timeout=WAIT_MS)
        window.refresh_cases()  # a later refresh does not start another
        assert runner.wait_for_idle(WAIT_MS)
        assert window.integrity.notice is None


def test_damage_found_in_the_background_is_said_and_the_typing_kept(
    qtbot, runner: TaskRunner, profile: Path
) -> None:
    data_key = KeyFile.load(profile / "profile.key").unlock(PASSPHRASE)
    damage_a_page_holding(profile / "store.db", bytes(data_key), MARKER)
    session = ProfileService(profile).unlock(PASSPHRASE)  # the key still opens it
    with attached_window(runner, session) as window:
        window.case_list.search_edit.setText("half a search")
        with qtbot.waitSignal(window.integrity.damage_found, timeout=WAIT_MS) as found:
            pass
        assert "failed its integrity check" in found.args[0]
        assert "This profile has no backup of its own yet" in found.args[0]
        notice = window.integrity.notice
        assert notice is not None and isValid(notice)
        assert notice.windowTitle() == DAMAGED_TITLE and not notice.isModal()
        assert window.case_list.search_edit.text() == "half a search"
        assert window.session is session and not session.closed
        notice.close()
