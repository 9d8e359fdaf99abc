"""A deleted case on the shared folder (issue 14): this profile's own files of its bundles are
withdrawn from a real share folder, at once when it is reachable, else by the next round; the
people holding copies (a supervisor it was sent to) are listed and can be marked as asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim3desk.config import save_user_settings
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.session import Session
from sync_people import Pair, make_pair, queue_assessment, share_files


@pytest.fixture
def pair(tmp_path: Path):
    made = make_pair(tmp_path)
    yield made
    made.close()


def _use_share(session: Session, share: Path) -> None:
    session.settings = save_user_settings(
        session.profile_dir, session.settings, share_folder=str(share)
    )


def _sent_case(pair: Pair, out: Path) -> tuple[str, str]:
    """Alex sends a demo case to Sam through the share and Sam takes it in: (case id, the
    file's path on the share)."""
    bundle_id = queue_assessment(pair, out)
    assert len(pair.alex.sync.round(pair.share).delivered) == 1
    assert pair.sam.sync.round(pair.share).imported
    with_bundle = [p for p in share_files(pair.share) if p.startswith(f"people/{pair.alex_fp}/to")]
    [path] = with_bundle
    case_id = pair.alex.cases.list_cases()[0].id
    assert bundle_id in path or path.endswith(".aim3bundle")
    return case_id, path


def test_own_files_are_withdrawn_at_once_and_copies_listed(pair: Pair, tmp_path: Path) -> None:
    _use_share(pair.alex, pair.share)
    case_id, path = _sent_case(pair, tmp_path / "out")

    result = pair.alex.deletion.delete_case(case_id, "Opened in error for a test.")

    assert result.withdrawn == (path,) and result.waiting == ()
    assert path not in share_files(pair.share)
    assert pair.alex.deletion.waiting_withdrawals() == []
    [copy] = result.copies
    assert copy.holder_fingerprint == pair.sam_fp and copy.how == "sent"
    assert copy.holder_name == "Sam Madeupsupervisor" and copy.asked_at is None
    assert pair.alex.deletion.copies(case_id) == [copy]
    actions = [e.action for e in pair.alex.audit.entries()]
    assert actions.count("case.delete") == 1 and "sync.withdraw" in actions

    assert pair.alex.deletion.mark_asked(case_id, pair.sam_fp) == 1
    assert pair.alex.deletion.mark_asked(case_id, pair.sam_fp) == 0
    [asked] = pair.alex.deletion.copies()
    assert asked.asked_at is not None
    assert pair.alex.audit.verify().ok


def test_offline_share_queues_the_withdrawal_for_the_next_round(pair: Pair, tmp_path: Path) -> None:
    case_id, path = _sent_case(pair, tmp_path / "out")
    _use_share(pair.alex, tmp_path / "not-mounted")  # the share is away

    result = pair.alex.deletion.delete_case(case_id, "Opened in error for a test.")

    assert result.withdrawn == () and result.waiting == (path,)
    assert path in share_files(pair.share)  # the deletion itself went ahead
    assert pair.alex.cases.list_cases() == []
    assert pair.alex.deletion.waiting_withdrawals() == [path]

    later = pair.alex.sync.round(pair.share)
    assert later.withdrawn == [path]
    assert path not in share_files(pair.share)
    assert pair.alex.deletion.waiting_withdrawals() == []


def test_a_case_received_by_handover_lists_its_author(pair: Pair, tmp_path: Path) -> None:
    case = add_demo_cases(pair.alex, count=1)[0]
    (tmp_path / "out").mkdir()
    handed = pair.alex.bundles.hand_over(case.reference, pair.sam_fp, tmp_path / "out")
    [outcome] = pair.sam.bundles.import_files([handed.path])
    assert outcome.status == "imported"
    [held] = pair.sam.cases.list_cases()

    result = pair.sam.deletion.delete_case(held.id, "Opened in error for a test.")

    assert [(c.holder_fingerprint, c.how) for c in result.copies] == [(pair.alex_fp, "received")]
    assert result.copies[0].holder_name == "Alex Inventedworker"
    assert result.rows["bundles"] == 1 and result.withdrawn == result.waiting == ()


def test_a_supervisor_deletes_the_copies_it_received(pair: Pair, tmp_path: Path) -> None:
    """What a practitioner asks of the people holding copies: the supervisor, who holds no
    case record, only the bundles and reviews of it, deletes those by the case reference."""
    from deletion_kit import add_canary_case, data_key
    from sqlcipher_pages import found_in

    _use_share(pair.alex, pair.share)
    held = add_canary_case(pair.alex, "DEL-SUP-1")
    (tmp_path / "out").mkdir()
    exported = pair.alex.bundles.export_assessment(held.case.reference, [pair.sam_fp], tmp_path)
    [outcome] = pair.sam.bundles.import_files([exported.path])
    assert outcome.status == "imported" and pair.sam.cases.list_cases() == []
    key = bytes(data_key(pair.sam))
    store = pair.sam.profile_dir / "store.db"
    pair.sam.store.checkpoint()
    needle = [held.name.encode()]
    assert found_in(store, key, needle) == needle  # the copy holds the child's name

    result = pair.sam.deletion.delete_case("del-sup-1", "Asked by the practitioner to delete.")

    assert result.reference == "DEL-SUP-1" and result.rows["bundles"] == 1
    assert [(c.holder_fingerprint, c.how) for c in result.copies] == [(pair.alex_fp, "received")]
    assert pair.sam.bundles.received() == []
    assert found_in(store, key, needle) == []
    assert found_in(store.with_name("store.db-wal"), key, needle) == []
    [entry] = [e for e in pair.sam.audit.entries() if e.action == "case.delete"]
    assert entry.target == held.case.id and held.name not in str(entry)
