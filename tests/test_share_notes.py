"""Recommendations and notes for partner agencies (issue 12, reports points 2 and 3): where the
practitioner writes them, which report prints which, the placeholder factor wording note, the
lead worker's contact details, the warning before a DRAFT is shared and the refusal of a
recipient or reason of too few words. Real profiles, real PDFs read back; invented data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.assessment_items import Recommendations, SharingNotes
from aim3desk.domain.share_checks import draft_share_warning, share_answer_problems
from aim3desk.domain.sign_off import SignOff, VersionStage
from aim3desk.domain.versions import compare
from aim3desk.services.forms_loader import (
    load_evidence_rules,
    load_form_set,
    load_sharing_policy,
)
from aim3desk.services.reports import ReportKind, ReportRequest, ShareDetails
from aim3desk.services.reports.build import build_report
from aim3desk.services.reports.form_note import FACTOR_WORDING_NOTE
from aim3desk.services.selftest import check_licensed_forms
from cli_kit import run

SUMMARY = "CANARYsummary the invented analysis for every partner"
FOR_POLICE = "CANARYpolice what the invented police should do"
FOR_EDUCATION = "CANARYeducation what the invented school should do"
INTERVENTION = "CANARYintervention weekly invented sessions"
SUPERVISION = "CANARYsupervision invented line of sight"
WHO = "CANARYwho invented worker leads"
LICENSED = Path(__file__).parent / "fixtures" / "licensed-example.toml"


def written_content() -> AssessmentContent:
    notes = (
        SharingNotes(partner_summary=SUMMARY)
        .with_audience("police", FOR_POLICE)
        .with_audience("education", FOR_EDUCATION)
    )
    return (
        AssessmentContent()
        .set_sharing_notes(notes)
        .set_recommendations(Recommendations(INTERVENTION, SUPERVISION, WHO))
    )


@pytest.fixture(scope="module")
def base_request() -> ReportRequest:
    from test_reports import make_case

    rules = load_evidence_rules()
    return ReportRequest(
        kind=ReportKind.POLICE,
        case=make_case(),
        form_set=load_form_set(),
        rules=rules,
        author="Tamsin Quillfeather",
        content=written_content(),
        policy=load_sharing_policy(rules=rules),
        produced=date(2025, 3, 20),
        share=ShareDetails("DS Invented Officer", "Strategy meeting on Thursday", "Public task"),
        author_contact="01234 567890 (invented)",
    )


def report_text(request: ReportRequest, out: Path) -> str:
    build_report(request, out)
    return pdf_text(out)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


# -- which report prints what ---------------------------------------------------------------


def test_share_report_prints_the_summary_and_only_its_audiences_recommendations(
    base_request: ReportRequest, tmp_path: Path
) -> None:
    police = report_text(base_request, tmp_path / "police.pdf")
    assert "What the assessment means for police" in police
    assert SUMMARY in police and FOR_POLICE in police
    assert FOR_EDUCATION not in police
    # The full report's own recommendations stay in the full report.
    assert not [c for c in (INTERVENTION, SUPERVISION, WHO) if c in police]
    assert police.index("How to read this") < police.index(SUMMARY)

    education = report_text(
        replace(base_request, kind=ReportKind.EDUCATION), tmp_path / "education.pdf"
    )
    assert SUMMARY in education and FOR_EDUCATION in education and FOR_POLICE not in education
    assert "The assessment profile" in education  # key findings the policy now gives a school

    health = report_text(replace(base_request, kind=ReportKind.HEALTH), tmp_path / "health.pdf")
    assert "has not written recommendations for you yet" in health
    assert FOR_POLICE not in health and FOR_EDUCATION not in health


def test_the_young_persons_report_prints_no_notes_for_partners(
    base_request: ReportRequest, tmp_path: Path
) -> None:
    found = report_text(
        replace(base_request, kind=ReportKind.YOUNG_PERSON, share=None), tmp_path / "yp.pdf"
    )
    assert not [c for c in (SUMMARY, FOR_POLICE, FOR_EDUCATION) if c in found]


def test_lead_worker_and_contact_details(base_request: ReportRequest, tmp_path: Path) -> None:
    found = report_text(base_request, tmp_path / "own.pdf")
    assert "The lead worker, Tamsin Quillfeather: 01234 567890 (invented)" in found
    other = replace(base_request, author="Ottoline Samplewright")
    found = report_text(other, tmp_path / "other.pdf")
    assert "The lead worker, Tamsin Quillfeather, about the child" in found
    assert "Its author, Ottoline Samplewright: 01234 567890 (invented)" in found


def test_placeholder_factor_wording_is_said_once(
    base_request: ReportRequest, tmp_path: Path
) -> None:
    assert base_request.form_set.has_placeholder_factors()
    for kind in (ReportKind.POLICE, ReportKind.FULL):
        found = report_text(replace(base_request, kind=kind), tmp_path / f"{kind.value}.pdf")
        assert found.count(FACTOR_WORDING_NOTE) == 1, kind
    licensed = load_form_set(licensed_file=LICENSED)
    assert not licensed.has_placeholder_factors("aim3")
    found = report_text(replace(base_request, form_set=licensed), tmp_path / "licensed-police.pdf")
    assert FACTOR_WORDING_NOTE not in found


def test_selftest_suggests_installing_the_licensed_form_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "none.toml"))
    said = check_licensed_forms(tmp_path / "no-profile")  # settings the machine gives
    assert "placeholders" in said and "licensed_form_file" in said
    assert str(tmp_path / "none.toml") in said
    (tmp_path / "policy.toml").write_text(
        f'[settings]\nlicensed_form_file = "{LICENSED.as_posix()}"\n'
    )
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "policy.toml"))
    assert "applied" in check_licensed_forms(None)


# -- the rules --------------------------------------------------------------------------------


def test_recipient_and_reason_need_a_few_words() -> None:
    assert set(share_answer_problems("DS", "Asked")) == {"recipient", "reason"}
    assert set(share_answer_problems("", "")) == {"recipient", "reason"}
    assert share_answer_problems("DS Invented, Invented Police", "Strategy meeting Thursday") == {}


def test_the_draft_warning_says_what_and_who_has_not_signed() -> None:
    open_version = draft_share_warning("INV-1", 2, "Police", SignOff(VersionStage.OPEN))
    assert open_version is not None
    assert "version 2 of case INV-1" in open_version and "DRAFT" in open_version
    assert "no supervisor has signed it off" in open_version
    finished = draft_share_warning("INV-1", 2, "Police", SignOff(VersionStage.FINISHED))
    assert finished is not None and "it is finished" in finished
    signed = SignOff(VersionStage.SIGNED_OFF, supervisor="Sam Invented")
    assert draft_share_warning("INV-1", 2, "Police", signed) is None


def test_versions_compare_the_recommendations_and_sharing_notes() -> None:
    changes = compare(AssessmentContent(), written_content(), load_form_set())
    shown = {(c.area, c.key): c.new for c in changes}
    assert shown[("recommendations", "Intervention")] == INTERVENTION
    assert shown[("sharing_notes", "Summary for partner agencies")] == SUMMARY
    assert shown[("sharing_notes", "Recommendations for police")] == FOR_POLICE


# -- the CLI ----------------------------------------------------------------------------------


def test_cli_refuses_a_short_recipient_or_reason(
    capsys: pytest.CaptureFixture[str], profile_with_case: Path, tmp_path: Path
) -> None:
    out = tmp_path / "p.pdf"
    code, _out, err = run(
        capsys,
        profile_with_case,
        "report", "SHN-0001", "--audience", "police", "--out", str(out),
        "--recipient", "Police", "--reason", "Asked", "--lawful-basis", "public-task",
        "--draft-ok", "--override-reason", "Strategy meeting cannot wait",
    )  # fmt: skip
    assert code == 1 and "at least 2 words" in err and "at least 3 words" in err
    assert not out.exists()


def test_cli_sets_the_contact_details_the_share_report_prints(
    capsys: pytest.CaptureFixture[str], profile_with_case: Path, tmp_path: Path
) -> None:
    code, out, _err = run(capsys, profile_with_case, "identity", "contact")
    assert code == 0 and "No contact details recorded" in out
    details = "01632 960123 (invented), o.samplewright@example.invalid"
    code, out, _err = run(capsys, profile_with_case, "identity", "contact", "--set", details)
    assert code == 0 and details in out
    assert run(capsys, profile_with_case, "identity", "contact")[1].strip() == details
    pdf = tmp_path / "p.pdf"
    code, _out, err = run(
        capsys,
        profile_with_case,
        "report", "SHN-0001", "--audience", "police", "--out", str(pdf),
        "--recipient", "DC Invented Officer, police", "--reason", "Joint safety planning today",
        "--lawful-basis", "public-task", "--draft-ok",
        "--override-reason", "Strategy meeting cannot wait",
    )  # fmt: skip
    assert code == 0, err
    assert "o.samplewright@example.invalid" in pdf_text(pdf)
    code, _out, err = run(capsys, profile_with_case, "identity", "contact", "--set", "x" * 2000)
    assert code == 1 and "Your contact details: " in err and "at most 500 fit here" in err


@pytest.fixture
def profile_with_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from aim3desk.security.kdf import KdfParams
    from aim3desk.services.profile import ProfileService
    from test_reports import PASSPHRASE, make_case

    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "profile"
    session, _ = ProfileService(folder).create(
        PASSPHRASE, "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    with session:
        session.cases.add_case(make_case("SHN-0001"), today=date(2025, 3, 20))
    return folder
