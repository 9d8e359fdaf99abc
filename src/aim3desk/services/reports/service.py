"""Reports for the open profile (`session.reports`): a report is built from ONE read of the
store, and everything said about it afterwards comes from that same read.

    request = reports.prepare(case, kind, answers)   # the one read (store worker)
    reports.preview(request)                         # what a share report holds: no read
    data = reports.render(request)                   # pure CPU, no store: any thread
    reports.save(request, data, out_path, answers)   # the file, its audit entry and the
                                                     # sharing decision: one transaction

The subject access "records held" export goes the same three steps (prepare_access,
render_access, save_access), or access_export() for all three. The file is written inside
the transaction that records it (services/recorded_file.py): a report on disk always has
its `report.export` entry, and a failed one has neither.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from aim3desk.config import EffectiveSettings
from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.gates import Gate, check_gate
from aim3desk.domain.sharing import SharingDecision
from aim3desk.domain.supervision import supervision_due
from aim3desk.services.assessments import AssessmentService
from aim3desk.services.case_records import CaseRecordService
from aim3desk.services.cases import CaseService
from aim3desk.services.gates import pass_gate
from aim3desk.services.identity import CONTACT_DETAILS_FACT
from aim3desk.services.recorded_file import write_recorded
from aim3desk.services.reports.access_request import (
    AUDIT_ACCESS_EXPORT,
    AccessRequest,
    HeldVersion,
    about_case,
)
from aim3desk.services.reports.document import CancelCheck, ProgressCallback
from aim3desk.services.reports.produce import (
    AUDIT_EXPORT,
    ProducedReport,
    ShareAnswers,
    check_answers,
)
from aim3desk.services.reports.request import (
    ReportKind,
    ReportRequest,
    ShareDetails,
    records_for,
    without_wellbeing,
)
from aim3desk.services.sharing import SharePreview, SharingService, make_preview
from aim3desk.store.bundle_log import SENT
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork


class ReportService:
    def __init__(
        self,
        uow: UnitOfWork,
        settings: EffectiveSettings,
        actor: str,
        cases: CaseService,
        assessments: AssessmentService,
        case_records: CaseRecordService,
        sharing: SharingService,
    ):
        self._uow = uow
        self._settings = settings
        self.actor = actor
        self._cases = cases
        self._assessments = assessments
        self._case_records = case_records
        self._sharing = sharing

    # -- read -------------------------------------------------------------------------------

    def prepare(
        self,
        case_ref_or_id: str,
        kind: ReportKind | str,
        answers: ShareAnswers | None = None,
        produced: date | None = None,
    ) -> ReportRequest:
        """Everything a report of this kind needs, read from the store at once (the store's
        thread). With `answers`, a share report's recipient, reason and lawful basis are
        checked (ValidationError) and printed in it; without, the request serves a preview."""
        from aim3desk.services.forms_loader import (
            load_evidence_rules,
            load_form_set,
            load_intervention,
            load_sharing_policy,
            load_supervision,
        )

        kind = ReportKind(kind)
        share = None
        if kind.is_share and answers is not None:
            check_answers(kind, answers)
            words = self._sharing.lawful_basis_words(
                answers.lawful_basis, answers.lawful_basis_text
            )
            share = ShareDetails(answers.recipient.strip(), answers.reason.strip(), words)
        values = self._settings.values
        licensed = Path(values.licensed_form_file) if values.licensed_form_file else None
        form_set = load_form_set(licensed_file=licensed)
        rules = load_evidence_rules()
        with self._uow.read() as tx:  # one snapshot: the reads below join it
            case = self._cases.find_case(case_ref_or_id)
            current = case.current_assessment
            content = self._assessments.load(current.id) if current else AssessmentContent()
            records = self._case_records.load(case.id)
            sign_offs = tx.sign_off_records(case.id)
            contact = tx.profile_facts().get(CONTACT_DETAILS_FACT, "")
        request = ReportRequest(
            kind=kind,
            case=case,
            form_set=form_set,
            rules=rules,
            author=self.actor,
            content=content,
            records=records_for(kind, records),
            sign_offs=sign_offs,
            policy=load_sharing_policy(rules=rules),
            organisation=values.organisation_name,
            produced=produced or datetime.now().date(),
            share=share,
            progress_max=load_intervention().progress.max,
            author_contact=contact,
        )
        if kind is ReportKind.SUPERVISION_RECORD:
            request = replace(
                request,
                supervision_forms=load_supervision(),
                supervision_due=supervision_due(
                    case, current, records.sessions, values, request.produced
                ),
            )
        if share is not None and request.needs_share_override:
            assert answers is not None
            reason = check_gate(
                Gate.SHARE, ready=False, signed_off=False, reason=answers.override_reason
            )  # GateClosed before anything is built
            request = replace(request, share=replace(share, override_reason=reason))
        return request

    def preview(self, request: ReportRequest, audience: str | None = None) -> SharePreview:
        """What a share report from this request holds and leaves out (no store access).
        `audience` defaults to the request's own kind."""
        policy = request.policy or self._sharing.policy
        return make_preview(request.content, request.rules, policy, audience or request.kind.value)

    # -- render: no store access ------------------------------------------------------------

    def render(
        self,
        request: ReportRequest,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> bytes:
        """The PDF in memory: pure CPU, so it may run off the store's thread (save writes
        it). ReportCancelled if `cancelled()` says so. A bundle's members are encrypted
        before any byte is written."""
        from aim3desk.services.reports.build import render_bytes

        return render_bytes(request, progress, cancelled)

    # -- write ------------------------------------------------------------------------------

    def save(
        self, request: ReportRequest, data: bytes, path: Path, answers: ShareAnswers | None
    ) -> ProducedReport:
        """Write the rendered report atomically at `path`, audit it and, for a share report,
        log the decision to share, in one transaction (services/recorded_file.py); what was
        shared is described from the same request the PDF came from."""
        case, kind = request.case, request.kind
        check_answers(kind, answers)
        assessment = case.current_assessment
        version = assessment.version if assessment else 0
        what = self.preview(request).describe() if kind.is_share else ""

        def record(tx: StoreWriter) -> SharingDecision | None:
            tx.audit(
                self.actor,
                AUDIT_EXPORT,
                case.reference,
                {
                    "kind": kind.value,
                    "version": version,
                    "draft": request.is_draft,  # the PDF carries the DRAFT mark
                    "signed_off": request.sign_off.signed_off,  # the version, whatever the kind
                },
            )
            if answers is not None and kind.is_share:  # in this same transaction
                self._pass_share_gate(tx, request)
                return self._log_decision(request, answers, True, what, version)
            return None

        decision, written = write_recorded(self._uow, path, data, record)
        return ProducedReport(case, written, kind, decision)

    # -- the subject access "records held" export -------------------------------------------

    def prepare_access(self, case_ref_or_id: str, produced: date | None = None) -> AccessRequest:
        """Everything this profile holds about the case, read at once (the store's thread).
        Supervision well-being responses are counted, never carried."""
        from aim3desk.services.forms_loader import (
            load_evidence_rules,
            load_form_set,
            load_intervention,
            load_screening,
            load_sharing_policy,
            load_supervision,
        )

        values = self._settings.values
        licensed = Path(values.licensed_form_file) if values.licensed_form_file else None
        rules = load_evidence_rules()
        with self._uow.read() as tx:  # one snapshot: the reads below join it
            case = self._cases.find_case(case_ref_or_id)
            versions = tuple(
                HeldVersion(a, self._assessments.load(a.id))
                for a in sorted(case.assessments, key=lambda a: a.version)
            )
            records = self._case_records.load(case.id)
            bundles = tuple(tx.bundles.of_case(case.id))
            bundle_ids = {b.bundle_id for b in bundles}
            audit = tuple(e for e in tx.audit_entries() if about_case(e, case, bundle_ids))
            names = {c.fingerprint: c.identity.name for c in tx.people.contacts()}
            # The author of a bundle this profile sent is this profile's own key.
            names |= {b.author_fingerprint: self.actor for b in bundles if b.direction == SENT}
            reviews = tuple(tx.reviews.of_case(case.id))
            holds = tuple(tx.retention.holds(case.id))
            decisions = tuple(tx.retention.decisions(case.id))
            sign_offs = tx.sign_off_records(case.id)
        return AccessRequest(
            case=case,
            versions=versions,
            records=without_wellbeing(records),
            wellbeing_held=sum(len(s.wellbeing) for s in records.sessions),
            form_set=load_form_set(licensed_file=licensed),
            rules=rules,
            author=self.actor,
            sign_offs=sign_offs,
            reviews=reviews,
            bundles=bundles,
            holds=holds,
            decisions=decisions,
            audit=audit,
            names=names,
            policy=load_sharing_policy(rules=rules),
            supervision_forms=load_supervision(),
            screening_scale=load_screening(),
            organisation=values.organisation_name,
            produced=produced or datetime.now().date(),
            progress_max=load_intervention().progress.max,
        )

    def render_access(
        self,
        request: AccessRequest,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> bytes:
        """Lay out the export in memory: no store, any thread."""
        from aim3desk.services.reports.access import render_access

        return render_access(request, progress, cancelled)

    def save_access(self, request: AccessRequest, data: bytes, path: Path) -> Path:
        """Write the rendered export atomically at `path` with its audit entry (what was
        counted, never what it says), in one transaction; the path written."""
        detail = {
            "case_id": request.case.id,
            "versions": len(request.versions),
            "audit_entries": len(request.audit),
        }
        _entry, written = write_recorded(
            self._uow,
            path,
            data,
            lambda tx: tx.audit(self.actor, AUDIT_ACCESS_EXPORT, request.case.reference, detail),
        )
        return written

    def access_export(
        self,
        case_ref_or_id: str,
        out_path: Path,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> tuple[AccessRequest, Path]:
        """Prepare, build and record in one call (the CLI): the request and the file."""
        request = self.prepare_access(case_ref_or_id)
        data = self.render_access(request, progress, cancelled)
        return request, self.save_access(request, data, out_path)

    def _pass_share_gate(self, tx: StoreWriter, request: ReportRequest) -> None:
        """Record the reason a share report of an unsigned, unready version was made."""
        if request.assessment is None or not request.needs_share_override:
            return
        pass_gate(
            tx,
            self.actor,
            Gate.SHARE,
            request.assessment,
            request.case.reference,
            ready=False,
            signed_off=False,
            reason=request.share.override_reason if request.share else "",
            at=datetime.now(UTC),
        )

    def produce(
        self,
        case_ref_or_id: str,
        kind: ReportKind | str,
        out_path: Path,
        answers: ShareAnswers | None = None,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> ProducedReport:
        """Prepare, build and record in one call (the CLI)."""
        kind = ReportKind(kind)
        check_answers(kind, answers)
        request = self.prepare(case_ref_or_id, kind, answers)
        data = self.render(request, progress, cancelled)
        return self.save(request, data, out_path, answers)

    def record_not_shared(
        self, case_ref_or_id: str, audience: str, answers: ShareAnswers
    ) -> ProducedReport:
        """Log a decision NOT to share with an audience, the same way as a decision to
        share; what would have been shared is described from one read."""
        kind = ReportKind(audience)
        check_answers(kind, answers)
        request = self.prepare(case_ref_or_id, kind)
        assessment = request.case.current_assessment
        what = (
            self.preview(request).describe().replace("Share report", "Not shared: share report", 1)
        )
        version = assessment.version if assessment else None
        decision = self._log_decision(request, answers, False, what, version)
        return ProducedReport(request.case, None, kind, decision)

    def _log_decision(
        self,
        request: ReportRequest,
        answers: ShareAnswers,
        shared: bool,
        what: str,
        version: int | None,
    ) -> SharingDecision:
        return self._sharing.record_decision(
            request.case.id,
            request.kind.value,
            answers.recipient,
            answers.reason,
            answers.lawful_basis,
            shared,
            what=what,
            lawful_basis_text=answers.lawful_basis_text,
            assessment_version=version,
        )
