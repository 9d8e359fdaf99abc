"""`aim3desk review` end to end between two real profiles: send (unready, so with a reason),
the supervisor's inbox as a table and as JSON, a comment on a factor, a return, then a
sign-off, with the bundles carried by `aim3desk sync` through one shared folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bundle_people import PASSPHRASE, new_person
from cli_kit import run
from review_people import acquaint


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("AIM3DESK_PROFILE", raising=False)


@pytest.fixture
def folders(tmp_path: Path):
    from aim3desk.services.demo import add_demo_cases

    alex = new_person(tmp_path, "Alex Inventedworker")
    sam = new_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")
    reference = add_demo_cases(alex, count=2)[1].reference
    _alex_fp, sam_fp = acquaint(alex, sam)
    folders = (alex.profile_dir, sam.profile_dir)
    alex.close()
    sam.close()
    return folders, reference, sam_fp


def carry(capsys, sender: Path, receiver: Path, share: Path) -> list[str]:
    """`aim3desk sync` at the sender, then at the receiver: what the receiver took in."""
    first = not share.exists()
    share.mkdir(exist_ok=True)
    code, _out, err = run(
        capsys, sender, "sync", "--share", str(share), *(["--init-share"] if first else [])
    )
    assert code == 0, err
    code, out, err = run(capsys, receiver, "sync", "--share", str(share), "--json")
    assert code == 0, err
    return [o["status"] for o in json.loads(out)["collected"]]


def test_review_commands(capsys, folders, tmp_path: Path) -> None:
    (alex, sam), reference, sam_fp = folders
    code, _out, err = run(capsys, alex, "review", "send", reference, "--to", sam_fp)
    assert code == 1 and "reason" in err
    code, out, err = run(
        capsys, alex, "review", "send", reference, "--to", sam_fp, "--reason", "Court date soon."
    )
    assert code == 0, err
    bundle_id = out.strip()
    assert len(bundle_id) == 32 and "Queued for Sam Madeupsupervisor" in err
    assert carry(capsys, alex, sam, tmp_path / "share") == ["imported"]

    code, out, _err = run(capsys, sam, "review", "inbox")
    assert code == 0 and bundle_id[:8] in out and "new" in out and reference in out
    code, out, _err = run(capsys, sam, "review", "inbox", "--json")
    [entry] = json.loads(out)
    assert entry["state"] == "new" and entry["sent_with_reason"] == "Court date soon."
    code, out, err = run(capsys, sam, "review", "show", bundle_id[:6], "--draft")
    assert code == 0, err
    assert "Court date soon." in out and "[ ] sign_off" in out

    code, out, err = run(capsys, sam, "review", "comment", bundle_id[:6], "--on", "domain", "x")
    assert code == 1 and "Say which domain" in err
    code, out, err = run(
        capsys, sam, "review", "comment", bundle_id[:6], "--on", "formulation:what_happened",
        "Add the timeline.",
    )  # fmt: skip
    assert code == 0, err
    code, _out, err = run(capsys, sam, "review", "decide", bundle_id[:6], "--sign-off")
    assert code == 1 and "Checklist item not done" in err
    code, out, err = run(
        capsys, sam, "review", "decide", bundle_id[:6], "--return", "--comment", "See above."
    )
    assert code == 0 and "Returned for amendments" in err, err
    assert carry(capsys, sam, alex, tmp_path / "share") == ["imported"]

    code, out, err = run(capsys, alex, "review", "send", reference, "--to", sam_fp, "--reason",
                         "Amended as asked.")  # fmt: skip
    assert code == 0, err
    second = out.strip()
    assert carry(capsys, alex, sam, tmp_path / "share") == ["imported"]
    code, out, _err = run(capsys, sam, "review", "inbox", "--json")
    states = {e["bundle_id"]: e["state"] for e in json.loads(out)}
    assert states == {bundle_id: "returned", second: "new"}
    code, _out, err = run(capsys, sam, "review", "decide", second, "--sign-off", "--all-checked")
    assert code == 0 and "Signed off" in err, err
    code, _out, err = run(capsys, sam, "review", "decide", "ffff", "--sign-off")
    assert code == 1 and "no bundle" in err
    assert carry(capsys, sam, alex, tmp_path / "share") == ["imported"]
