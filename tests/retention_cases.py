"""Synthetic cases for the retention tests: a case added through the services and closed on
a given day, so its retention date is known (policy in the tests: 6 years or age 18)."""

from __future__ import annotations

from datetime import date

from aim3desk.config import EffectiveSettings, Settings
from aim3desk.domain.cases import Case, CaseStatus, LeadAgency, Requester, new_id
from aim3desk.services.session import Session

# Short periods so a case closed in 2015 is long past its date and one closed last year is not.
RETENTION_SETTINGS = EffectiveSettings(
    Settings(retention_years_after_closure=6, retention_until_age=18)
)
LONG_AGO = date(2015, 5, 1)  # kept until 2021-05-01 under the 6-year rule
TODAY = date(2026, 11, 30)


def add_case(session: Session, reference: str, born: date = date(2000, 3, 2)) -> Case:
    """An open case of an invented young person (18th birthday in 2018 by default)."""
    return session.cases.add_case(
        Case(
            id=new_id(),
            reference=reference,
            young_person_name="Quillon Fernsby-Notreal",
            date_of_birth=born,
            lead_agency=LeadAgency.YOS,
            lead_worker="Dorrit Samplefield",
            requested_by=Requester.CASE_WORKER,
            request_date=date(2014, 1, 6),
        ),
        today=date(2014, 1, 6),
    )


def closed_case(session: Session, reference: str, closed_on: date = LONG_AGO) -> Case:
    case = add_case(session, reference)
    return session.cases.set_status(case.id, CaseStatus.CLOSED, on=closed_on)
