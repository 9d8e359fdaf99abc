"""Supervision: forms as data, the cadence rule at its boundaries, the service on a real
encrypted profile (audit names kinds only), and the supervisor record rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from aim3desk.config import Settings
from aim3desk.domain.case_codec import case_item_from_dict, case_item_to_dict, session_to_dict
from aim3desk.domain.cases import (
    Assessment,
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    ValidationError,
    new_id,
)
from aim3desk.domain.forms import FormError, parse_supervision
from aim3desk.domain.supervision import (
    AgreedAction,
    PromptResponse,
    SupervisionSession,
    SupervisionType,
    record_for_supervisor,
    supervision_due,
)
from aim3desk.paths import data_dir
from aim3desk.security.kdf import KdfParams
from aim3desk.services.forms_loader import load_supervision
from aim3desk.services.profile import ProfileService, Session

TODAY = date(2025, 3, 20)


@pytest.fixture
def session(tmp_path: Path):
    opened, _ = ProfileService(tmp_path / "p").create(
        "quill lantern orchard seventeen", "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    yield opened
    opened.close()


def make_case(status: CaseStatus = CaseStatus.IN_ASSESSMENT, request: date = date(2025, 1, 6)):
    case = Case(
        id=new_id(),
        reference="SUP-0001",
        young_person_name="Brindlewick Notaperson",
        date_of_birth=date(2011, 4, 2),
        lead_agency=LeadAgency.YOS,
        lead_worker="Marisol Examplecroft",
        requested_by=Requester.CASE_WORKER,
        request_date=request,
        status=status,
    )
    assessment = Assessment(
        new_id(), case.id, AssessmentModel.AIM3, request, request + timedelta(weeks=6)
    )
    return replace(case, assessments=(assessment,))


def session_on(day: date, kind: SupervisionType = SupervisionType.ASSESSMENT_ONE, **changes):
    return replace(SupervisionSession(new_id(), day, "Rosalind Mockingham", kind), **changes)


# -- forms ------------------------------------------------------------------------------------


def test_shipped_supervision_forms_have_the_seed_content() -> None:
    forms = load_supervision()
    assert [t.id for t in forms.session_types] == [t.value for t in SupervisionType]
    assert [g.title for g in forms.wellbeing] == [
        "The practice environment",
        "Your life experiences",
        "Your coping strategies",
    ]
    assert [len(g.prompts) for g in forms.wellbeing] == [7, 5, 4]
    assert len(forms.risk_questions) == 6
    texts = " ".join(q.text for q in forms.risk_questions)
    assert "presence of protective factors" in texts and " pf " not in texts  # typo fixed
    assert "sign_off" in {i.id for i in forms.session_type("assessment_three").agenda}


def test_a_broken_supervision_file_names_file_and_key() -> None:
    text = (data_dir("forms") / "supervision.toml").read_text(encoding="utf-8")
    broken = text.replace('phase = "intervention"', 'phase = "later"')
    with pytest.raises(FormError) as caught:
        parse_supervision("supervision.toml", broken)
    assert str(caught.value).startswith("supervision.toml: session_types[3].phase:")
    with pytest.raises(FormError, match="unknown key"):
        parse_supervision("supervision.toml", text + "\nextra = 1\n")
    duplicate = text.replace('id = "vary_work"', 'id = "years_hsb"')
    with pytest.raises(FormError, match=r"wellbeing\[0\]\.prompts\[2\]\.id: duplicate"):
        parse_supervision("supervision.toml", duplicate)


# -- cadence ----------------------------------------------------------------------------------


SETTINGS = Settings()


def test_assessment_sessions_are_spread_to_the_due_date() -> None:
    case = make_case()
    assessment = case.current_assessment
    due = supervision_due(case, assessment, [], SETTINGS, date(2025, 1, 20))
    assert due.next_due == date(2025, 1, 20) and not due.overdue  # 14 of 42 days: due that day
    assert supervision_due(case, assessment, [], SETTINGS, date(2025, 1, 21)).overdue
    held = [session_on(date(2025, 1, 15)), session_on(date(2025, 2, 1))]
    third = supervision_due(case, assessment, held, SETTINGS, TODAY)
    assert third.next_due == assessment.due_date == date(2025, 2, 17)  # exactly six weeks
    assert "3 of 3" in third.reason
    on_due = supervision_due(case, assessment, held, SETTINGS, date(2025, 2, 17))
    assert not on_due.overdue
    all_held = [*held, session_on(date(2025, 2, 10), SupervisionType.ASSESSMENT_THREE)]
    assert supervision_due(case, assessment, all_held, SETTINGS, TODAY).next_due is None


def test_intervention_cadence_exactly_four_weeks_and_across_a_leap_day() -> None:
    case = make_case(CaseStatus.IN_INTERVENTION, request=date(2023, 11, 1))
    finished = replace(
        case.current_assessment,
        finished=True,
        finished_at=datetime(2023, 12, 1, 12, tzinfo=UTC),
    )
    case = replace(case, assessments=(finished,))
    last = session_on(date(2024, 2, 1), SupervisionType.INTERVENTION)
    due = supervision_due(case, finished, [last], SETTINGS, date(2024, 2, 29))
    assert due.next_due == date(2024, 2, 29)  # four weeks after 1 February 2024 is the leap day
    assert not due.overdue
    assert supervision_due(case, finished, [last], SETTINGS, date(2024, 3, 1)).overdue
    weekly = replace(SETTINGS, intervention_supervision_weeks=1)
    assert supervision_due(case, finished, [last], weekly, TODAY).next_due == date(2024, 2, 8)


def test_closed_cases_need_no_supervision() -> None:
    due = supervision_due(make_case(CaseStatus.CLOSED), None, [], SETTINGS, TODAY)
    assert due.next_due is None and not due.overdue


# -- the service ------------------------------------------------------------------------------


def test_three_sessions_with_prompts_round_trip_and_audit_names_no_text(session: Session) -> None:
    case = session.cases.add_case(make_case(), today=TODAY)
    words = "Invented private words about a long week"
    for kind, day in zip(
        [
            SupervisionType.ASSESSMENT_ONE,
            SupervisionType.ASSESSMENT_TWO,
            SupervisionType.ASSESSMENT_THREE,
        ],
        [date(2025, 1, 15), date(2025, 1, 30), date(2025, 2, 14)],
        strict=True,
    ):
        recorded = session_on(
            day,
            kind,
            agenda_done=("wellbeing",)
            if kind is not SupervisionType.ASSESSMENT_THREE
            else ("sign_off",),
            notes="Invented notes",
            wellbeing=(PromptResponse("resilience", words),),
            risk_questions=(PromptResponse("rule_of_optimism", "Checked with school"),),
            actions=(AgreedAction(new_id(), "Chase records", "Lead", day + timedelta(days=7)),),
        )
        assert session.supervision.save_session(case.id, recorded, today=TODAY)
        assert not session.supervision.save_session(case.id, recorded, today=TODAY)
    stored = session.supervision.sessions(case.id)
    assert [s.type for s in stored] == list(SupervisionType)[:3]
    assert stored[0].wellbeing[0].response == words
    assert session.supervision.due(case.id, TODAY).next_due is None
    entries = [e for e in session.audit.entries() if e.action.startswith("supervision.")]
    assert entries and all(words not in str(e.detail) for e in entries)
    assert entries[0].detail == {"case_id": case.id, "kinds": ["supervision"]}
    assert len(entries) == 1  # autosave edits are throttled
    assert session.supervision.delete_session(case.id, stored[0].id)
    assert session.audit.entries()[-1].action == "supervision.delete"
    assert session.audit.verify().ok


def test_save_refuses_unknown_agenda_and_prompts(session: Session) -> None:
    case = session.cases.add_case(make_case(), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        session.supervision.save_session(
            case.id,
            session_on(
                TODAY + timedelta(days=1),
                agenda_done=("sign_off",),
                wellbeing=(PromptResponse("nope", "x"),),
                supervisor=" ",
            ),
            today=TODAY,
        )
    assert set(caught.value.problems) == {"date", "agenda_done", "wellbeing", "supervisor"}


def test_record_for_supervisor_keeps_wellbeing_only_when_included() -> None:
    private = session_on(TODAY, wellbeing=(PromptResponse("resilience", "private"),))
    assert record_for_supervisor(private).wellbeing == ()
    included = replace(private, include_for_supervisor=True)
    assert record_for_supervisor(included).wellbeing == included.wellbeing


def test_codec_is_strict_and_exports_leave_wellbeing_out() -> None:
    recorded = session_on(TODAY, wellbeing=(PromptResponse("resilience", "private"),))
    data = case_item_to_dict(recorded)
    assert case_item_from_dict("supervision", data) == recorded
    assert "wellbeing" not in session_to_dict(recorded, include_wellbeing=False)
    with pytest.raises(ValueError, match=r"s\.date: expected an ISO date"):
        case_item_from_dict("supervision", data | {"date": "20 March"}, "s")
    with pytest.raises(ValueError, match="unknown key"):
        case_item_from_dict("supervision", data | {"extra": 1})
