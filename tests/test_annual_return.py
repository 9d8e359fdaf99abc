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
from aim3desk.domain.cases import CaseStatus, ValidationError, local_day
from aim3desk.domain.supervision import PromptResponse, SupervisionType
from aim3desk.security.kdf import KdfParams
from aim3desk.services.annual_return import csv_bytes
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService, Session
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
    cases: list, start: date, end: date, day_of: Callable[[datetime], date] = local_day
) -> tuple[int, int, int, dict]:
    """The seed's three figures, written another way than the rule: walk the period day by
    day and collect what happened on each day, then read off who is still open at its end."""
    finished_by_day: dict[date, int] = {}
    marked_by_day: dict[date, list[str]] = {}
    ongoing = 0
    for case in cases:
        marked_on = case.not_completed_on if case.status == CaseStatus.NOT_COMPLETED else None
        if marked_on is not None:
            marked_by_day.setdefault(marked_on, []).append(case.not_completed_reason)
        for version in case.assessments:
            if version.finished_at is not None:
                done = day_of(version.finished_at)
            else:
                done = version.request_date if version.finished else None
            if done is not None:
                finished_by_day[done] = finished_by_day.get(done, 0) + 1
            open_at_end = version.request_date.toordinal() <= end.toordinal() and (
                done is None or done.toordinal() > end.toordinal()
            )
            withdrawn = marked_on is not None and marked_on.toordinal() <= end.toordinal()
            ongoing += open_at_end and not withdrawn
    completed, reasons = 0, {}
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        completed += finished_by_day.get(day, 0)
        for reason in marked_by_day.get(day, []):
            reasons[reason] = reasons.get(reason, 0) + 1
    return completed, ongoing, sum(reasons.values()), reasons


def test_demo_return_matches_independent_counts(session: Session, tmp_path: Path) -> None:
    added = add_demo_cases(session, count=40, seed=11, today=TODAY)
    assert any(c.status is CaseStatus.NOT_COMPLETED and c.not_completed_reason for c in added)
    raw = [session.cases.get_case(c.id) for c in added]
    for start, end in (
        PERIOD,
        (date(2025, 2, 1), date(2025, 2, 28)),
        (date(2024, 1, 1), date(2024, 12, 31)),
    ):
        result = session.annual_return.compute(start, end)
        completed, ongoing, not_completed, reasons = independent_counts(raw, start, end)
        assert (result.completed, result.ongoing, result.not_completed) == (
            completed,
            ongoing,
            not_completed,
        )
        assert result.reasons == reasons
    result = session.annual_return.compute(*PERIOD)
    assert result.completed and result.ongoing and result.not_completed

    names = {part for c in raw for part in c.young_person_name.split()}
    references = {c.reference for c in raw}
    csv_path = session.annual_return.write(*PERIOD, tmp_path / "return.csv")
    rows = list(csv.reader(io.StringIO(csv_path and (tmp_path / "return.csv").read_text("utf-8"))))
    assert ["Assessments completed", str(result.completed)] in rows
    assert ["Assessments not completed", str(result.not_completed)] in rows
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


def marked(requested: date, on: date):
    reason = "moved away"
    return one_version(
        requested, status=CaseStatus.NOT_COMPLETED, not_completed_reason=reason, not_completed_on=on
    )


# (what, case, expected (completed, ongoing, not completed)), each worked out by hand.
EDGES = [
    ("finished on the first day", one_version(date(2025, 3, 10), utc(2025, 4, 1, 8)), (1, 0, 0)),
    # 00:30 BST on 1 April is 23:30 UTC on 31 March: the practitioner finished it on 1 April.
    ("finished 00:30 BST on the first day",
     one_version(date(2025, 2, 3), utc(2025, 3, 31, 23, 30)), (1, 0, 0)),
    ("finished 23:30 BST the day before",
     one_version(date(2025, 2, 3), utc(2025, 3, 31, 22, 30)), (0, 0, 0)),
    ("finished 23:59 BST on the last day",
     one_version(date(2026, 3, 2), utc(2026, 3, 31, 22, 59)), (1, 0, 0)),
    # 00:30 BST on 1 April 2026 is still 31 March in UTC: finished after the period, so open.
    ("finished 00:30 BST after the last day",
     one_version(date(2026, 3, 2), utc(2026, 3, 31, 23, 30)), (0, 1, 0)),
    ("requested on the last day, open", one_version(LAST), (0, 1, 0)),
    ("requested on the last day, finished that day",
     one_version(LAST, utc(2026, 3, 31, 15)), (1, 0, 0)),
    ("requested the day after the period", one_version(date(2026, 4, 1)), (0, 0, 0)),
    ("requested and finished before",
     one_version(date(2025, 1, 6), utc(2025, 2, 1, 12)), (0, 0, 0)),
    ("requested before, still open", one_version(date(2025, 1, 6)), (0, 1, 0)),
    ("finished before dates were kept, requested on the first day",
     one_version(FIRST, finished=True), (1, 0, 0)),
    ("marked not completed on the first day", marked(date(2025, 3, 3), FIRST), (0, 0, 1)),
    ("marked not completed on the last day", marked(date(2026, 1, 5), LAST), (0, 0, 1)),
    ("marked not completed the day before",
     marked(date(2025, 3, 3), date(2025, 3, 31)), (0, 0, 0)),
    ("marked not completed the day after", marked(date(2026, 1, 5), date(2026, 4, 1)), (0, 1, 0)),
]  # fmt: skip


@pytest.mark.parametrize(("what", "case", "expected"), EDGES, ids=[e[0] for e in EDGES])
def test_each_edge_of_the_period_on_its_own(what: str, case, expected) -> None:
    result = annual_return([case], FIRST, LAST, day_of=bst_day)
    assert (result.completed, result.ongoing, result.not_completed) == expected, what


def test_all_edges_together_and_the_independent_counter_agrees() -> None:
    cases = [case for _, case, _ in EDGES]
    result = annual_return(cases, FIRST, LAST, day_of=bst_day)
    assert (result.completed, result.ongoing, result.not_completed) == (5, 4, 2)
    assert result.reasons == {"Moved away": 2}
    assert independent_counts(cases, FIRST, LAST, bst_day) == (5, 4, 2, {"moved away": 2})


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


def test_by_default_the_finished_day_is_the_uk_calendar_day(london_time: None) -> None:
    case = one_version(date(2025, 2, 3), utc(2025, 3, 31, 23, 30))  # 00:30 BST on 1 April
    assert annual_return([case], FIRST, LAST).completed == 1
    assert annual_return([case], date(2024, 4, 1), date(2025, 3, 31)).completed == 0


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
    assert json.loads(exported)["schema_version"] == 3

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
