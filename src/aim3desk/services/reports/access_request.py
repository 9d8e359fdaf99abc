"""What the subject access "records held" export is built from: everything this profile holds
about one case, gathered by the report service in one read of the store, so the PDF can then
be laid out on any thread (like a ReportRequest)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import Assessment, Case, safe_reference
from aim3desk.domain.forms import EvidenceRules, FormSet, ScreeningScale, SupervisionForms
from aim3desk.domain.retention import LegalHold, RetentionDecision
from aim3desk.domain.sharing import SharingPolicy
from aim3desk.domain.sign_off import SignOffRecords
from aim3desk.services.reports.request import ReportKind, ReportRequest
from aim3desk.store.audit import AuditEntry
from aim3desk.store.bundle_log import BundleRecord
from aim3desk.store.review_log import StoredReview

AUDIT_ACCESS_EXPORT = "case.access_export"


def access_filename(case: Case) -> str:
    """Named by the case reference, never the child's name."""
    return f"{safe_reference(case.reference)}-records-held.pdf"


@dataclass(frozen=True)
class HeldVersion:
    """One assessment version and its whole content."""

    assessment: Assessment
    content: AssessmentContent


@dataclass(frozen=True)
class AccessRequest:
    case: Case
    versions: tuple[HeldVersion, ...]  # oldest first
    records: CaseRecords  # supervision well-being responses already removed
    wellbeing_held: int  # how many well-being responses the profile holds (not printed)
    form_set: FormSet
    rules: EvidenceRules
    author: str
    sign_offs: SignOffRecords = field(default_factory=SignOffRecords)
    reviews: tuple[StoredReview, ...] = ()
    bundles: tuple[BundleRecord, ...] = ()
    holds: tuple[LegalHold, ...] = ()
    decisions: tuple[RetentionDecision, ...] = ()
    audit: tuple[AuditEntry, ...] = ()  # the entries about this case, oldest first
    names: dict[str, str] = field(default_factory=dict)  # key fingerprint -> contact's name
    policy: SharingPolicy | None = None
    supervision_forms: SupervisionForms | None = None  # labels of agenda items and prompts
    screening_scale: ScreeningScale | None = None  # labels of the screening options
    organisation: str = ""
    produced: date = field(default_factory=date.today)
    progress_max: int = 10

    @property
    def filename(self) -> str:
        return access_filename(self.case)

    def version_request(self, version: HeldVersion | None) -> ReportRequest:
        """The full report's request for one version (None: the case as it stands), so its
        section builders print it, with internal-only items marked rather than left out."""
        return ReportRequest(
            kind=ReportKind.FULL,
            case=replace(self.case, assessments=(version.assessment,)) if version else self.case,
            form_set=self.form_set,
            rules=self.rules,
            author=self.author,
            content=version.content if version else AssessmentContent(),
            records=self.records,
            sign_offs=self.sign_offs,
            policy=self.policy,
            organisation=self.organisation,
            produced=self.produced,
            progress_max=self.progress_max,
            mark_internal=True,
        )

    def who(self, fingerprint: str) -> str:
        """A key fingerprint with the contact's name where this profile knows it."""
        name = self.names.get(fingerprint)
        return f"{name} ({fingerprint})" if name else fingerprint


def about_case(entry: AuditEntry, case: Case, bundle_ids: set[str]) -> bool:
    """Whether an audit entry concerns this case: it names the case by reference or id, one
    of its versions, or one of its bundles."""
    if entry.target in (case.reference, case.id):
        return True
    ids = {case.id, *(a.id for a in case.assessments), *bundle_ids}
    return any(
        isinstance(value, str) and value in ids
        for key, value in entry.detail.items()
        if key in ("case_id", "assessment_id", "bundle_id")
    )
