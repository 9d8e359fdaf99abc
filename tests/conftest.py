"""Test set-up shared by every suite: headless Qt before anything imports it."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never let a test touch the real user profile.
os.environ.pop("AIM3DESK_PROFILE", None)
os.environ.pop("AIM3DESK_PASSPHRASE", None)


import pytest


@pytest.fixture
def signing_pair(tmp_path, monkeypatch):
    """A practitioner's and a supervisor's real profiles (tests/signed_off.py makes a real
    sign-off between them); no machine policy."""
    from bundle_people import new_person

    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    practitioner = new_person(tmp_path, "Odile Testwright")
    supervisor = new_person(tmp_path, "Percival Samplesby", role="supervisor")
    yield practitioner, supervisor
    practitioner.close()
    supervisor.close()


@pytest.fixture
def session(tmp_path, monkeypatch):
    """A practitioner's real encrypted profile (Alex Testworker, fast key derivation); no
    machine policy. Closed after the test."""
    from aim3desk.security.kdf import KdfParams
    from aim3desk.services.profile import ProfileService

    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    opened, _recovery = ProfileService(tmp_path / "profile", kdf=KdfParams(8192, 1, 1)).create(
        "ochre lantern tidal quibble meadow", "Alex Testworker"
    )
    yield opened
    opened.close()


@pytest.fixture
def runner(qtbot):
    """A task runner for GUI tests whose unexpected errors fail the test (never a message
    box); it is shut down, every pending task delivered, before the profiles close."""
    from aim3desk.ui.tasks import TaskRunner

    errors: list[tuple[str, BaseException]] = []
    task_runner = TaskRunner(error_handler=lambda what, exc: errors.append((what, exc)))
    yield task_runner
    task_runner.shutdown()
    assert errors == []
