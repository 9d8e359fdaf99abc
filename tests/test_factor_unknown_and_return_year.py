"""Two small rules of the domain: marking a factor unknown rates it unknown (and removing that
mark takes the rating back), and the annual return opens at a reporting year that has
something to count."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from aim3desk.domain import cases as c
from aim3desk.domain.annual_return import default_return_period, return_year
from aim3desk.domain.assessment import UNKNOWN_RATING, AssessmentContent, new_unknown
from aim3desk.services.forms_loader import load_form_set

FORMS = load_form_set()
AIM3 = FORMS.model("aim3")
DOMAIN = "sexual_behaviour"


def question(slot: int | None = 2, text: str = "Invented: did it happen at the club?"):
    return new_unknown(question=text, about_domain=DOMAIN, about_slot=slot)


# ---- marking a factor unknown -------------------------------------------------------------


def test_marking_a_factor_not_rated_yet_rates_it_unknown() -> None:
    content = AssessmentContent().mark_factor_unknown(AIM3, question())
    assert content.rating(DOMAIN, 2).rating == UNKNOWN_RATING
    assert len(content.open_unknowns()) == 1


def test_marking_a_rated_factor_unknown_replaces_the_rating_and_keeps_the_words() -> None:
    rated = (
        AssessmentContent()
        .set_rating(AIM3, DOMAIN, 2, AIM3.scale.values[1])
        .set_rationale(AIM3, DOMAIN, 2, "Invented: what the school said.")
    )
    marked = rated.mark_factor_unknown(AIM3, question())
    assert marked.rating(DOMAIN, 2).rating == UNKNOWN_RATING
    assert marked.rating(DOMAIN, 2).rationale == "Invented: what the school said."
    assert rated.rating(DOMAIN, 2).rating == AIM3.scale.values[1]  # undo keeps this content


def test_a_scale_without_an_unknown_value_keeps_the_rating() -> None:
    options = tuple(o for o in AIM3.scale.options if o.value != UNKNOWN_RATING)
    model = replace(AIM3, scale=replace(AIM3.scale, options=options))
    content = AssessmentContent().mark_factor_unknown(model, question())
    assert content.rating(DOMAIN, 2).rating is None
    assert len(content.unknowns) == 1


def test_marking_needs_a_factor_of_the_model() -> None:
    with pytest.raises(ValueError, match="needs the factor"):
        AssessmentContent().mark_factor_unknown(AIM3, question(slot=None))
    with pytest.raises(KeyError):
        AssessmentContent().mark_factor_unknown(AIM3, question(slot=9))


def test_removing_the_last_open_unknown_takes_the_mark_back() -> None:
    first, second = question(), question(text="Invented: and at home?")
    content = AssessmentContent().mark_factor_unknown(AIM3, first)
    content = content.mark_factor_unknown(AIM3, second)
    content = content.set_rationale(AIM3, DOMAIN, 2, "Invented: not enough known yet.")
    one_left = content.remove_unknown(first.id)
    assert one_left.rating(DOMAIN, 2).rating == UNKNOWN_RATING  # still not known
    none_left = one_left.remove_unknown(second.id)
    assert none_left.rating(DOMAIN, 2).rating is None  # back to not rated
    assert none_left.rating(DOMAIN, 2).rationale == "Invented: not enough known yet."


def test_removing_an_unknown_leaves_a_real_rating_alone() -> None:
    unknown = question()
    content = AssessmentContent().mark_unknown(unknown)  # a question only (the Unknowns page)
    content = content.set_rating(AIM3, DOMAIN, 2, AIM3.scale.values[1])
    assert content.remove_unknown(unknown.id).rating(DOMAIN, 2).rating == AIM3.scale.values[1]


def test_adding_a_question_on_the_unknowns_page_does_not_rate_the_factor() -> None:
    content = AssessmentContent().mark_unknown(question())
    assert content.rating(DOMAIN, 2).rating is None


# ---- the annual return's default year -----------------------------------------------------


def case_requested(on: date) -> c.Case:
    case_id = c.new_id()
    version = c.Assessment(c.new_id(), case_id, c.AssessmentModel.AIM3, on, on + timedelta(42))
    return c.Case(
        id=case_id,
        reference=f"TEST-{on.isoformat()}",
        young_person_name="Quilla Inventsworth",
        date_of_birth=date(2010, 1, 1),
        lead_agency=c.LeadAgency.YOS,
        lead_worker="Alex Testworker",
        requested_by=c.Requester.CASE_WORKER,
        request_date=on,
        status=c.CaseStatus.IN_ASSESSMENT,
        assessments=(version,),
    )


def test_return_year_runs_april_to_march() -> None:
    assert return_year(date(2026, 3, 31)) == (date(2025, 4, 1), date(2026, 3, 31))
    assert return_year(date(2026, 4, 1)) == (date(2026, 4, 1), date(2027, 3, 31))


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        ([], (date(2025, 4, 1), date(2026, 3, 31))),  # nothing anywhere: the last whole year
        ([date(2025, 6, 1)], (date(2025, 4, 1), date(2026, 3, 31))),  # the last whole year
        ([date(2026, 5, 1)], (date(2026, 4, 1), date(2027, 3, 31))),  # only this year has any
        ([date(2027, 9, 1)], (date(2025, 4, 1), date(2026, 3, 31))),  # none counted by today
    ],
)
def test_the_return_opens_at_a_year_with_something_to_count(
    requested: list[date], expected: tuple[date, date]
) -> None:
    today = date(2026, 11, 30)
    assert default_return_period([case_requested(d) for d in requested], today) == expected


def test_an_older_year_with_data_is_found_when_the_recent_ones_have_none() -> None:
    old = replace(
        case_requested(date(2021, 5, 1)),
        status=c.CaseStatus.NOT_COMPLETED,
        not_completed_reason="Invented: moved away",
        not_completed_on=date(2021, 6, 1),
    )
    today = date(2026, 11, 30)
    assert default_return_period([old], today) == (date(2021, 4, 1), date(2022, 3, 31))
