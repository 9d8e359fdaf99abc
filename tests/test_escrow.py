"""Organisation escrow with real key files, real pyrage and real SQLCipher stores: sealing on
create and at the next unlock, re-sealing when policy changes the key, `aim3desk escrow
recover` for a profile whose passphrase and recovery key are both lost, and the practitioner
told once at their next unlock."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pyrage
import pytest

from aim3desk import cli
from aim3desk.security.escrow import EscrowMismatch, NoEscrowSlot, WrongEscrowKey
from aim3desk.security.keyfile import (
    DamagedKeyFile,
    KeyFile,
    WrongPassphrase,
    WrongRecoveryKey,
)
from aim3desk.services.escrow import ESCROW_ACTOR, SEAL_FAILED_NOTICE
from escrow_people import (
    NEW_PASSPHRASE,
    OLD_PASSPHRASE,
    audit_actions,
    new_profile,
    org_key,
    service,
    set_policy,
)

RECOVERY_KEY = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){8}\b")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def sealed(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A profile made under a policy naming the organisation's key: (its key file, public key)."""
    identity, public = org_key(tmp_path)
    set_policy(monkeypatch, tmp_path, public)
    new_profile(folder)
    return identity, public


def recover(capsys, folder: Path, identity: Path) -> tuple[int, str, str]:
    code = cli.main(
        ["escrow", "recover", "--profile", str(folder), "--org-identity", str(identity)]
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def key_file(folder: Path, backup: bool = False) -> KeyFile:
    return KeyFile.load(folder / ("profile.key.bak" if backup else "profile.key"))


def test_it_recovers_a_profile_whose_passphrase_and_recovery_key_are_both_lost(
    capsys, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity, public = org_key(tmp_path)
    set_policy(monkeypatch, tmp_path, public)
    profile_id, old_recovery_key = new_profile(folder)
    assert key_file(folder).escrow["recipient"] == public
    with service(folder).unlock(OLD_PASSPHRASE) as session:
        session.change_passphrase(OLD_PASSPHRASE, OLD_PASSPHRASE)  # a .bak holding them too

    monkeypatch.setenv("AIM3DESK_PASSPHRASE", NEW_PASSPHRASE)
    code, out, err = recover(capsys, folder, identity)
    assert code == 0, err
    new_recovery_key = RECOVERY_KEY.search(out).group(0)
    assert "shown only this once" in out
    assert new_recovery_key != old_recovery_key

    # Neither old secret opens the profile, nor the backup copy beside it.
    for copy in (key_file(folder), key_file(folder, backup=True)):
        with pytest.raises(WrongPassphrase):
            copy.unlock(OLD_PASSPHRASE)
        with pytest.raises(WrongRecoveryKey):
            copy.unlock_with_recovery(old_recovery_key)
    with pytest.raises(WrongPassphrase):
        service(folder).unlock(OLD_PASSPHRASE)

    # The practitioner is told once, at their next unlock; the audit trail holds the recovery.
    with service(folder).unlock(NEW_PASSPHRASE) as session:
        assert session.profile_id == profile_id
        [notice] = session.unlock_notices
        assert "your organisation opened this profile with its escrow key" in notice
        recovered = [e for e in session.audit.entries() if e.action == "profile.escrow_recover"]
        assert [(e.actor, e.target) for e in recovered] == [(ESCROW_ACTOR, profile_id)]
        assert set(recovered[0].detail) == {"os_user"}
        assert session.audit.verify().ok
    with service(folder).unlock(NEW_PASSPHRASE) as session:
        assert session.unlock_notices == []

    # The new recovery key works (and sets another passphrase, as it always does).
    with service(folder).unlock_with_recovery(new_recovery_key, OLD_PASSPHRASE + " two"):
        pass


def test_an_existing_profile_is_sealed_at_its_next_unlock_once_policy_names_a_key(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_policy(monkeypatch, tmp_path, None)
    new_profile(folder)
    assert key_file(folder).escrow is None
    identity, public = org_key(tmp_path)
    set_policy(monkeypatch, tmp_path, public)

    with service(folder).unlock(OLD_PASSPHRASE) as session:
        assert session.unlock_notices == []
    assert key_file(folder).escrow["recipient"] == public
    service(folder).check_escrow_key(identity.read_text())  # the organisation's key opens it
    seals = [a for a in audit_actions(folder) if a[1] == "escrow.seal"]
    assert len(seals) == 1
    assert seals[0][2] == {"recipient": f"{public[:12]}...{public[-6:]}", "reseal": False}
    # Already sealed to this key: later unlocks change nothing.
    before = (folder / "profile.key").read_bytes()
    service(folder).unlock(OLD_PASSPHRASE).close()
    assert (folder / "profile.key").read_bytes() == before


def test_a_new_key_in_policy_reseals_and_the_old_key_no_longer_opens_it(
    capsys, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_identity, old_public = org_key(tmp_path, "old")
    new_identity, new_public = org_key(tmp_path, "new")
    set_policy(monkeypatch, tmp_path, old_public)
    new_profile(folder)
    set_policy(monkeypatch, tmp_path, new_public)
    service(folder).unlock(OLD_PASSPHRASE).close()

    for copy in (key_file(folder), key_file(folder, backup=True)):
        assert copy.escrow["recipient"] == new_public
        with pytest.raises(WrongEscrowKey) as refused:
            copy.unlock_with_escrow(old_identity.read_text())
        assert str(refused.value).startswith(
            f"This key is not the one the profile was sealed to; it was sealed to {new_public}."
        )
    service(folder).check_escrow_key(new_identity.read_text())
    seals = [a[2] for a in audit_actions(folder) if a[1] == "escrow.seal"]
    assert [s["reseal"] for s in seals] == [False, True]

    before = (folder / "profile.key").read_bytes()
    code, out, err = recover(capsys, folder, old_identity)
    assert code == 1
    assert "this key is not the one the profile was sealed to" in err.lower()
    assert new_public in err
    assert out == ""
    assert (folder / "profile.key").read_bytes() == before


def test_a_policy_without_a_key_keeps_the_slot(
    sealed, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity, _public = sealed
    slot = key_file(folder).escrow
    set_policy(monkeypatch, tmp_path, None)
    service(folder).unlock(OLD_PASSPHRASE).close()
    unreadable = tmp_path / "broken-policy.toml"
    unreadable.write_text("[settings\nescrow_recipient = ", "utf-8")
    monkeypatch.setenv("AIM3DESK_POLICY", str(unreadable))
    service(folder).unlock(OLD_PASSPHRASE).close()
    assert key_file(folder).escrow == slot
    service(folder).check_escrow_key(identity.read_text())


def test_a_slot_copied_from_another_profile_is_refused_and_sealed_again(
    sealed, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity, _public = sealed
    new_profile(tmp_path / "other")
    mine = key_file(folder)
    mine.escrow = key_file(tmp_path / "other").escrow
    mine.save()

    with pytest.raises(EscrowMismatch, match="belongs to another profile"):
        service(folder).check_escrow_key(identity.read_text())
    with service(folder).unlock(OLD_PASSPHRASE):  # its mac fails: sealed again for this one
        pass
    service(folder).check_escrow_key(identity.read_text())


def test_a_damaged_escrow_field_is_damage(sealed, folder: Path) -> None:
    for field, value in (("recipient", "age1notakey"), ("sealed", "bm90IGFuIGFnZSBmaWxl")):
        keyfile = key_file(folder)
        keyfile.escrow = {**keyfile.escrow, field: value}
        keyfile.save()  # a consistent checksum: only the field's shape is wrong
        with pytest.raises(DamagedKeyFile):
            key_file(folder)
        (folder / "profile.key.bak").replace(folder / "profile.key")


def test_a_failed_seal_never_stops_the_unlock(
    caplog, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_policy(monkeypatch, tmp_path, None)
    new_profile(folder)
    _identity, public = org_key(tmp_path)
    set_policy(monkeypatch, tmp_path, public)
    backup = folder / "profile.key.bak"
    backup.unlink(missing_ok=True)
    (backup / "in-the-way").mkdir(parents=True)  # the key file cannot be saved

    with service(folder).unlock(OLD_PASSPHRASE) as session:
        assert session.unlock_notices == [SEAL_FAILED_NOTICE]
        # The seal was audited before the key file was written, so its entry is followed
        # by one saying the change was not made.
        actions = [e.action for e in session.audit.entries()]
        assert actions[-2:] == ["escrow.seal", "key_file.change_not_made"]
    assert key_file(folder).escrow is None
    assert "escrow seal failed" in caplog.text
    assert public not in caplog.text


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("never sealed", "this profile was never sealed to your organisation's key"),
        ("damaged identity", "is not an age identity file"),
        ("not age text", "is not an age identity file"),
        ("no profile", "no profile at"),
    ],
)
def test_recover_says_plainly_what_is_wrong(
    capsys, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, case, expected
) -> None:
    identity, public = org_key(tmp_path)
    set_policy(monkeypatch, tmp_path, None if case == "never sealed" else public)
    if case != "no profile":
        new_profile(folder)
    if case == "damaged identity":
        identity.write_text(identity.read_text().replace("AGE-SECRET-KEY-1", "AGE-SECRET-KEY-2"))
    if case == "not age text":
        identity.write_bytes(b"\xff\xfe" + bytes(range(200)))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", NEW_PASSPHRASE)
    code, out, err = recover(capsys, folder, identity)
    assert (code, out) == (1, "")
    assert expected in err.lower()
    if case != "no profile":
        service(folder).unlock(OLD_PASSPHRASE).close()  # nothing was changed


def test_never_sealed_is_refused_by_the_key_file_too(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity, _public = org_key(tmp_path)
    set_policy(monkeypatch, tmp_path, None)
    new_profile(folder)
    with pytest.raises(NoEscrowSlot):
        key_file(folder).unlock_with_escrow(identity.read_text())


def test_the_sealed_slot_holds_the_profile_id_not_the_bare_key(sealed, folder: Path) -> None:
    identity, _public = sealed
    profile_id = key_file(folder).profile_id
    blob = base64.b64decode(key_file(folder).escrow["sealed"])
    secret = identity.read_text().splitlines()[-1]
    payload = json.loads(pyrage.decrypt(blob, [pyrage.x25519.Identity.from_str(secret)]))
    assert payload["format"] == "aim3desk-escrow"
    assert payload["profile_id"] == profile_id
    with service(folder).unlock(OLD_PASSPHRASE) as session:
        # the sealed key is the one that opens this profile
        assert key_file(folder).verify_data_key(base64.b64decode(payload["data_key"]))
        assert session.profile_id == profile_id
