"""The annual return (seed 003, local policy): for a period, the number of AIM3 assessments
completed, ongoing or outstanding, and not completed with the reasons. Counts only: nothing
here ever carries a name or a case reference. Pure Python.

Rules, for a period from F to T inclusive (both days count):
- completed: assessment versions finished between F and T, on the practitioner's calendar
  day (finished_at is kept in UTC; 00:30 on 1 April British Summer Time is 23:30 UTC on
  31 March, and the versions page shows it as finished on 1 April, so that is the day);
- not completed: cases marked not completed between F and T, grouped by reason;
- ongoing or outstanding: versions requested on or before T, not finished by T, of cases not
  marked not completed by T.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from aim3desk.domain.cases import Case, CaseStatus, local_day

UNRECORDED_REASON = "Reason not recorded"


@dataclass(frozen=True)
class AnnualReturn:
    period_from: date
    period_to: date
    completed: int
    ongoing: int
    not_completed: int
    reasons: dict[str, int] = field(default_factory=dict)  # reason -> count, most first

    def rows(self) -> list[tuple[str, int]]:
        """(label, count) rows, as the CSV and PDF print them."""
        rows = [
            ("Assessments completed", self.completed),
            ("Assessments ongoing or outstanding", self.ongoing),
            ("Assessments not completed", self.not_completed),
        ]
        rows += [(f"Not completed: {reason}", count) for reason, count in self.reasons.items()]
        return rows


def normalise_reason(reason: str) -> str:
    text = " ".join(reason.split())
    return text[:1].upper() + text[1:] if text else UNRECORDED_REASON


def _not_completed_by(case: Case, day: date) -> bool:
    return (
        case.status is CaseStatus.NOT_COMPLETED
        and case.not_completed_on is not None
        and case.not_completed_on <= day
    )


def annual_return(
    cases: Iterable[Case],
    period_from: date,
    period_to: date,
    *,
    day_of: Callable[[datetime], date] = local_day,
) -> AnnualReturn:
    """`day_of` turns a finishing time into its calendar day (tests pass a fixed zone)."""
    if period_from > period_to:
        raise ValueError("The period starts after it ends.")
    completed = ongoing = 0
    reasons: Counter[str] = Counter()
    spellings: dict[str, str] = {}
    for case in cases:
        for assessment in case.assessments:
            finished_on = day_of(assessment.finished_at) if assessment.finished_at else None
            if assessment.finished and finished_on is None:
                finished_on = assessment.request_date  # finished before dates were kept
            if finished_on is not None and period_from <= finished_on <= period_to:
                completed += 1
            elif (
                assessment.request_date <= period_to
                and (finished_on is None or finished_on > period_to)
                and not _not_completed_by(case, period_to)
            ):
                ongoing += 1
        if (
            case.status is CaseStatus.NOT_COMPLETED
            and case.not_completed_on is not None
            and period_from <= case.not_completed_on <= period_to
        ):
            reason = normalise_reason(case.not_completed_reason)
            key = reason.casefold()
            spellings.setdefault(key, reason)
            reasons[key] += 1
    ordered = sorted(reasons.items(), key=lambda item: (-item[1], spellings[item[0]]))
    return AnnualReturn(
        period_from,
        period_to,
        completed,
        ongoing,
        sum(reasons.values()),
        {spellings[key]: count for key, count in ordered},
    )
