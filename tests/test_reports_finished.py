"""The full report read as a finished assessment (front sheet, domain summaries in prose,
recommendations, signature block) and where those parts must never go (share reports, the
young person's report); the supervision record (its well-being rule, GUI and CLI); one date
style across every report. Every check reads the text of a real PDF."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from aim3desk.domain.assessment import DomainNotes, FactorRating, Recommendations
from aim3desk.domain.sharing import AUDIENCE_IDS
from aim3desk.domain.supervision import PromptResponse, SupervisionSession, SupervisionType
from aim3desk.security.kdf import KdfParams
from aim3desk.services.forms_loader import load_supervision
from aim3desk.services.profile import ProfileService
from aim3desk.services.reports import ReportKind, build_report
from cli_kit import run
from test_reports import (
    PASSPHRASE,
    REFERENCE,
    WELLBEING_CANARY,
    canary_content,
    canary_records,
    form_set,
    make_case,
    pdf_text,
    policy,
    request_for,
    rules,
    signing_records,
)

SOCIAL_WORKER = "Perpetua Fabricand"
REQUEST_REASON = "CANARYrequestreason: school raised an invented concern"
CONCERNS = "CANARYdomainconcerns in the practitioner's words"
STRENGTHS = "CANARYdomainstrengths in the practitioner's words"
INTERVENTION = "CANARYrecommendedintervention"
WHO_DOES_WHAT = "CANARYwhodoeswhat"
HIDDEN_WELLBEING = "CANARYwellbeingnotincluded"


# The module's fixtures, shared (pytest finds them by name here).
__all__ = ["form_set", "policy", "rules"]


def finished_content():
    content = canary_content()
    ratings = (
        FactorRating("sexual_behaviour", 1, "some_concern", "Invented rationale one."),
        FactorRating("sexual_behaviour", 2, "significant_concern", "Invented rationale two."),
        FactorRating("sexual_behaviour", 3, "no_concern", "Invented rationale three."),
    )
    return replace(
        content,
        ratings=ratings,
        domain_notes=(DomainNotes("sexual_behaviour", concerns=CONCERNS, strengths=STRENGTHS),),
        recommendations=Recommendations(INTERVENTION, "Invented level", WHO_DOES_WHAT),
    )


def finished_case():
    return replace(make_case(), social_worker=SOCIAL_WORKER, request_reason=REQUEST_REASON)


def report_text(kind: str, tmp_path: Path, form_set, rules, policy, **changes) -> str:
    changes = {"case": finished_case(), "content": finished_content(), **changes}
    request = request_for(kind, form_set, rules, policy, **changes)
    return " ".join(pdf_text(build_report(request, tmp_path / f"{kind}.pdf")).split())


def test_full_report_reads_like_a_finished_assessment(tmp_path: Path, form_set, rules, policy):
    request = request_for(
        "full", form_set, rules, policy, case=finished_case(), content=finished_content()
    )
    path = build_report(request, tmp_path / "full.pdf")
    from pypdf import PdfReader

    front = " ".join(PdfReader(path).pages[0].extract_text().split())
    for expected in (
        request.case.young_person_name,
        "2 April 2010 (aged 14 at the request)",
        "Lead agency",
        f"Social worker {SOCIAL_WORKER}",
        "Requested by",
        REQUEST_REASON,
        "Request date 1 November 2024",
        "Sign-off Not yet signed off",
    ):
        assert expected in front, expected
    text = " ".join(pdf_text(path).split())
    assert CONCERNS in text and STRENGTHS in text
    assert "No concerns were written for developmental." in text  # said plainly
    assert (
        "Two of five factors rated a concern: Sexual behaviour factor 1 (some concern) and "
        "Sexual behaviour factor 2 (significant concern). One rated no concern and two not "
        "yet rated."
    ) in text
    assert "1. Sexual behaviour factor 1 · Some concern Invented rationale one." in text
    recommendations = text.split("Recommendations", 1)[1]
    assert INTERVENTION in recommendations and WHO_DOES_WHAT in recommendations
    assert text.index("Overall analysis: the case formulation") < text.index(INTERVENTION)
    # The signature block: lines to sign until the sign-off exists.
    block = text.rsplit("Supervision and sign-off", 1)[1]
    assert "Assessor" in block and "Supervisor" in block and "Signature: ____" in block


def test_signature_block_is_filled_from_the_sign_off(tmp_path: Path, form_set, rules, policy):
    case = replace(finished_case(), assessments=make_case(finished=True).assessments)
    text = report_text(
        "full", tmp_path, form_set, rules, policy, case=case, sign_offs=signing_records(case)
    )
    block = text.rsplit("Supervision and sign-off", 1)[1]
    assert "Name: Rosalind Mockingham" in block
    assert "Date: 9 December 2024" in block
    assert "Key fingerprint: 7K3Q-M2XA-9DPC-R4TW-HB6N" in block
    front = text.split("Contents", 1)[0]
    assert "Signed off on 9 December 2024 by Rosalind Mockingham" in front


def test_an_empty_recommendations_field_says_so(tmp_path: Path, form_set, rules, policy):
    content = replace(finished_content(), recommendations=Recommendations())
    text = report_text("full", tmp_path, form_set, rules, policy, content=content)
    assert "Recommendations Intervention Not yet written." in text


@pytest.mark.parametrize("kind", [*AUDIENCE_IDS, "young-person", "ending", "supervision-record"])
def test_front_sheet_summaries_and_recommendations_stay_in_the_full_report(
    kind: str, tmp_path: Path, form_set, rules, policy
):
    text = report_text(kind, tmp_path, form_set, rules, policy)
    for private in (REQUEST_REASON, SOCIAL_WORKER, CONCERNS, INTERVENTION, WHO_DOES_WHAT):
        assert private not in text, private
    assert "What the ratings say" not in text
    assert "Signature: ____" not in text


def supervision_records():
    records = canary_records()  # its session includes well-being for the supervisor
    hidden = SupervisionSession(
        "s2",
        date(2024, 11, 20),
        "Rosalind Mockingham",
        SupervisionType.ASSESSMENT_ONE,
        notes="Invented notes of session one.",
        wellbeing=(PromptResponse("feelings_evoked", HIDDEN_WELLBEING),),
        risk_questions=(PromptResponse("rule_of_optimism", "CANARYkeyquestionanswer"),),
    )
    return replace(records, sessions=(*records.sessions, hidden))


def test_supervision_record_prints_sessions_and_only_included_wellbeing(
    tmp_path: Path, form_set, rules, policy
):
    request = request_for(
        "supervision-record",
        form_set,
        rules,
        policy,
        records=supervision_records(),
        supervision_forms=load_supervision(),
    )
    assert request.filename == f"{REFERENCE}-supervision-record.pdf"
    assert not request.kind.is_share and not request.is_draft
    text = " ".join(pdf_text(build_report(request, tmp_path / "s.pdf")).split())
    assert "Supervision record" in text and "For the supervisor" in text
    assert "Invented notes." in text and "Invented notes of session one." in text
    assert "CANARYkeyquestionanswer" in text
    assert WELLBEING_CANARY in text  # the practitioner included this session's
    assert HIDDEN_WELLBEING not in text  # and not this one's
    assert "Included in this record: 1 of 2 sessions." in text
    assert request.case.young_person_name not in text
    # No other report prints either session's well-being.
    for kind in ("full", "police", "ending"):
        other = request_for(kind, form_set, rules, policy, records=supervision_records())
        found = pdf_text(build_report(other, tmp_path / f"{kind}.pdf"))
        assert WELLBEING_CANARY not in found and HIDDEN_WELLBEING not in found


# -- one date style -----------------------------------------------------------------------

OTHER_DATE_STYLES = (
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # ISO
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),  # 16/03/2012
    re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"),  # 16 Mar
    re.compile(
        r"\b0\d (January|February|March|April|May|June|July|August|September|"
        r"October|November|December)\b"
    ),  # a leading zero
)


LONG_DATE = re.compile(
    r"\b[1-9]\d? (January|February|March|April|May|June|July|August|"
    r"September|October|November|December) \d{4}\b"
)


def other_date_styles(text: str) -> list[str]:
    return [m.group(0) for pattern in OTHER_DATE_STYLES for m in pattern.finditer(text)]


@pytest.mark.parametrize("kind", [k.value for k in ReportKind])
def test_every_report_writes_dates_one_way(kind: str, tmp_path: Path, form_set, rules, policy):
    """Ending summary drafted from the plan (it was ISO), every kind, one style."""
    records = replace(supervision_records(), plan=replace(canary_records().plan, ending=None))
    request = request_for(
        kind, form_set, rules, policy, records=records, supervision_forms=load_supervision()
    )
    text = pdf_text(build_report(request, tmp_path / f"{kind}.pdf"))
    assert other_date_styles(text) == []
    assert LONG_DATE.search(text), "no date at all: the scan would prove nothing"


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "profile"
    session, _ = ProfileService(folder).create(
        PASSPHRASE, "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    session.cases.add_case(make_case(), today=date(2025, 3, 20))
    case = session.cases.find_case(REFERENCE)
    for stored in supervision_records().sessions:
        session.supervision.save_session(case.id, stored, today=date(2025, 3, 20))
    session.close()
    monkeypatch.setenv("AIM3DESK_PROFILE", str(folder))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    return folder


def test_access_export_writes_dates_one_way(profile: Path, tmp_path: Path) -> None:
    session = ProfileService(profile).unlock(PASSPHRASE)
    try:
        _request, path = session.reports.access_export(REFERENCE, tmp_path / "access.pdf")
    finally:
        session.close()
    assert other_date_styles(pdf_text(path)) == []


def test_cli_writes_the_supervision_record(profile: Path, tmp_path: Path, capsys) -> None:
    code, out, _err = run(
        capsys,
        profile,
        "report",
        REFERENCE,
        "--kind",
        "supervision-record",
        "--out",
        str(tmp_path),
    )
    assert code == 0, out
    path = tmp_path / f"{REFERENCE}-supervision-record.pdf"
    text = " ".join(pdf_text(path).split())
    assert WELLBEING_CANARY in text and HIDDEN_WELLBEING not in text
    assert "CANARYkeyquestionanswer" in text


def test_report_dialog_offers_the_supervision_record(qtbot, profile: Path, tmp_path: Path):
    from aim3desk.ui.report_dialog import ReportDialog
    from aim3desk.ui.tasks import TaskRunner

    errors: list[BaseException] = []
    runner = TaskRunner(error_handler=lambda _what, exc: errors.append(exc))
    session = ProfileService(profile).unlock(PASSPHRASE)
    try:
        dialog = ReportDialog(session, session.cases.find_case(REFERENCE), runner)
        qtbot.addWidget(dialog)
        dialog.open_when_done = False
        index = dialog.kind_combo.findData("supervision-record")
        assert dialog.kind_combo.itemText(index) == "Supervision record (for the supervisor)"
        dialog.kind_combo.setCurrentIndex(index)
        assert not dialog.share_box.isVisibleTo(dialog)
        assert dialog.kind_note.isVisibleTo(dialog)
        assert dialog.path_edit.text().endswith(f"{REFERENCE}-supervision-record.pdf")
        out = tmp_path / "record.pdf"
        dialog.set_output_path(out)
        with qtbot.waitSignal(dialog.report_written, timeout=30_000):
            dialog.create_button.click()
        text = " ".join(pdf_text(out).split())
        assert WELLBEING_CANARY in text and HIDDEN_WELLBEING not in text
        assert session.audit.entries()[-1].detail["kind"] == "supervision-record"
        assert not errors
    finally:
        runner.shutdown()
        session.close()
