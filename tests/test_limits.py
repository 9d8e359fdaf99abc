"""Every text and date a record takes is held to domain/limits.py: refused where it is saved
and where it is imported, with a message naming the field; a date an older profile may still
hold never stops the deadlines; a report of a text at the limit builds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from aim3desk.domain.assessment import EvidenceEntry
from aim3desk.domain.case_logs import ConsultationEntry
from aim3desk.domain.cases import CaseStatus, ValidationError, new_id
from aim3desk.domain.dates import date_after, years_after
from aim3desk.domain.limits import LATEST_DATE, MAX_LINE_CHARS, MAX_TEXT_CHARS
from aim3desk.domain.record_limits import check_limits, limit_problems, text_limit
from aim3desk.domain.retention import add_years
from aim3desk.domain.supervision import AgreedAction, SupervisionSession, SupervisionType
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.errors import CaseFileError
from aim3desk.services.exchange import case_to_document, load_schema, parse_export_bytes
from aim3desk.services.session import Session
from test_exchange import encode, invented_case, invented_contents

FAR_FUTURE = date(9999, 12, 31)
TODAY = date(2025, 6, 1)


def a_session(day: date = date(2025, 3, 3), **changes: object) -> SupervisionSession:
    return replace(
        SupervisionSession(new_id(), day, "Rosalind Mockingham", SupervisionType.INTERVENTION),
        **changes,
    )


# -- the rule ---------------------------------------------------------------------------------


def test_the_rule_names_each_field_over_its_limit_or_out_of_range() -> None:
    session = a_session(
        notes="n" * (MAX_TEXT_CHARS + 1),
        supervisor="s" * (MAX_LINE_CHARS + 1),
        actions=(AgreedAction("a1", "Chase the school", "Lead", due=FAR_FUTURE),),
    )
    problems = limit_problems(session)
    assert set(problems) == {"notes", "supervisor", "actions[0].due"}
    over = f"{MAX_TEXT_CHARS + 1:,} characters long; at most {MAX_TEXT_CHARS:,} fit here"
    assert over in problems["notes"]
    assert "at most 500 fit here" in problems["supervisor"]
    assert "31 December 9999 is not a date a record can hold" in problems["actions[0].due"]
    assert limit_problems(a_session(notes="n" * MAX_TEXT_CHARS, date=LATEST_DATE)) == {}


def test_a_datetime_and_a_path_prefix() -> None:
    problems = limit_problems({"at": datetime(1850, 1, 1, tzinfo=UTC)}, "$.x")
    assert list(problems) == ["$.x[at]"]
    with pytest.raises(ValidationError) as caught:
        check_limits(ConsultationEntry("c1", date(1899, 12, 31), "Invented service", "Advice."))
    assert list(caught.value.problems) == ["date"]


def test_short_and_long_fields() -> None:
    assert text_limit("young_person_name") == MAX_LINE_CHARS
    assert text_limit("text") == text_limit("notes") == MAX_TEXT_CHARS


def test_date_sums_never_overflow() -> None:
    assert date_after(FAR_FUTURE, timedelta(weeks=6)) == date.max
    assert date_after(date.min, timedelta(days=-1)) == date.min
    assert date_after(date(2025, 1, 1), timedelta(days=1)) == date(2025, 1, 2)
    assert years_after(date(9990, 5, 1), 25) == add_years(date(9990, 5, 1), 25) == date.max
    assert years_after(date(2024, 2, 29), 1) == date(2025, 3, 1)


# -- saved through the services -------------------------------------------------------------


@pytest.fixture
def demo(session: Session) -> Session:
    add_demo_cases(session, 8, today=TODAY)
    return session


def _case_in(session: Session, status: CaseStatus):
    found = next(c for c in session.cases.list_cases() if c.status is status)
    return session.cases.get_case(found.id)


def test_a_far_future_session_or_action_is_refused_on_save(demo: Session) -> None:
    case = _case_in(demo, CaseStatus.IN_INTERVENTION)
    before = demo.supervision.sessions(case.id)
    with pytest.raises(ValidationError) as caught:
        demo.supervision.save_session(case.id, a_session(FAR_FUTURE), today=TODAY)
    assert "date" in caught.value.problems
    action = AgreedAction("a1", "Chase the school records", "Lead", due=FAR_FUTURE)
    with pytest.raises(ValidationError) as caught:
        demo.supervision.save_session(case.id, a_session(actions=(action,)), today=TODAY)
    assert "not a date a record can hold" in caught.value.problems["actions[0].due"]
    assert demo.supervision.sessions(case.id) == before


def test_a_text_over_the_limit_is_refused_on_save_naming_the_field(demo: Session) -> None:
    case = _case_in(demo, CaseStatus.IN_ASSESSMENT)
    assessment = case.current_assessment
    assert assessment is not None
    entry = EvidenceEntry(
        new_id(), "developmental", 1, "e" * (MAX_TEXT_CHARS + 1), TODAY, "education",
        "background", "shareable",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        demo.assessments.save_item(assessment.id, entry)
    assert list(caught.value.problems) == ["text"]
    assert demo.assessments.save_item(assessment.id, replace(entry, text="e" * MAX_TEXT_CHARS))
    with pytest.raises(ValidationError) as caught:
        demo.cases.update_case(replace(case, lead_worker="w" * (MAX_LINE_CHARS + 1)), TODAY)
    assert list(caught.value.problems) == ["lead_worker"]
    meeting_case = _case_in(demo, CaseStatus.IN_INTERVENTION)
    with pytest.raises(ValidationError) as caught:
        demo.logs.save_consultation(
            meeting_case.id,
            ConsultationEntry(new_id(), date(2025, 5, 1), "Invented", "a" * (MAX_TEXT_CHARS + 1)),
        )
    assert list(caught.value.problems) == ["advice"]


def test_an_old_store_with_a_far_future_session_still_shows_the_dashboard(
    demo: Session,
) -> None:
    """Written through the store layer, as an older version of the app could have."""
    case = _case_in(demo, CaseStatus.IN_INTERVENTION)
    with demo._uow.write() as tx:
        tx.case_items.save(case.id, a_session(FAR_FUTURE), tx.now_text())
    found = demo.deadlines.dashboard(TODAY)
    mine = [d for d in found if d.case_id == case.id and d.kind.value == "supervision"]
    assert [d.due for d in mine] == [date.max]
    assert demo.supervision.due(case.id, TODAY).next_due == date.max


# -- imported --------------------------------------------------------------------------------


def _refusal(document: dict) -> str:
    with pytest.raises(CaseFileError) as caught:
        parse_export_bytes(encode(document), TODAY)
    return str(caught.value)


def _document_with_session(**changes: object) -> dict:
    from aim3desk.domain.case_records import CaseRecords

    case = invented_case()
    records = CaseRecords(sessions=(a_session(**changes),))
    return case_to_document(case, contents=invented_contents(case), records=records)


def test_a_far_future_session_is_refused_on_import() -> None:
    document = _document_with_session()
    document["case"]["records"]["supervision_sessions"][0]["date"] = "9999-12-31"
    message = _refusal(document)
    assert "$.case.records.supervision_sessions[0].date: 31 December 9999 is not a date" in message


def test_a_text_over_the_limit_is_refused_on_import_and_one_at_it_taken() -> None:
    case = invented_case()
    document = case_to_document(case, contents=invented_contents(case))
    evidence = document["case"]["assessments"][1]["content"]["evidence"][0]
    evidence["text"] = "t" * MAX_TEXT_CHARS
    parse_export_bytes(encode(document), TODAY)
    evidence["text"] += "t"
    message = _refusal(document)
    assert f"evidence[0].text: is too long (at most {MAX_TEXT_CHARS})" in message
    document["case"]["young_person_name"] = "n" * (MAX_LINE_CHARS + 1)
    assert f"$.case.young_person_name: is too long (at most {MAX_LINE_CHARS})" in _refusal(document)


def test_the_schema_takes_its_text_lengths_from_the_limits() -> None:
    lengths: set[int] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "maxLength" in node:
                lengths.add(node["maxLength"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for version in (1, 2, 3, 4, 5):
        walk(load_schema(version))
    assert {MAX_TEXT_CHARS, MAX_LINE_CHARS} <= lengths
    assert all(n in (MAX_TEXT_CHARS, MAX_LINE_CHARS) or n < 200 for n in lengths)


# -- reports ----------------------------------------------------------------------------------


def test_a_long_line_is_cut_into_runs_keeping_every_word() -> None:
    from aim3desk.services.reports.style import PARAGRAPH_RUN_CHARS, line_runs

    line = " ".join(f"Sentence {n} says a little more." for n in range(2_000))
    runs = line_runs(line)
    assert len(runs) > 1 and all(len(run) <= PARAGRAPH_RUN_CHARS for run in runs)
    assert all(run.endswith(".") for run in runs)  # cut at the end of a sentence
    assert " ".join(runs) == line
    assert "".join(line_runs("w" * 5_000)) == "w" * 5_000  # one unbroken word
    assert line_runs("") == [""]


def _report_with_rationale(chars: int) -> bytes:
    from benchmarks.text_limits_bench import one_field_request

    from aim3desk.services.reports.build import render_bytes

    return render_bytes(one_field_request(chars, paragraphs=False))


def test_a_report_with_a_long_unbroken_field_builds() -> None:
    from benchmarks.report_bench import page_texts

    data = _report_with_rationale(MAX_TEXT_CHARS // 4)
    words = " ".join(page_texts(data)).split()
    assert len(words) > MAX_TEXT_CHARS // 4 // 8  # the whole text is there, page after page


@pytest.mark.slow
def test_the_worst_case_report_builds() -> None:
    """Every long text of a whole assessment at the limit (benchmarks/text_limits_bench)."""
    from benchmarks.report_bench import page_count
    from benchmarks.text_limits_bench import long_texts, maxed_request

    from aim3desk.services.reports.build import render_bytes

    request = maxed_request()
    assert long_texts(request.content) > 100
    assert page_count(render_bytes(request)) > 1_000
