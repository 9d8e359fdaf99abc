"""The shared-folder sync between two real profiles and one real temporary folder: queue,
deliver, collect and import; offline never empty; the retry schedule; cards."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from aim3desk.services.sync import (
    MARKER_NAME,
    RoundState,
    ShareState,
    StatusState,
    init_share,
    probe_share,
    retry_delay,
)
from bundle_people import new_person
from sync_people import Pair, make_pair, queue_assessment, share_files


@pytest.fixture
def pair(tmp_path: Path):
    made = make_pair(tmp_path)
    yield made
    made.close()


def _bundles_on_share(pair: Pair) -> list[str]:
    return [f for f in share_files(pair.share) if f.endswith(".aim3bundle")]


def _local_state(pair: Pair) -> tuple:
    """What the two profiles hold: outbox rows, bundles, contacts, cases and audit length."""
    state = []
    for session in (pair.alex, pair.sam):
        state.append(
            (
                session.sync.outbox(),
                [(b.bundle_id, b.direction) for b in session.bundles.received()],
                [(c.fingerprint, c.confirmed) for c in session.identity.contacts()],
                [c.id for c in session.cases.list_cases()],
                len(session.audit.entries()),
            )
        )
    return tuple(state)


def test_queue_deliver_collect_import(pair: Pair, tmp_path: Path) -> None:
    bundle_id = queue_assessment(pair, tmp_path / "out")
    assert pair.alex.sync.status().queued == 1
    assert pair.alex.sync.status().state is StatusState.NOT_SET  # no folder in the settings

    sent = pair.alex.sync.round(pair.share)
    assert sent.state is RoundState.ONLINE and not sent.offline
    assert [(d.bundle_id, d.recipient) for d in sent.delivered] == [(bundle_id, pair.sam_fp)]
    [path] = _bundles_on_share(pair)
    assert path.startswith(f"people/{pair.alex_fp}/to/{pair.sam_fp}/")
    assert f"people/{pair.alex_fp}/card.aim3card" in share_files(pair.share)
    entry = pair.alex.sync.outbox()[0]
    assert entry.delivered_at is not None and entry.attempts == 0
    status = pair.alex.sync.status()
    assert (status.state, status.queued, status.delivered_last_round) == (
        StatusState.ONLINE,
        0,
        1,
    )
    audit = [e for e in pair.alex.audit.entries() if e.action == "sync.deliver"]
    assert [e.detail["bundle_id"] for e in audit] == [bundle_id]
    assert audit[0].detail["recipient"] == pair.sam_fp

    taken = pair.sam.sync.round(pair.share)
    assert [o.status for o in taken.collected] == ["imported"], [o.message for o in taken.collected]
    assert [b.bundle_id for b in pair.sam.bundles.received()] == [bundle_id]
    # a second round on both sides: nothing new anywhere
    before = _local_state(pair)
    files = share_files(pair.share)
    again = [pair.alex.sync.round(pair.share), pair.sam.sync.round(pair.share)]
    assert all(not r.delivered and not r.collected and not r.failures for r in again)
    assert share_files(pair.share) == files
    after = _local_state(pair)
    assert after[0][:4] == before[0][:4] and after[1][:4] == before[1][:4]


def test_the_share_folder_setting_is_used(pair: Pair, tmp_path: Path) -> None:
    from aim3desk.config import save_user_settings

    assert pair.alex.sync.round().state is RoundState.NOT_SET
    assert pair.alex.sync.status().state is StatusState.NOT_SET
    pair.alex.settings = save_user_settings(
        pair.alex.profile_dir, pair.alex.settings, share_folder=str(pair.share)
    )
    assert pair.alex.sync.status().state is StatusState.NEVER
    queue_assessment(pair, tmp_path / "out")
    assert len(pair.alex.sync.round().delivered) == 1


def test_offline_never_empty(pair: Pair, tmp_path: Path) -> None:
    bundle_id = queue_assessment(pair, tmp_path / "out")
    pair.alex.sync.round(pair.share)
    pair.sam.sync.round(pair.share)
    queue_assessment(pair, tmp_path / "out", demo_index=1)  # a second one, still queued
    before = _local_state(pair)
    moved = tmp_path / "unmounted"

    # unmounted: the folder is gone
    pair.share.rename(moved)
    for session in (pair.alex, pair.sam):
        result = session.sync.round(pair.share)
        assert result.state is RoundState.OFFLINE and "cannot be reached" in result.message
        assert session.sync.status().state is StatusState.OFFLINE
    # remounted empty: an empty folder, no marker
    pair.share.mkdir()
    for session in (pair.alex, pair.sam):
        assert session.sync.round(pair.share).state is RoundState.OFFLINE
    # an empty folder with the marker of another share
    init_share(pair.share)
    for session in (pair.alex, pair.sam):
        result = session.sync.round(pair.share)
        assert result.state is RoundState.DIFFERENT_SHARE and result.offline
    assert share_files(pair.share) == [MARKER_NAME]  # nothing written to the wrong share
    assert _local_state(pair) == before  # nothing local deleted or changed, not even audit

    # the real share back: the queued one goes, nothing was lost
    (pair.share / MARKER_NAME).unlink()
    pair.share.rmdir()
    moved.rename(pair.share)
    assert len(pair.alex.sync.round(pair.share).delivered) == 1
    taken = pair.sam.sync.round(pair.share)
    assert [o.status for o in taken.collected] == ["imported"]
    assert len(pair.sam.bundles.received()) == 2
    assert bundle_id in {b.bundle_id for b in pair.sam.bundles.received()}


def test_a_damaged_marker_is_offline(pair: Pair, tmp_path: Path) -> None:
    queue_assessment(pair, tmp_path / "out")
    marker = pair.share / MARKER_NAME
    marker.write_text("{not json")
    assert probe_share(pair.share).state is ShareState.DAMAGED_MARKER
    assert pair.alex.sync.round(pair.share).state is RoundState.OFFLINE
    assert pair.alex.sync.status().queued == 1
    document = {"format": "aim3desk-share", "version": 99, "share_id": "abcdef0123456789"}
    marker.write_text(json.dumps(document))
    assert probe_share(pair.share).state is ShareState.DAMAGED_MARKER


def test_the_share_id_is_remembered_and_init_never_replaces(pair: Pair) -> None:
    share_id = probe_share(pair.share).share_id
    assert init_share(pair.share).share_id == share_id  # marking again keeps the marker
    pair.alex.sync.round(pair.share)
    [remembered] = [e for e in pair.alex.audit.entries() if e.action == "sync.share"]
    assert remembered.detail == {"share_id": share_id}
    pair.alex.sync.round(pair.share)  # remembered once, not each round
    assert len([e for e in pair.alex.audit.entries() if e.action == "sync.share"]) == 1


def test_a_failed_delivery_backs_off(pair: Pair, tmp_path: Path) -> None:
    queue_assessment(pair, tmp_path / "out")
    [entry] = pair.alex.sync.outbox()
    # a folder where the recipient's folder should be is a plain file: the write fails
    target = pair.share / "people" / pair.alex_fp / "to"
    target.mkdir(parents=True)
    (target / pair.sam_fp).write_text("in the way")
    now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    expected = [1, 2, 4, 8, 16, 32, 60, 60]
    for attempt, minutes in enumerate(expected, start=1):
        result = pair.alex.sync.round(pair.share, now=now)
        [failure] = result.failures
        assert datetime.fromisoformat(failure.next_attempt_at) == now + timedelta(minutes=minutes)
        [entry] = pair.alex.sync.outbox()
        assert entry.attempts == attempt and entry.delivered_at is None
        # not due yet: a round a second before the retry leaves it alone
        early = now + timedelta(minutes=minutes) - timedelta(seconds=1)
        assert not pair.alex.sync.round(pair.share, now=early).failures
        now += timedelta(minutes=minutes)
    status = pair.alex.sync.status()
    assert status.queued == 1 and status.last_error and status.next_retry_at
    (target / pair.sam_fp).unlink()
    assert len(pair.alex.sync.round(pair.share, now=now).delivered) == 1


def test_retry_delay_schedule() -> None:
    minutes = [retry_delay(n) / timedelta(minutes=1) for n in range(0, 10)]
    assert minutes == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert retry_delay(10_000) == timedelta(hours=1)


def test_cards_on_the_share_become_unconfirmed_contacts(pair: Pair, tmp_path: Path) -> None:
    casey = new_person(tmp_path, "Casey Fictionalperson")
    try:
        casey.sync.round(pair.share)  # publishes Casey's card
        result = pair.alex.sync.round(pair.share)
        casey_fp = casey.identity.me().fingerprint
        added = [c for c in result.cards if c.added]
        assert [c.fingerprint for c in added] == [casey_fp]
        contact = pair.alex.identity.contact(casey_fp)
        assert not contact.confirmed
        # a changed card of a known contact changes nothing here
        casey.identity.set_role("supervisor")
        casey.sync.round(pair.share)
        pair.alex.sync.round(pair.share)
        assert pair.alex.identity.contact(casey_fp) == contact
        # Sam's card is there too; Sam was confirmed by hand and stays as it was
        assert pair.alex.identity.contact(pair.sam_fp).confirmed
    finally:
        casey.close()


def test_a_bad_or_misplaced_card_is_skipped(pair: Pair, tmp_path: Path) -> None:
    casey = new_person(tmp_path, "Casey Fictionalperson")
    try:
        card = casey.identity.card_bytes()
        casey_fp = casey.identity.me().fingerprint
        # Casey's card placed in a folder named after someone else's fingerprint
        folder = pair.share / "people" / pair.sam_fp
        folder.mkdir(parents=True)
        (folder / "card.aim3card").write_bytes(card)
        # an altered card in Casey's own folder
        altered = json.loads(card)
        altered["name"] = "Someone Else"
        own = pair.share / "people" / casey_fp
        own.mkdir(parents=True)
        (own / "card.aim3card").write_text(json.dumps(altered))
        result = pair.alex.sync.round(pair.share)
        bad = [c for c in result.cards if not c.added]
        assert [c.fingerprint for c in bad] == [casey_fp]
        assert "not added" in bad[0].message
        assert casey_fp not in {c.fingerprint for c in pair.alex.identity.contacts()}
    finally:
        casey.close()


def test_a_tampered_bundle_is_quarantined_and_the_round_carries_on(
    pair: Pair, tmp_path: Path
) -> None:
    first = queue_assessment(pair, tmp_path / "out", demo_index=0)
    pair.alex.sync.round(pair.share)
    [path] = _bundles_on_share(pair)
    original = pair.share / path
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = original.with_name("AAAA-v1-tampered.aim3bundle")
    tampered.write_bytes(bytes(data))
    # stray files outside the layout and a symlink are left alone
    (original.parent / "notes.txt").write_text("not a bundle")
    (original.parent / "link.aim3bundle").symlink_to(original)
    (original.parent / ".half.aim3bundle.1234.part").write_bytes(b"partial")
    result = pair.sam.sync.round(pair.share)
    statuses = sorted(o.status for o in result.collected)
    assert statuses == ["imported", "quarantined"]
    assert [b.bundle_id for b in pair.sam.bundles.received()] == [first]
    [set_aside] = result.quarantined
    assert set_aside.quarantined_as is not None and set_aside.quarantined_as.exists()
    assert any("link.aim3bundle" in s for s in result.skipped)
    assert any("notes.txt" in s for s in result.skipped)
    assert tampered.exists()  # the share is never cleaned up by a reader
    # the next round does not quarantine it again
    assert not pair.sam.sync.round(pair.share).collected


def test_queue_twice_is_one_entry(pair: Pair, tmp_path: Path) -> None:
    bundle_id = queue_assessment(pair, tmp_path / "out")
    assert pair.alex.sync.queue(b"x", "same.aim3bundle", bundle_id, [pair.sam_fp]) == []
    assert len(pair.alex.sync.outbox()) == 1


def test_the_sync_command(pair: Pair, tmp_path: Path, monkeypatch, capsys) -> None:
    from aim3desk import cli
    from bundle_people import PASSPHRASE

    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    queue_assessment(pair, tmp_path / "out")
    alex_dir, sam_dir = pair.alex.profile_dir, pair.sam.profile_dir
    pair.close()
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    args = ["--profile", str(alex_dir), "sync", "--share"]
    assert cli.main([*args, str(fresh)]) == 4  # unmarked: offline, nothing changed
    assert "Offline" in capsys.readouterr().err
    assert cli.main([*args, str(pair.share), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["state"] == "online" and len(document["delivered"]) == 1
    assert cli.main(["--profile", str(sam_dir), "sync", "--share", str(pair.share)]) == 0
    assert "imported" in capsys.readouterr().out
    assert cli.main(["--profile", str(sam_dir), "sync", "--share", str(pair.share)]) == 0
    assert "Up to date" in capsys.readouterr().out
    # --init-share marks a new folder, which is then another share for this profile
    assert cli.main([*args, str(fresh), "--init-share"]) == 4
    assert (fresh / MARKER_NAME).exists()
    assert "different share" in capsys.readouterr().err
    pair.alex, pair.sam = reopen_folder(alex_dir), reopen_folder(sam_dir)


def reopen_folder(folder: Path):
    from aim3desk.config import load_settings
    from aim3desk.services.profile import ProfileService
    from bundle_people import FAST_KDF, PASSPHRASE

    return ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF).unlock(PASSPHRASE)
