"""Key file: wrapping, recovery, passphrase change, and damage told apart from a wrong guess."""

from __future__ import annotations

import base64
import json
import tempfile
import unicodedata
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aim3desk.security.keyfile import (
    KEY_FILE_NAME,
    DamagedKeyFile,
    KdfParams,
    KeyFile,
    KeyFileError,
    MissingKeyFile,
    MistypedRecoveryKey,
    UnsupportedKeyFile,
    WrongPassphrase,
    WrongRecoveryKey,
    calibrate_kdf,
    format_recovery_key,
    wipe,
)
from aim3desk.security.recovery import CROCKFORD, parse_recovery_key

FAST = KdfParams(8192, 1, 1)
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def made(tmp_path: Path) -> tuple[KeyFile, bytearray, str]:
    return KeyFile.create(tmp_path / KEY_FILE_NAME, PASSPHRASE, FAST)


def _rewrite(path: Path, document: dict) -> None:
    """Write an edited header the way the app formats it, so only the edit differs."""
    path.write_text(json.dumps(document, sort_keys=True, indent=2, ensure_ascii=True) + "\n")


def _with_valid_checksum(path: Path, document: dict) -> None:
    """An edit that passes the plain checksum, as a deliberate editor would make it."""
    from aim3desk.security.key_format import checksum as _checksum

    document["checksum"] = _checksum(document)
    _rewrite(path, document)


def test_round_trip(made) -> None:
    keyfile, data_key, _ = made
    loaded = KeyFile.load(keyfile.path)
    assert loaded.profile_id == keyfile.profile_id
    assert loaded.kdf == FAST
    assert loaded.unlock(PASSPHRASE) == data_key
    assert len(data_key) == 32
    assert loaded.verify_data_key(bytes(data_key))
    assert not loaded.verify_data_key(bytes(32))


def test_header_shape(made) -> None:
    keyfile, _, _ = made
    document = json.loads(keyfile.path.read_text())
    assert document["format"] == "aim3desk-keyfile"
    assert document["version"] == 1
    assert document["created"].endswith("+00:00")
    assert [slot["type"] for slot in document["slots"]] == ["passphrase", "recovery"]
    assert document["checksum"].startswith("sha256:")


def test_wrong_passphrase(made) -> None:
    keyfile, _, _ = made
    with pytest.raises(WrongPassphrase) as caught:
        KeyFile.load(keyfile.path).unlock("correct horse battery stapler")
    assert str(caught.value) == "The passphrase is not right. Check Caps Lock and try again."
    assert not isinstance(caught.value, DamagedKeyFile)


def test_passphrase_is_nfc_normalised(tmp_path: Path) -> None:
    composed = "caf\u00e9 au lait"
    keyfile, data_key, _ = KeyFile.create(tmp_path / KEY_FILE_NAME, composed, FAST)
    assert keyfile.unlock(unicodedata.normalize("NFD", composed)) == data_key


def test_recovery_unlock_accepts_spaces_dashes_lowercase(made) -> None:
    keyfile, data_key, recovery = made
    groups = recovery.split("-")
    assert len(groups) == 9 and all(len(group) == 4 for group in groups)
    assert keyfile.unlock_with_recovery(recovery) == data_key
    assert keyfile.unlock_with_recovery(" ".join(groups).lower()) == data_key
    assert keyfile.unlock_with_recovery("".join(groups)) == data_key
    # Crockford look-alikes: O for 0, I/L for 1.
    lookalike = recovery.replace("0", "o").replace("1", "l")
    assert keyfile.unlock_with_recovery(lookalike) == data_key


def test_mistyped_recovery_key_every_single_substitution(made) -> None:
    keyfile, _, recovery = made
    symbols = recovery.replace("-", "")
    for position, original in enumerate(symbols):
        for replacement in CROCKFORD:
            if replacement == original:
                continue
            typo = symbols[:position] + replacement + symbols[position + 1 :]
            with pytest.raises(MistypedRecoveryKey):
                parse_recovery_key(typo)
    one_typo = symbols[:5] + ("A" if symbols[5] != "A" else "B") + symbols[6:]
    with pytest.raises(MistypedRecoveryKey) as caught:
        keyfile.unlock_with_recovery(one_typo)
    assert "typing mistake" in str(caught.value)


@pytest.mark.parametrize("typed", ["", "ABCD-EFGH", "U" * 36, "ABCD!EFGH" + "0" * 27])
def test_malformed_recovery_key_is_mistyped(made, typed: str) -> None:
    keyfile, _, _ = made
    with pytest.raises(MistypedRecoveryKey):
        keyfile.unlock_with_recovery(typed)


def test_wrong_but_well_formed_recovery_key(made, tmp_path: Path) -> None:
    keyfile, _, _ = made
    _, _, other_recovery = KeyFile.create(tmp_path / "other" / KEY_FILE_NAME, "x", FAST)
    for wrong in (other_recovery, format_recovery_key(bytes(20))):
        with pytest.raises(WrongRecoveryKey) as caught:
            keyfile.unlock_with_recovery(wrong)
        assert not isinstance(caught.value, MistypedRecoveryKey)


def test_change_passphrase(made) -> None:
    keyfile, data_key, recovery = made
    stronger = KdfParams(16384, 2, 1)
    keyfile.change_passphrase(bytes(data_key), "a new passphrase", stronger)
    reloaded = KeyFile.load(keyfile.path)
    assert reloaded.kdf == stronger
    with pytest.raises(WrongPassphrase):
        reloaded.unlock(PASSPHRASE)
    assert reloaded.unlock("a new passphrase") == data_key
    assert reloaded.unlock_with_recovery(recovery) == data_key
    # The backup must not keep the retired passphrase working.
    backup = KeyFile.load(keyfile.path.with_name("profile.key.bak"))
    with pytest.raises(WrongPassphrase):
        backup.unlock(PASSPHRASE)
    assert backup.unlock("a new passphrase") == data_key


def test_change_passphrase_refuses_a_wrong_data_key(made) -> None:
    keyfile, _, _ = made
    before = keyfile.path.read_bytes()
    with pytest.raises(ValueError, match="data key"):
        keyfile.change_passphrase(bytes(32), "anything")
    assert keyfile.path.read_bytes() == before


def test_save_keeps_previous_header_as_backup(made) -> None:
    keyfile, _, _ = made
    before = keyfile.path.read_bytes()
    keyfile.identity = {"note": "placeholder"}
    keyfile.save()
    assert keyfile.path.with_name("profile.key.bak").read_bytes() == before
    leftovers = [p.name for p in keyfile.path.parent.iterdir() if p.name.endswith(".aim3tmp")]
    assert leftovers == []


def test_damaged_file_does_not_overwrite_good_backup(made) -> None:
    keyfile, _, _ = made
    keyfile.escrow = {"a": 1}
    keyfile.save()
    good_backup = keyfile.path.with_name("profile.key.bak").read_bytes()
    keyfile.path.write_bytes(b"garbage")
    keyfile.escrow = {"a": 2}
    keyfile.save()
    assert keyfile.path.with_name("profile.key.bak").read_bytes() == good_backup


def test_create_refuses_to_overwrite(made) -> None:
    keyfile, _, _ = made
    with pytest.raises(FileExistsError):
        KeyFile.create(keyfile.path, "other", FAST)


def _assert_damaged(path: Path) -> None:
    with pytest.raises(DamagedKeyFile) as caught:
        KeyFile.load(path).unlock(PASSPHRASE)
    assert not isinstance(caught.value, WrongPassphrase)
    assert str(caught.value).startswith("The profile's key file is")


def test_truncated_at_every_offset_is_damaged(made) -> None:
    keyfile, _, _ = made
    original = keyfile.path.read_bytes()
    for length in range(len(original)):
        keyfile.path.write_bytes(original[:length])
        with pytest.raises(DamagedKeyFile):
            KeyFile.load(keyfile.path)


def test_every_flipped_byte_is_damaged(made) -> None:
    keyfile, _, _ = made
    original = keyfile.path.read_bytes()
    for offset in range(len(original)):
        for mask in (0x01, 0x20, 0xFF):
            changed = bytearray(original)
            changed[offset] ^= mask
            keyfile.path.write_bytes(bytes(changed))
            with pytest.raises((DamagedKeyFile, UnsupportedKeyFile)) as caught:
                KeyFile.load(keyfile.path)
            # Damage always reads as damage: the checksum is checked before the version.
            assert isinstance(caught.value, DamagedKeyFile), (offset, mask)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / KEY_FILE_NAME
    empty.write_bytes(b"")
    _assert_damaged(empty)
    missing = tmp_path / "nowhere" / KEY_FILE_NAME
    with pytest.raises(MissingKeyFile) as caught:
        KeyFile.load(missing)
    assert isinstance(caught.value, DamagedKeyFile)
    assert isinstance(caught.value, FileNotFoundError)


@pytest.mark.parametrize("content", [b"{}", b"[]", b"null", b"\xff\xfe", b'{"format": 1}'])
def test_other_content_is_damaged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / KEY_FILE_NAME
    path.write_bytes(content)
    _assert_damaged(path)


def test_edited_kdf_iterations_is_damaged_not_wrong_passphrase(made) -> None:
    keyfile, _, _ = made
    document = json.loads(keyfile.path.read_text())
    document["slots"][0]["kdf"]["iterations"] = 2
    _rewrite(keyfile.path, document)
    _assert_damaged(keyfile.path)


def test_deliberate_edit_with_recomputed_checksum_is_caught_by_the_keyed_check(made) -> None:
    """The checksum only catches accidents; AES-GCM's associated data catches edits."""
    keyfile, _, recovery = made
    document = json.loads(keyfile.path.read_text())
    passphrase_slot, recovery_slot = document["slots"]
    passphrase_slot["kdf"]["iterations"] = 2
    recovery_slot["salt"], passphrase_slot["salt"] = passphrase_slot["salt"], recovery_slot["salt"]
    _with_valid_checksum(keyfile.path, document)
    tampered = KeyFile.load(keyfile.path)
    with pytest.raises(WrongPassphrase):
        tampered.unlock(PASSPHRASE)
    with pytest.raises(WrongRecoveryKey):
        tampered.unlock_with_recovery(recovery)


def test_slot_that_opens_but_fails_the_key_check_is_damaged_not_wrong(made) -> None:
    """Another data key sealed into the passphrase slot with the real key-encryption key: the
    slot opens (AES-GCM verifies), the key check disagrees, so the file is inconsistent."""
    from aim3desk.security.keyfile import _slot_associated_data

    keyfile, data_key, recovery = made
    document = json.loads(keyfile.path.read_text())
    slot = document["slots"][0]
    kek = FAST.derive(PASSPHRASE.encode("utf-8"), base64.b64decode(slot["salt"]))
    nonce = bytes(12)
    other_key = bytes(reversed(data_key))
    slot["nonce"] = base64.b64encode(nonce).decode("ascii")
    slot["wrapped_key"] = base64.b64encode(
        AESGCM(kek).encrypt(nonce, other_key, _slot_associated_data(keyfile.profile_id, slot))
    ).decode("ascii")
    _with_valid_checksum(keyfile.path, document)

    loaded = KeyFile.load(keyfile.path)  # the header itself is well formed
    with pytest.raises(DamagedKeyFile) as caught:
        loaded.unlock(PASSPHRASE)
    assert not isinstance(caught.value, WrongPassphrase)
    assert str(caught.value) == str(DamagedKeyFile())
    assert caught.value.detail == "slot opened but key check differs"
    # The recovery slot still holds the right key and agrees with the check.
    assert loaded.unlock_with_recovery(recovery) == data_key
    # A wrong passphrase still reads as a wrong passphrase, not as damage.
    with pytest.raises(WrongPassphrase):
        loaded.unlock("not the passphrase")


def test_key_check_that_matches_no_slot_is_damaged_for_both_ways_in(made) -> None:
    keyfile, _, recovery = made
    document = json.loads(keyfile.path.read_text())
    document["key_check"] = base64.b64encode(bytes(range(32))).decode("ascii")
    _with_valid_checksum(keyfile.path, document)

    loaded = KeyFile.load(keyfile.path)
    for attempt in (
        lambda: loaded.unlock(PASSPHRASE),
        lambda: loaded.unlock_with_recovery(recovery),
    ):
        with pytest.raises(DamagedKeyFile) as caught:
            attempt()
        assert not isinstance(caught.value, WrongPassphrase | WrongRecoveryKey)
        assert str(caught.value).startswith("The profile's key file is damaged")


def test_future_version_is_unsupported(made) -> None:
    keyfile, _, _ = made
    document = json.loads(keyfile.path.read_text())
    document["version"] = 2
    _with_valid_checksum(keyfile.path, document)
    with pytest.raises(UnsupportedKeyFile) as caught:
        KeyFile.load(keyfile.path)
    assert "newer version" in str(caught.value)


def test_escrow_and_identity_round_trip_untouched(made) -> None:
    keyfile, data_key, _ = made
    # A kind of escrow slot from a later version: kept exactly as it is, never used.
    escrow = {"type": "future-kind", "sealed": base64.b64encode(b"x" * 80).decode()}
    identity = {"ed25519_public": "AAAA", "nested": {"list": [1, "two", None, True]}}
    keyfile.escrow = escrow
    keyfile.identity = identity
    keyfile.save()
    reloaded = KeyFile.load(keyfile.path)
    assert reloaded.escrow == escrow
    assert reloaded.identity == identity
    reloaded.change_passphrase(bytes(data_key), "another")
    again = KeyFile.load(keyfile.path)
    assert (again.escrow, again.identity) == (escrow, identity)


def test_data_key_never_in_file(made) -> None:
    keyfile, data_key, _ = made
    keyfile.change_passphrase(bytes(data_key), "second")
    for path in (keyfile.path, keyfile.path.with_name("profile.key.bak")):
        raw = path.read_bytes()
        for encoded in (
            bytes(data_key),
            data_key.hex().encode(),
            base64.b64encode(data_key),
            base64.b64encode(data_key)[:40],
        ):
            assert encoded not in raw


def test_wipe_zeroes_in_place() -> None:
    buf = bytearray(b"secret key material")
    view = memoryview(buf)
    wipe(buf)
    assert bytes(view) == bytes(len(buf))


def test_errors_are_single_plain_sentences() -> None:
    for error in (
        WrongPassphrase(),
        WrongRecoveryKey(),
        MistypedRecoveryKey(),
        DamagedKeyFile(),
        UnsupportedKeyFile(),
        MissingKeyFile(),
    ):
        assert isinstance(error, KeyFileError)
        text = str(error)
        assert text.endswith(".") and "\n" not in text


def test_kdf_params_helpers() -> None:
    assert KdfParams(8192, 5, 1).at_least(KdfParams(65536, 3, 4)) == KdfParams(65536, 5, 4)
    first = FAST.derive(b"secret", b"s" * 16)
    assert len(first) == 32 and first == FAST.derive(b"secret", b"s" * 16)
    assert first != FAST.derive(b"secret", b"t" * 16)
    with pytest.raises(ValueError):
        KdfParams(4, 1, 1)


def test_calibrate_kdf_respects_its_floor_and_caps() -> None:
    floor = KdfParams(8192, 1, 1)
    params = calibrate_kdf(target_seconds=0.05, floor=floor)
    # The cost it reaches on a real machine is a figure of `make bench` (unlock time).
    assert params.at_least(floor) == params
    assert params.memory_kib <= 1024 * 1024 and params.iterations <= 20
    assert calibrate_kdf(target_seconds=0.0, floor=floor) == floor


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(passphrase=st.text(max_size=40), other=st.text(max_size=40))
def test_any_passphrase_round_trips_and_others_fail(passphrase: str, other: str) -> None:
    assume(unicodedata.normalize("NFC", passphrase) != unicodedata.normalize("NFC", other))
    with tempfile.TemporaryDirectory() as folder:
        keyfile, data_key, _ = KeyFile.create(Path(folder) / KEY_FILE_NAME, passphrase, FAST)
        loaded = KeyFile.load(keyfile.path)
        assert loaded.unlock(passphrase) == data_key
        with pytest.raises(WrongPassphrase):
            loaded.unlock(other)


@settings(deadline=None)  # no time limit per example: a busy machine must not fail it
@given(raw=st.binary(min_size=20, max_size=20))
def test_recovery_key_format_round_trips(raw: bytes) -> None:
    text = format_recovery_key(raw)
    assert parse_recovery_key(text) == raw
    assert parse_recovery_key(text.lower().replace("-", " ")) == raw
