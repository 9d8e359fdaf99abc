"""Concurrent use of one profile (issue 15): real processes running the command line on one
real profile, beside each other and beside a session open in this process.

Whatever runs together, no command crashes: each either does its work or says the profile is
in use (exit code 5) having changed nothing. A saved action always has its audit entry and a
refused one has neither entry nor file; the audit trail verifies and its signed head matches
the store afterwards (checked as the profile opens, and again by verify)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from aim3desk.cli import EXIT_BUSY, EXIT_OK
from aim3desk.services.errors import StoreBusy
from aim3desk.services.profile import ProfileService
from aim3desk.store.errors import BUSY_MESSAGE
from aim3desk.store.unit_of_work import UnitOfWork
from concurrency_kit import (
    PASSPHRASE,
    Finished,
    SharedProfile,
    crash_reports,
    make_shared_profile,
    profile_state,
    run_together,
)

# One line on stderr, nothing else, whichever command was refused.
BUSY_LINE = BUSY_MESSAGE + "\n"


@pytest.fixture
def no_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    monkeypatch.setenv("AIM3DESK_BUSY_WAIT", "2")


def imported_reference(done: Finished) -> str:
    """The case a finished `import` says it imported."""
    return done.out.split("Imported case ", 1)[1].split(" ", 1)[0]


def check_imports_together(shared: SharedProfile) -> list[Finished]:
    """Import every file of `shared`, each by a process of its own, all started together."""
    results = run_together(shared, [("import", path) for path in shared.files])
    for done in results:
        assert done.code in (EXIT_OK, EXIT_BUSY), done.err[-2000:]
        assert "Traceback" not in done.err
        if done.code == EXIT_BUSY:
            assert done.err == BUSY_LINE
    assert crash_reports(shared) == []
    imported = {imported_reference(done) for done in results if done.code == EXIT_OK}
    state = profile_state(shared)
    assert state.references == {shared.held} | imported
    assert all(state.imports[reference] == 1 for reference in imported)
    assert sum(state.imports.values()) == len(imported)  # none for a refused one
    assert state.trail_ok, state.trail_message
    assert "matches its signed head" in state.trail_message
    return results


def test_imports_started_together_each_land_once_or_are_told_the_profile_is_busy(
    tmp_path: Path, no_policy: None
) -> None:
    shared = make_shared_profile(tmp_path, files=6)
    check_imports_together(shared)


@pytest.mark.slow
def test_sixty_imports_started_together(tmp_path: Path, no_policy: None) -> None:
    """The issue's count: 9 of 60 crashed with "database is locked" before."""
    shared = make_shared_profile(tmp_path, files=60)
    shared.env["AIM3DESK_BUSY_WAIT"] = "120"  # 60 processes on a small machine queue up
    results = check_imports_together(shared)
    assert all(done.code == EXIT_OK for done in results)


def commands_on(shared: SharedProfile, out: Path, n: int) -> list[tuple[str | Path, ...]]:
    """A read, an import, a report, an export and the annual return: each a change the
    profile records (every command's unlock is one too)."""
    return [
        ("cases",),
        ("import", shared.files[n]),
        ("report", shared.held, "--out", out / f"report-{n}.pdf"),
        ("export", shared.held, "--plaintext", "--out", out / f"export-{n}.json"),
        (
            "annual-return",
            "--from",
            "2025-04-01",
            "--to",
            "2026-03-31",
            "--out",
            out / f"return-{n}.csv",
        ),
    ]


def test_commands_beside_a_session_wait_for_its_change_or_say_the_profile_is_busy(
    tmp_path: Path, no_policy: None
) -> None:
    """While this process holds a change open past their wait, every command says the
    profile is in use and leaves nothing behind (no report, export or return file, no case,
    no entry); once it has committed, the same commands do their work beside the open
    session, each saved action with its one entry."""
    shared = make_shared_profile(tmp_path, files=2)
    out = tmp_path / "out"
    out.mkdir()
    with ProfileService(shared.folder).unlock(PASSPHRASE) as session:
        holder = UnitOfWork.for_store(session.store)  # a second window's save, held open
        with holder.write() as tx:
            tx.audit("Alex Testworker", "test.held_open")
            refused = run_together(shared, commands_on(shared, out, 0))
        assert [done.code for done in refused] == [EXIT_BUSY] * len(refused)
        assert all(done.err == BUSY_LINE for done in refused)
        assert list(out.iterdir()) == []

        done = run_together(shared, commands_on(shared, out, 1))
        assert all(d.code == EXIT_OK for d in done), [d.err for d in done]
        session.audit.append("Alex Testworker", "test.after")  # the session writes on too
        assert session.audit.verify().ok
    assert sorted(p.name for p in out.iterdir()) == [
        "export-1.json",
        "report-1.pdf",
        "return-1.csv",
    ]
    state = profile_state(shared)
    assert crash_reports(shared) == []
    assert state.trail_ok, state.trail_message
    assert state.imports == {imported_reference(done[1]): 1}
    for action in ("report.export", "case.export", "annual_return.export"):
        assert state.actions[action] == 1, action


@pytest.mark.slow
def test_thirty_commands_beside_a_session_that_keeps_saving(
    tmp_path: Path, no_policy: None
) -> None:
    """The issue's count: 3 of 30 commands beside an open session crashed before."""
    shared = make_shared_profile(tmp_path, files=6)
    shared.env["AIM3DESK_BUSY_WAIT"] = "120"
    out = tmp_path / "out"
    out.mkdir()
    stop = threading.Event()
    saves: list[int] = []
    with ProfileService(shared.folder).unlock(PASSPHRASE) as session:

        def keep_saving() -> None:
            while not stop.is_set():
                session.audit.append("Alex Testworker", "test.save")
                saves.append(1)

        saver = threading.Thread(target=keep_saving)
        saver.start()
        try:
            results = []
            for n in range(6):
                results += run_together(shared, commands_on(shared, out, n))
        finally:
            stop.set()
            saver.join()
    assert [d.code for d in results] == [EXIT_OK] * 30, [d.err for d in results]
    state = profile_state(shared)
    assert state.trail_ok, state.trail_message
    assert state.actions["test.save"] == len(saves)
    assert state.actions["report.export"] == 6 and state.actions["case.export"] == 6
    assert sum(state.imports.values()) == 6


def test_a_change_past_the_wait_is_store_busy_and_changes_nothing(
    tmp_path: Path, no_policy: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In one process too: a session whose change meets another's held past the wait gets
    StoreBusy, and what it was writing (a report, with its entry) is not there."""
    monkeypatch.setenv("AIM3DESK_BUSY_WAIT", "0.5")
    shared = make_shared_profile(tmp_path, files=0)
    first = ProfileService(shared.folder).unlock(PASSPHRASE)
    second = ProfileService(shared.folder).unlock(PASSPHRASE)
    try:
        request = second.reports.prepare(shared.held, "full")
        data = second.reports.render(request)
        before = len(second.audit.entries())
        target = tmp_path / "report.pdf"
        with UnitOfWork.for_store(first.store).write() as tx:
            tx.audit("Alex Testworker", "test.held_open")
            with pytest.raises(StoreBusy) as refused:
                second.reports.save(request, data, target, None)
        assert str(refused.value) == BUSY_MESSAGE
        assert not target.exists()
        assert len(second.audit.entries()) == before + 1  # the held one only
        second.reports.save(request, data, target, None)
        assert target.exists()
        assert second.audit.entries()[-1].action == "report.export"
    finally:
        second.close()
        first.close()


def test_a_report_that_cannot_be_written_leaves_no_entry(tmp_path: Path, no_policy: None) -> None:
    """The file is written inside the transaction that records it: a write that fails
    rolls the entry back."""
    shared = make_shared_profile(tmp_path, files=0)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder is expected\n", encoding="utf-8")
    with ProfileService(shared.folder).unlock(PASSPHRASE) as session:
        request = session.reports.prepare(shared.held, "full")
        data = session.reports.render(request)
        before = session.audit.entries()
        with pytest.raises(OSError):
            session.reports.save(request, data, blocker / "report.pdf", None)
        assert session.audit.entries() == before
