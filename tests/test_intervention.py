"""The intervention plan: forms as data, tracks at different stages, goals rated at reviews,
risk management meetings, keeping-safe plan versions and the ending summary, on a real
encrypted profile."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aim3desk.domain.case_codec import records_from_dict, records_to_dict
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import ValidationError
from aim3desk.domain.forms import FormError, parse_intervention
from aim3desk.domain.intervention import (
    EndingSummary,
    ProgressReview,
    Responsibility,
    RiskMeeting,
    TrackKind,
)
from aim3desk.paths import data_dir
from aim3desk.security.kdf import KdfParams
from aim3desk.services.forms_loader import load_intervention
from aim3desk.services.profile import ProfileService, Session
from test_supervision import TODAY, make_case


@pytest.fixture
def session(tmp_path: Path):
    opened, _ = ProfileService(tmp_path / "p").create(
        "quill lantern orchard seventeen", "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    yield opened
    opened.close()


def test_shipped_framework_has_four_stages_for_three_tracks() -> None:
    forms = load_intervention()
    assert [s.title for s in forms.stages] == [
        "Preparation, engagement and motivation",
        "Building resilience",
        "Sex education, relationships and harmful sexual behaviours",
        "Moving on (ending intervention)",
    ]
    three = forms.stage(3)
    assert {i.part for i in three.adults} == {1, 2} and {i.part for i in three.young_person} == {
        1,
        2,
    }
    assert all(s.adults and s.young_person and s.risk_meeting for s in forms.stages)
    assert [s.responsibility for s in forms.stages] == [
        "adults",
        "adults",
        "shared",
        "young_person",
    ]
    texts = " ".join(i.text for i in forms.stage(2).risk_meeting)
    assert "identified goals" in texts and "changes ratified" in texts  # seed typos fixed
    assert forms.progress.min == 0 and forms.progress.max == 10


def test_a_broken_intervention_file_names_file_and_key() -> None:
    text = (data_dir("forms") / "intervention.toml").read_text(encoding="utf-8")
    with pytest.raises(FormError) as caught:
        parse_intervention("intervention.toml", text.replace("part = 2,", "part = 5,", 1))
    assert str(caught.value).startswith("intervention.toml: stages[2].adults[2].part:")
    with pytest.raises(FormError, match=r"stages\[0\]\.adults\[1\]\.id: duplicate item id"):
        parse_intervention(
            "intervention.toml", text.replace('"s1-adults-ground-rules"', '"s1-adults-basics"')
        )


def test_young_person_and_parent_move_through_different_stages(session: Session) -> None:
    case = session.cases.add_case(make_case(), today=TODAY)
    service = session.intervention
    young = service.add_track(case.id, TrackKind.YOUNG_PERSON, on=date(2025, 2, 1))
    parent = service.add_track(
        case.id, TrackKind.PARENT_CARER, "Orla Madeupson", on=date(2025, 2, 1)
    )
    meeting_track = service.add_track(case.id, TrackKind.RISK_MEETING, on=date(2025, 2, 1))
    with pytest.raises(ValidationError):
        service.add_track(case.id, TrackKind.YOUNG_PERSON)
    with pytest.raises(ValidationError):
        service.add_track(case.id, TrackKind.PARENT_CARER, " ")
    service.move_track(case.id, young.id, 2, on=date(2025, 2, 20))
    service.move_track(case.id, young.id, 3, on=date(2025, 3, 10))
    with pytest.raises(ValidationError):
        service.move_track(case.id, parent.id, 5, on=TODAY)

    goal = service.goal_from_stage_item(
        case.id, young.id, "s2-yp-emotional-literacy", date(2025, 2, 20)
    )
    assert goal.stage == 2 and goal.text == "Emotional literacy and regulation"
    service.save_goal(
        case.id,
        goal.__class__(
            **{**goal.__dict__, "plain_words": "Know when I'm cross", "who_can_help": "Mum"}
        ),
    )
    service.review_goal(case.id, goal.id, ProgressReview(date(2025, 3, 1), 3, "early days"))
    reviewed = service.review_goal(case.id, goal.id, ProgressReview(date(2025, 3, 15), 6))
    assert [r.rating for r in reviewed.reviews] == [3, 6]
    with pytest.raises(ValidationError):
        service.review_goal(case.id, goal.id, ProgressReview(date(2025, 3, 16), 11))
    with pytest.raises(ValidationError):
        service.review_goal(case.id, goal.id, ProgressReview(date(2025, 3, 1), 5))

    service.save_meeting(
        case.id,
        RiskMeeting(
            "m1",
            date(2025, 3, 5),
            ("Lead", "School"),
            "Continue",
            "Relax club supervision",
            Responsibility.SHARED,
            date(2025, 4, 16),
        ),
    )
    first = service.new_keeping_safe_plan(case.id, "Talk to my mentor", "Carer", date(2025, 3, 6))
    second = service.new_keeping_safe_plan(
        case.id, "Talk to my mentor or mum", "", date(2025, 3, 12)
    )
    assert (first.version, second.version) == (1, 2)

    plan = service.plan(case.id)
    assert {t.kind: t.stage for t in plan.tracks} == {
        TrackKind.YOUNG_PERSON: 3,
        TrackKind.PARENT_CARER: 1,
        TrackKind.RISK_MEETING: 1,
    }
    assert [c.stage for c in plan.track(young.id).history] == [1, 2, 3]
    assert plan.goals[0].plain_words == "Know when I'm cross"
    assert plan.keeping_safe_plan == second and len(plan.keeping_safe_plans) == 2
    assert meeting_track.id in {t.id for t in plan.tracks}

    draft = service.draft_ending(case.id)
    assert "from 3/10" in draft.progress and "to 6/10" in draft.progress
    assert "Orla Madeupson is at stage 1" in draft.outstanding
    assert "becoming shared" in draft.risk_and_change and "version 2" in draft.risk_and_change
    service.save_ending(case.id, EndingSummary("p", "r", "o"))
    assert service.plan(case.id).ending == EndingSummary("p", "r", "o")

    audit = [e for e in session.audit.entries() if e.action.startswith("intervention.")]
    assert audit and all(set(e.detail) <= {"case_id", "kinds", "count"} for e in audit)
    assert "Orla" not in str([e.detail for e in session.audit.entries()])

    records = CaseRecords(plan=service.plan(case.id))
    assert records_from_dict(records_to_dict(records)) == records
    assert service.delete_track(case.id, young.id)
    assert service.plan(case.id).goals == ()


def test_records_reader_names_a_bad_goal_track() -> None:
    data = records_to_dict(CaseRecords())
    data["intervention"]["goals"] = [
        {
            "id": "g",
            "track_id": "nope",
            "stage": 1,
            "text": "t",
            "plain_words": "",
            "who_can_help": "",
            "from_stage_item": None,
            "created": None,
            "reviews": [],
        }
    ]
    with pytest.raises(ValueError, match=r"records\.intervention\.goals\[0\]\.track_id"):
        records_from_dict(data)
    data["intervention"]["goals"][0]["stage"] = 9
    with pytest.raises(ValueError, match=r"goals\[0\]\.stage: expected a stage"):
        records_from_dict(data)
