"""Draft, finished and signed off: one rule (domain/sign_off.py, asking domain/review.py's
signing_review), and the report's file name, its pages (DRAFT mark, title, footer, front
page, sign-off section with the supervisor's name, date and key fingerprint), the audit
entry, the report dialog's suggested name and the case status all agree with it, in every
state, read from real PDFs built from real encrypted profiles: the practitioner's and the
supervisor's, with a real bundle sent and a real review decided."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from aim3desk.domain.cases import (
    Assessment,
    AssessmentModel,
    Case,
    CaseStatus,
    local_day,
    new_id,
)
from aim3desk.domain.gates import Gate, GateClosed
from aim3desk.domain.review import (
    Decision,
    Review,
    ReviewedVersion,
    SentVersion,
    Supervisor,
)
from aim3desk.domain.sign_off import SignOff, VersionStage, sign_off, status_behind
from aim3desk.domain.supervision import SupervisionSession, SupervisionType
from aim3desk.services.reports import ShareAnswers, default_filename
from aim3desk.services.session import Session
from signed_off import decide_and_return, new_case, send_for_review

TODAY = date.today()
REQUESTED = TODAY - timedelta(days=30)
SUPERVISOR = "Percival Samplesby"
SUPERVISOR_FP = "7K3Q-M2XA-9DPC-R4TW-HB6N"
SIGNED_LINE = "quality assured and signed off"
DECIDED = datetime(2026, 1, 9, 15, 30, tzinfo=UTC)


def version(finished: bool = False, request_date: date = REQUESTED) -> Assessment:
    return Assessment(
        id="a1",
        case_id="c1",
        model=AssessmentModel.AIM3,
        request_date=request_date,
        due_date=request_date + timedelta(weeks=6),
        finished=finished,
        finished_at=datetime(2026, 1, 5, 12, tzinfo=UTC) if finished else None,
    )


SENT = SentVersion("a1", "b1", "ab" * 32)


def review(
    decision: Decision | None = Decision.SIGN_OFF,
    *,
    assessment_id: str = "a1",
    bundle_sha256: str = SENT.sha256,
    at: datetime = DECIDED,
    supervisor: str = SUPERVISOR,
) -> Review:
    return Review(
        review_id=new_id(),
        reviewed=ReviewedVersion("c1", "SGN-0000", assessment_id, 1, "b1", bundle_sha256, "P"),
        supervisor=Supervisor(supervisor, SUPERVISOR_FP),
        decision=decision,
        decided_at=at if decision else None,
    )


# -- the rule ---------------------------------------------------------------------------------


def test_an_open_version_is_a_draft_whatever_the_reviews_say() -> None:
    state = sign_off(version(), [review()], [SENT])
    assert state == SignOff(VersionStage.OPEN)
    assert state.is_draft and not state.supervisor


def test_finished_without_a_signing_review_is_still_a_draft() -> None:
    assert sign_off(version(finished=True), [], [SENT]).stage is VersionStage.FINISHED
    for not_signing in (Decision.RETURN, None):
        state = sign_off(version(finished=True), [review(not_signing)], [SENT])
        assert state.stage is VersionStage.FINISHED and state.is_draft
        assert state.supervisor == "" and state.signed_off_on is None
    assert state.finished_on == date(2026, 1, 5)


def test_only_a_sign_off_of_this_version_and_a_bundle_sent_of_it_signs_off() -> None:
    other_version = review(assessment_id="a0")
    other_file = review(bundle_sha256="cd" * 32)  # a file this profile never sent
    assert sign_off(version(finished=True), [other_version, other_file], [SENT]).is_draft
    assert sign_off(version(finished=True), [review()], []).is_draft  # nothing sent
    earlier = review(at=DECIDED - timedelta(days=3), supervisor="Earlier Supervisor")
    latest = review()
    state = sign_off(version(finished=True), [latest, earlier, other_file], [SENT])
    assert state.signed_off and not state.is_draft
    assert (state.supervisor, state.supervisor_fingerprint) == (SUPERVISOR, SUPERVISOR_FP)
    assert state.signed_off_on == local_day(DECIDED)  # the practitioner's calendar day


def test_no_assessment_is_a_draft() -> None:
    assert sign_off(None, [review()], [SENT]).is_draft


def test_a_status_still_in_assessment_is_behind_a_signed_off_version() -> None:
    signed = sign_off(version(finished=True), [review()], [SENT])
    draft = sign_off(version(finished=True), [], [SENT])
    for status in (CaseStatus.REQUESTED, CaseStatus.IN_ASSESSMENT, CaseStatus.AWAITING_SIGN_OFF):
        assert status_behind(status, signed) and not status_behind(status, draft)
    for status in (CaseStatus.COMPLETED, CaseStatus.IN_INTERVENTION, CaseStatus.CLOSED):
        assert not status_behind(status, signed)


# -- file name, PDF, audit and status agree -----------------------------------------------------


@pytest.fixture(autouse=True)
def no_machine_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))


@pytest.fixture
def session(signing_pair) -> Session:
    return signing_pair[0]


def add_case(session: Session, reference: str, status: CaseStatus) -> Case:
    return new_case(session, reference, requested=REQUESTED, status=status)


def third_session_ticked(on: date) -> SupervisionSession:
    """A third assessment session with "sign off the report" ticked: a supervision record,
    never a signature."""
    return SupervisionSession(
        id=new_id(),
        date=on,
        supervisor=SUPERVISOR,
        type=SupervisionType.ASSESSMENT_THREE,
        agenda_done=("quality_assurance", "sign_off"),
    )


def put_in_state(signing_pair, case: Case, stage: str, share: Path) -> Case:
    """open: nothing more; finished: sent for review (finished on the way, with a reason:
    the version is not ready), not yet reviewed; ticked: that, and a third session records
    the ticked sign-off item; signed: sent, signed off in a real review and taken back."""
    practitioner, supervisor = signing_pair
    if stage == "open":
        return practitioner.cases.find_case(case.id)
    bundle_id = send_for_review(practitioner, supervisor, case.id, share)
    if stage == "ticked":
        practitioner.supervision.save_session(case.id, third_session_ticked(TODAY))
    elif stage == "signed":
        decide_and_return(practitioner, supervisor, bundle_id, share)
    return practitioner.cases.find_case(case.id)


def suggested_name(session: Session, case: Case, kind: str) -> str:
    """The name the CLI and the report dialog suggest, from the stored reviews."""
    return default_filename(case, kind, session.cases.sign_off(case))


STATES = [
    # (stage, case status, signed off?)
    ("open", CaseStatus.IN_ASSESSMENT, False),
    ("finished", CaseStatus.AWAITING_SIGN_OFF, False),
    ("ticked", CaseStatus.IN_ASSESSMENT, False),
    ("signed", CaseStatus.COMPLETED, True),
]


@pytest.mark.parametrize(("stage", "status", "signed"), STATES)
def test_full_report_file_name_pages_and_status_agree(
    signing_pair, session: Session, tmp_path: Path, stage: str, status: CaseStatus, signed: bool
) -> None:
    case = put_in_state(
        signing_pair, add_case(session, "SGN-0001", status), stage, tmp_path / "share"
    )
    name = suggested_name(session, case, "full")
    assert name == ("SGN-0001-assessment-v1.pdf" if signed else "SGN-0001-assessment-v1-DRAFT.pdf")
    done = session.reports.produce(case.id, "full", tmp_path / name)
    reader = PdfReader(done.path)
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    joined = " ".join(pages)
    assert all(("DRAFT" in page) is not signed for page in pages)  # the mark on every page
    assert ("(DRAFT)" in str(reader.metadata.title)) is not signed
    assert (SIGNED_LINE in joined) is signed
    assert f"Case status {status.label}" in pages[0]
    front = "AIM3 (12-18) · signed off" if signed else "AIM3 (12-18) · DRAFT:"
    assert front in pages[0]
    assert ("Sign-off Not yet signed off" in pages[0]) is not signed
    assert (SUPERVISOR in pages[-1]) is signed  # named only as the one who signed it off
    fingerprint = signing_pair[1].identity.me().fingerprint
    assert (f"Key fingerprint: {fingerprint}" in joined) is signed  # the signature block
    assert (f"by {SUPERVISOR}" in pages[0]) is signed  # the front sheet's "Sign-off" row
    overridden = "Finished without passing the readiness check: Finished for the test"
    assert (overridden in joined) is (stage != "open")  # the finishing override is shown
    assert "move the case status on" not in joined  # the status agrees
    audit = session.audit.entries()[-1]
    assert audit.action == "report.export" and audit.detail["draft"] is not signed
    assert audit.detail["signed_off"] is signed


def test_finished_without_sign_off_is_draft_in_name_and_pages_alike(
    signing_pair, session: Session, tmp_path: Path
) -> None:
    case = put_in_state(
        signing_pair,
        add_case(session, "SGN-0002", CaseStatus.IN_ASSESSMENT),
        "finished",
        tmp_path / "share",
    )
    name = suggested_name(session, case, "full")
    pages = [
        p.extract_text()
        for p in PdfReader(session.reports.produce(case.id, "full", tmp_path / name).path).pages
    ]
    assert name.endswith("-DRAFT.pdf") and all("DRAFT" in page for page in pages)
    assert "finished, not yet signed off" in " ".join(pages[0].split())


def test_the_audit_says_whether_the_version_was_signed_off_for_every_kind(
    signing_pair, session: Session, tmp_path: Path
) -> None:
    """A young person's version never carries the DRAFT mark, but its audit entry still says
    the version it came from was not signed off: "draft" is the mark, "signed_off" the fact."""
    case = put_in_state(
        signing_pair,
        add_case(session, "SGN-0006", CaseStatus.IN_ASSESSMENT),
        "ticked",
        tmp_path / "share",
    )
    session.reports.produce(case.id, "young-person", tmp_path / "yp.pdf")
    audit = session.audit.entries()[-1]
    assert audit.detail["kind"] == "young-person"
    assert audit.detail["draft"] is False and audit.detail["signed_off"] is False


@pytest.mark.parametrize(("stage", "status", "signed"), STATES)
def test_share_report_file_name_and_pages_agree(
    signing_pair, session: Session, tmp_path: Path, stage: str, status: CaseStatus, signed: bool
) -> None:
    case = put_in_state(
        signing_pair, add_case(session, "SGN-0003", status), stage, tmp_path / "share"
    )
    name = suggested_name(session, case, "police")
    assert name.endswith("-police-v1.pdf" if signed else "-police-v1-DRAFT.pdf")
    answers = ShareAnswers(
        "Invented Officer, Invented Police", "Invented reason for sharing", "other", "x"
    )
    if not signed:  # the empty test version does not pass the readiness check
        with pytest.raises(GateClosed):
            session.reports.produce(case.id, "police", tmp_path / name, answers)
        assert not (tmp_path / name).exists()
        answers = replace(answers, override_reason="The police need it before the meeting")
    done = session.reports.produce(case.id, "police", tmp_path / name, answers)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(done.path).pages]
    assert all(("DRAFT" in page) is not signed for page in pages)
    assert (", signed off" in " ".join(pages)) is signed
    shown = "Shared before sign-off without passing the readiness check: The police need it"
    assert (shown in " ".join(pages)) is not signed
    share_overrides = [
        o for o in session.cases.sign_off_records(case.id).overrides if o.gate is Gate.SHARE
    ]
    assert len(share_overrides) == (0 if signed else 1)


def test_a_status_left_behind_is_said_on_the_front_page(
    signing_pair, session: Session, tmp_path: Path
) -> None:
    case = put_in_state(
        signing_pair,
        add_case(session, "SGN-0004", CaseStatus.IN_ASSESSMENT),
        "signed",
        tmp_path / "share",
    )
    done = session.reports.produce(
        case.id, "full", tmp_path / suggested_name(session, case, "full")
    )
    front = " ".join(PdfReader(done.path).pages[0].extract_text().split())
    assert "Case status In assessment" in front
    assert "still reads “In assessment”, but this version was signed off" in front


def test_the_report_dialog_suggests_the_name_the_rule_gives(
    qtbot, signing_pair, session: Session, tmp_path: Path
) -> None:
    from aim3desk.ui.report_dialog import ReportDialog
    from aim3desk.ui.tasks import TaskRunner

    case = put_in_state(
        signing_pair,
        add_case(session, "SGN-0005", CaseStatus.COMPLETED),
        "signed",
        tmp_path / "share",
    )
    full, health = suggested_name(session, case, "full"), suggested_name(session, case, "health")
    assert "DRAFT" not in full + health
    errors: list[BaseException] = []
    runner = TaskRunner(error_handler=lambda _what, exc: errors.append(exc))
    try:
        dialog = ReportDialog(session, case, runner)  # from here on only the runner reads
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: Path(dialog.path_edit.text()).name == full)
        dialog.set_kind("health")
        assert Path(dialog.path_edit.text()).name == health
        qtbot.waitUntil(lambda: "Evidence included" in dialog.preview.toPlainText())
        assert not errors
    finally:
        runner.shutdown()


def test_the_dialog_names_the_file_from_the_request_the_pdf_is_built_from(
    qtbot, signing_pair, session: Session, tmp_path: Path
) -> None:
    """Signed off while the dialog was open: the PDF is built from a request that says signed
    off, so the suggested DRAFT name gives way to the name that request gives."""
    from aim3desk.ui.report_dialog import ReportDialog
    from aim3desk.ui.tasks import TaskRunner

    practitioner, supervisor = signing_pair
    case = add_case(session, "SGN-0007", CaseStatus.COMPLETED)
    bundle_id = send_for_review(practitioner, supervisor, case.id, tmp_path / "share")
    case = session.cases.find_case(case.id)
    errors: list[BaseException] = []
    runner = TaskRunner(error_handler=lambda _what, exc: errors.append(exc))
    try:
        dialog = ReportDialog(session, case, runner)
        qtbot.addWidget(dialog)
        dialog.open_when_done = False
        qtbot.waitUntil(lambda: Path(dialog.path_edit.text()).name.endswith("-DRAFT.pdf"))
        dialog.path_edit.setText(str(tmp_path / Path(dialog.path_edit.text()).name))
        decide_and_return(practitioner, supervisor, bundle_id, tmp_path / "share")
        written: list[Path] = []
        dialog.report_written.connect(written.append)
        dialog.create_button.click()
        qtbot.waitUntil(lambda: bool(written), timeout=30_000)
        assert written[0].name == suggested_name(session, case, "full")
        assert "DRAFT" not in written[0].name and written[0].exists()
        assert not errors
    finally:
        runner.shutdown()
