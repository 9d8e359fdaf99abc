"""Cases and assessments: the records a practitioner keeps. Pure Python, no Qt, no SQL."""

from __future__ import annotations

import enum
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from aim3desk.domain.dates import date_after
from aim3desk.domain.record_limits import limit_problems

DEFAULT_DEADLINE_WEEKS = 6  # seed 003: "completes an AIM 3 Assessment within 6 weeks"


class LeadAgency(enum.StrEnum):
    YOS = "yos"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    EARLY_HELP = "early_help"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS[self]


class Requester(enum.StrEnum):
    """Who asked for the assessment (seed 001)."""

    CASE_WORKER = "case_worker"
    SERVICE_MANAGER = "service_manager"
    REVIEWING_OFFICER = "reviewing_officer"
    MAPPA_COORDINATOR = "mappa_coordinator"
    CRIMINAL_COURT = "criminal_court"

    @property
    def label(self) -> str:
        return _LABELS[self]


class CaseStatus(enum.StrEnum):
    REQUESTED = "requested"
    IN_ASSESSMENT = "in_assessment"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    COMPLETED = "completed"
    IN_INTERVENTION = "in_intervention"
    NOT_COMPLETED = "not_completed"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in (CaseStatus.COMPLETED, CaseStatus.NOT_COMPLETED, CaseStatus.CLOSED)


class AssessmentModel(enum.StrEnum):
    """The form-file id of each assessment model (forms/models/<id>.toml)."""

    AIM3 = "aim3"
    AIM_U12 = "aim-u12"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[enum.Enum, str] = {
    LeadAgency.YOS: "Youth offending service",
    LeadAgency.CHILDRENS_SOCIAL_CARE: "Children's social care",
    LeadAgency.EARLY_HELP: "Early help",
    LeadAgency.OTHER: "Other",
    Requester.CASE_WORKER: "Case worker",
    Requester.SERVICE_MANAGER: "Service manager",
    Requester.REVIEWING_OFFICER: "Reviewing officer",
    Requester.MAPPA_COORDINATOR: "MAPPA coordinator",
    Requester.CRIMINAL_COURT: "Criminal court",
    CaseStatus.REQUESTED: "Requested",
    CaseStatus.IN_ASSESSMENT: "In assessment",
    CaseStatus.AWAITING_SIGN_OFF: "Awaiting sign-off",
    CaseStatus.COMPLETED: "Assessment completed",
    CaseStatus.IN_INTERVENTION: "In intervention",
    CaseStatus.NOT_COMPLETED: "Not completed",
    CaseStatus.CLOSED: "Closed",
    AssessmentModel.AIM3: "AIM3 (12-18)",
    AssessmentModel.AIM_U12: "AIM u12 (8-12)",
}


class ValidationError(ValueError):
    """A record breaks a rule; `problems` maps field name to a plain-English message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


def age_on(date_of_birth: date, on: date) -> int:
    """Whole years of age on a given day (a 29 February birthday counts on 28 February)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def propose_model(date_of_birth: date, request_date: date) -> AssessmentModel:
    """AIM u12 for children under 12 at the request date, AIM3 from 12 (domain.md)."""
    return (
        AssessmentModel.AIM_U12
        if age_on(date_of_birth, request_date) < 12
        else AssessmentModel.AIM3
    )


def local_day(at: datetime) -> date:
    """The calendar day of a UTC time where the practitioner is (this machine's time zone,
    with its summer time): what a person means by "finished on 1 April"."""
    return at.astimezone().date()


def due_date(request_date: date, deadline_weeks: int = DEFAULT_DEADLINE_WEEKS) -> date:
    return date_after(request_date, timedelta(weeks=deadline_weeks))


def safe_reference(reference: str) -> str:
    """A case reference as part of a file name: a reference may hold slashes (YOS/2025/014),
    so anything but letters, digits, '_', '.' and '-' becomes '-'."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", reference)


def search_fold(text: str) -> str:
    """Text as the case-list search compares it: ignoring case (ß matches ss), accents (é
    matches e; "zoe" finds Zoë) and runs of spaces. Never holds a line break."""
    text = " ".join(text.split())
    if text.isascii():
        return text.lower()  # the common case, and casefold() is lower() for ASCII
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def case_search_key(reference: str, young_person_name: str, lead_worker: str) -> str:
    """What the case-list search looks in: the three fields folded, one per line (so a search
    never matches across two of them). Kept per row by whoever searches many times."""
    return "\n".join(search_fold(value) for value in (reference, young_person_name, lead_worker))


def matches_case_search(search_key: str, folded_search: str) -> bool:
    """The one rule of the case-list search, for the store's list and the screen's filter
    alike: the folded search text (search_fold) is part of the reference, the young person's
    name or the lead worker (case_search_key). An empty search matches every case."""
    return folded_search in search_key


def new_id() -> str:
    return uuid.uuid4().hex


CASE_REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{1,39}$")


@dataclass(frozen=True)
class Assessment:
    """One version of a case's assessment. Its content (ratings, evidence, formulation ...)
    is an AssessmentContent (domain/assessment.py), stored and loaded apart from this record
    so the case list and case header never read the whole text of an assessment."""

    id: str
    case_id: str
    model: AssessmentModel
    request_date: date
    due_date: date
    version: int = 1
    finished: bool = False
    based_on_id: str | None = None  # the finished version this one was started from
    finished_at: datetime | None = None  # UTC, set when the version is finished


@dataclass(frozen=True)
class Case:
    id: str
    reference: str
    young_person_name: str
    date_of_birth: date
    lead_agency: LeadAgency
    lead_worker: str
    requested_by: Requester
    request_date: date
    co_workers: tuple[str, ...] = ()
    joint_with_social_worker: bool = False
    status: CaseStatus = CaseStatus.REQUESTED
    assessments: tuple[Assessment, ...] = field(default=(), compare=False)
    # Why the assessment could not be completed, and when it was marked so (annual return).
    # Counted and printed in the annual return, so it must never name anyone.
    not_completed_reason: str = ""
    not_completed_on: date | None = None
    # The day the case was closed (status CLOSED): retention counts from it (retention.py).
    closed_on: date | None = None
    # The front sheet and the lead-agency rule (seeds 001 and 003): the young person's social
    # worker (empty: none), why the assessment was requested, whether the young person is open
    # to the YOS for a sexually harmful offence, and why another lead was chosen than the one
    # the rule proposes.
    social_worker: str = ""
    request_reason: str = ""
    open_to_yos_for_sexual_offence: bool = False
    lead_agency_reason: str = ""

    @property
    def current_assessment(self) -> Assessment | None:
        return max(self.assessments, key=lambda a: a.version, default=None)

    @property
    def age_at_request(self) -> int:
        return age_on(self.date_of_birth, self.request_date)


# Why another lead was chosen, for a case recorded before the app asked (an older export).
UNRECORDED_LEAD_REASON = "Not recorded (the case was recorded before the reason was asked)."


@dataclass(frozen=True)
class LeadProposal:
    """The lead the procedure asks for, whether jointly with the social worker, and why."""

    lead_agency: LeadAgency
    joint_with_social_worker: bool
    why: str


def propose_lead(
    requested_by: Requester, open_to_yos_for_sexual_offence: bool, social_worker: str
) -> LeadProposal | None:
    """The lead-agency rule of seeds 001 and 003: "Where an assessment is requested to assist
    in Criminal Proceedings or where a young person is open to the Youth Offending Service
    (YOS) for a sexually harmful offence, the assessment will be led by a YOS case worker.
    Where a young person also has a Social Worker then the assessment shall be completed
    jointly." Otherwise "the lead agency in the case shall be responsible for undertaking the
    AIM 3 assessment in the first instance": there is nothing to propose (None), the
    practitioner names that agency."""
    if requested_by is Requester.CRIMINAL_COURT:
        why = "Requested for criminal proceedings"
    elif open_to_yos_for_sexual_offence:
        why = "Open to the YOS for a sexually harmful offence"
    else:
        return None
    joint = bool(social_worker.strip())
    if joint:
        return LeadProposal(
            LeadAgency.YOS, True, f"{why}: led by the YOS, jointly with the social worker."
        )
    return LeadProposal(LeadAgency.YOS, False, f"{why}: led by the YOS.")


def lead_departs_from_rule(case: Case) -> LeadProposal | None:
    """The proposal the case does not follow (another lead, or not joint where the rule asks
    for a joint assessment), or None when it follows it or there is none."""
    proposal = propose_lead(
        case.requested_by, case.open_to_yos_for_sexual_offence, case.social_worker
    )
    if proposal is None or not departs_from(
        proposal, case.lead_agency, case.joint_with_social_worker
    ):
        return None
    return proposal


def departs_from(proposal: LeadProposal | None, lead_agency: LeadAgency, joint: bool) -> bool:
    """Another lead than proposed, or not joint where the proposal is a joint assessment (a
    joint assessment where none is proposed follows the rule: the social worker may not be
    named yet)."""
    if proposal is None:
        return False
    other_lead = lead_agency is not proposal.lead_agency
    return other_lead or (proposal.joint_with_social_worker and not joint)


def validate_case(case: Case, today: date) -> None:
    """Raise ValidationError naming every field that is wrong (texts and dates held to
    domain/limits.py too)."""
    problems: dict[str, str] = {}
    if not case.young_person_name.strip():
        problems["young_person_name"] = "Enter the young person's name."
    if not CASE_REFERENCE_PATTERN.match(case.reference):
        problems["reference"] = (
            "Enter a case reference of 2 to 40 letters, digits or / _ . - "
            "(it names files and reports, so it must not be the child's name)."
        )
    elif (
        case.young_person_name.strip()
        and case.young_person_name.strip().lower() in case.reference.lower()
    ):
        problems["reference"] = "The case reference must not contain the young person's name."
    if not case.lead_worker.strip():
        problems["lead_worker"] = "Enter the lead worker."
    if case.date_of_birth > today:
        problems["date_of_birth"] = "The date of birth is in the future."
    elif not 4 <= age_on(case.date_of_birth, case.request_date) <= 25:
        problems["date_of_birth"] = "At the request date the young person must be between 4 and 25."
    if case.request_date > today:
        problems["request_date"] = "The request date is in the future."
    if any(not w.strip() for w in case.co_workers):
        problems["co_workers"] = "A co-worker's name is empty."
    reason = case.not_completed_reason.strip()
    if case.status is CaseStatus.NOT_COMPLETED and not reason:
        problems["not_completed_reason"] = "Say why the assessment could not be completed."
    elif reason and _names_young_person(reason, case.young_person_name):
        problems["not_completed_reason"] = (
            "The reason is counted in the annual return, so it must not name the young person."
        )
    departed = lead_departs_from_rule(case)
    if departed is not None and not case.lead_agency_reason.strip():
        problems["lead_agency_reason"] = (
            f"{departed.why} Say why you chose otherwise, or follow the procedure."
        )
    if case.not_completed_on is not None and case.not_completed_on > today:
        problems["not_completed_on"] = "The date is in the future."
    for name, problem in limit_problems(case).items():
        problems.setdefault(name, problem)
    if problems:
        raise ValidationError(problems)


def _names_young_person(text: str, name: str) -> bool:
    words = set(re.findall(r"\w+", text.casefold()))
    return any(len(part) > 2 and part in words for part in re.findall(r"\w+", name.casefold()))


# Reasons offered when an assessment cannot be completed (a practitioner may write another).
NOT_COMPLETED_REASONS = (
    "Young person declined to take part",
    "Family withdrew consent",
    "Young person moved out of the area",
    "Case transferred to another service",
    "Criminal proceedings ended or changed",
    "Assessment no longer needed",
)


def start_assessment(
    case: Case, model: AssessmentModel | None = None, deadline_weeks: int = DEFAULT_DEADLINE_WEEKS
) -> Assessment:
    """The first assessment of a case: model proposed from age unless chosen."""
    return Assessment(
        id=new_id(),
        case_id=case.id,
        model=model or propose_model(case.date_of_birth, case.request_date),
        request_date=case.request_date,
        due_date=due_date(case.request_date, deadline_weeks),
    )
