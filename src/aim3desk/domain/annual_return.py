"""The annual return (seed 003, local policy): for a period, the number of AIM3 assessments
completed, ongoing or outstanding, and not completed with the reasons. Counts only: nothing
here ever carries a name or a case reference. Pure Python.

Rules, for a period from F to T inclusive (both days count), with days on the
practitioner's calendar (times are kept in UTC; 00:30 on 1 April British Summer Time is
23:30 UTC on 31 March, and the screens show it as 1 April, so that is the day):
- completed: assessment versions signed off between F and T, by the one rule
  (domain/sign_off.py: a supervisor's signed review of a bundle sent of that version),
  counted on the day the supervisor decided;
- completed without sign-off (its own row): versions not signed off whose case was marked
  "Assessment completed" with a recorded override (domain/gates.py, Gate.COMPLETE) between F
  and T, counted on the day the override was recorded;
- not completed: cases marked not completed between F and T, grouped by reason;
- ongoing or outstanding: the latest version of each case requested on or before T that was
  neither signed off nor completed with an override by T, of cases not marked not completed
  by T. A version finished but not signed off is here: it is awaiting sign-off. An earlier
  version replaced by a later one requested by T is not counted again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from aim3desk.domain.cases import Assessment, Case, CaseStatus, local_day
from aim3desk.domain.gates import Gate
from aim3desk.domain.review import signing_review
from aim3desk.domain.sign_off import SignOffRecords

UNRECORDED_REASON = "Reason not recorded"
WITHOUT_SIGN_OFF_LABEL = "Completed without sign-off (override recorded)"


@dataclass(frozen=True)
class AnnualReturn:
    period_from: date
    period_to: date
    completed: int  # signed off in the period
    ongoing: int
    not_completed: int
    reasons: dict[str, int] = field(default_factory=dict)  # reason -> count, most first
    completed_without_sign_off: int = 0  # marked completed with an override in the period

    @property
    def has_data(self) -> bool:
        """Whether the period has anything to count at all."""
        return bool(
            self.completed + self.completed_without_sign_off + self.ongoing + self.not_completed
        )

    def rows(self) -> list[tuple[str, int]]:
        """(label, count) rows, as the CSV and PDF print them."""
        rows = [
            ("Assessments completed", self.completed),
            (WITHOUT_SIGN_OFF_LABEL, self.completed_without_sign_off),
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


def _completion(
    version: Assessment, records: SignOffRecords, day_of: Callable[[datetime], date]
) -> tuple[date | None, bool]:
    """The day the version was completed and whether it was signed off (True) or completed
    with an override (False); (None, False) while it is neither."""
    if version.finished:
        signing = signing_review(version.id, records.reviews, records.sent)
        if signing is not None and signing.decided_at is not None:
            return day_of(signing.decided_at), True
    overrides = records.overrides_of(version.id, Gate.COMPLETE)
    if overrides:
        return day_of(overrides[0].recorded_at), False
    return None, False


def _latest_by(case: Case, day: date) -> Assessment | None:
    requested = [a for a in case.assessments if a.request_date <= day]
    return max(requested, key=lambda a: a.version, default=None)


def annual_return(
    cases: Iterable[Case],
    period_from: date,
    period_to: date,
    sign_offs: SignOffRecords | None = None,
    *,
    day_of: Callable[[datetime], date] = local_day,
) -> AnnualReturn:
    """`sign_offs` holds the profile's reviews received, bundles sent and overrides
    (store: sign_off_records); `day_of` turns a UTC time into its calendar day (tests pass
    a fixed zone)."""
    if period_from > period_to:
        raise ValueError("The period starts after it ends.")
    records = sign_offs or SignOffRecords()
    completed = without_sign_off = ongoing = 0
    reasons: Counter[str] = Counter()
    spellings: dict[str, str] = {}
    for case in cases:
        latest = _latest_by(case, period_to)
        for version in case.assessments:
            done_on, signed = _completion(version, records, day_of)
            if done_on is not None and period_from <= done_on <= period_to:
                completed += signed
                without_sign_off += not signed
            elif (
                version is latest
                and (done_on is None or done_on > period_to)
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
        without_sign_off,
    )


def return_year(day: date) -> tuple[date, date]:
    """The April-to-March reporting year that `day` falls in."""
    start_year = day.year if day >= date(day.year, 4, 1) else day.year - 1
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def default_return_period(
    cases: Iterable[Case],
    today: date,
    sign_offs: SignOffRecords | None = None,
    *,
    day_of: Callable[[datetime], date] = local_day,
) -> tuple[date, date]:
    """The year the annual return opens at: the last whole reporting year when it has anything
    to count; else the current year when it has; else the latest earlier year that has; with
    nothing to count anywhere, the last whole year."""
    found = list(cases)
    current = return_year(today)
    last_whole = return_year(current[0].replace(year=current[0].year - 1))
    first_request = min(
        (a.request_date for case in found for a in case.assessments), default=last_whole[0]
    )
    candidates = [last_whole, current]
    start = last_whole[0]
    while start > first_request:
        start = start.replace(year=start.year - 1)
        candidates.append(return_year(start))
    for period in candidates:
        if annual_return(found, *period, sign_offs, day_of=day_of).has_data:
            return period
    return last_whole
