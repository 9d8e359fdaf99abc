"""The annual return (counts only) checked against counts made independently from the raw
demo cases; CSV, PDF and the CLI command; and the well-being canary: a well-being response
never reaches a case export, the case report or the annual return."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from aim3desk import cli
from aim3desk.domain.annual_return import annual_return
from aim3desk.domain.cases import Case, CaseStatus, ValidationError, local_day, new_id
from aim3desk.domain.gates import Gate, GateOverride
from aim3desk.domain.review import Decision, Review, ReviewedVersion, SentVersion, Supervisor
from aim3desk.domain.sign_off import SignOffRecords
from aim3desk.domain.supervision import PromptResponse, SupervisionType
from aim3desk.security.kdf import KdfParams
from aim3desk.services.annual_return import csv_bytes
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService, Session
from bundle_people import new_person
from signed_off import sign_off_current_version
from test_supervision import make_case, session_on

PASSPHRASE = "quill lantern orchard seventeen"
TODAY = date(2025, 3, 20)
PERIOD = (date(2025, 1, 1), date(2025, 3, 20))


@pytest.fixture
def session(tmp_path: Path):
    opened, _ = ProfileService(tmp_path / "p").create(
        PASSPHRASE, "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    yield opened
    opened.close()


def independent_counts(
    cases: list,
    start: date,
    end: date,
    records: SignOffRecords | None = None,
    day_of: Callable[[datetime], date] = local_day,
) -> tuple[int, int, int, int, dict]:
    """The seed's figures, written another way than the rule: find each version's signing
    review and completing override by hand, walk the period day by day collecting what
    happened on each day, then read off who is still open at its end."""
    records = records or SignOffRecords()
    sent = {(s.assessment_id, s.bundle_id, s.sha256) for s in records.sent}
    signed_by_day: dict[date, int] = {}
    overridden_by_day: dict[date, int] = {}
    marked_by_day: dict[date, list[str]] = {}
    ongoing = 0
    for case in cases:
        marked_on = case.not_completed_on if case.status == CaseStatus.NOT_COMPLETED else None
        if marked_on is not None:
            marked_by_day.setdefault(marked_on, []).append(case.not_completed_reason)
        requested = [v for v in case.assessments if v.request_date <= end]
        newest = max((v.version for v in requested), default=None)
        for version in case.assessments:
            decided = [
                r.decided_at
                for r in records.reviews
                if r.decision is Decision.SIGN_OFF
                and (version.id, r.reviewed.bundle_id, r.reviewed.bundle_sha256) in sent
            ]
            completes = [
                o.recorded_at
                for o in records.overrides
                if o.assessment_id == version.id and o.gate is Gate.COMPLETE
            ]
            done = None
            if decided and version.finished:
                done = day_of(max(decided))
                signed_by_day[done] = signed_by_day.get(done, 0) + 1
            elif completes:
                done = day_of(min(completes))
                overridden_by_day[done] = overridden_by_day.get(done, 0) + 1
            open_at_end = (
                version.version == newest
                and version.request_date.toordinal() <= end.toordinal()
                and (done is None or done.toordinal() > end.toordinal())
            )
            withdrawn = marked_on is not None and marked_on.toordinal() <= end.toordinal()
            ongoing += open_at_end and not withdrawn
    completed = without = 0
    reasons: dict[str, int] = {}
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        completed += signed_by_day.get(day, 0)
        without += overridden_by_day.get(day, 0)
        for reason in marked_by_day.get(day, []):
            reasons[reason] = reasons.get(reason, 0) + 1
    return completed, without, ongoing, sum(reasons.values()), reasons


def figures(result) -> tuple[int, int, int, int]:
    return (
        result.completed,
        result.completed_without_sign_off,
        result.ongoing,
        result.not_completed,
    )


def test_demo_return_matches_independent_counts(session: Session, tmp_path: Path) -> None:
    added = add_demo_cases(session, count=40, seed=11, today=TODAY)
    assert any(c.status is CaseStatus.NOT_COMPLETED and c.not_completed_reason for c in added)
    # Real sign-offs of three finished versions (sent, reviewed, signed off, taken back), and
    # one finished version marked completed with an override instead.
    supervisor = new_person(tmp_path, "Rosalind Mockingham", role="supervisor")
    finished = [
        c
        for c in added
        if c.current_assessment.finished and c.status is not CaseStatus.NOT_COMPLETED
    ]
    for case in finished[:3]:
        sign_off_current_version(session, supervisor, case.id, tmp_path / "share")
    supervisor.close()
    # A demo case may already say completed: move it back, then complete it with a reason.
    session.cases.set_status(finished[3].id, CaseStatus.IN_ASSESSMENT)
    session.cases.set_status(
        finished[3].id, CaseStatus.COMPLETED, override_reason="Supervisor left, manager agreed"
    )
    raw = [session.cases.get_case(c.id) for c in added]
    with session._uow.read() as tx:
        records = tx.sign_off_records()
    for start, end in (
        PERIOD,
        (date(2025, 2, 1), date(2025, 2, 28)),
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date.today()),
    ):
        result = session.annual_return.compute(start, end)
        *counts, reasons = independent_counts(raw, start, end, records)
        assert figures(result) == tuple(counts)
        assert result.reasons == reasons
    up_to_now = session.annual_return.compute(date(2025, 1, 1), date.today())
    assert up_to_now.completed == 3 and up_to_now.completed_without_sign_off == 1
    result = session.annual_return.compute(*PERIOD)
    assert result.ongoing and result.not_completed

    names = {part for c in raw for part in c.young_person_name.split()}
    references = {c.reference for c in raw}
    csv_path = session.annual_return.write(*PERIOD, tmp_path / "return.csv")
    rows = list(csv.reader(io.StringIO(csv_path and (tmp_path / "return.csv").read_text("utf-8"))))
    assert ["Assessments completed", str(result.completed)] in rows
    assert ["Assessments not completed", str(result.not_completed)] in rows
    assert ["Completed without sign-off (override recorded)", "0"] in rows
    session.annual_return.write(*PERIOD, tmp_path / "return.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "return.pdf").pages)
    assert "OFFICIAL-SENSITIVE" in text and "1 January 2025" in text
    assert f"Assessments ongoing or outstanding {result.ongoing}" in " ".join(text.split())
    for output in (text, (tmp_path / "return.csv").read_text("utf-8")):
        assert not any(name in output for name in names)
        assert not any(ref in output for ref in references)
    assert session.audit.entries()[-1].action == "annual_return.export"


def test_rules_at_the_period_edges() -> None:
    case = make_case()
    marked = replace(
        case,
        status=CaseStatus.NOT_COMPLETED,
        not_completed_reason="family withdrew consent",
        not_completed_on=date(2025, 3, 1),
    )
    before = annual_return([marked], date(2025, 1, 1), date(2025, 2, 28))
    assert (before.ongoing, before.not_completed) == (1, 0)
    within = annual_return([marked], date(2025, 3, 1), date(2025, 3, 31))
    assert (within.ongoing, within.not_completed) == (0, 1)
    assert within.reasons == {"Family withdrew consent": 1}
    with pytest.raises(ValueError):
        annual_return([], date(2025, 2, 1), date(2025, 1, 1))


# The UK financial year 2025-26: both its first and its last day are in British Summer Time.
FIRST, LAST = date(2025, 4, 1), date(2026, 3, 31)
BST = timezone(timedelta(hours=1), "BST")


def bst_day(at: datetime) -> date:
    return at.astimezone(BST).date()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def one_version(
    requested: date, finished_at: datetime | None = None, *, finished: bool = False, **case
):
    base = replace(make_case(request=requested), **case)
    (version,) = base.assessments
    done = replace(version, finished=finished or finished_at is not None, finished_at=finished_at)
    return replace(base, assessments=(done,))


def signed(requested: date, decided_at: datetime) -> tuple[Case, SignOffRecords]:
    """Finished the day before and signed off at `decided_at` in a review of a bundle sent."""
    case = one_version(requested, decided_at - timedelta(days=1))
    (version,) = case.assessments
    sent = SentVersion(version.id, new_id(), new_id() * 2)
    review = Review(
        new_id(),
        ReviewedVersion(case.id, case.reference, version.id, 1, sent.bundle_id, sent.sha256, "P"),
        Supervisor("Rosalind Mockingham", "7K3Q-M2XA-9DPC-R4TW-HB6N"),
        decision=Decision.SIGN_OFF,
        decided_at=decided_at,
    )
    return case, SignOffRecords(reviews=(review,), sent=(sent,))


def completed_with_override(requested: date, at: datetime) -> tuple[Case, SignOffRecords]:
    """Finished, never signed off, marked completed with a reason recorded at `at`."""
    case = one_version(requested, at - timedelta(days=2), status=CaseStatus.COMPLETED)
    (version,) = case.assessments
    override = GateOverride(new_id(), version.id, Gate.COMPLETE, "Manager agreed", at, "P")
    return case, SignOffRecords(overrides=(override,))


def alone(case: Case) -> tuple[Case, SignOffRecords]:
    return case, SignOffRecords()


def marked(requested: date, on: date):
    reason = "moved away"
    return alone(
        one_version(
            requested,
            status=CaseStatus.NOT_COMPLETED,
            not_completed_reason=reason,
            not_completed_on=on,
        )
    )


def merged(many: list[SignOffRecords]) -> SignOffRecords:
    return SignOffRecords(
        reviews=tuple(r for m in many for r in m.reviews),
        sent=tuple(s for m in many for s in m.sent),
        overrides=tuple(o for m in many for o in m.overrides),
    )


# (what, (case, records), expected (completed, without sign-off, ongoing, not completed)),
# each worked out by hand.
EDGES = [
    ("signed off on the first day", signed(date(2025, 3, 10), utc(2025, 4, 1, 8)), (1, 0, 0, 0)),
    # 00:30 BST on 1 April is 23:30 UTC on 31 March: the supervisor signed it on 1 April.
    ("signed off 00:30 BST on the first day",
     signed(date(2025, 2, 3), utc(2025, 3, 31, 23, 30)), (1, 0, 0, 0)),
    ("signed off 23:30 BST the day before",
     signed(date(2025, 2, 3), utc(2025, 3, 31, 22, 30)), (0, 0, 0, 0)),
    ("signed off 23:59 BST on the last day",
     signed(date(2026, 3, 2), utc(2026, 3, 31, 22, 59)), (1, 0, 0, 0)),
    # 00:30 BST on 1 April 2026 is still 31 March in UTC: signed off after the period.
    ("signed off 00:30 BST after the last day",
     signed(date(2026, 3, 2), utc(2026, 3, 31, 23, 30)), (0, 0, 1, 0)),
    ("requested on the last day, open", alone(one_version(LAST)), (0, 0, 1, 0)),
    ("requested on the last day, signed off that day",
     signed(LAST, utc(2026, 3, 31, 15)), (1, 0, 0, 0)),
    ("requested the day after the period", alone(one_version(date(2026, 4, 1))), (0, 0, 0, 0)),
    ("requested and signed off before",
     signed(date(2025, 1, 6), utc(2025, 2, 1, 12)), (0, 0, 0, 0)),
    ("requested before, still open", alone(one_version(date(2025, 1, 6))), (0, 0, 1, 0)),
    # Finished is not completed: awaiting sign-off is ongoing or outstanding.
    ("finished in the period, awaiting sign-off",
     alone(one_version(date(2025, 5, 6), utc(2025, 6, 1, 12))), (0, 0, 1, 0)),
    ("finished before dates were kept, never signed off",
     alone(one_version(FIRST, finished=True)), (0, 0, 1, 0)),
    ("completed with an override on the first day",
     completed_with_override(date(2025, 2, 3), utc(2025, 3, 31, 23, 30)), (0, 1, 0, 0)),
    ("completed with an override the day before",
     completed_with_override(date(2025, 2, 3), utc(2025, 3, 31, 22, 30)), (0, 0, 0, 0)),
    ("completed with an override after the last day",
     completed_with_override(date(2026, 2, 3), utc(2026, 4, 2, 9)), (0, 0, 1, 0)),
    ("marked not completed on the first day", marked(date(2025, 3, 3), FIRST), (0, 0, 0, 1)),
    ("marked not completed on the last day", marked(date(2026, 1, 5), LAST), (0, 0, 0, 1)),
    ("marked not completed the day before",
     marked(date(2025, 3, 3), date(2025, 3, 31)), (0, 0, 0, 0)),
    ("marked not completed the day after",
     marked(date(2026, 1, 5), date(2026, 4, 1)), (0, 0, 1, 0)),
]  # fmt: skip


@pytest.mark.parametrize(("what", "given", "expected"), EDGES, ids=[e[0] for e in EDGES])
def test_each_edge_of_the_period_on_its_own(what: str, given, expected) -> None:
    case, records = given
    assert figures(annual_return([case], FIRST, LAST, records, day_of=bst_day)) == expected, what


def test_all_edges_together_and_the_independent_counter_agrees() -> None:
    cases = [case for _, (case, _), _ in EDGES]
    records = merged([records for _, (_, records), _ in EDGES])
    result = annual_return(cases, FIRST, LAST, records, day_of=bst_day)
    assert figures(result) == (4, 1, 7, 2)
    assert result.reasons == {"Moved away": 2}
    assert independent_counts(cases, FIRST, LAST, records, bst_day) == (
        4,
        1,
        7,
        2,
        {"moved away": 2},
    )


def test_a_returned_version_replaced_by_a_new_one_is_counted_once() -> None:
    """Version 1 finished and returned for amendments, version 2 started from it: one
    assessment ongoing, not two."""
    case = one_version(date(2025, 5, 1), utc(2025, 6, 1, 12))
    (first,) = case.assessments
    second = replace(first, id=new_id(), version=2, finished=False, finished_at=None,
                     request_date=date(2025, 6, 2))  # fmt: skip
    case = replace(case, assessments=(first, second))
    assert figures(annual_return([case], FIRST, LAST)) == (0, 0, 1, 0)


def test_a_sign_off_of_a_file_never_sent_counts_for_nothing() -> None:
    case, records = signed(date(2025, 5, 1), utc(2025, 6, 1, 12))
    forged = replace(records, sent=())
    assert figures(annual_return([case], FIRST, LAST, forged)) == (0, 0, 1, 0)


@pytest.fixture
def london_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's local time zone set to the UK's (POSIX only: time.tzset)."""
    if not hasattr(time, "tzset") or not Path("/usr/share/zoneinfo/Europe/London").exists():
        pytest.skip("needs time.tzset and the system time zone data")
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_by_default_the_sign_off_day_is_the_uk_calendar_day(london_time: None) -> None:
    case, records = signed(date(2025, 2, 3), utc(2025, 3, 31, 23, 30))  # 00:30 BST, 1 April
    assert annual_return([case], FIRST, LAST, records).completed == 1
    assert annual_return([case], date(2024, 4, 1), date(2025, 3, 31), records).completed == 0


def test_not_completed_needs_a_reason_without_the_childs_name(session: Session) -> None:
    case = session.cases.add_case(make_case(), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        session.cases.set_status(case.id, CaseStatus.NOT_COMPLETED)
    assert "not_completed_reason" in caught.value.problems
    with pytest.raises(ValidationError):
        session.cases.set_status(case.id, CaseStatus.NOT_COMPLETED, "Brindlewick moved away")
    marked = session.cases.set_status(case.id, CaseStatus.NOT_COMPLETED, "Moved out of the area")
    assert marked.not_completed_reason == "Moved out of the area" and marked.not_completed_on
    reopened = session.cases.set_status(case.id, CaseStatus.IN_ASSESSMENT)
    assert reopened.not_completed_reason == "" and reopened.not_completed_on is None


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_annual_return(tmp_path: Path, monkeypatch, capsys) -> None:
    folder = tmp_path / "profile"
    opened, _ = ProfileService(folder).create(
        PASSPHRASE, "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    with opened:
        add_demo_cases(opened, count=12, seed=2, today=TODAY)
        expected = opened.annual_return.compute(*PERIOD)
    monkeypatch.setenv("AIM3DESK_PROFILE", str(folder))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "return.csv"
    code, said, _ = run(
        capsys, "annual-return", "--from", "2025-01-01", "--to", "2025-03-20", "--out", str(out)
    )
    assert code == 0 and f"{expected.completed} completed" in said
    assert out.read_bytes() == csv_bytes(expected)
    code, _, err = run(
        capsys, "annual-return", "--from", "2025-13-01", "--to", "2025-03-20", "--out", str(out)
    )
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run(
        capsys, "annual-return", "--from", "2025-04-01", "--to", "2025-03-20", "--out", str(out)
    )
    assert code == 1 and "after it ends" in err
    code, _, err = run(
        capsys,
        "annual-return",
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-20",
        "--out",
        str(tmp_path / "r.txt"),
    )
    assert code == 1 and ".csv or .pdf" in err
    code, _, _ = run(
        capsys,
        "annual-return",
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-20",
        "--out",
        str(tmp_path / "r.pdf"),
    )
    assert code == 0 and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_wellbeing_canary_never_leaves_the_store(session: Session, tmp_path: Path) -> None:
    from aim3desk.services.forms_loader import load_evidence_rules, load_form_set
    from aim3desk.services.reports import build_case_report

    canary = "CANARY-wellbeing-7Q2X"
    risk_answer = "RISK-answer-3K9P"
    case = session.cases.add_case(make_case(), today=TODAY)
    recorded = session_on(
        date(2025, 1, 15),
        SupervisionType.ASSESSMENT_ONE,
        wellbeing=(PromptResponse("feelings_evoked", canary),),
        risk_questions=(PromptResponse("rule_of_optimism", risk_answer),),
        include_for_supervisor=True,  # even when shared with the supervisor
    )
    session.supervision.save_session(case.id, recorded, today=TODAY)
    assert session.supervision.sessions(case.id)[0].wellbeing[0].response == canary
    assert session.supervision.record_for_supervisor(case.id, recorded.id).wellbeing

    export_path = tmp_path / "case.json"
    session.exchange.export_case(case.reference, export_path)
    exported = export_path.read_text("utf-8")
    assert canary not in exported and risk_answer in exported
    assert json.loads(exported)["schema_version"] == 5

    report = build_case_report(
        session.cases.get_case(case.id),
        load_form_set(),
        tmp_path / "report.pdf",
        session.practitioner,
        content=session.assessments.load(case.current_assessment.id),
        evidence_rules=load_evidence_rules(),
    )
    text = "".join(p.extract_text() for p in PdfReader(report).pages)
    assert canary not in text and risk_answer not in text

    session.cases.set_status(case.id, CaseStatus.NOT_COMPLETED, "Assessment no longer needed")
    session.annual_return.write(date(2025, 1, 1), TODAY, tmp_path / "r.csv")
    session.annual_return.write(date(2025, 1, 1), TODAY, tmp_path / "r.pdf")
    assert canary not in (tmp_path / "r.csv").read_text("utf-8")
    pdf_text = "".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    assert canary not in pdf_text
    assert canary not in str([e.detail for e in session.audit.entries()])

    # A re-import of the export keeps the risk answer and has no well-being responses.
    other, _ = ProfileService(tmp_path / "other").create(
        PASSPHRASE, "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    with other:
        imported = other.exchange.import_case(export_path, today=TODAY).case
        (back,) = other.supervision.sessions(imported.id)
        assert back.wellbeing == () and back.risk_questions == recorded.risk_questions
