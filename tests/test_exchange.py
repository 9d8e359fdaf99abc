"""The case export format without a profile: schema, refusals and their JSON paths."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aim3desk.domain.assessment import (
    AssessmentContent,
    EvidenceEntry,
    FactorRating,
    Recommendations,
    SharingNotes,
)
from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    new_id,
    start_assessment,
)
from aim3desk.domain.limits import MAX_LINE_CHARS
from aim3desk.services.exchange import (
    CaseFileError,
    case_to_document,
    load_schema,
    parse_export_bytes,
)

TODAY = date(2025, 6, 1)


def invented_case(**changes: object) -> Case:
    case = Case(
        id=new_id(),
        reference="EXP-0001",
        young_person_name="Quillan Madeupson",
        date_of_birth=date(2012, 2, 29),
        lead_agency=LeadAgency.EARLY_HELP,
        lead_worker="Harriet Dummerston",
        requested_by=Requester.SERVICE_MANAGER,
        request_date=date(2025, 1, 6),
        co_workers=("Корвин Образцов",),
        status=CaseStatus.AWAITING_SIGN_OFF,
        social_worker="Ottilie Fictitious",
        request_reason="Invented request reason.",
        open_to_yos_for_sexual_offence=True,
        lead_agency_reason="Invented lead-agency reason.",
    )
    first = replace(
        start_assessment(case, AssessmentModel.AIM3),
        finished=True,
        finished_at=datetime(2025, 2, 3, 10, 15, tzinfo=UTC),
    )
    second = replace(start_assessment(case, AssessmentModel.AIM3), version=2, based_on_id=first.id)
    return replace(case, assessments=(first, second), **changes)


def invented_contents(case: Case) -> dict[str, AssessmentContent]:
    first, second = case.assessments
    entry = EvidenceEntry(
        "e1", "developmental", 2, "a\nb", date(2025, 1, 7), "education", "background", "shareable"
    )
    return {
        first.id: AssessmentContent(evidence=(entry,)),
        second.id: AssessmentContent(
            evidence=(replace(entry, text="Текст ✓"),),
            ratings=(FactorRating("developmental", 2, "some_concern", "Why."),),
            recommendations=Recommendations("Invented intervention.", "Invented level.", ""),
            sharing_notes=SharingNotes("Invented summary.").with_audience("police", "Invented."),
        ),
    }


def document_of(case: Case) -> dict:
    return case_to_document(case, contents=invented_contents(case))


def encode(document: object) -> bytes:
    return json.dumps(document).encode("utf-8")


def refusal(document: object) -> str:
    with pytest.raises(CaseFileError) as caught:
        parse_export_bytes(encode(document), TODAY)
    return str(caught.value)


def test_round_trip_keeps_everything() -> None:
    case = invented_case()
    contents = invented_contents(case)
    document = case_to_document(case, "Harriet Dummerston", contents=contents)
    back = parse_export_bytes(encode(document), TODAY)
    assert back.case == case
    assert back.case.assessments == case.assessments
    assert back.contents == contents
    assert back.schema_version == 5


def test_a_closed_case_keeps_the_day_it_was_closed() -> None:
    """A handed-over closed case keeps its retention date (version 4); a version 3 file,
    which did not say, counts from the day it was exported (never earlier than the truth)."""
    case = invented_case(status=CaseStatus.CLOSED, closed_on=date(2025, 3, 14))
    document = case_to_document(
        case, contents=invented_contents(case), now=datetime(2025, 5, 2, 9, 0, tzinfo=UTC)
    )
    assert document["case"]["closed_on"] == "2025-03-14"
    assert parse_export_bytes(encode(document), TODAY).case.closed_on == date(2025, 3, 14)
    document = without_version_5_fields(document)
    document["schema_version"] = 3
    assert "closed_on" in refusal(document)  # version 3 had no such field
    del document["case"]["closed_on"]
    older = parse_export_bytes(encode(document), TODAY)
    assert older.schema_version == 3 and older.case.closed_on == date(2025, 5, 2)
    open_case = case_to_document(invented_case(), contents=invented_contents(case))
    assert open_case["case"]["closed_on"] is None


V5_CASE_FIELDS = ("social_worker", "request_reason", "open_to_yos_for_sexual_offence")
V5_CONTENT_KINDS = ("recommendations", "sharing_notes")


def without_version_5_fields(document: dict) -> dict:
    """The document as version 4 wrote it: no front-sheet fields, no recommendations."""
    for key in (*V5_CASE_FIELDS, "lead_agency_reason"):
        del document["case"][key]
    for assessment in document["case"]["assessments"]:
        for kind in V5_CONTENT_KINDS:
            del assessment["content"][kind]
    return document


def test_a_version_4_file_is_read_with_empty_front_sheet_fields() -> None:
    case = invented_case()
    document = case_to_document(case, contents=invented_contents(case))
    document = without_version_5_fields(document)
    document["schema_version"] = 4
    back = parse_export_bytes(encode(document), TODAY)
    assert back.schema_version == 4
    assert (back.case.social_worker, back.case.request_reason) == ("", "")
    assert not back.case.open_to_yos_for_sexual_offence
    document["case"]["social_worker"] = "Invented Worker"
    assert "social_worker" in refusal(document)  # version 4 had no such field


def version_1_document(case: Case) -> dict:
    """A file as AIM3 Desk 0.1 wrote it (schema version 1)."""
    document = case_to_document(case, now=datetime(2025, 3, 4, 10, 0, tzinfo=UTC))
    without_version_5_fields(document)
    document["schema_version"] = 1
    for key in ("not_completed_reason", "not_completed_on", "records"):  # new in version 3
        del document["case"][key]
    del document["case"]["closed_on"]  # new in version 4
    for index, assessment in enumerate(document["case"]["assessments"]):
        for key in ("finished_at", "based_on_id", "content"):
            del assessment[key]
        assessment["evidence"] = [
            {"domain_id": "developmental", "text": f"Version {index + 1}\n  text ✓ "},
            {"domain_id": "self_regulation", "text": "   "},
        ]
    return document


def test_version_1_files_are_still_read_and_converted_like_the_store_migration() -> None:
    case = invented_case()
    back = parse_export_bytes(encode(version_1_document(case)), TODAY)
    assert back.schema_version == 1
    for index, assessment in enumerate(back.case.assessments):
        assert assessment.based_on_id is None and assessment.finished_at is None
        (entry,) = back.content(assessment.id).evidence
        assert entry == EvidenceEntry(
            "notes-developmental",
            "developmental",
            None,
            f"Version {index + 1}\n  text ✓ ",
            date(2025, 3, 4),
            "practitioner_observation",
            "background",
            "practitioner_reflection",
        )
    document = version_1_document(case)
    document["case"]["assessments"][0]["evidence"][1]["domain_id"] = "developmental"
    assert "$.case.assessments[0].evidence[1].domain_id: 'developmental' appears twice" in (
        refusal(document)
    )
    document = version_1_document(case)
    document["case"]["assessments"][0]["content"] = {}
    assert "unexpected field(s) 'content'" in refusal(document)


def test_schema_enums_match_the_domain() -> None:
    defs = load_schema()["$defs"]
    props = defs["case"]["properties"]
    assert props["lead_agency"]["enum"] == [x.value for x in LeadAgency]
    assert props["requested_by"]["enum"] == [x.value for x in Requester]
    assert props["status"]["enum"] == [x.value for x in CaseStatus]
    assert defs["assessment"]["properties"]["model"]["enum"] == [x.value for x in AssessmentModel]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d["case"].pop("lead_worker"), "$.case.lead_worker: this required field"),
        (lambda d: d["case"].update(extra=1), "$.case: unexpected field(s) 'extra'"),
        (lambda d: d.update(exported_at="yesterday"), "$.exported_at: 'yesterday' is not a valid"),
        (
            lambda d: d["case"]["assessments"][1].update(version="2"),
            "$.case.assessments[1].version: must be a whole number, not text",
        ),
        (
            lambda d: d["case"]["assessments"][0]["content"]["evidence"][0].update(text=None),
            "$.case.assessments[0].content.evidence[0].text: must be text, not null",
        ),
        (
            lambda d: d["case"]["assessments"][0]["content"]["evidence"][0].update(date="3 May"),
            "$.case.assessments[0].content.evidence[0].date: '3 May' is not",
        ),
        (
            lambda d: d["case"]["assessments"][1]["content"]["evidence"][0].update(
                unknown_id="nope"
            ),
            "$.case.assessments[1].content.evidence[0].unknown_id: no unknown 'nope'",
        ),
        (
            lambda d: d["case"]["assessments"][0].update(based_on_id="f" * 32),
            "$.case.assessments[0].based_on_id: not the id of an earlier version",
        ),
        (
            lambda d: d["case"]["assessments"][1].update(finished_at="2025-02-03T10:15:00Z"),
            "$.case.assessments[1].finished_at: set, but the version is not finished",
        ),
        (lambda d: d["case"].update(request_date="2030-01-01"), "$.case.request_date:"),
        (
            lambda d: d["case"].update(reference="Quillan-1", young_person_name="Quillan"),
            "$.case.reference: The case reference must not contain",
        ),
        (
            lambda d: d["case"]["assessments"][1].update(version=1),
            "$.case.assessments[1].version: version 1 appears twice",
        ),
        (
            lambda d: d["case"]["assessments"][0].update(due_date="2024-01-01"),
            "$.case.assessments[0].due_date: the due date is before the request date",
        ),
    ],
)
def test_bad_fields_are_named_by_json_path(edit, expected: str) -> None:
    document = document_of(invented_case())
    edit(document)
    assert expected in refusal(document)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d["case"].update(zeta=1, extra=2),
            "$.case: unexpected field(s) 'extra', 'zeta'",
        ),
        (
            lambda d: d["case"].update(status="paused"),
            "$.case.status: 'paused' is not one of: requested, in_assessment, awaiting_sign_off",
        ),
        (
            lambda d: d["case"]["assessments"][0]["content"].update(schema=2),
            "$.case.assessments[0].content.schema: must be 1, not 2",
        ),
        (
            lambda d: d["case"]["assessments"][0]["content"].update(schema=None),
            "$.case.assessments[0].content.schema: must be 1, not null",
        ),
        (
            lambda d: d["case"].update(lead_worker="x" * (MAX_LINE_CHARS + 1)),
            "$.case.lead_worker: is too long",
        ),
        (lambda d: d["case"].update(lead_worker="   "), "$.case.lead_worker: must not be empty"),
        (lambda d: d["case"].update(reference="-x"), "$.case.reference: '-x' is not in the"),
        (
            lambda d: d["case"].update(request_date="2025-02-30"),
            "$.case.request_date: '2025-02-30' is not a valid date (YYYY-MM-DD)",
        ),
        (
            lambda d: d.update(exported_at="2025-02-03T10:15:00"),
            "$.exported_at: '2025-02-03T10:15:00' is not a valid date and time (RFC 3339)",
        ),
        (
            lambda d: d["case"]["assessments"][0].update(version=0),
            "$.case.assessments[0].version: 0 is out of range",
        ),
        (
            lambda d: d["case"]["assessments"][0].update(version=10**9),
            "$.case.assessments[0].version: 1000000000 is out of range",
        ),
        (
            lambda d: d["case"]["assessments"][0].update(version=10**40),
            "a whole number has more than 18 digits (at case.assessments[0].version)",
        ),
        (
            lambda d: d["case"]["records"]["supervision_sessions"].append({"wellbeing": 1}),
            "$.case.records.supervision_sessions[0]: an object is not in the expected form",
        ),
        (
            lambda d: d["case"].update(co_workers=["A"] * 51),
            "$.case.co_workers: is too long (at most 50)",
        ),
    ],
)
def test_schema_refusals_say_what_is_wrong_in_plain_words(edit, expected: str) -> None:
    document = document_of(invented_case())
    edit(document)
    assert expected in refusal(document)


def test_a_document_nested_beyond_the_limit_is_refused_in_plain_words() -> None:
    document = document_of(invented_case())
    document["case"]["assessments"][0]["content"]["evidence"] = json.loads("[" * 900 + "]" * 900)
    assert "nested more than 32 levels deep (line 1, column" in refusal(document)


def test_refusals_of_other_files() -> None:
    assert "not an AIM3 Desk case export" in refusal([1, 2])
    assert "not an AIM3 Desk case export" in refusal({"format": "something-else"})
    newer = document_of(invented_case()) | {"schema_version": 9}
    assert "schema version 9" in refusal(newer)
    raw = b'{"format": "aim3desk-case-export", "format": "x"}'
    with pytest.raises(CaseFileError, match="appears twice"):
        parse_export_bytes(raw, TODAY)
    with pytest.raises(CaseFileError, match="NaN"):
        parse_export_bytes(b'{"a": NaN}', TODAY)
    with pytest.raises(CaseFileError, match="not UTF-8"):
        parse_export_bytes(b"\xff\xfe{}", TODAY)


def test_error_messages_do_not_echo_long_text() -> None:
    document = document_of(invented_case())
    document["case"]["young_person_name"] = "Secret " * 100 + "\t"
    document["case"]["status"] = "x" * 500
    message = refusal(document)
    assert len(message) < 600


@settings(max_examples=40, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
        max_leaves=20,
    )
)
def test_garbage_inside_a_valid_frame_is_refused_cleanly(junk: object) -> None:
    document = document_of(invented_case())
    document["case"]["assessments"][0]["content"]["evidence"] = junk
    try:
        parse_export_bytes(encode(document), TODAY)
    except CaseFileError as exc:
        assert str(exc).startswith("The file cannot be imported")
