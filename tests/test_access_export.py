"""The subject access "records held" export, read back from a real PDF: a practitioner's real
profile with two assessment versions, a supervisor's returned review with a comment, bundles,
case records, a legal hold and a retention decision. Every part's canary is printed, each
internal-only item WITH the reviewer's mark, well-being responses are counted and never
printed, and the export is audited; the CLI writes the file."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from aim3desk import cli
from aim3desk.domain.assessment_items import (
    ChronologyEvent,
    EvidenceEntry,
    Formulation,
    FormulationPart,
    FormulationPartId,
    HackettPosition,
    ScreeningRecord,
    SpeakerKind,
    TrafficLight,
    Unknown,
    Voice,
)
from aim3desk.domain.case_logs import ConsultationEntry, EscalationEntry
from aim3desk.domain.cases import new_id
from aim3desk.domain.intervention import Goal, TrackKind
from aim3desk.domain.retention import Decision as RetentionChoice
from aim3desk.domain.retention import LegalHold, RetentionDecision
from aim3desk.domain.review import Anchor, AnchorKind, Decision
from aim3desk.domain.share_rule import NEVER_SHARED_CLASSES
from aim3desk.domain.supervision import PromptResponse, SupervisionSession, SupervisionType
from aim3desk.services.profile import ProfileService
from aim3desk.services.reports.access_request import AUDIT_ACCESS_EXPORT
from aim3desk.services.reports.marking import MARK_LEAD
from bundle_people import FAST_KDF, PASSPHRASE, new_person
from review_people import deliver
from signed_off import new_case, send_for_review

REFERENCE = "SAR-0042"
INTERNAL = sorted(NEVER_SHARED_CLASSES)
WELLBEING_CANARY = "CANARYwellbeingprivate"
CANARIES = {
    "shareable evidence": "CANARYshareable1",
    "version 2 evidence": "CANARYversiontwo",
    "chronology": "CANARYchronology",
    "screening": "CANARYscreening",
    "unknown": "CANARYunknown",
    "voice": "CANARYvoice",
    "formulation": "CANARYformulation",
    "formulation summary": "CANARYsummary",
    "supervision notes": "CANARYsupervisionnotes",
    "goal": "CANARYgoal",
    "keeping-safe plan": "CANARYkeepingsafe",
    "escalation": "CANARYescalation",
    "consultation": "CANARYconsultation",
    "sharing decision": "CANARYsharingreason",
    "review comment": "CANARYreviewcomment",
    "legal hold": "CANARYholdreason",
    "retention decision": "CANARYretentionreason",
}


def internal_canary(sharing: str) -> str:
    return f"CANARYinternal{sharing.replace('_', '')}"


def version_one_items() -> list[object]:
    entries = [
        EvidenceEntry(
            new_id(),
            "developmental",
            None,
            f"Invented internal entry {internal_canary(sharing)} here.",
            date(2025, 1, 6),
            "practitioner_observation",
            "background",
            sharing,
        )
        for sharing in INTERNAL
    ]
    entries.append(
        EvidenceEntry(
            new_id(),
            "family_environment",
            2,
            f"Invented shareable entry {CANARIES['shareable evidence']} here.",
            date(2025, 1, 7),
            "education",
            "risk_factor",
            "shareable",
        )
    )
    formulation = Formulation()
    for part_id in FormulationPartId:
        words = (
            CANARIES["formulation summary"]
            if part_id is FormulationPartId.INTERVENTION_AND_SUPERVISION
            else f"{CANARIES['formulation']}{part_id.value.replace('_', '')}"
        )
        formulation = formulation.with_part(part_id, FormulationPart(f"Invented {words}."))
    return [
        *entries,
        ChronologyEvent(new_id(), date(2024, 12, 1), f"Invented {CANARIES['chronology']}."),
        ScreeningRecord(
            new_id(),
            f"Invented {CANARIES['screening']}",
            HackettPosition.PROBLEMATIC,
            TrafficLight.AMBER,
        ),
        Unknown(new_id(), None, None, f"Invented {CANARIES['unknown']}?"),
        Voice(
            new_id(),
            SpeakerKind.PARENT_CARER,
            "Invented Aunt",
            "aunt",
            f"Invented {CANARIES['voice']}.",
        ),
        formulation,
    ]


def add_case_records(session, case_id: str) -> None:
    today = date.today()
    session.supervision.save_session(
        case_id,
        SupervisionSession(
            new_id(),
            today,
            "Sam Madeupsupervisor",
            SupervisionType.ASSESSMENT_ONE,
            notes=f"Invented {CANARIES['supervision notes']}.",
            wellbeing=(PromptResponse("feelings_evoked", WELLBEING_CANARY),),
        ),
    )
    track = session.intervention.add_track(case_id, TrackKind.YOUNG_PERSON)
    session.intervention.save_goal(
        case_id, Goal(new_id(), track.id, 1, f"Invented {CANARIES['goal']}", created=today)
    )
    session.intervention.new_keeping_safe_plan(case_id, f"Invented {CANARIES['keeping-safe plan']}")
    session.logs.save_escalation(
        case_id,
        EscalationEntry(new_id(), today, f"Invented {CANARIES['escalation']}", "Invented Manager"),
    )
    session.logs.save_consultation(
        case_id,
        ConsultationEntry(new_id(), today, "Invented Service", f"{CANARIES['consultation']}"),
    )
    session.sharing.record_decision(
        case_id,
        "police",
        "DS Invented",
        f"Invented {CANARIES['sharing decision']}",
        "public-task",
        False,
    )


def add_hold_and_decision(session, case_id: str) -> None:
    """Written straight through the store's retention log (the retention service is its own
    part of the work): what the export must print."""
    now = datetime.now(UTC)
    with session._uow.write() as tx:
        tx.retention.add_hold(
            LegalHold(new_id(), case_id, now, "Invented Manager", f"{CANARIES['legal hold']}")
        )
        tx.retention.add_decision(
            RetentionDecision(
                new_id(),
                case_id,
                RetentionChoice.KEEP,
                f"Invented {CANARIES['retention decision']}",
                "Invented Manager",
                now,
                session.practitioner,
                keep_until=date(2040, 1, 1),
            )
        )


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory):
    """(profile folder, case id, the PDF) for a case with every kind of record."""
    root = tmp_path_factory.mktemp("access")
    alex = new_person(root, "Alex Inventedworker")
    sam = new_person(root, "Sam Madeupsupervisor", role="supervisor")
    share = root / "share"
    case = new_case(alex, REFERENCE)
    first = case.current_assessment.id
    alex.assessments.save_items(first, version_one_items())
    bundle_id = send_for_review(alex, sam, case.id, share)  # finished with a gate override
    review = sam.review.draft(bundle_id)
    sam.review.add_comment(
        review.review_id, Anchor(AnchorKind.GENERAL), f"Invented {CANARIES['review comment']}."
    )
    sam.review.decide(review.review_id, Decision.RETURN, "Invented reasons.")
    [outcome] = deliver(sam, alex, share)
    assert outcome.status == "imported", outcome.message
    second = alex.cases.find_case(case.id).current_assessment  # a return starts version 2
    assert second.version == 2
    alex.assessments.save_items(
        second.id,
        [
            EvidenceEntry(
                new_id(),
                None,
                None,
                f"Invented {CANARIES['version 2 evidence']}.",
                date.today(),
                "police",
                "multi_agency",
                "shareable",
            )
        ],
    )
    add_case_records(alex, case.id)
    add_hold_and_decision(alex, case.id)
    out = root / "records-held.pdf"
    request, path = alex.reports.access_export(REFERENCE, out)
    assert path == out and len(request.versions) == 2
    folder = alex.profile_dir
    alex.close()
    sam.close()
    return folder, case.id, path


def drawing_order_text(path: Path) -> str:
    """pdftotext -raw: text in the order it was drawn, so a mark precedes its item."""
    done = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def test_every_part_is_printed_and_wellbeing_never(exported) -> None:
    _folder, _case_id, path = exported
    found = drawing_order_text(path)
    missing = [part for part, canary in CANARIES.items() if canary not in found]
    assert not missing
    assert all(internal_canary(s) in found for s in INTERNAL)
    assert WELLBEING_CANARY not in found
    assert "This profile holds 1 such response for this case; they are not printed." in found
    for expected in (
        "OFFICIAL-SENSITIVE",
        "NOT FOR DISCLOSURE UNTIL REVIEWED",
        "Records held",
        "Assessment version 1",
        "Assessment version 2",
        "Returned for amendments",  # the review's decision
        "Finished without passing the readiness check",  # the gate override
        "case.create",  # an audit entry of the case
        "review.json",  # a bundle member named, its bytes never printed
    ):
        assert expected in found, expected
    assert PdfReader(path).outline, "the PDF has bookmarks"


def _mark_before(found: str, canary: str) -> str:
    """The words from the closest mark before the canary up to the canary, or "" when the
    canary's own item has no mark (another item's canary lies in between)."""
    at = found.index(canary)
    start = found.rfind(MARK_LEAD, 0, at)
    window = found[start:at] if start >= 0 else ""
    return "" if "CANARY" in window else window


def test_internal_items_carry_the_reviewers_mark(exported) -> None:
    _folder, _case_id, path = exported
    found = drawing_order_text(path)
    for sharing in INTERNAL:
        window = _mark_before(found, internal_canary(sharing))
        assert re.search(r"class: Internal only: [a-z ]+; reason:", window), sharing
    assert "class: verbatim material" in _mark_before(found, CANARIES["voice"])
    assert "class: supervision record" in _mark_before(found, CANARIES["supervision notes"])
    assert "class: detailed formulation notes" in _mark_before(
        found, f"{CANARIES['formulation']}whathappened"
    )
    # A shareable entry and the formulation's conclusion for planning carry no mark.
    assert _mark_before(found, CANARIES["shareable evidence"]) == ""
    assert _mark_before(found, CANARIES["formulation summary"]) == ""


def test_the_export_is_audited_without_content(exported) -> None:
    folder, case_id, _path = exported
    with ProfileService(folder, kdf=FAST_KDF).unlock(PASSPHRASE) as session:
        [entry] = [e for e in session.audit.entries() if e.action == AUDIT_ACCESS_EXPORT]
        assert session.audit.verify().ok
    assert entry.target == REFERENCE
    assert entry.detail == {
        "case_id": case_id,
        "versions": 2,
        "audit_entries": entry.detail["audit_entries"],
    }


def test_cli_writes_the_export(
    exported, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _case_id, _path = exported
    monkeypatch.setenv("AIM3DESK_PROFILE", str(folder))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    code = cli.main(["access-export", REFERENCE, "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    written = tmp_path / f"{REFERENCE}-records-held.pdf"
    assert written.is_file() and "Records held" in PdfReader(written).pages[0].extract_text()
    assert "not for disclosure" in captured.err
    with ProfileService(folder, kdf=FAST_KDF).unlock(PASSPHRASE) as session:
        exports = [e for e in session.audit.entries() if e.action == AUDIT_ACCESS_EXPORT]
    assert len(exports) >= 2
