"""Profiles and sessions end to end: real key file, real SQLCipher store, real files."""

from __future__ import annotations

import json
import logging
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from aim3desk.config import EffectiveSettings, Settings
from aim3desk.domain.assessment import (
    ChronologyEvent,
    EvidenceEntry,
    Formulation,
    FormulationPart,
    FormulationPartId,
    SpeakerKind,
    Unknown,
    Voice,
)
from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    ValidationError,
    new_id,
)
from aim3desk.logs import setup_logging, write_crash_report
from aim3desk.security.keyfile import (
    DamagedKeyFile,
    KdfParams,
    MistypedRecoveryKey,
    WrongPassphrase,
    WrongRecoveryKey,
)
from aim3desk.services.cases import CaseNotFound
from aim3desk.services.profile import ProfileExists, ProfileService, Session
from aim3desk.store.db import StoreError
from canary import ENCODINGS, files_containing

FAST_KDF = KdfParams(8192, 1, 1)
PASSPHRASE = "lantern orchard spindle"


@pytest.fixture(autouse=True)
def no_machine_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))


@pytest.fixture
def service(tmp_path: Path) -> ProfileService:
    return ProfileService(tmp_path / "profile", kdf=FAST_KDF)


@pytest.fixture
def created(service: ProfileService):
    session, recovery = service.create(PASSPHRASE, "Hollis Brackwater")
    yield session, recovery
    session.close()


def new_case(reference: str = "YOS-24-017", name: str = "Perrin Aldwick") -> Case:
    return Case(
        id=new_id(),
        reference=reference,
        young_person_name=name,
        date_of_birth=date(2009, 8, 2),
        lead_agency=LeadAgency.CHILDRENS_SOCIAL_CARE,
        lead_worker="Hollis Brackwater",
        requested_by=Requester.SERVICE_MANAGER,
        request_date=date(2024, 4, 8),
    )


# -- create and unlock --------------------------------------------------------------------------


def _note(domain_id: str, text: str) -> EvidenceEntry:
    return EvidenceEntry(
        id=f"note-{domain_id}",
        domain_id=domain_id,
        factor_slot=None,
        text=text,
        date=date(2024, 6, 1),
        source="practitioner_observation",
        category="background",
        sharing="practitioner_reflection",
    )


def test_create_lays_out_a_private_profile(service: ProfileService, created) -> None:
    session, recovery = created
    assert service.exists()
    assert session.practitioner == "Hollis Brackwater"
    assert len(recovery.replace("-", "")) >= 20
    root = service.profile_dir
    for folder in (root, root / "backups", root / "logs"):
        assert folder.is_dir() and folder.stat().st_mode & 0o777 == 0o700
    for name in ("profile.key", "store.db"):
        assert (root / name).stat().st_mode & 0o777 == 0o600
    assert [e.action for e in session.audit.entries()] == ["profile.create", "audit.head_start"]
    assert not list((root / "backups").iterdir())  # a fresh store needs no backup


def test_create_refuses_an_existing_profile(service: ProfileService, created) -> None:
    with pytest.raises(ProfileExists):
        service.create("another passphrase", "Someone Else", kdf=FAST_KDF)


def test_default_settings_come_from_the_profile_folder(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "settings.json").write_text(json.dumps({"assessment_deadline_weeks": 8}))
    assert ProfileService(folder).settings.values.assessment_deadline_weeks == 8


def test_wrong_passphrase_and_damaged_key_file_say_different_things(
    service: ProfileService, created
) -> None:
    created[0].close()
    with pytest.raises(WrongPassphrase) as wrong:
        service.unlock("not the passphrase")
    key_path = service.key_path
    raw = bytearray(key_path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    key_path.write_bytes(bytes(raw))
    with pytest.raises(DamagedKeyFile) as damaged:
        service.unlock(PASSPHRASE)
    assert str(wrong.value) != str(damaged.value)
    assert "damaged" in str(damaged.value) and "damaged" not in str(wrong.value)


def test_unlock_failures_are_recorded_then_moved_into_the_audit(
    service: ProfileService, created
) -> None:
    created[0].close()
    for attempt in ("wrong one", "wrong two"):
        with pytest.raises(WrongPassphrase):
            service.unlock(attempt)
    recorded = json.loads(service.failures_path.read_text())
    assert len(recorded) == 2 and all(isinstance(t, str) for t in recorded)
    assert "wrong" not in service.failures_path.read_text()  # times only, never what was typed
    assert service.failures_path.stat().st_mode & 0o777 == 0o600
    with service.unlock(PASSPHRASE) as session:
        actions = [e.action for e in session.audit.entries()]
        assert actions[-3:] == ["profile.unlock_failed", "profile.unlock_failed", "profile.unlock"]
        failed = [e for e in session.audit.entries() if e.action == "profile.unlock_failed"]
        assert [e.detail["failed_at"] for e in failed] == recorded
        assert session.audit.verify().ok
    assert not service.failures_path.exists()


def test_recovery_unlock_sets_a_new_passphrase(service: ProfileService, created) -> None:
    created[0].close()
    recovery = created[1]
    with pytest.raises(MistypedRecoveryKey):
        service.unlock_with_recovery(recovery[:-1] + ("0" if recovery[-1] != "0" else "1"), "x y")
    with service.unlock_with_recovery(recovery, "fresh passphrase after recovery") as session:
        actions = [e.action for e in session.audit.entries()]
        assert actions[-2:] == ["profile.unlock", "passphrase.change"]
    with pytest.raises(WrongPassphrase):
        service.unlock(PASSPHRASE)
    with service.unlock("fresh passphrase after recovery") as session:
        assert session.practitioner == "Hollis Brackwater"
    # The recovery key keeps working after it has been used.
    service.unlock_with_recovery(recovery, "third passphrase").close()


def test_recovery_key_of_another_profile_is_refused(tmp_path: Path, created) -> None:
    other = ProfileService(tmp_path / "other", kdf=FAST_KDF)
    other_session, other_recovery = other.create("other passphrase", "Other Person")
    other_session.close()
    created[0].close()
    service = ProfileService(created[0].profile_dir, kdf=FAST_KDF)
    with pytest.raises(WrongRecoveryKey):
        service.unlock_with_recovery(other_recovery, "new passphrase")


def test_change_passphrase(service: ProfileService, created) -> None:
    session = created[0]
    with pytest.raises(WrongPassphrase):
        session.change_passphrase("not current", "new passphrase here")
    session.change_passphrase(PASSPHRASE, "new passphrase here")
    assert session.audit.entries()[-1].action == "passphrase.change"
    session.close()
    with pytest.raises(WrongPassphrase):
        service.unlock(PASSPHRASE)
    service.unlock("new passphrase here").close()


def test_close_locks_the_session(created) -> None:
    session: Session = created[0]
    session.close()
    session.close()  # idempotent
    assert session.closed
    assert session._key == bytearray(32)  # wiped
    with pytest.raises(StoreError, match="locked"):
        session.cases.list_cases()
    with pytest.raises(StoreError, match="locked"):
        session.change_passphrase(PASSPHRASE, "whatever")


def test_missing_database_is_reported_not_recreated(service: ProfileService, created) -> None:
    created[0].close()
    service.store_path.unlink()
    with pytest.raises(StoreError, match="missing"):
        service.unlock(PASSPHRASE)
    assert not service.store_path.exists()


# -- cases through the session --------------------------------------------------------------------


def test_case_lifecycle_is_audited_without_values(created) -> None:
    session: Session = created[0]
    cases = session.cases
    case = cases.add_case(new_case(), today=date(2024, 6, 1))
    assessment = case.current_assessment
    assert assessment is not None and assessment.model is AssessmentModel.AIM3
    assert assessment.due_date == date(2024, 4, 8) + timedelta(weeks=6)
    with pytest.raises(ValidationError) as duplicate:
        cases.add_case(new_case("yos-24-017", "Another Child"), today=date(2024, 6, 1))
    assert "reference" in duplicate.value.problems

    edited = cases.update_case(replace(case, lead_worker="Tobin Marsh", co_workers=("Ula Fen",)))
    assert edited.lead_worker == "Tobin Marsh"
    cases.set_status(case.id, CaseStatus.IN_ASSESSMENT)
    cases.change_model(assessment.id, AssessmentModel.AIM_U12)
    draft = _note("sexual_behaviours", "First draft")
    assert session.assessments.save_item(assessment.id, draft)
    longer = replace(draft, text="First draft, longer")
    assert session.assessments.save_item(assessment.id, longer)
    assert not session.assessments.save_item(assessment.id, longer)

    found = cases.find_case("YOS-24-017")
    assert found.status is CaseStatus.IN_ASSESSMENT
    current = found.current_assessment
    assert current is not None and current.model is AssessmentModel.AIM_U12
    assert session.assessments.load(current.id).evidence == (longer,)
    assert cases.find_case(case.id).reference == "YOS-24-017"
    with pytest.raises(CaseNotFound, match="No case"):
        cases.find_case("NOPE-1")

    entries = session.audit.entries()
    actions = [e.action for e in entries]
    assert actions.count("assessment.edit") == 2  # the model, then evidence: not per save
    assert "case.create" in actions
    edit = next(e for e in entries if e.action == "case.edit")
    assert edit.detail["fields"] == ["lead_worker", "co_workers"]
    trail_text = json.dumps([e.__dict__ for e in entries])
    for value in ("Perrin", "Tobin", "Ula Fen", "First draft"):
        assert value not in trail_text
    assert all(e.target in ("YOS-24-017", session.profile_id) for e in entries)
    assert session.audit.verify().ok


def test_case_list_filters(created) -> None:
    cases = created[0].cases
    today = date(2024, 6, 1)
    cases.add_case(new_case("YOS-24-001", "Sable Ardent"), today=today)
    late = cases.add_case(
        replace(new_case("YOS-24-002", "Lowri Penhale"), request_date=date(2024, 5, 30)),
        today=today,
    )
    cases.set_status(late.id, CaseStatus.IN_ASSESSMENT)
    assert [s.reference for s in cases.list_cases("penhale")] == ["YOS-24-002"]
    assert [s.reference for s in cases.list_cases(status=CaseStatus.IN_ASSESSMENT)] == [
        "YOS-24-002"
    ]
    assert [s.reference for s in cases.list_cases(overdue_only=True, today=today)] == ["YOS-24-001"]
    assert [s.reference for s in cases.list_cases(due_before=date(2024, 6, 1))] == ["YOS-24-001"]
    summary = cases.list_cases("sable")[0]
    assert summary.model is AssessmentModel.AIM3 and summary.lead_worker == "Hollis Brackwater"


def test_profile_made_at_the_first_schema_is_migrated_on_unlock(
    service: ProfileService, created
) -> None:
    """A profile whose database is still at revision 0001 opens: backup first, data intact."""
    from sqlalchemy import text

    from aim3desk.security.keyfile import KeyFile
    from aim3desk.store import migrate
    from aim3desk.store.db import Store

    created[0].close()
    service.store_path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(service.store_path) + suffix).unlink(missing_ok=True)
    data_key = KeyFile.load(service.key_path).unlock(PASSPHRASE)
    old = Store(service.store_path, data_key, create=True)
    migrate.upgrade(old, service.backups_dir, target="0001")
    with old.engine.begin() as conn:
        conn.execute(text("INSERT INTO meta VALUES ('practitioner_name', 'Hollis Brackwater')"))
        conn.execute(
            text(
                "INSERT INTO cases VALUES ('c1', 'OLD-7', 'Marek Thorne', '2010-01-01', "
                "'yos', 'Hollis Brackwater', '[]', 'case_worker', '2024-02-01', 0, "
                "'requested', '2024-02-01T09:00:00+00:00', '2024-02-01T09:00:00+00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO assessments VALUES ('a1', 'c1', 'aim3', '2024-02-01', '2024-03-14', "
                "1, 0, '{\"health\": \"Old evidence\"}', '2024-02-01T09:00:00+00:00', "
                "'2024-02-01T09:00:00+00:00')"
            )
        )
    old.close()

    with service.unlock(PASSPHRASE) as session:
        backups = list(service.backups_dir.iterdir())
        assert len(backups) == 1 and backups[0].name.startswith(
            f"store-before-{migrate.head_revision()}-"
        )
        assert backups[0].stat().st_mode & 0o777 == 0o600
        assert migrate.current_revision(session.store) == migrate.head_revision()
        case = session.cases.find_case("OLD-7")
        assert case.young_person_name == "Marek Thorne"
        assert case.current_assessment is not None
        evidence = session.assessments.load(case.current_assessment.id).evidence
        assert [(e.id, e.domain_id, e.text) for e in evidence] == [
            ("notes-health", "health", "Old evidence")
        ]
        assert session.practitioner == "Hollis Brackwater"


# -- nothing in the clear ---------------------------------------------------------------------


def test_canary_never_reaches_disk_in_the_clear(
    service: ProfileService, created, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    # caplog's handler formats records first and caches a traceback *with* the message:
    # our log file must still not contain it.
    started = time.time() - 1
    canary = "Zyqvarn" + uuid.uuid4().hex[:10]
    # One unique canary per kind of free text, so a leak names the path it took.
    canaries = {
        kind: f"Qx{kind[:3]}" + uuid.uuid4().hex[:10]
        for kind in ("evidence", "unknown", "formulation", "voice", "chronology")
    }
    needles = [
        value.encode(encoding) for value in (canary, *canaries.values()) for encoding in ENCODINGS
    ]
    planted = tmp_path / "planted.txt"  # the scanner itself must find a plain copy
    for encoding in ENCODINGS:
        planted.write_bytes(f"xx{canary}yy".encode(encoding))
        assert files_containing(tmp_path, needles) == [str(planted)]
    planted.unlink()
    session: Session = created[0]
    root = logging.getLogger()
    before = list(root.handlers)
    setup_logging(service.profile_dir)
    try:
        case = session.cases.add_case(
            new_case("CAN-0001", f"{canary} Child"), today=date(2024, 6, 1)
        )
        assessment = case.current_assessment
        assert assessment is not None
        session.assessments.save_item(
            assessment.id, _note("health", f"Evidence about {canary} " * 50)
        )
        session.cases.update_case(replace(case, co_workers=(f"{canary} Worker",)))
        for item in _canary_items(canaries):
            session.assessments.save_item(assessment.id, item)
        session.assessments.save_items(
            assessment.id,
            [replace(_canary_items(canaries)[0], text=f"Edited {canaries['evidence']} " * 40)],
            [("chronology", "canary-event")],
        )
        session.assessments.save_item(assessment.id, _canary_items(canaries)[-1])
        logging.getLogger("aim3desk.test").info("case saved for %s", case.young_person_name)
        try:
            raise ValueError(f"bad value {canary}")
        except ValueError as exc:
            logging.getLogger("aim3desk.test").exception("save failed %s", case.id)
            write_crash_report(type(exc), exc, exc.__traceback__)
        session.store.backup(service.backups_dir / "manual.db")
        assert files_containing(service.profile_dir, needles) == []  # while open (WAL)
        session.close()
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
    log_text = (service.profile_dir / "logs" / "aim3desk.log").read_text()
    assert "case saved for <redacted>" in log_text and "ValueError" in log_text
    assert any(p.name.startswith("crash-") for p in (service.profile_dir / "logs").iterdir())
    assert files_containing(service.profile_dir, needles) == []
    assert files_containing(Path(tempfile.gettempdir()), needles, since=started) == []
    # Reopened, the data is all there.
    with service.unlock(PASSPHRASE) as reopened:
        again = reopened.cases.find_case("CAN-0001")
        assert canary in again.young_person_name
        assert again.current_assessment is not None
        content = reopened.assessments.load(again.current_assessment.id)
        assert canary in content.evidence_entry("note-health").text
        assert canaries["evidence"] in content.evidence_entry("canary-evidence").text
        assert canaries["unknown"] in content.unknown("canary-unknown").question
        assert canaries["voice"] in content.voices[0].words
        assert canaries["chronology"] in content.chronology[0].what
        part = content.formulation.part(FormulationPartId.WHAT_HAPPENED)
        assert canaries["formulation"] in part.text


def _canary_items(canaries: dict[str, str]) -> list[object]:
    """Items carrying each canary: evidence, an unknown, a voice, chronology events, and
    the formulation last (it cites the evidence entry)."""
    evidence = EvidenceEntry(
        "canary-evidence",
        "developmental",
        1,
        f"Seen {canaries['evidence']} " * 40,
        date(2024, 5, 1),
        "young_person",
        "risk_factor",
        "verbatim_session",
    )
    return [
        evidence,
        Unknown("canary-unknown", "developmental", 1, f"Is {canaries['unknown']} known?"),
        Voice("canary-voice", SpeakerKind.YOUNG_PERSON, "", "", f"I said {canaries['voice']}"),
        ChronologyEvent("canary-event", date(2023, 1, 1), f"Moved {canaries['chronology']}"),
        ChronologyEvent("canary-event-2", date(2023, 2, 1), f"Then {canaries['chronology']}"),
        Formulation().with_part(
            FormulationPartId.WHAT_HAPPENED,
            FormulationPart(f"Because {canaries['formulation']}", (), ("canary-evidence",)),
        ),
    ]


def test_settings_floor_applies_when_no_kdf_is_fixed(tmp_path: Path) -> None:
    settings = EffectiveSettings(Settings(kdf_target_seconds=0.5))
    service = ProfileService(tmp_path / "calibrated", settings)
    session, _ = service.create(PASSPHRASE, "Hollis Brackwater")
    session.close()
    from aim3desk.security.keyfile import KeyFile

    params = KeyFile.load(service.key_path).kdf
    assert params.memory_kib >= 65536 and params.iterations >= 3
