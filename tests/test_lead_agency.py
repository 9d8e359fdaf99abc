"""The lead-agency rule (seeds 001 and 003) and when escalation is offered: pure domain."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from aim3desk.domain.cases import (
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    ValidationError,
    lead_departs_from_rule,
    propose_lead,
    start_assessment,
    validate_case,
)
from aim3desk.domain.deadlines import ESCALATION_NEAR_DAYS, escalation_offer
from test_domain_cases import TODAY
from test_domain_cases import make_case as domain_case


def make_case(**changes) -> Case:
    """A case led by early help unless changed (test_domain_cases.make_case: a YOS lead)."""
    return domain_case(**{"lead_agency": LeadAgency.EARLY_HELP, **changes})


def test_court_request_proposes_a_yos_lead_jointly_with_a_social_worker() -> None:
    proposal = propose_lead(Requester.CRIMINAL_COURT, False, "Pat Invented")
    assert proposal is not None
    assert proposal.lead_agency is LeadAgency.YOS
    assert proposal.joint_with_social_worker
    assert "criminal proceedings" in proposal.why
    alone = propose_lead(Requester.CRIMINAL_COURT, False, "  ")
    assert alone is not None and not alone.joint_with_social_worker


def test_open_to_the_yos_for_a_sexual_offence_proposes_a_yos_lead() -> None:
    proposal = propose_lead(Requester.SERVICE_MANAGER, True, "")
    assert proposal is not None and proposal.lead_agency is LeadAgency.YOS
    assert "sexually harmful offence" in proposal.why


@pytest.mark.parametrize("requester", [r for r in Requester if r is not Requester.CRIMINAL_COURT])
def test_otherwise_nothing_is_proposed(requester: Requester) -> None:
    assert propose_lead(requester, False, "Pat Invented") is None
    assert lead_departs_from_rule(make_case(requested_by=requester)) is None


def test_another_lead_needs_a_reason() -> None:
    case = make_case(requested_by=Requester.CRIMINAL_COURT)
    with pytest.raises(ValidationError) as raised:
        validate_case(case, TODAY)
    assert set(raised.value.problems) == {"lead_agency_reason"}
    assert "Say why" in raised.value.problems["lead_agency_reason"]
    validate_case(replace(case, lead_agency_reason="The YOS has no trained worker free"), TODAY)
    validate_case(replace(case, lead_agency=LeadAgency.YOS), TODAY)


def test_not_joint_with_the_social_worker_needs_a_reason() -> None:
    case = make_case(
        open_to_yos_for_sexual_offence=True, lead_agency=LeadAgency.YOS, social_worker="Pat"
    )
    assert lead_departs_from_rule(case) is not None
    with pytest.raises(ValidationError) as raised:
        validate_case(case, TODAY)
    assert "jointly" in raised.value.problems["lead_agency_reason"]
    validate_case(replace(case, joint_with_social_worker=True), TODAY)


def _in_assessment(request_date: date, **changes) -> Case:
    case = make_case(request_date=request_date, status=CaseStatus.IN_ASSESSMENT, **changes)
    return replace(case, assessments=(start_assessment(case),))


def test_escalation_offered_in_the_last_week_and_after_the_due_date() -> None:
    due_in = lambda days: _in_assessment(TODAY - timedelta(weeks=6) + timedelta(days=days))  # noqa: E731
    assert escalation_offer(due_in(ESCALATION_NEAR_DAYS + 1), TODAY) is None
    near = escalation_offer(due_in(ESCALATION_NEAR_DAYS), TODAY)
    assert near is not None and near.days_left == ESCALATION_NEAR_DAYS and not near.overdue
    late = escalation_offer(due_in(-3), TODAY)
    assert late is not None and late.overdue and late.due == TODAY - timedelta(days=3)


def test_no_escalation_once_the_assessment_is_finished_or_the_case_moved_on() -> None:
    late = _in_assessment(TODAY - timedelta(weeks=8))
    finished = replace(late.assessments[0], finished=True)
    assert escalation_offer(replace(late, assessments=(finished,)), TODAY) is None
    assert escalation_offer(replace(late, status=CaseStatus.IN_INTERVENTION), TODAY) is None
    assert escalation_offer(replace(late, assessments=()), TODAY) is None
