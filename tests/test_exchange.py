"""The case export format without a profile: schema, refusals and their JSON paths."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    new_id,
    start_assessment,
)
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
    )
    first = start_assessment(case, AssessmentModel.AIM3).with_evidence("developmental", "a\nb")
    second = replace(
        start_assessment(case, AssessmentModel.AIM3), version=2, finished=True
    ).with_evidence("self_regulation", "Текст ✓")
    return replace(case, assessments=(first, second), **changes)


def encode(document: object) -> bytes:
    return json.dumps(document).encode("utf-8")


def refusal(document: object) -> str:
    with pytest.raises(CaseFileError) as caught:
        parse_export_bytes(encode(document), TODAY)
    return str(caught.value)


def test_round_trip_keeps_everything() -> None:
    case = invented_case()
    back = parse_export_bytes(encode(case_to_document(case, "Harriet Dummerston")), TODAY)
    assert back == case
    assert back.assessments == case.assessments


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
            lambda d: d["case"]["assessments"][0]["evidence"][0].update(text=None),
            "$.case.assessments[0].evidence[0].text: must be text, not null",
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
    document = case_to_document(invented_case())
    edit(document)
    assert expected in refusal(document)


def test_refusals_of_other_files() -> None:
    assert "not an AIM3 Desk case export" in refusal([1, 2])
    assert "not an AIM3 Desk case export" in refusal({"format": "something-else"})
    newer = case_to_document(invented_case()) | {"schema_version": 9}
    assert "schema version 9" in refusal(newer)
    raw = b'{"format": "aim3desk-case-export", "format": "x"}'
    with pytest.raises(CaseFileError, match="appears twice"):
        parse_export_bytes(raw, TODAY)
    with pytest.raises(CaseFileError, match="NaN"):
        parse_export_bytes(b'{"a": NaN}', TODAY)
    with pytest.raises(CaseFileError, match="not UTF-8"):
        parse_export_bytes(b"\xff\xfe{}", TODAY)


def test_error_messages_do_not_echo_long_text() -> None:
    document = case_to_document(invented_case())
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
    document = case_to_document(invented_case())
    document["case"]["assessments"][0]["evidence"] = junk
    try:
        parse_export_bytes(encode(document), TODAY)
    except CaseFileError as exc:
        assert str(exc).startswith("The file cannot be imported")
