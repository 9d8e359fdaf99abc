"""Draft, finished and signed off: one rule (domain/sign_off.py), and the report's file name,
its pages (DRAFT mark, title, footer, front page, sign-off section), the audit entry, the
report dialog's suggested name and the case status all agree with it, in every state, read
from real PDFs built from a real encrypted profile."""

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
    LeadAgency,
    Requester,
    new_id,
)
from aim3desk.domain.sign_off import (
    SIGN_OFF_ITEM,
    SignOff,
    VersionStage,
    sign_off,
    status_behind,
)
from aim3desk.domain.supervision import SupervisionSession, SupervisionType
from aim3desk.security.keyfile import KdfParams
from aim3desk.services.profile import ProfileService, Session
from aim3desk.services.reports import ShareAnswers, default_filename

TODAY = date.today()
REQUESTED = TODAY - timedelta(days=30)
SUPERVISOR = "Percival Samplesby"
SIGNED_LINE = "quality assured and signed off"


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


def third_session(on: date, *, signed: bool, supervisor: str = SUPERVISOR) -> SupervisionSession:
    return SupervisionSession(
        id=new_id(),
        date=on,
        supervisor=supervisor,
        type=SupervisionType.ASSESSMENT_THREE,
        agenda_done=("quality_assurance", SIGN_OFF_ITEM) if signed else ("quality_assurance",),
    )


# -- the rule ---------------------------------------------------------------------------------


def test_an_open_version_is_a_draft_whatever_the_sessions_say() -> None:
    state = sign_off(version(), [third_session(TODAY, signed=True)])
    assert state == SignOff(VersionStage.OPEN)
    assert state.is_draft and not state.supervisor


def test_finished_without_a_signing_session_is_still_a_draft() -> None:
    assert sign_off(version(finished=True), []).stage is VersionStage.FINISHED
    unticked = [third_session(TODAY, signed=False)]
    state = sign_off(version(finished=True), unticked)
    assert state.stage is VersionStage.FINISHED and state.is_draft
    assert state.supervisor == "" and state.signed_off_on is None
    assert state.finished_on == date(2026, 1, 5)


def test_only_a_ticked_sign_off_in_a_third_session_of_this_version_signs_off() -> None:
    before = third_session(REQUESTED - timedelta(days=1), signed=True, supervisor="Old Version")
    second = replace(third_session(TODAY, signed=True), type=SupervisionType.ASSESSMENT_TWO)
    assert sign_off(version(finished=True), [before, second]).is_draft
    earlier = third_session(TODAY - timedelta(days=3), signed=True, supervisor="Earlier")
    latest = third_session(TODAY - timedelta(days=1), signed=True)
    state = sign_off(version(finished=True), [latest, earlier, before])
    assert state.signed_off and not state.is_draft
    assert (state.supervisor, state.signed_off_on) == (SUPERVISOR, latest.date)


def test_no_assessment_is_a_draft() -> None:
    assert sign_off(None, [third_session(TODAY, signed=True)]).is_draft


def test_a_status_still_in_assessment_is_behind_a_signed_off_version() -> None:
    signed = sign_off(version(finished=True), [third_session(TODAY, signed=True)])
    draft = sign_off(version(finished=True), [])
    for status in (CaseStatus.REQUESTED, CaseStatus.IN_ASSESSMENT, CaseStatus.AWAITING_SIGN_OFF):
        assert status_behind(status, signed) and not status_behind(status, draft)
    for status in (CaseStatus.COMPLETED, CaseStatus.IN_INTERVENTION, CaseStatus.CLOSED):
        assert not status_behind(status, signed)


# -- file name, PDF, audit and status agree -----------------------------------------------------


@pytest.fixture(autouse=True)
def no_machine_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))


@pytest.fixture
def session(tmp_path: Path):
    opened, _recovery = ProfileService(tmp_path / "profile", kdf=KdfParams(8192, 1, 1)).create(
        "quiet harbour lantern", "Odile Testwright"
    )
    yield opened
    opened.close()


def add_case(session: Session, reference: str, status: CaseStatus) -> Case:
    case = Case(
        id=new_id(),
        reference=reference,
        young_person_name="Fennimore Madeupson",
        date_of_birth=date(2010, 3, 4),
        lead_agency=LeadAgency.YOS,
        lead_worker="Odile Testwright",
        requested_by=Requester.CASE_WORKER,
        request_date=REQUESTED,
        status=status,
    )
    return session.cases.add_case(case, model=AssessmentModel.AIM3, today=TODAY)


def put_in_state(session: Session, case: Case, stage: str) -> Case:
    """open: nothing more; finished: finished with no third session; unticked: finished, a
    third session without the sign-off ticked (12 factors unrated, empty formulation: the
    case seen in the wild); signed: finished and signed off in the third session."""
    if stage == "open":
        return session.cases.find_case(case.id)
    session.assessments.finish(case.current_assessment.id)
    if stage in ("unticked", "signed"):
        held = third_session(TODAY - timedelta(days=1), signed=stage == "signed")
        session.supervision.save_session(case.id, held)
    return session.cases.find_case(case.id)


def suggested_name(session: Session, case: Case, kind: str) -> str:
    """The name the CLI and the report dialog suggest, from the stored sessions."""
    state = sign_off(case.current_assessment, session.supervision.sessions(case.id))
    return default_filename(case, kind, state)


STATES = [
    # (stage, case status, signed off?)
    ("open", CaseStatus.IN_ASSESSMENT, False),
    ("finished", CaseStatus.AWAITING_SIGN_OFF, False),
    ("unticked", CaseStatus.IN_ASSESSMENT, False),
    ("signed", CaseStatus.COMPLETED, True),
]


@pytest.mark.parametrize(("stage", "status", "signed"), STATES)
def test_full_report_file_name_pages_and_status_agree(
    session: Session, tmp_path: Path, stage: str, status: CaseStatus, signed: bool
) -> None:
    case = put_in_state(session, add_case(session, "SGN-0001", status), stage)
    name = suggested_name(session, case, "full")
    assert name == ("SGN-0001-assessment-v1.pdf" if signed else "SGN-0001-assessment-v1-DRAFT.pdf")
    done = session.reports.produce(case.id, "full", tmp_path / name)
    reader = PdfReader(done.path)
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    joined = " ".join(pages)
    assert all(("DRAFT" in page) is not signed for page in pages)  # the mark on every page
    assert ("(DRAFT)" in str(reader.metadata.title)) is not signed
    assert (SIGNED_LINE in joined) is signed
    assert f"Status {status.label}" in pages[0]
    front = "AIM3 (12-18) · signed off" if signed else "AIM3 (12-18) · DRAFT:"
    assert front in pages[0]
    assert ("Signed off Not yet" in pages[0]) is not signed
    assert (SUPERVISOR in pages[-1]) is signed  # named only as the one who signed it off
    assert "move the case status on" not in joined  # the status agrees
    audit = session.audit.entries()[-1]
    assert audit.action == "report.export" and audit.detail["draft"] is not signed
    assert audit.detail["signed_off"] is signed


def test_finished_without_sign_off_is_draft_in_name_and_pages_alike(
    session: Session, tmp_path: Path
) -> None:
    case = put_in_state(
        session, add_case(session, "SGN-0002", CaseStatus.IN_ASSESSMENT), "finished"
    )
    name = suggested_name(session, case, "full")
    pages = [
        p.extract_text()
        for p in PdfReader(session.reports.produce(case.id, "full", tmp_path / name).path).pages
    ]
    assert name.endswith("-DRAFT.pdf") and all("DRAFT" in page for page in pages)
    assert "finished, not yet signed off" in " ".join(pages[0].split())


def test_the_audit_says_whether_the_version_was_signed_off_for_every_kind(
    session: Session, tmp_path: Path
) -> None:
    """A young person's version never carries the DRAFT mark, but its audit entry still says
    the version it came from was not signed off: "draft" is the mark, "signed_off" the fact."""
    case = put_in_state(
        session, add_case(session, "SGN-0006", CaseStatus.IN_ASSESSMENT), "unticked"
    )
    session.reports.produce(case.id, "young-person", tmp_path / "yp.pdf")
    audit = session.audit.entries()[-1]
    assert audit.detail["kind"] == "young-person"
    assert audit.detail["draft"] is False and audit.detail["signed_off"] is False


@pytest.mark.parametrize(("stage", "status", "signed"), STATES)
def test_share_report_file_name_and_pages_agree(
    session: Session, tmp_path: Path, stage: str, status: CaseStatus, signed: bool
) -> None:
    case = put_in_state(session, add_case(session, "SGN-0003", status), stage)
    name = suggested_name(session, case, "police")
    assert name.endswith("-police-v1.pdf" if signed else "-police-v1-DRAFT.pdf")
    answers = ShareAnswers("Invented Officer, Invented Police", "Invented reason", "other", "x")
    done = session.reports.produce(case.id, "police", tmp_path / name, answers)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(done.path).pages]
    assert all(("DRAFT" in page) is not signed for page in pages)
    assert (", signed off" in " ".join(pages)) is signed


def test_a_status_left_behind_is_said_on_the_front_page(session: Session, tmp_path: Path) -> None:
    case = put_in_state(session, add_case(session, "SGN-0004", CaseStatus.IN_ASSESSMENT), "signed")
    done = session.reports.produce(
        case.id, "full", tmp_path / suggested_name(session, case, "full")
    )
    front = " ".join(PdfReader(done.path).pages[0].extract_text().split())
    assert "Status In assessment" in front
    assert "still reads “In assessment”, but this version was signed off" in front


def test_the_report_dialog_suggests_the_name_the_rule_gives(
    qtbot, session: Session, tmp_path: Path
) -> None:
    from aim3desk.ui.report_dialog import ReportDialog
    from aim3desk.ui.tasks import TaskRunner

    case = put_in_state(session, add_case(session, "SGN-0005", CaseStatus.COMPLETED), "signed")
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
    qtbot, session: Session, tmp_path: Path
) -> None:
    """Signed off while the dialog was open: the PDF is built from a request that says signed
    off, so the suggested DRAFT name gives way to the name that request gives."""
    from aim3desk.ui.report_dialog import ReportDialog
    from aim3desk.ui.tasks import TaskRunner

    case = put_in_state(session, add_case(session, "SGN-0007", CaseStatus.COMPLETED), "finished")
    errors: list[BaseException] = []
    runner = TaskRunner(error_handler=lambda _what, exc: errors.append(exc))
    try:
        dialog = ReportDialog(session, case, runner)
        qtbot.addWidget(dialog)
        dialog.open_when_done = False
        qtbot.waitUntil(lambda: Path(dialog.path_edit.text()).name.endswith("-DRAFT.pdf"))
        dialog.path_edit.setText(str(tmp_path / Path(dialog.path_edit.text()).name))
        session.supervision.save_session(case.id, third_session(TODAY, signed=True))
        written: list[Path] = []
        dialog.report_written.connect(written.append)
        dialog.create_button.click()
        qtbot.waitUntil(lambda: bool(written), timeout=30_000)
        assert written[0].name == suggested_name(session, case, "full")
        assert "DRAFT" not in written[0].name and written[0].exists()
        assert not errors
    finally:
        runner.shutdown()
