"""`aim3desk case delete|copies|asked` end to end: refused under legal hold (exit 1, the
hold's message, nothing changed), then the case deleted with its result printed, its file on
the share withdrawn by the next `aim3desk sync`, and the supervisor's copy listed."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aim3desk.config import load_settings
from aim3desk.domain.retention import LegalHold
from aim3desk.services.profile import ProfileService
from aim3desk.store.unit_of_work import UnitOfWork
from bundle_people import FAST_KDF, PASSPHRASE, new_person
from cli_kit import run
from review_people import acquaint


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("AIM3DESK_PROFILE", raising=False)


def _hold(folder: Path, case_id: str, lift: bool = False) -> None:
    session = ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF).unlock(
        PASSPHRASE
    )
    try:
        with UnitOfWork.for_store(session.store).write() as tx:
            if lift:
                for hold in tx.retention.holds(case_id):
                    tx.retention.lift_hold(hold.id, datetime.now(UTC), "Pat Manager", "Settled.")
            else:
                tx.retention.add_hold(
                    LegalHold(uuid.uuid4().hex, case_id, datetime.now(UTC), "Pat Manager", "Claim.")
                )
    finally:
        session.close()


def test_case_delete_copies_and_asked(capsys, tmp_path: Path) -> None:
    from aim3desk.services.demo import add_demo_cases

    alex = new_person(tmp_path, "Alex Inventedworker")
    sam = new_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")
    case = add_demo_cases(alex, count=1)[0]
    _alex_fp, sam_fp = acquaint(alex, sam)
    folder = alex.profile_dir
    alex.close()
    sam.close()
    share = tmp_path / "share"
    share.mkdir()
    code, _out, err = run(
        capsys, folder, "review", "send", case.reference, "--to", sam_fp,
        "--reason", "Invented reason to send it now.",
    )  # fmt: skip
    assert code == 0, err
    code, _out, err = run(capsys, folder, "sync", "--share", str(share), "--init-share")
    assert code == 0, err
    [sent] = [p for p in share.rglob("*.aim3bundle")]

    _hold(folder, case.id)
    code, out, err = run(
        capsys, folder, "case", "delete", case.reference, "--reason", "Opened in error here."
    )
    assert code == 1 and "legal hold" in err and out == ""
    code, out, _err = run(capsys, folder, "cases", "--json")
    assert [c["id"] for c in json.loads(out)] == [case.id]

    _hold(folder, case.id, lift=True)
    code, out, err = run(
        capsys, folder, "case", "delete", case.reference, "--reason", "Opened in error here."
    )
    assert code == 0, err
    assert f"Case {case.reference} ({case.id}) deleted" in out
    assert "Queued for withdrawal from the shared folder at the next sync" in out
    assert "Copy held by Sam Madeupsupervisor" in out
    code, out, _err = run(capsys, folder, "cases", "--json")
    assert json.loads(out) == []

    code, out, err = run(capsys, folder, "sync", "--share", str(share), "--json")
    assert code == 0, err
    assert json.loads(out)["withdrawn"] == [sent.relative_to(share).as_posix()]
    assert not sent.exists()

    code, out, _err = run(capsys, folder, "case", "copies", "--json")
    copies = json.loads(out)
    assert {c["holder_fingerprint"] for c in copies} == {sam_fp}
    assert all(c["deleted_case_id"] == case.id and c["asked_at"] is None for c in copies)
    code, out, _err = run(capsys, folder, "case", "asked", case.id, sam_fp)
    assert code == 0 and f"Marked {len(copies)} cop" in out
    code, out, _err = run(capsys, folder, "case", "copies")
    assert "not yet" not in out and "Sam Madeupsupervisor" in out
