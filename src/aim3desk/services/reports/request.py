"""What a report is built from: the kind of report, the case and everything it shows, gathered
by the report service in one read of the store, so the PDF can then be laid out on any
thread."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import Assessment, Case, safe_reference
from aim3desk.domain.forms import EvidenceRules, FormSet, SupervisionForms
from aim3desk.domain.gates import Gate, GateOverride, needs_override
from aim3desk.domain.profile import Missing, readiness
from aim3desk.domain.sharing import AUDIENCE_IDS, SharingPolicy
from aim3desk.domain.sign_off import SignOff, SignOffRecords
from aim3desk.domain.supervision import SupervisionDue, record_for_supervisor


class ReportKind(enum.StrEnum):
    FULL = "full"
    SOCIAL_CARE = "social-care"
    POLICE = "police"
    EDUCATION = "education"
    HEALTH = "health"
    VOLUNTARY = "voluntary"
    YOUNG_PERSON = "young-person"
    ENDING = "ending"
    SUPERVISION_RECORD = "supervision-record"

    @property
    def is_share(self) -> bool:
        return self.value in AUDIENCE_IDS

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def of_the_assessment(self) -> bool:
        """The full and share reports present the assessment version, so they carry its
        DRAFT marking until it is signed off; the young person's and ending reports do not."""
        return self is ReportKind.FULL or self.is_share


_LABELS = {
    ReportKind.FULL: "Full assessment report",
    ReportKind.SOCIAL_CARE: "Share report: children's social care",
    ReportKind.POLICE: "Share report: police",
    ReportKind.EDUCATION: "Share report: education",
    ReportKind.HEALTH: "Share report: health",
    ReportKind.VOLUNTARY: "Share report: voluntary and community sector",
    ReportKind.YOUNG_PERSON: "Young person's version (goals and keeping-safe plan)",
    ReportKind.ENDING: "Ending report (moving on)",
    ReportKind.SUPERVISION_RECORD: "Supervision record (for the supervisor)",
}
SHARE_KINDS = tuple(k for k in ReportKind if k.is_share)


@dataclass(frozen=True)
class ShareDetails:
    """Who a share report goes to, why, and on what lawful basis (printed in the report)."""

    recipient: str
    reason: str
    lawful_basis: str  # the basis in words (its label, or the text written for "other")
    override_reason: str = ""  # why it is shared unsigned without passing the readiness check


@dataclass(frozen=True)
class ReportRequest:
    kind: ReportKind
    case: Case
    form_set: FormSet
    rules: EvidenceRules
    author: str
    content: AssessmentContent = field(default_factory=AssessmentContent)
    records: CaseRecords = field(default_factory=CaseRecords)
    sign_offs: SignOffRecords = field(default_factory=SignOffRecords)  # reviews, sent, overrides
    policy: SharingPolicy | None = None
    organisation: str = ""
    produced: date = field(default_factory=date.today)
    share: ShareDetails | None = None
    author_contact: str = ""  # the author's contact details (profile), for share reports
    progress_max: int = 10  # the intervention progress scale's top
    # The subject access export: every internal-only item is printed WITH the reviewer's
    # mark (services/reports/marking.py) instead of being left out.
    mark_internal: bool = False
    # The supervision record only: the session types, prompts and key questions it prints,
    # and when the next session is due (domain/supervision.py).
    supervision_forms: SupervisionForms | None = None
    supervision_due: SupervisionDue | None = None

    @property
    def assessment(self) -> Assessment | None:
        return self.case.current_assessment

    @property
    def sign_off(self) -> SignOff:
        return self.sign_offs.state(self.assessment)

    @property
    def overrides(self) -> list[GateOverride]:
        """The gate overrides recorded for the version this report presents."""
        return self.sign_offs.overrides_of(self.assessment.id) if self.assessment else []

    @cached_property
    def missing(self) -> list[Missing]:
        """What the version lacks for the readiness check (domain/profile.py)."""
        if self.assessment is None:
            return []
        model = self.form_set.model(self.assessment.model.value)
        return readiness(self.content, model, self.form_set)

    @property
    def needs_share_override(self) -> bool:
        """A share report of this version needs a written reason (domain/gates.py)."""
        return self.kind.is_share and needs_override(
            Gate.SHARE, ready=not self.missing, signed_off=self.sign_off.signed_off
        )

    @property
    def is_draft(self) -> bool:
        """Marked DRAFT (file name, title, footer, every page): see ReportKind.of_the_assessment."""
        return self.kind.of_the_assessment and self.sign_off.is_draft

    @property
    def filename(self) -> str:
        return default_filename(self.case, self.kind, self.sign_off)


def default_filename(case: Case, kind: ReportKind | str, state: SignOff) -> str:
    """A file name from the case reference, report kind and version: never the child's name.
    Assessment and share reports of a version not signed off say DRAFT (domain/sign_off.py)."""
    kind = ReportKind(kind)
    assessment = case.current_assessment
    version = assessment.version if assessment else 0
    reference = safe_reference(case.reference)
    mark = "-DRAFT" if kind.of_the_assessment and state.is_draft else ""
    if kind is ReportKind.FULL:
        return f"{reference}-assessment-v{version}{mark}.pdf"
    if kind.is_share:
        return f"{reference}-{kind.value}-v{version}{mark}.pdf"
    return f"{reference}-{kind.value}.pdf"


def without_wellbeing(records: CaseRecords) -> CaseRecords:
    """The records with every supervision well-being response removed: no report ever sees
    them, so no report can print them."""
    return replace(records, sessions=tuple(s.without_wellbeing() for s in records.sessions))


def records_for(kind: ReportKind, records: CaseRecords) -> CaseRecords:
    """The records a report of this kind may see. Only the supervision record, given to the
    supervisor, keeps the well-being responses of the sessions the practitioner chose to
    include for the supervisor (domain/supervision.py: record_for_supervisor); every other
    report sees none."""
    if kind is ReportKind.SUPERVISION_RECORD:
        return replace(records, sessions=tuple(record_for_supervisor(s) for s in records.sessions))
    return without_wellbeing(records)
